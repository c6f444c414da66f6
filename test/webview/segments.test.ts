// The incremental renderer cuts a reply into top-level blocks and renders only the open tail. These tests
// check that the cut never changes the result: a reply rendered block by block, or streamed in pieces of
// any size, gives exactly the HTML of the same text rendered in one piece.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement } from './harness';

const DOCUMENTS: Record<string, string> = {
    'loose and nested lists':
        '1. first\n\n2. second\n\n   still second\n\n   - nested\n\n   - nested two\n\n3. third\n\nAfter the list.\n',
    'a list that starts at 3': '3. three\n4. four\n\nText.\n\n7. seven\n',
    'block quotes with blank lines': '> quoted\n\n> still quoted?\n\nNot quoted.\n\n>quote\nlazy line\n',
    'fences with blank lines and tildes':
        'Before.\n\n~~~\n\nnot a paragraph\n\n```\n~~~\n\nafter tilde fence\n\n````\n```\n\n````\n\nEnd.',
    'indented code and headings':
        'Title\n=====\n\n    indented code\n\n    more code\n\nSub\n---\n\n# ATX\n\ntext\n\n***\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    'a fence inside a list item':
        '- item\n\n  ```js\n  let a = 1;\n\n  let b = 2;\n  ```\n\n- next item\n\nDone.\n',
    'html-looking text and entities':
        '<div>\n\n*not html*\n\n</div>\n\n&amp; &lt;b&gt; &copy;\n\n<!-- comment -->\n',
    'emphasis across lines and links':
        'Some *emphasis\n\nnot closed* here.\n\n[link\n\ntext](https://example.com)\n\nhttps://example.com/bare\n',
};

/** The reply's rendered HTML with the block wrappers taken away. */
async function replyHtml(chat: ChatPage, turnId: string): Promise<string> {
    return chat.page.locator(`.turn[data-turn-id="${turnId}"] .reply .markdown`).evaluate((root) => {
        const parts: string[] = [];
        for (const block of (root as unknown as PageElement).querySelectorAll(':scope > .md-block'))
            parts.push(block.innerHTML);
        return parts.join('').replace(/>\s+</g, '><').trim();
    });
}

void describe('block-by-block rendering', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    for (const [name, text] of Object.entries(DOCUMENTS)) {
        void test(`${name}: blocks and streamed pieces render as the whole text does`, async (t) => {
            const chat = await browser.open();
            t.after(() => chat.close());
            // A reference definition makes the view render the text in one piece; it renders nothing itself.
            const whole = makeTurn({ text: `[unused-ref]: https://example.com/ref\n\n${text}` });
            const blocks = makeTurn({ text });
            await chat.deliver(stateMessage([whole, blocks]));
            const expected = await replyHtml(chat, whole.id);
            assert.ok(expected.length > 0);
            assert.equal(
                await chat.page.locator(`.turn[data-turn-id="${whole.id}"] .md-block`).count(),
                1,
                'the reference text is rendered in one piece',
            );
            assert.ok(
                (await chat.page.locator(`.turn[data-turn-id="${blocks.id}"] .md-block`).count()) > 1,
                'the text under test is cut into blocks',
            );
            assert.equal(await replyHtml(chat, blocks.id), expected);
            for (const size of [1, 2, 3, 7, 16]) {
                const turn = streamingTurn();
                await chat.deliver({ type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
                for (let i = 0; i < text.length; i += size)
                    await chat.deliver(textDelta(turn.id, text.slice(i, i + size)));
                assert.equal(await replyHtml(chat, turn.id), expected, `streamed in pieces of ${size}`);
                await chat.deliver({
                    type: 'turnEnded',
                    conversationId: CONVERSATION_ID,
                    turn: {
                        ...turn,
                        status: 'complete',
                        reply: { content: [{ type: 'text', text }], citations: [] },
                    },
                });
                assert.equal(await replyHtml(chat, turn.id), expected, `ended after pieces of ${size}`);
            }
        });
    }
});
