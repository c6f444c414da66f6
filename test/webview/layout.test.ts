// The layout rule at the widths the chat lives at (a narrow sidebar, the default sidebar, an editor tab):
// nothing is wider than the view, every action is reachable by Tab with a name, targets are at least
// 24×24 px, and the codicon font loads under the webview's CSP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Citation } from '../../src/cohere/types';
import type { HostToWebviewMessage } from '../../src/protocol';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage } from './harness';

const WIDTHS = [220, 300, 900];

/** The few DOM shapes the page functions below use (this folder is type-checked without the DOM library). */
interface ProbeNode {
    readonly tagName: string;
    readonly className: string;
    readonly dataset: Record<string, string | undefined>;
    readonly textContent: string | null;
    readonly scrollWidth: number;
    readonly clientWidth: number;
    readonly parentElement: ProbeNode | null;
    closest(selector: string): ProbeNode | null;
    matches(selector: string): boolean;
    getAttribute(name: string): string | null;
    getBoundingClientRect(): { left: number; right: number; width: number; height: number };
    getClientRects(): { length: number };
}
interface ProbeGlobal {
    readonly document: {
        readonly documentElement: ProbeNode;
        readonly activeElement: ProbeNode | null;
        querySelectorAll(selector: string): Iterable<ProbeNode>;
        readonly fonts: Iterable<{ family: string; status: string }> & {
            ready: Promise<unknown>;
            load(font: string): Promise<unknown>;
        };
    };
    getComputedStyle(node: unknown, pseudo?: string): { opacity: string; overflowY: string; content: string };
}

const LONG_WORD = 'Supercalifragilisticexpialidocious'.repeat(4);
const LONG_URL = `https://example.com/${'a-very-long-path-segment/'.repeat(8)}?query=${'x'.repeat(60)}`;
const REPLY = [
    `A long word ${LONG_WORD} and a link ${LONG_URL} in one paragraph.`,
    '',
    '```typescript',
    `const line = '${'a long line of code that does not wrap '.repeat(5)}';`,
    '```',
    '',
    '| a | b | c | d | e | f | g | h |',
    '|---|---|---|---|---|---|---|---|',
    `| ${'wide cell '.repeat(4)} | 2 | 3 | 4 | 5 | 6 | 7 | 8 |`,
].join('\n');

function citation(text: string, quote: string): Citation {
    const start = text.indexOf(quote);
    return {
        start,
        end: start + quote.length,
        text: quote,
        sources: [{ type: 'document', id: 'doc-1', document: { title: LONG_WORD, snippet: LONG_URL } }],
    };
}

/** A conversation in every state at once: selection prompt, citations, an error, MAX_TOKENS, stopped, streaming. */
function richState(): HostToWebviewMessage {
    const prompt = `Explain this:\n\n\`\`\`ts\n${'const x = 1; '.repeat(20)}\n\`\`\`\n\n${LONG_WORD}`;
    const history = Array.from({ length: 3 }, (_, i) => ({
        id: `conv-${i}`,
        title: `${LONG_WORD} ${i}`,
        updatedAt: 1_700_000_000_000 - i,
        turnCount: i + 1,
    }));
    return stateMessage(
        [
            makeTurn({
                prompt,
                request: { model: `command-${LONG_WORD}`, stream: true },
                reply: {
                    content: [{ type: 'text', text: REPLY }],
                    citations: [citation(REPLY, 'A long word')],
                },
                usage: { tokens: { input_tokens: 1234, output_tokens: 56 }, cached_tokens: 96 },
            }),
            makeTurn({
                text: 'Half',
                status: 'failed',
                error: { code: 'network', message: `connect ECONNREFUSED ${LONG_URL}` },
            }),
            makeTurn({ text: 'Cut', finishReason: 'MAX_TOKENS' }),
            makeTurn({ text: 'Stopped half way', status: 'stopped' }),
            makeTurn({ prompt: LONG_URL, text: REPLY }),
        ],
        {
            model: `command-${LONG_WORD}`,
            history,
            models: [{ name: `m-${LONG_WORD}`, contextLength: 128000 }],
        },
    );
}

/** Every element (outside code and tables, which scroll in their own box) that sticks out of the view. */
async function overflowing(chat: ChatPage): Promise<string[]> {
    return chat.page.evaluate(() => {
        const doc = (globalThis as unknown as ProbeGlobal).document;
        const view = doc.documentElement.clientWidth;
        const found: string[] = [];
        if (doc.documentElement.scrollWidth > view)
            found.push(`document ${doc.documentElement.scrollWidth} > ${view}`);
        for (const node of Array.from(doc.querySelectorAll('#app *'))) {
            if (node.closest('pre, table, [hidden]') !== null) continue;
            const rect = node.getBoundingClientRect();
            if (rect.width === 0 && rect.height === 0) continue;
            const name = `${node.tagName.toLowerCase()}.${node.className}`;
            if (rect.right > view + 0.5 || rect.left < -0.5)
                found.push(`${name} [${rect.left}, ${rect.right}]`);
        }
        for (const node of Array.from(
            doc.querySelectorAll('.turn, .request, .response, .reply, .prompt, .composer, #messages'),
        )) {
            if (node.scrollWidth > node.clientWidth)
                found.push(`${node.className}: scrollWidth ${node.scrollWidth} > ${node.clientWidth}`);
        }
        return found;
    });
}

async function openEverything(chat: ChatPage): Promise<void> {
    await chat.page.locator('button.citation-marker').first().click();
    // The history overlay lies over the chat, so the usage under it is opened first.
    await chat.page.locator('#totals summary').click();
    await chat.page.locator('.usage summary').first().click();
    await chat.page.locator('[data-action="history"]').click();
}

void describe('layout', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    for (const width of WIDTHS) {
        void test(`at ${width} px nothing is wider than the view, in any state`, async (t) => {
            const chat = await browser.open();
            t.after(() => chat.close());
            await chat.page.setViewportSize({ width, height: 700 });
            await chat.deliver(stateMessage([], { hasApiKey: false }));
            assert.deepEqual(await overflowing(chat), [], 'empty state');
            await chat.deliver(richState());
            assert.deepEqual(await overflowing(chat), [], 'a conversation in every state');
            await openEverything(chat);
            assert.deepEqual(await overflowing(chat), [], 'citation sources, history and usage open');
            await chat.page.locator('.turn [data-action="edit"]').first().click({ force: true });
            assert.deepEqual(await overflowing(chat), [], 'a message being edited');
            await chat.deliver({
                type: 'turnStarted',
                conversationId: CONVERSATION_ID,
                turn: streamingTurn({ prompt: LONG_WORD }),
            });
            await chat.page.locator('#prompt').fill(`${LONG_WORD}\n`.repeat(30));
            assert.deepEqual(await overflowing(chat), [], 'streaming, with a long draft');
            assert.deepEqual(chat.errors, []);
        });
    }

    void test('the input grows with its text up to a limit, then scrolls', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([]));
        const prompt = chat.page.locator('#prompt');
        const oneLine = (await prompt.boundingBox())?.height ?? 0;
        await prompt.fill('one\ntwo\nthree\nfour');
        const fourLines = (await prompt.boundingBox())?.height ?? 0;
        assert.ok(fourLines > oneLine * 2, `grows: ${oneLine} → ${fourLines}`);
        await prompt.fill('line\n'.repeat(200));
        const many = (await prompt.boundingBox())?.height ?? 0;
        assert.ok(many <= 700 * 0.4 + 1, `stops at 40% of the view: ${many}`);
        assert.equal(
            await prompt.evaluate(
                (node) => (globalThis as unknown as ProbeGlobal).getComputedStyle(node).overflowY,
            ),
            'auto',
        );
    });

    void test('every action is reachable by Tab and has a name; targets are at least 24×24 px', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.page.setViewportSize({ width: 300, height: 2000 });
        await chat.deliver(richState());
        await chat.page.locator('button.citation-marker').first().click();
        const controls = await chat.page.evaluate(() => {
            const doc = (globalThis as unknown as ProbeGlobal).document;
            return Array.from(doc.querySelectorAll('[data-action], button, select, textarea, summary'))
                .filter((node) => node.closest('[hidden]') === null && node.getClientRects().length > 0)
                .map((node, index) => {
                    node.dataset['tabProbe'] = String(index);
                    const rect = node.getBoundingClientRect();
                    const name =
                        node.getAttribute('aria-label') ??
                        node.getAttribute('title') ??
                        node.textContent ??
                        '';
                    return {
                        probe: String(index),
                        what: `${node.tagName.toLowerCase()}.${node.className}[${node.dataset['action'] ?? ''}]`,
                        name: name.trim(),
                        small:
                            node.matches('.icon-button, .citation-marker') &&
                            (rect.width < 24 || rect.height < 24),
                    };
                });
        });
        assert.ok(controls.length > 20, `found ${controls.length} controls`);
        assert.deepEqual(
            controls.filter((control) => control.name === '').map((control) => control.what),
            [],
            'every control has a name',
        );
        assert.deepEqual(
            controls.filter((control) => control.small).map((control) => control.what),
            [],
            'icon buttons and citation markers are at least 24×24 px',
        );
        await chat.page.locator('body').focus();
        const reached = new Set<string>();
        for (let i = 0; i < controls.length * 3 && reached.size < controls.length; i++) {
            await chat.page.keyboard.press('Tab');
            const probe = await chat.page.evaluate(() => {
                const doc = (globalThis as unknown as ProbeGlobal).document;
                return doc.activeElement?.dataset['tabProbe'];
            });
            if (probe !== undefined) reached.add(probe);
        }
        assert.deepEqual(
            controls.filter((control) => !reached.has(control.probe)).map((control) => control.what),
            [],
            'every control is reached by Tab',
        );
        // Actions shown on hover are shown on keyboard focus too.
        const copy = chat.page.locator('.response [data-action="copy-reply"]').first();
        await copy.focus();
        assert.equal(
            await copy.evaluate(
                (node) =>
                    (globalThis as unknown as ProbeGlobal).getComputedStyle(
                        (node as unknown as ProbeNode).parentElement,
                    ).opacity,
            ),
            '1',
        );
    });

    void test('the codicon font loads under the CSP and every icon has its glyph rule', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ text: '```js\nx\n```' })]));
        const status = await chat.page.evaluate(async () => {
            const doc = (globalThis as unknown as ProbeGlobal).document;
            await doc.fonts.ready;
            await doc.fonts.load('16px codicon');
            return Array.from(doc.fonts)
                .filter((face) => face.family.replace(/['"]/g, '') === 'codicon')
                .map((face) => face.status);
        });
        assert.deepEqual(status, ['loaded']);
        assert.deepEqual(await chat.violations(), []);
        assert.ok(browser.server.requests.includes('/dist/codicon.ttf'));
        const glyph = await chat.page
            .locator('.code-block [data-action="copy-code"] .codicon')
            .evaluate(
                (node) => (globalThis as unknown as ProbeGlobal).getComputedStyle(node, '::before').content,
            );
        assert.equal(glyph, '"\uebcc"');
        // style.css holds a glyph rule for every icon webview/icons.ts names, with the same code point.
        const root = join(__dirname, '../..');
        const icons = readFileSync(join(root, 'webview/icons.ts'), 'utf8');
        const css = readFileSync(join(root, 'webview/style.css'), 'utf8');
        const named = [...icons.matchAll(/^\s{4}(\w+): 0x([0-9a-f]+),$/gm)];
        assert.ok(named.length > 10);
        for (const [, name, point] of named) {
            assert.ok(
                css.includes(`.codicon-${name}::before {\n    content: '\\${point}';`),
                `${name} ${point}`,
            );
        }
    });
});
