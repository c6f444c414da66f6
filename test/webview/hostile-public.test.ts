// A public hostile corpus (issue 7): the 223 payloads of DOMPurify's own test fixtures (test/webview/corpus/,
// with their licence), and this project's vectors, through every string slot the host fills in the webview:
// the reply's text and thinking (finished, and streamed in pieces), citations and every field of their
// sources, the prompt, attachments, tool steps (plan, thinking, name, arguments, summary, results, change),
// the model names (turn, context, picker), usage and finish reason (strings where numbers belong, as a
// damaged file would have them), errors and retries, the history titles (list and updates), the chips and
// notes above the composer, the draft, and the strings table itself. Nothing may run (the page's
// `__pwned` trap, dialogs, errors), navigate, fetch, or leave a script, an event attribute, a frame, an
// image or a non-http(s) link in the DOM.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Turn } from '../../src/chat/model';
import type { Citation } from '../../src/cohere/types';
import { WEBVIEW_STRINGS } from '../../src/webviewStrings';
import { CONVERSATION_ID, makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, HostMessage, PageWindow } from './harness';

interface Vector {
    readonly title: string;
    readonly payload: string;
}

const PUBLIC: readonly Vector[] = JSON.parse(
    readFileSync(join(__dirname, 'corpus', 'dompurify-expect.json'), 'utf8'),
) as Vector[];

/** Ours: what a model, a server or a damaged file would try, each writing to the `__pwned` trap. */
const OWN: readonly string[] = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '<svg onload="window.__pwned=\'svg\'"><circle r="1"/></svg>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<a href="javascript:window.__pwned=1">a</a>',
    "[js link](javascript:window.__pwned='md-js')",
    "[entity js](&#106;avascript:window.__pwned='entity')",
    "<javascript:window.__pwned='autolink'>",
    '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)',
    '![img](javascript:window.__pwned=1)',
    '```"><img src=x onerror="window.__pwned=\'fence\'">\ncode\n```',
    '<details open ontoggle="window.__pwned=1">x</details>',
    '{0} {1} %s ${window.__pwned=1} {{constructor.constructor("window.__pwned=1")()}}',
    '\u2028\u2029\u0000<\u0000script>window.__pwned=1</script>',
];

const PAYLOADS: readonly string[] = [...PUBLIC.map((vector) => vector.payload), ...OWN];

/** Payloads per page: each gets a turn of its own, so a bad one is easy to find. */
const PER_PAGE = 16;

/** A finished turn with `payload` in every string field a turn has. */
function hostileTurn(payload: string, index: number): Turn {
    const text = `${payload}\n\ncited words here`;
    const citations: Citation[] = [
        {
            start: payload.length + 2,
            end: text.length,
            text: 'cited words here',
            sources: [
                {
                    type: 'document',
                    id: `doc-${index}`,
                    document: { id: payload, title: payload, snippet: payload, url: payload, text: payload },
                },
                { type: 'document', id: `sel-${index}` },
                { type: 'tool', id: payload, tool_output: { text: payload, [payload]: payload } },
            ],
        },
        { start: 0, end: payload.length, text: payload, sources: [{ type: 'document', id: payload }] },
    ];
    const hostileNumber = payload as unknown as number;
    return makeTurn({
        id: `turn-${index}`,
        prompt: payload,
        attachments: [
            { id: `sel-${index}`, title: payload, text: payload, uri: payload, languageId: payload },
        ],
        request: { model: payload, stream: true, safetyMode: payload },
        reply: {
            id: payload,
            content: [
                { type: 'thinking', thinking: payload },
                { type: 'text', text },
            ],
            citations,
            toolPlan: payload,
            toolCalls: [{ id: payload, type: 'function', function: { name: payload, arguments: payload } }],
        },
        steps: [
            {
                plan: payload,
                thinking: payload,
                calls: [
                    {
                        id: `call-${index}`,
                        name: payload,
                        arguments: payload,
                        status: 'done',
                        summary: payload,
                        documents: [
                            {
                                id: `call-${index}:0`,
                                data: { text: payload, [payload]: payload },
                                path: payload,
                            },
                        ],
                        truncated: true,
                        change: {
                            path: payload,
                            absolutePath: payload,
                            outcome: 'applied',
                            before: payload,
                            after: payload,
                        },
                    },
                ],
            },
        ],
        usage: {
            billed_units: { input_tokens: hostileNumber, output_tokens: 3 },
            tokens: { input_tokens: 5, output_tokens: hostileNumber },
            cached_tokens: hostileNumber,
        },
        finishReason: payload,
        status: index % 2 === 0 ? 'failed' : 'complete',
        error: { code: payload as never, message: payload, errorType: payload, status: 500 },
        endedAt: 1_700_000_000_500,
    });
}

/** Everything the host sends for one page of payloads, in the order a session would. */
function hostMessages(payloads: readonly string[]): HostMessage[] {
    const turns = payloads.map((payload, i) => hostileTurn(payload, i));
    const first = payloads[0] ?? '';
    const chip = (payload: string, i: number) => ({
        id: `chip-${i}`,
        label: payload,
        kind: 'file' as const,
        ...(i % 2 === 0 ? { refused: payload } : {}),
        detail: payload,
    });
    const live = makeTurn({
        id: 'live',
        prompt: first,
        status: 'streaming',
        request: { model: first, stream: true },
    });
    const messages: HostMessage[] = [
        {
            ...stateMessage(turns, {
                model: first,
                models: payloads.map((name) => ({ name, contextLength: 1000 })),
                history: payloads.map((title, i) => ({
                    id: `h-${i}`,
                    title,
                    updatedAt: 1_700_000_000_000 - i,
                    turnCount: 1,
                })),
            }),
            draft: first,
        } as HostMessage,
        {
            type: 'attachments',
            conversationId: CONVERSATION_ID,
            pending: payloads.map(chip),
            carried: payloads.map((payload, i) => chip(payload, i + payloads.length)),
            notes: [...payloads],
        },
        {
            type: 'historyChanged',
            changes: payloads.map((title, i) => ({
                kind: 'upsert' as const,
                summary: { id: `h-new-${i}`, title, updatedAt: 1_800_000_000_000 + i, turnCount: 2 },
            })),
        },
        { type: 'turnStarted', conversationId: CONVERSATION_ID, turn: live },
        {
            type: 'turnRetrying',
            conversationId: CONVERSATION_ID,
            turnId: 'live',
            attempt: 2,
            delayMs: 60_000,
            reason: { code: first as never, message: first },
        },
    ];
    for (const payload of payloads) {
        for (let i = 0; i < payload.length; i += 5) {
            const piece = payload.slice(i, i + 5);
            messages.push({
                type: 'delta',
                conversationId: CONVERSATION_ID,
                turnId: 'live',
                index: 0,
                kind: 'thinking',
                text: piece,
            });
            messages.push({
                type: 'delta',
                conversationId: CONVERSATION_ID,
                turnId: 'live',
                index: 1,
                kind: 'text',
                text: piece,
            });
        }
        messages.push(
            {
                type: 'delta',
                conversationId: CONVERSATION_ID,
                turnId: 'live',
                index: 1,
                kind: 'text',
                text: '\n\n',
            },
            {
                type: 'citation',
                conversationId: CONVERSATION_ID,
                turnId: 'live',
                citation: {
                    start: 0,
                    end: 1,
                    text: payload,
                    sources: [
                        {
                            type: 'document',
                            id: payload,
                            document: { title: payload, snippet: payload, url: payload },
                        },
                    ],
                },
            },
        );
    }
    return messages;
}

/** Asserts that nothing ran, navigated or fetched, and that the whole page holds no active content. */
async function assertInert(chat: ChatPage, url: string, label: string): Promise<void> {
    assert.equal(
        await chat.page.evaluate(() => (globalThis as unknown as PageWindow).__pwned),
        undefined,
        label,
    );
    assert.deepEqual(chat.dialogs, [], label);
    assert.deepEqual(chat.errors, [], label);
    assert.equal(chat.page.url(), url, label);
    assert.deepEqual(
        chat.requests.filter((request) => !request.startsWith(`${chat.origin}/`)),
        [],
        label,
    );
    assert.deepEqual(await chat.violations(), [], label);
    const active = await chat.page.locator('body').evaluate((body) => {
        const found: string[] = [];
        const forbidden = new Set([
            'script',
            'iframe',
            'frame',
            'object',
            'embed',
            'svg',
            'math',
            'img',
            'image',
            'picture',
            'video',
            'audio',
            'source',
            'style',
            'link',
            'meta',
            'base',
            'form',
            'template',
            'portal',
            'applet',
            'noscript',
        ]);
        for (const node of body.querySelectorAll('*')) {
            const tag = node.tagName.toLowerCase();
            // The page's own scripts carry the CSP nonce; nothing the webview renders can.
            if (forbidden.has(tag) && !(tag === 'script' && node.hasAttribute('nonce'))) found.push(tag);
            if (
                tag === 'input' &&
                !['history-search', 'rename-input'].some((name) => node.classList.contains(name))
            )
                found.push('input');
            for (const attribute of node.attributes) {
                const name = attribute.name.toLowerCase();
                if (name.startsWith('on')) found.push(`${tag}[${name}]`);
                // Our own inline sizes: the composer grows with its text, the meter shows the context used.
                if (name === 'style' && !node.classList.contains('meter-bar') && tag !== 'textarea')
                    found.push(`${tag}[style]`);
                if (
                    [
                        'href',
                        'src',
                        'action',
                        'formaction',
                        'srcdoc',
                        'xlink:href',
                        'data',
                        'poster',
                        'background',
                    ].includes(name) &&
                    !(tag === 'script' && node.hasAttribute('nonce')) &&
                    !/^(?:https?:|mailto:)/i.test(attribute.value)
                )
                    found.push(`${tag}[${name}=${attribute.value.slice(0, 60)}]`);
            }
        }
        return found;
    });
    assert.deepEqual(active, [], label);
}

/** Renders what waits off screen, opens every citation's sources, the usage and the history. */
async function showEverything(chat: ChatPage): Promise<void> {
    // A turn off screen renders when the browser starts drawing it, or at idle time — which pauses while a
    // reply streams, as one of these may never finish: bring each turn into view, as a reader scrolling would.
    const turns = chat.page.locator('.turn');
    const turnCount = await turns.count();
    for (let i = 0; i < turnCount; i++) await turns.nth(i).scrollIntoViewIfNeeded();
    await chat.page.waitForFunction(() => {
        const waiting = (globalThis as unknown as PageWindow).document.body.querySelectorAll(
            '[class*="height-estimate-"]',
        );
        return Array.from(waiting).length === 0;
    });
    const markers = chat.page.locator('button.citation-marker');
    const count = await markers.count();
    for (let i = 0; i < count; i++) {
        const marker = markers.nth(i);
        await marker.scrollIntoViewIfNeeded();
        await marker.click();
    }
    await chat.page.locator('details.usage > summary, details.totals > summary').evaluateAll((summaries) => {
        for (const summary of summaries) (summary as unknown as { click(): void }).click();
    });
    await chat.page.locator('[data-action="history"]').first().click();
}

void describe('a public hostile corpus in every string the host fills', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test(`the corpus holds DOMPurify's ${PUBLIC.length} fixture payloads`, () => {
        assert.equal(PUBLIC.length, 223);
        assert.ok(PUBLIC.every((vector) => typeof vector.payload === 'string' && vector.payload !== ''));
    });

    for (let from = 0; from < PAYLOADS.length; from += PER_PAGE) {
        const payloads = PAYLOADS.slice(from, from + PER_PAGE);
        const label = `payloads ${from + 1}-${from + payloads.length} of ${PAYLOADS.length}`;
        void test(`${label}: nothing runs, navigates or fetches, and the DOM holds nothing active`, async (t) => {
            const chat = await browser.open();
            t.after(() => chat.close());
            const url = chat.page.url();
            await chat.deliver(...hostMessages(payloads));
            await assertInert(chat, url, `${label}, delivered`);
            await showEverything(chat);
            await assertInert(chat, url, `${label}, everything shown`);
            // The words are shown as text: the first payload is the prompt of the first turn, verbatim.
            const prompt = await chat.page.locator('.turn .prompt').first().textContent();
            assert.ok(prompt !== null && prompt.trim() !== '', label);
        });
    }

    void test('every entry of the strings table, set to a payload, is shown as text', async (t) => {
        // The table travels in the page's URL here (as the host writes it into the page): a few keys a
        // page and payloads short enough to fit, until every key has had one.
        const keys = Object.keys(WEBVIEW_STRINGS);
        const short = PAYLOADS.filter((payload) => payload.length <= 80);
        const perPage = 30;
        for (let from = 0; from < keys.length; from += perPage) {
            const strings = Object.fromEntries(
                keys
                    .slice(from, from + perPage)
                    .map((key, i) => [key, short[(from + i) % short.length] ?? '']),
            );
            const chat = await browser.open({ strings });
            t.after(() => chat.close());
            const url = chat.page.url();
            await chat.deliver(...hostMessages(short.slice(from % short.length, (from % short.length) + 3)));
            await showEverything(chat);
            await assertInert(chat, url, `strings table, keys ${from + 1}-${from + perPage}`);
        }
    });
});
