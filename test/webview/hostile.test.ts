// Hostile model output: nothing in it may execute, navigate, fetch, or post anything but openLink for an
// http(s) link. The page sets a `window.__pwned` trap (every payload writes to it), listens for dialogs, and
// records every request and every CSP violation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageWindow } from './harness';

const CORPUS = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '<svg onload="window.__pwned=\'svg\'"><circle r="1"/></svg>',
    '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<object data="javascript:window.__pwned=\'object\'"></object>',
    '<a href="javascript:window.__pwned=\'raw-a\'">raw anchor</a>',
    '<details open ontoggle="window.__pwned=\'details\'">x</details>',
    '<style>body { background: url(https://evil.example/css) }</style>',
    '<div style="background:url(https://evil.example/inline)">styled</div>',
    '<math><mi xlink:href="javascript:window.__pwned=\'math\'">m</mi></math>',
    "[js link](javascript:window.__pwned='md-js')",
    "[mixed case](JaVaScRiPt:window.__pwned='case')",
    "[entity js](&#106;avascript:window.__pwned='entity')",
    "[encoded js](java%73cript:window.__pwned='pct')",
    "[tab js](java\tscript:window.__pwned='tab')",
    '[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)',
    '[vbscript](vbscript:msgbox("pwned"))',
    '[command](command:workbench.action.terminal.new)',
    '[file](file:///etc/passwd)',
    '[relative](/etc/passwd)',
    '[protocol-relative](//evil.example/x)',
    '[fragment](#app)',
    "<javascript:window.__pwned='autolink'>",
    '<command:workbench.action.reloadWindow>',
    "![img js](javascript:window.__pwned='img-md')",
    '![remote image](https://evil.example/pixel.png)',
    '![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
    '[title trick](https://example.com/ok "x\\" onmouseover=\\"window.__pwned=\'title\'")',
    '&lt;script&gt;window.__pwned="entities"&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;',
    '```"><img src=x onerror="window.__pwned=\'fence\'">\ncode\n```',
    '`<img src=x onerror=alert(1)>`',
    '<form action="https://evil.example"><input name=q autofocus onfocus="window.__pwned=\'form\'"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
];

const TEXT = CORPUS.join('\n\n');

/** Asserts that nothing ran, navigated or fetched, and the reply holds no active content. */
async function assertInert(chat: ChatPage, url: string): Promise<void> {
    assert.equal(await chat.page.evaluate(() => (globalThis as unknown as PageWindow).__pwned), undefined);
    assert.deepEqual(chat.dialogs, []);
    assert.deepEqual(chat.errors, []);
    assert.equal(chat.page.url(), url);
    const foreign = chat.requests.filter((request) => !request.startsWith(`${chat.origin}/`));
    assert.deepEqual(foreign, []);
    assert.deepEqual(await chat.violations(), []);
    const active = await chat.page.locator('#turns').evaluate((root) => {
        const found: string[] = [];
        for (const node of root.querySelectorAll('*')) {
            const tag = node.tagName.toLowerCase();
            if (
                [
                    'script',
                    'iframe',
                    'object',
                    'embed',
                    'svg',
                    'math',
                    'img',
                    'style',
                    'link',
                    'meta',
                    'base',
                    'form',
                    'input',
                ].includes(tag)
            ) {
                found.push(tag);
            }
            for (const attribute of node.attributes) {
                if (
                    attribute.name.startsWith('on') ||
                    (attribute.name === 'style' && !node.classList.contains('meter-bar'))
                ) {
                    found.push(`${tag}[${attribute.name}]`);
                }
                if (
                    ['href', 'src', 'action', 'srcdoc', 'xlink:href'].includes(attribute.name) &&
                    !/^(?:https?:|mailto:)/.test(attribute.value)
                ) {
                    found.push(`${tag}[${attribute.name}=${attribute.value}]`);
                }
            }
        }
        return found;
    });
    assert.deepEqual(active, []);
}

function assertOnlyHttpOpenLinks(posted: readonly unknown[]): void {
    for (const message of posted) {
        const { type, url } = message as { type?: unknown; url?: unknown };
        assert.equal(type, 'openLink');
        assert.match(String(url), /^https?:\/\//);
    }
}

/** Clicks (and hovers) every link and every element in the reply text; returns what was posted. */
async function poke(chat: ChatPage): Promise<unknown[]> {
    await chat.takePosted();
    const targets = chat.page.locator('.reply .markdown a, .reply .markdown p, .reply .markdown code');
    const count = await targets.count();
    for (let i = 0; i < count; i++) {
        const target = targets.nth(i);
        await target.hover();
        await target.click({ position: { x: 1, y: 1 } });
    }
    return chat.takePosted();
}

void describe('hostile model output', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('a finished reply full of attacks renders as inert text', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const url = chat.page.url();
        await chat.deliver(
            stateMessage([
                makeTurn({ prompt: '<img src=x onerror="window.__pwned=\'prompt\'">', text: TEXT }),
            ]),
        );
        await assertInert(chat, url);
        const text = (await chat.page.locator('.reply .markdown').textContent()) ?? '';
        assert.match(text, /<script>window.__pwned = "script"<\/script>/, 'raw HTML shows as text');
        assert.match(text, /js link/);
        assert.equal(
            await chat.page
                .locator('.turn .prompt')
                .textContent()
                .then((text) => text?.trim()),
            '<img src=x onerror="window.__pwned=\'prompt\'">',
        );
        // Bare http(s) URLs inside the escaped HTML are linkified; they open only through the host, on click.
        const hrefs = await chat.page
            .locator('.reply a')
            .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
        assert.ok(hrefs.includes('https://example.com/ok'));
        for (const href of hrefs) assert.match(href ?? '', /^https?:\/\//);
        const posted = await poke(chat);
        assert.ok(posted.length > 0, 'the safe links were clicked');
        assertOnlyHttpOpenLinks(posted);
        await assertInert(chat, url);
    });

    void test('the same attacks streamed in small pieces stay inert', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const url = chat.page.url();
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        for (let i = 0; i < TEXT.length; i += 7) await chat.deliver(textDelta(turn.id, TEXT.slice(i, i + 7)));
        await chat.deliver({
            type: 'delta',
            conversationId: CONVERSATION_ID,
            turnId: turn.id,
            index: 1,
            kind: 'thinking',
            text: '<svg onload="window.__pwned=\'thinking\'"></svg> [x](javascript:window.__pwned=1)',
        });
        await assertInert(chat, url);
        assertOnlyHttpOpenLinks(await poke(chat));
        await assertInert(chat, url);
    });

    void test('hostile citations, sources and errors are shown as text', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const url = chat.page.url();
        const text = 'Cited <b>words</b> here.';
        const turn = makeTurn({
            status: 'failed',
            error: { code: 'bad_request', message: '<img src=x onerror="window.__pwned=\'error\'">' },
            attachments: [
                {
                    id: 'sel-1',
                    title: '<svg onload="window.__pwned=1">',
                    text: '<script>window.__pwned=2</script>',
                },
            ],
            reply: {
                content: [{ type: 'text', text }],
                citations: [
                    {
                        start: 0,
                        end: 12,
                        text: '<script>window.__pwned=3</script>',
                        sources: [
                            {
                                type: 'document',
                                id: 'doc:0',
                                document: {
                                    title: '<img src=x onerror="window.__pwned=4">',
                                    snippet: '<b onmouseover="window.__pwned=5">s</b>',
                                },
                            },
                            { type: 'document', id: 'sel-1' },
                            {
                                type: 'tool',
                                tool_output: { html: '<iframe src="javascript:window.__pwned=6">' },
                            },
                        ],
                    },
                ],
            },
        });
        await chat.deliver(
            stateMessage([turn], {
                history: [
                    {
                        id: CONVERSATION_ID,
                        title: '<img src=x onerror="window.__pwned=7">',
                        updatedAt: 0,
                        turnCount: 1,
                    },
                ],
            }),
        );
        await chat.page.locator('button.citation-marker').click();
        await chat.page.locator('[data-action="history"]').click();
        await assertInert(chat, url);
        assert.match((await chat.page.locator('.turn-error').textContent()) ?? '', /<img src=x onerror/);
        assert.equal(
            await chat.page.locator('.citation-sources .source-title').first().textContent(),
            '<img src=x onerror="window.__pwned=4">',
        );
        assert.equal(await chat.page.locator('#history img').count(), 0);
    });
});
