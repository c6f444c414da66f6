// Citations on the exact cited words (plain, bold, list, across a link; streamed or at the end), their
// markers, the sources they open, and a selection source that leads back to the editor.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Citation } from '../../src/cohere/types';
import type { HostToWebviewMessage } from '../../src/protocol';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement } from './harness';

const TEXT =
    'Emperor penguins are **the tallest** birds.\n\n' +
    '- They live in *Antarctica* only\n- Second item\n\n' +
    'See [the penguin page](https://example.com/p) for more.';

/** A citation of `quote` (the `occurrence`-th match) in `text`, with one document source. */
function cite(text: string, quote: string, title: string, occurrence = 0): Citation {
    let start = -1;
    for (let i = 0; i <= occurrence; i++) start = text.indexOf(quote, start + 1);
    assert.ok(start >= 0, `${quote} is in the text`);
    return {
        start,
        end: start + quote.length,
        text: quote,
        sources: [
            {
                type: 'document',
                id: `doc:${title}`,
                document: { id: `doc:${title}`, title, snippet: `About ${title}.` },
            },
        ],
        content_index: 0,
        type: 'TEXT_CONTENT',
    };
}

/** The text of every mark of citation `n`, joined. */
async function markedText(chat: ChatPage, n: number): Promise<string> {
    return chat.page
        .locator(`mark.citation[data-citation="${n}"]`)
        .evaluateAll((marks) => marks.map((mark) => mark.textContent).join(''));
}

void describe('citations', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('each cited span is highlighted exactly, in plain text, bold, a list item and across a link', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const citations = [
            cite(TEXT, 'Emperor penguins', 'Tall penguins'),
            cite(TEXT, 'the tallest', 'Heights'),
            cite(TEXT, 'live in *Antarctica* only', 'Habitat'),
            cite(TEXT, 'See [the penguin', 'Pages'),
        ];
        await chat.deliver(
            stateMessage([
                makeTurn({ text: TEXT, reply: { content: [{ type: 'text', text: TEXT }], citations } }),
            ]),
        );
        assert.equal(await markedText(chat, 1), 'Emperor penguins');
        assert.equal(await markedText(chat, 2), 'the tallest');
        assert.equal(await chat.page.locator('strong mark.citation[data-citation="2"]').count(), 1);
        assert.equal(await markedText(chat, 3), 'live in Antarctica only');
        assert.equal((await chat.page.locator('li mark.citation[data-citation="3"]').count()) >= 2, true);
        assert.equal(
            await chat.page.locator('em mark.citation[data-citation="3"]').textContent(),
            'Antarctica',
        );
        assert.equal(await markedText(chat, 4), 'See the penguin');
        assert.equal(
            await chat.page.locator('a mark.citation[data-citation="4"]').textContent(),
            'the penguin',
        );
        // The rendered words are unchanged, apart from the markers' numbers.
        const words = await chat.page.locator('.reply .markdown').evaluate((root) => {
            const copy = (root as unknown as PageElement).cloneNode(true);
            for (const marker of copy.querySelectorAll('.citation-marker')) marker.remove();
            return copy.textContent?.replace(/\s+/g, ' ').trim();
        });
        assert.equal(
            words,
            'Emperor penguins are the tallest birds. They live in Antarctica only Second item See the penguin page for more.',
        );
        for (const n of [1, 2, 3, 4]) {
            const marker = chat.page.locator(`button.citation-marker[data-citation="${n}"]`);
            assert.equal(await marker.count(), 1);
            assert.equal(await marker.textContent(), String(n));
            assert.equal(await marker.getAttribute('aria-label'), `Citation ${n}`);
        }
        // A marker never sits inside a link, where a click would also open the link.
        assert.equal(await chat.page.locator('a .citation-marker').count(), 0);
        assert.equal(
            await chat.page
                .locator('.reply .markdown')
                .evaluate((root) => /[\ue000-\uefff]/.test(root.innerHTML)),
            false,
        );
    });

    void test('citations that arrive during the stream and at its end are both drawn', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const text = 'Emperor penguins are the tallest.\n\nThey only live in Antarctica.';
        const early = cite(text, 'Emperor penguins', 'Tall penguins');
        await chat.deliver(textDelta(turn.id, text.slice(0, 20)));
        await chat.deliver({
            type: 'citation',
            conversationId: CONVERSATION_ID,
            turnId: turn.id,
            citation: early,
        });
        assert.equal(await markedText(chat, 1), 'Emperor penguins');
        await chat.deliver(textDelta(turn.id, text.slice(20)));
        assert.equal(await markedText(chat, 1), 'Emperor penguins', 'the span survives more text');
        const late = cite(text, 'only live in Antarctica', 'Habitat');
        const ended = {
            ...turn,
            status: 'complete' as const,
            reply: { content: [{ type: 'text' as const, text }], citations: [early, late] },
        };
        await chat.deliver({ type: 'turnEnded', conversationId: CONVERSATION_ID, turn: ended });
        assert.equal(await markedText(chat, 1), 'Emperor penguins');
        assert.equal(await markedText(chat, 2), 'only live in Antarctica');
        assert.equal(await chat.page.locator('.citation-marker').count(), 2);
    });

    void test('citations streamed across many blocks draw as the finished reply does; blocks they miss keep their DOM', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const paragraphs = Array.from({ length: 6 }, (_, k) => `Paragraph ${k} says fact ${k}.`);
        const text = paragraphs.join('\n\n');
        const inSealed = cite(text, 'says fact 1', 'One');
        const acrossBlocks = cite(text, 'fact 2.\n\nParagraph 3', 'Two and three');
        const inTail = cite(text, 'Paragraph 4 says', 'Four');
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        const cited = (citation: Citation): HostToWebviewMessage => ({
            type: 'citation',
            conversationId: CONVERSATION_ID,
            turnId: turn.id,
            citation,
        });
        const reply = `.turn[data-turn-id="${turn.id}"] .reply .markdown`;
        // Paragraphs 0-2 are finished blocks, paragraph 3 is the open tail.
        const tailStart = text.indexOf('Paragraph 4') - 2;
        await chat.deliver(textDelta(turn.id, text.slice(0, text.indexOf('Paragraph 3') + 5)));
        await chat.page.locator(`${reply} p >> nth=0`).evaluate((node) => {
            (node as unknown as PageElement).__kept = true;
        });
        await chat.deliver(cited(inSealed), cited(acrossBlocks));
        await chat.deliver(textDelta(turn.id, text.slice(text.indexOf('Paragraph 3') + 5, tailStart)));
        // Paragraph 4 arrives and is cited while it is the open tail, then the next block seals it.
        await chat.deliver(textDelta(turn.id, text.slice(tailStart, text.indexOf('Paragraph 5'))));
        await chat.deliver(cited(inTail));
        await chat.deliver(textDelta(turn.id, text.slice(text.indexOf('Paragraph 5'))));
        assert.equal(await markedText(chat, 1), 'says fact 1');
        assert.equal(await markedText(chat, 2), 'fact 2.Paragraph 3');
        assert.equal(await markedText(chat, 3), 'Paragraph 4 says');
        assert.equal(
            await chat.page
                .locator(`${reply} p >> nth=0`)
                .evaluate((node) => (node as unknown as PageElement).__kept === true),
            true,
            'the uncited first paragraph was not rendered again',
        );
        const html = (turnId: string): Promise<string> =>
            chat.page
                .locator(`.turn[data-turn-id="${turnId}"] .reply .markdown`)
                .evaluate((root) => root.innerHTML.replace(/<\/?div[^>]*>/g, ''));
        const streamed = await html(turn.id);
        const whole = makeTurn({ text });
        whole.reply.citations.push(inSealed, acrossBlocks, inTail);
        await chat.deliver(stateMessage([whole]));
        assert.equal(streamed, await html(whole.id), 'the same HTML as the reply rendered in one go');
    });

    void test('a citation after a thinking block is drawn in the text block it names', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text = 'Penguins cannot fly.';
        const citation = { ...cite(text, 'cannot fly', 'Flight'), content_index: 1 };
        const turn = makeTurn({
            reply: {
                content: [
                    { type: 'thinking', thinking: 'Recall the facts.' },
                    { type: 'text', text },
                ],
                citations: [citation],
            },
        });
        await chat.deliver(stateMessage([turn]));
        assert.equal(await markedText(chat, 1), 'cannot fly');
        assert.equal(await chat.page.locator('.reply .markdown mark.citation').count(), 1);
    });

    void test('the marker opens and closes its sources, by click or by Enter', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const citations = [
            cite(TEXT, 'Emperor penguins', 'Tall penguins'),
            cite(TEXT, 'the tallest', 'Heights'),
        ];
        await chat.deliver(
            stateMessage([makeTurn({ reply: { content: [{ type: 'text', text: TEXT }], citations } })]),
        );
        const marker1 = chat.page.locator('button.citation-marker[data-citation="1"]');
        await marker1.click();
        const sources1 = chat.page.locator('.citation-sources[data-citation="1"]');
        assert.equal(await sources1.locator('.source .source-title').textContent(), 'Tall penguins');
        assert.equal(await sources1.locator('.source .source-snippet').textContent(), 'About Tall penguins.');
        assert.equal(await marker1.getAttribute('aria-expanded'), 'true');
        await chat.page.locator('button.citation-marker[data-citation="2"]').focus();
        await chat.page.keyboard.press('Enter');
        assert.equal(
            await chat.page.locator('.citation-sources[data-citation="2"] .source-title').textContent(),
            'Heights',
        );
        assert.equal(await sources1.count(), 0);
        await chat.page.keyboard.press('Enter');
        assert.equal(await chat.page.locator('.citation-sources').count(), 0);
    });

    void test('sources opened at the bottom edge of the view scroll into view', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const filler = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} fills the reply.`);
        const text = [...filler.slice(0, 20), 'Penguins are cited here.', ...filler.slice(20)].join('\n\n');
        const citation = cite(text, 'Penguins are cited', 'Penguins');
        citation.sources = ['One', 'Two', 'Three', 'Four', 'Five'].map((title) => ({
            type: 'document' as const,
            id: `doc:${title}`,
            document: { id: `doc:${title}`, title, snippet: `About ${title}, at some length.` },
        }));
        await chat.deliver(
            stateMessage([makeTurn({ reply: { content: [{ type: 'text', text }], citations: [citation] } })]),
        );
        const marker = chat.page.locator('button.citation-marker[data-citation="1"]');
        // The marker sits on the last line the view shows; the reply goes on below the fold.
        await marker.evaluate((node) => {
            (node as unknown as { scrollIntoView(options: unknown): void }).scrollIntoView({ block: 'end' });
        });
        await marker.click();
        const panel = chat.page.locator('.citation-sources[data-citation="1"]');
        await panel.waitFor();
        // Scrolling is smooth in some setups: wait until the panel's bottom is inside the view.
        await chat.page.waitForFunction(() => {
            type Boxed = { getBoundingClientRect(): { bottom: number } };
            const doc = (globalThis as unknown as { document: { querySelector(s: string): Boxed | null } })
                .document;
            const box = doc.querySelector('.citation-sources')?.getBoundingClientRect();
            const view = doc.querySelector('.messages')?.getBoundingClientRect();
            return box !== undefined && view !== undefined && box.bottom <= view.bottom + 1;
        });
    });

    void test('a source that is an attached selection is a button that posts revealSource', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text = 'The function adds two numbers.';
        const citation: Citation = {
            start: 4,
            end: 12,
            text: 'function',
            sources: [{ type: 'document', id: 'sel-1', document: { id: 'sel-1', snippet: 'function add' } }],
        };
        const turn = makeTurn({
            attachments: [
                {
                    id: 'sel-1',
                    title: 'src/math.ts:3-5',
                    text: 'function add(a, b) {\n  return a + b;\n}',
                    startLine: 3,
                    endLine: 5,
                },
            ],
            reply: { content: [{ type: 'text', text }], citations: [citation] },
        });
        await chat.deliver(stateMessage([turn]));
        await chat.page.locator('button.citation-marker[data-citation="1"]').click();
        const source = chat.page.locator('.citation-sources button.source[data-document-id="sel-1"]');
        assert.equal(await source.locator('.source-title').textContent(), 'src/math.ts:3-5');
        await chat.takePosted();
        await source.click();
        assert.deepEqual(await chat.takePosted(), [
            // The cited words go along, so the host can select just their lines.
            {
                type: 'revealSource',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                documentId: 'sel-1',
                citedText: 'function',
            },
        ]);
    });

    void test('spans whose ends land in code or in a URL still render the text and its link', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text =
            'Run `npm install cohere` now, then read https://docs.cohere.com/docs today.\n\n```sh\nnpm test\n```\n';
        const citations = [
            cite(text, 'install cohere` now', 'Install'),
            cite(text, 'cohere.com/docs to', 'Docs'),
            cite(text, 'm test', 'Tests'),
        ];
        await chat.deliver(
            stateMessage([makeTurn({ reply: { content: [{ type: 'text', text }], citations } })]),
        );
        const reply = chat.page.locator('.reply .markdown');
        assert.equal(await reply.locator('p > code').textContent(), 'npm install cohere');
        assert.equal(await reply.locator('a').getAttribute('href'), 'https://docs.cohere.com/docs');
        assert.equal(await reply.locator('.code-block code').textContent(), 'npm test\n');
        assert.equal(await markedText(chat, 1), 'install cohere now');
        assert.equal(await markedText(chat, 3), 'm test');
        assert.equal(await chat.page.locator('.citation-marker').count(), 3);
        assert.equal(await reply.evaluate((root) => /[\ue000-\uefff]|%EE%/i.test(root.innerHTML)), false);
        await chat.takePosted();
        await reply.locator('.code-block [data-action="copy-code"]').click();
        assert.deepEqual(await chat.takePosted(), [{ type: 'copyCode', code: 'npm test' }]);
        assert.deepEqual(chat.errors, []);
    });
});
