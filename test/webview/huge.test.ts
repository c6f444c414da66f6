// Huge content in real Chromium (issue 7): a table past the cap renders as text, and a 10 MB reply — opened
// from disk or streamed — shows all its text, renders what is near the view, and leaves the composer usable.
// No timings here (bench/huge-reply.ts measures them); these check what a person gets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageWindow } from './harness';

/** A table of `rows` rows and 4 columns (the header's cells count too). */
function table(rows: number): string {
    const lines = ['| id | name | value | note |', '| --- | --- | ---: | --- |'];
    for (let i = 0; i < rows; i++) lines.push(`| ${i} | row ${i} | ${i * 7} | cell-${i} |`);
    return lines.join('\n') + '\n';
}

/** Part `n` of the long reply: a heading, a paragraph, a list and a code block. */
function part(n: number): string {
    return [
        `## Part ${n}`,
        `Paragraph ${n} says something **bold** about item ${n}.`,
        `- first of ${n}\n- second of ${n}`,
        '```ts\nconst value' + String(n) + ' = ' + String(n) + ';\n```',
    ].join('\n\n');
}

/** About `bytes` characters of parts; returns the text and how many parts it has. */
function longReply(bytes: number): { text: string; parts: number } {
    const pieces: string[] = [];
    let length = 0;
    for (let n = 1; length < bytes; n++) {
        const piece = part(n);
        pieces.push(piece);
        length += piece.length + 2;
    }
    return { text: pieces.join('\n\n'), parts: pieces.length };
}

/** The highlighting cap of webview/codeBlocks.ts (MAX_HIGHLIGHT_CHARS), in characters of code. */
const HIGHLIGHT_CAP = 50_000;

/** A TypeScript code block of about `chars` characters of code: a keyword on every line. */
function codeBlock(chars: number): { markdown: string; lines: number } {
    const lines: string[] = [];
    for (let length = 0, n = 0; length < chars; n++) {
        const line = `const value${n} = ${n};`;
        lines.push(line);
        length += line.length + 1;
    }
    return { markdown: '```ts\n' + lines.join('\n') + '\n```\n', lines: lines.length };
}

async function replyText(chat: ChatPage): Promise<string> {
    return chat.page.locator('.reply .markdown').evaluate((node) => node.textContent ?? '');
}

/** Types into the composer and sends with Enter: the message goes to the host. */
async function assertComposerSends(chat: ChatPage, text: string): Promise<void> {
    await chat.takePosted();
    const input = chat.page.locator('textarea.prompt-input');
    await input.fill(text);
    assert.equal(await input.inputValue(), text);
    await input.press('Enter');
    const posted = await chat.takePosted();
    assert.ok(
        posted.some((message) => message.type === 'send' && message.text === text),
        JSON.stringify(posted),
    );
}

void describe('huge content', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('a table past 10,000 cells renders as its text; a smaller one stays a table', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        // 2,600 rows of 4 columns: 10,404 cells.
        const big = table(2600);
        await chat.deliver(stateMessage([makeTurn({ text: `Before.\n\n${big}\nAfter.` })]));
        const reply = chat.page.locator('.reply .markdown').first();
        assert.equal(await reply.locator('table').count(), 0);
        const code = await reply.locator('pre code').first().textContent();
        assert.ok(code?.startsWith('| id | name | value | note |\n'), code?.slice(0, 80));
        assert.ok(code?.includes('| 2599 | row 2599 | 18193 | cell-2599 |'));
        assert.equal(await reply.locator('p').first().textContent(), 'Before.');
        assert.equal(await reply.locator('p').last().textContent(), 'After.');

        // 2,400 rows: 9,604 cells, still a table.
        await chat.deliver(stateMessage([makeTurn({ text: table(2400) })]));
        assert.equal(await chat.page.locator('.reply table tbody tr').count(), 2400);
        assert.deepEqual(chat.errors, []);
    });

    void test('a code block past the highlighting cap shows all its code plain; one under it is highlighted', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const under = codeBlock(HIGHLIGHT_CAP - 2_000);
        const over = codeBlock(HIGHLIGHT_CAP + 2_000);
        const huge = codeBlock(1024 * 1024);
        await chat.deliver(
            stateMessage([
                makeTurn({ text: `Under:\n\n${under.markdown}` }),
                makeTurn({ text: `Over:\n\n${over.markdown}` }),
                makeTurn({ text: `Huge:\n\n${huge.markdown}` }),
            ]),
        );
        const block = (n: number) => chat.page.locator('.reply .markdown').nth(n).locator('pre code');
        // Each turn is brought into view first: a turn off screen renders when it is drawn.
        for (const [n, { lines }] of [under, over, huge].entries()) {
            await chat.page.locator('.turn').nth(n).scrollIntoViewIfNeeded();
            await block(n).waitFor();
            const code = (await block(n).textContent()) ?? '';
            assert.equal(
                code.split('\n').filter((line) => line.startsWith('const value')).length,
                lines,
                `block ${n}`,
            );
        }
        assert.equal(await block(0).locator('.hljs-keyword').count(), under.lines);
        assert.equal(await block(1).locator('[class^="hljs-"]').count(), 0);
        assert.equal(await block(2).locator('[class^="hljs-"]').count(), 0);
        assert.deepEqual(chat.errors, []);
    });

    void test('a table streamed past the cap turns into text, with every row', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const text = table(3000);
        const lines = text.split(/(?<=\n)/);
        for (let i = 0; i < lines.length; i += 250) {
            await chat.deliver(textDelta(turn.id, lines.slice(i, i + 250).join('')));
            if (i === 500) assert.equal(await chat.page.locator('.reply table').count(), 1);
        }
        assert.equal(await chat.page.locator('.reply table').count(), 0);
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: {
                ...turn,
                status: 'complete',
                reply: { content: [{ type: 'text', text }], citations: [] },
            },
        });
        assert.equal(await chat.page.locator('.reply table').count(), 0);
        const code = (await chat.page.locator('.reply pre code').textContent()) ?? '';
        assert.equal(code.split('\n').filter((line) => line.startsWith('| ')).length, 3002);
        assert.deepEqual(chat.errors, []);
    });

    void test('a 10 MB reply opened from disk: all its text is there, what is seen is rendered, the composer works', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const { text, parts } = longReply(10 * 1024 * 1024);
        await chat.deliver(stateMessage([makeTurn({ text })]));
        const reply = chat.page.locator('.reply .markdown');
        // The view opens at the end of the reply: the last part is rendered markdown.
        assert.equal(await reply.locator('h2', { hasText: `Part ${parts}` }).count(), 1);
        assert.equal(
            await reply
                .locator('h2')
                .filter({ hasText: /^Part 1$/ })
                .count(),
            0,
        );
        // Every part's words are in the page (the far ones as their plain text), in order.
        const shown = await replyText(chat);
        let at = 0;
        for (const n of [1, 2, Math.floor(parts / 2), parts - 1, parts]) {
            const found = shown.indexOf(`Paragraph ${n} says something`, at);
            assert.ok(found >= at, `part ${n}`);
            at = found;
        }
        // Only a small part is rendered as markdown: the rest waits as text.
        assert.ok((await reply.locator('h2').count()) < parts / 10);
        await assertComposerSends(chat, 'And now?');

        // Scrolled to the top, the first part renders (the frames after the scroll render what came near).
        await chat.page.locator('.messages').evaluate((node) => {
            node.scrollTop = 0;
        });
        await chat.page.waitForFunction(() =>
            Array.from(
                (globalThis as unknown as PageWindow).document.body.querySelectorAll('.reply .markdown h2'),
            ).some((heading) => heading.textContent === 'Part 1'),
        );
        assert.equal(await reply.locator('code', { hasText: 'const value1 = 1;' }).count(), 1);
        assert.deepEqual(chat.errors, []);
    });

    void test('a 10 MB reply streamed in bursts: the text is all there, the end is rendered, the composer works', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const { text, parts } = longReply(10 * 1024 * 1024);
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const burst = 512 * 1024;
        for (let i = 0; i < text.length; i += burst) {
            await chat.deliver(textDelta(turn.id, text.slice(i, i + burst)));
            if (i === 8 * burst) {
                // Mid-stream the composer takes a draft (Enter would queue it behind the reply).
                const input = chat.page.locator('textarea.prompt-input');
                await input.fill('typed while it streams');
                assert.equal(await input.inputValue(), 'typed while it streams');
                await input.fill('');
            }
        }
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: {
                ...turn,
                status: 'complete',
                finishReason: 'COMPLETE',
                reply: { content: [{ type: 'text', text }], citations: [] },
            },
        });
        const reply = chat.page.locator('.reply .markdown');
        await chat.page.waitForFunction(
            (last) =>
                Array.from(
                    (globalThis as unknown as PageWindow).document.body.querySelectorAll(
                        '.reply .markdown h2',
                    ),
                ).some((heading) => heading.textContent === last),
            `Part ${parts}`,
        );
        const shown = await replyText(chat);
        for (const n of [1, Math.floor(parts / 3), parts])
            assert.ok(shown.includes(`Paragraph ${n} says`), `part ${n}`);
        assert.ok((await reply.locator('h2').count()) < parts / 10);
        await assertComposerSends(chat, 'Thanks.');
        assert.deepEqual(chat.errors, []);
    });
});
