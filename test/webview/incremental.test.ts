// The open block renders incrementally — a table adds rows, a list adds items, code adds lines in chunks —
// and what the reader sees at every frame is what rendering the whole text so far gives. One page streams
// the text in uneven deltas (with citations arriving along the way); after every frame a second page renders
// the same text whole, from a `state`, and the two DOMs are compared.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Citation } from '../../src/cohere/types';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement } from './harness';

/** Deltas of 1 to 41 characters, the same every run. */
function cut(text: string, seed: number): string[] {
    const deltas: string[] = [];
    let state = seed;
    for (let i = 0; i < text.length;) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const size = 1 + (state % 41);
        deltas.push(text.slice(i, i + size));
        i += size;
    }
    return deltas;
}

/**
 * The reply's rendered markdown, without the block wrappers. With `flattenCode`, code is reduced to its
 * text: streamed code is shown plain and highlighted once its fence closes, which the final check covers.
 */
async function replyHtml(chat: ChatPage, turnId: string, flattenCode: boolean): Promise<string> {
    return chat.page.locator(`.turn[data-turn-id="${turnId}"] .reply .markdown`).evaluate((root, flatten) => {
        const copy = (root as unknown as PageElement).cloneNode(true) as unknown as {
            querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
            innerHTML: string;
        };
        if (flatten) {
            for (const code of copy.querySelectorAll('pre > code')) {
                const plain = code.textContent;
                code.textContent = plain;
            }
        }
        return copy.innerHTML.replace(/<\/?div class="md-block">|<\/div>/g, '');
    }, flattenCode);
}

interface Case {
    readonly name: string;
    readonly text: string;
    /** Citations, each delivered once the stream has passed its end. */
    readonly citations?: readonly Citation[];
    /** A selector for a node rendered early that must keep its DOM while the block grows. */
    readonly kept?: string;
    /** Where that block ends (once closed it is rendered whole once); the end of the text by default. */
    readonly keptUntil?: number;
}

const rows = Array.from({ length: 40 }, (_, i) => `| ${i} | name **${i}** | \`v${i}\` |`).join('\n');
const table = `| id | name | value |\n| :-- | --- | --: |\n${rows}\n`;
const code = Array.from({ length: 150 }, (_, i) => `    const v${i} = compute(${i}); // line ${i}`).join(
    '\n',
);

const CASES: readonly Case[] = [
    {
        name: 'a table',
        text: `${table}\nAfter the table.\n`,
        citations: [
            { start: table.indexOf('name **3**'), end: table.indexOf('name **3**') + 10, sources: [] },
        ],
        kept: 'tbody > tr',
        keptUntil: table.length,
    },
    {
        name: 'a table ended by a quote line',
        text: `| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n> quoted\n| 5 | 6 |\n`,
    },
    {
        name: 'a tight list with nesting, code and a lazy line',
        text: Array.from(
            { length: 30 },
            (_, i) =>
                `- item ${i} with \`code\`${i % 5 === 0 ? `\n  - nested ${i}\n  - nested too` : ''}${i % 7 === 0 ? '\nlazy continuation' : ''}`,
        ).join('\n'),
        kept: 'ul > li',
    },
    {
        name: 'an ordered loose list',
        text: Array.from({ length: 25 }, (_, i) => `${i + 1}. step ${i}\n\n   more about ${i}`).join('\n\n'),
        kept: 'ol > li',
    },
    {
        name: 'a list that turns loose, then changes marker',
        text: `- a\n- b\n- c\n\n- d\n- e\n* f\n* g\n`,
    },
    {
        name: 'a code block longer than a chunk',
        text: `Here:\n\n\`\`\`typescript\n${code}\n\`\`\`\n\nDone.`,
    },
    {
        name: 'paragraphs, a blockquote with a list, headings and citations',
        text: [
            '# Title',
            'A long paragraph that goes on and on, with **bold**, _emphasis_ and a link https://example.com/x.',
            '> A quote\n> that spans lines\n> - with a list\n> - inside it',
            '## Section',
            'Another paragraph cites this sentence here.',
            '1. one\n2. two\n   ```js\n   nested(code);\n   ```\n3. three',
        ].join('\n\n'),
        citations: [
            { start: 10, end: 30, sources: [] },
            { start: 200, end: 230, sources: [] },
        ],
    },
];

void describe('incremental rendering of the open block', () => {
    // Two browsers: a page that is not in front gets no animation frames, so each page has its own.
    let browser: Browser;
    let referenceBrowser: Browser;
    before(async () => {
        browser = await launch();
        referenceBrowser = await launch();
    });
    after(async () => {
        await browser.close();
        await referenceBrowser.close();
    });

    for (const item of CASES) {
        void test(`${item.name}: every frame equals a whole render, and the end is identical`, async (t) => {
            const streamed = await browser.open();
            const whole = await referenceBrowser.open();
            t.after(async () => {
                await streamed.close();
                await whole.close();
            });
            const turn = streamingTurn();
            await streamed.deliver(stateMessage([]), {
                type: 'turnStarted',
                conversationId: CONVERSATION_ID,
                turn,
            });
            const citations = item.citations ?? [];
            const delivered: Citation[] = [];
            let text = '';
            let marked = false;
            let keptChecks = 0;
            const isKept = (): Promise<boolean> =>
                streamed.page
                    .locator(`${item.kept} >> nth=0`)
                    .evaluate((node) => (node as unknown as PageElement).__kept === true);
            let frame = 0;
            for (const delta of cut(item.text, item.name.length)) {
                text += delta;
                const due = citations.filter(
                    (citation) => !delivered.includes(citation) && (citation.end ?? 0) <= text.length,
                );
                delivered.push(...due);
                await streamed.deliver(
                    textDelta(turn.id, delta),
                    ...due.map((citation) => ({
                        type: 'citation' as const,
                        conversationId: CONVERSATION_ID,
                        turnId: turn.id,
                        citation,
                    })),
                );
                frame++;
                // Every frame early on, then every fourth: the page pair costs a few frames per check.
                if (frame > 12 && frame % 4 !== 0) continue;
                const reference = makeTurn({ text });
                reference.reply.citations.push(...delivered);
                await whole.deliver(stateMessage([reference]));
                assert.equal(
                    await replyHtml(streamed, turn.id, true),
                    await replyHtml(whole, reference.id, true),
                    `after ${text.length} characters`,
                );
                if (marked && text.length <= (item.keptUntil ?? Infinity)) {
                    assert.equal(await isKept(), true, `the first row or item kept its DOM (${text.length})`);
                    keptChecks++;
                }
                // A citation on the open block renders it whole once: mark a node once they are all in.
                const allCited = delivered.length === citations.length;
                if (
                    item.kept !== undefined &&
                    !marked &&
                    allCited &&
                    (await streamed.page.locator(item.kept).count()) > 2
                ) {
                    await streamed.page.locator(`${item.kept} >> nth=0`).evaluate((node) => {
                        (node as unknown as PageElement).__kept = true;
                    });
                    marked = true;
                }
            }
            if (item.kept !== undefined) assert.ok(keptChecks > 3, `${keptChecks} checks`);
            const ended = {
                ...turn,
                status: 'complete' as const,
                reply: { content: [{ type: 'text' as const, text: item.text }], citations: [...delivered] },
            };
            await streamed.deliver({ type: 'turnEnded', conversationId: CONVERSATION_ID, turn: ended });
            const reference = makeTurn({ text: item.text });
            reference.reply.citations.push(...delivered);
            await whole.deliver(stateMessage([reference]));
            assert.equal(
                await replyHtml(streamed, turn.id, false),
                await replyHtml(whole, reference.id, false),
                'the final render is identical, highlighting included',
            );
            assert.deepEqual(streamed.errors, []);
        });
    }

    void test('a table streamed past the cell cap grows as text: its block is kept, every frame reads as a whole render', async (t) => {
        const streamed = await browser.open();
        const whole = await referenceBrowser.open();
        t.after(async () => {
            await streamed.close();
            await whole.close();
        });
        // 3,000 rows of 4 cells: past the 10,000-cell cap (webview/tableCap.ts) at row 2,500.
        const lines = ['| id | name | value | note |\n', '| --- | --- | ---: | --- |\n'];
        for (let i = 0; i < 3000; i++) lines.push(`| ${i} | row ${i} | ${i * 7} | cell-${i} |\n`);
        const text = lines.join('') + '\nAfter.\n';
        const turn = streamingTurn();
        await streamed.deliver(stateMessage([]), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        const codeBlock = streamed.page.locator('.reply .markdown .code-block');
        const isKept = (): Promise<boolean> =>
            codeBlock.evaluate((node) => (node as unknown as PageElement).__kept === true);
        let sent = 0;
        let keptChecks = 0;
        const send = async (upTo: number): Promise<void> => {
            await streamed.deliver(textDelta(turn.id, text.slice(sent, upTo)));
            sent = upTo;
        };
        for (let row = 100; row <= 3000; row += 100) {
            // Whole lines, so that what the view shows can be compared with a whole render of the same text.
            await send(lines.slice(0, row + 2).join('').length);
            const reference = makeTurn({ text: text.slice(0, sent) });
            await whole.deliver(stateMessage([reference]));
            const shown = await replyHtml(streamed, turn.id, true);
            assert.equal(shown, await replyHtml(whole, reference.id, true), `after ${row} rows`);
            if (row < 2500) {
                assert.equal(await codeBlock.count(), 0, `still a table at ${row} rows`);
                continue;
            }
            if (keptChecks > 0)
                assert.equal(await isKept(), true, `the text block kept its DOM at ${row} rows`);
            await codeBlock.evaluate((node) => {
                (node as unknown as PageElement).__kept = true;
            });
            keptChecks++;
            if (row === 2800) {
                // Half a row: held back until it is complete, then shown once.
                const half = sent + 8;
                await send(half);
                assert.equal(await isKept(), true, 'kept through half a row');
                const code = await codeBlock.locator('pre code').textContent();
                assert.ok(code?.endsWith('| 2799 | row 2799 | 19593 | cell-2799 |\n'), code?.slice(-60));
            }
        }
        assert.ok(keptChecks >= 5, `${keptChecks} checks`);
        await send(text.length);
        const ended = {
            ...turn,
            status: 'complete' as const,
            reply: { content: [{ type: 'text' as const, text }], citations: [] },
        };
        await streamed.deliver({ type: 'turnEnded', conversationId: CONVERSATION_ID, turn: ended });
        const reference = makeTurn({ text });
        await whole.deliver(stateMessage([reference]));
        assert.equal(
            await replyHtml(streamed, turn.id, false),
            await replyHtml(whole, reference.id, false),
            'the final render is identical',
        );
        assert.deepEqual(streamed.errors, []);
    });

    void test('streamed code is laid out in chunks of lines, and Copy still gives the whole code', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        // A whole render at 100 lines; the block renders whole again once it has doubled, so 90 more stream in.
        const first = Array.from({ length: 100 }, (_, i) => `const first${i} = ${i};\n`).join('');
        await chat.deliver(textDelta(turn.id, '```typescript\n' + first));
        for (let i = 0; i < 90; i += 10) {
            const lines = Array.from({ length: 10 }, (_, j) => `const v${i + j} = ${i + j};\n`).join('');
            await chat.deliver(textDelta(turn.id, lines));
        }
        const chunks = await chat.page.locator('.code-block code > .code-chunk').count();
        assert.ok(chunks >= 2, `${chunks} chunks`);
        await chat.takePosted();
        await chat.page.locator('.code-block [data-action="copy-code"]').click();
        const posted = await chat.takePosted();
        const expected = [
            ...Array.from({ length: 100 }, (_, i) => `const first${i} = ${i};`),
            ...Array.from({ length: 90 }, (_, i) => `const v${i} = ${i};`),
        ];
        assert.deepEqual(posted, [{ type: 'copyCode', code: expected.join('\n') }]);
    });
});
