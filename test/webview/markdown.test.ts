// Markdown in real Chromium: headings, lists, nested fences, code blocks with Copy/Insert, links via the host.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser } from './harness';

void describe('markdown rendering', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('headings, emphasis, lists and tables render as their elements', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text = [
            '# Title',
            '',
            '## Section',
            '',
            'Some **bold**, *italic* and `inline code`.',
            '',
            '- first',
            '- second',
            '  - nested',
            '',
            '1. one',
            '2. two',
            '',
            '| a | b |',
            '| - | - |',
            '| 1 | 2 |',
        ].join('\n');
        await chat.deliver(stateMessage([makeTurn({ text })]));
        const reply = chat.page.locator('.reply .markdown');
        assert.equal(await reply.locator('h1').textContent(), 'Title');
        assert.equal(await reply.locator('h2').textContent(), 'Section');
        assert.equal(await reply.locator('strong').textContent(), 'bold');
        assert.equal(await reply.locator('em').textContent(), 'italic');
        assert.equal(await reply.locator('p > code').textContent(), 'inline code');
        assert.deepEqual(
            await reply
                .locator('ul > li')
                .evaluateAll((items) => items.map((li) => li.firstChild?.textContent?.trim())),
            ['first', 'second', 'nested'],
        );
        assert.equal(await reply.locator('ul ul > li').textContent(), 'nested');
        assert.deepEqual(await reply.locator('ol > li').allTextContents(), ['one', 'two']);
        assert.deepEqual(await reply.locator('td').allTextContents(), ['1', '2']);
        assert.deepEqual(chat.errors, []);
    });

    void test('a four-backtick fence holding a three-backtick fence is one code block', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text =
            'Here is a README:\n\n````markdown\n# Demo\n\n```js\nconsole.log(1);\n```\n\nEnd of readme.\n````\n\nAfter the block.';
        await chat.deliver(stateMessage([makeTurn({ text })]));
        const reply = chat.page.locator('.reply .markdown');
        assert.equal(await reply.locator('.code-block').count(), 1);
        assert.equal(
            await reply.locator('.code-block code').textContent(),
            '# Demo\n\n```js\nconsole.log(1);\n```\n\nEnd of readme.\n',
        );
        assert.equal(await reply.locator('h1').count(), 0);
        assert.equal(await reply.locator('p').last().textContent(), 'After the block.');
    });

    void test('a nested fence streamed in small pieces ends as one code block', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const text = 'Intro.\n\n````md\n```py\nprint(1)\n```\n\nstill code\n````\n\nDone.';
        for (let i = 0; i < text.length; i += 3) await chat.deliver(textDelta(turn.id, text.slice(i, i + 3)));
        const reply = chat.page.locator('.reply .markdown');
        assert.equal(await reply.locator('.code-block').count(), 1);
        assert.equal(
            await reply.locator('.code-block code').textContent(),
            '```py\nprint(1)\n```\n\nstill code\n',
        );
        assert.deepEqual(await reply.locator('p').allTextContents(), ['Intro.', 'Done.']);
    });

    void test('code blocks are highlighted and their buttons post exactly the code', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const code = 'function add(a, b) {\n    return a + b; // sum\n}';
        await chat.deliver(stateMessage([makeTurn({ text: `Try:\n\n\`\`\`typescript\n${code}\n\`\`\`\n` })]));
        const block = chat.page.locator('.code-block');
        assert.ok((await block.locator('.hljs-keyword').count()) > 0, 'keywords are highlighted');
        await chat.takePosted();
        await block.locator('[data-action="copy-code"]').click();
        await block.locator('[data-action="insert-code"]').click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'copyCode', code },
            { type: 'insertCode', code },
        ]);
    });

    void test('an http link posts openLink and the page does not navigate', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const url = chat.page.url();
        await chat.deliver(
            stateMessage([
                makeTurn({
                    text: 'See [the docs](https://docs.cohere.com/v2/docs) or <mailto:help@example.com>.',
                }),
            ]),
        );
        await chat.takePosted();
        await chat.page.locator('.reply a', { hasText: 'the docs' }).click();
        await chat.page.locator('.reply a', { hasText: 'help@example.com' }).click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'openLink', url: 'https://docs.cohere.com/v2/docs' },
            { type: 'openLink', url: 'mailto:help@example.com' },
        ]);
        assert.equal(chat.page.url(), url);
    });

    void test('a bare URL becomes a link, a file name does not, and an image shows only its alt text', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(
            stateMessage([
                makeTurn({
                    text: 'Visit https://cohere.com today, then edit main.py. ![a penguin](https://example.com/p.png)',
                }),
            ]),
        );
        assert.deepEqual(
            await chat.page
                .locator('.reply a')
                .evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
            ['https://cohere.com'],
        );
        assert.equal(await chat.page.locator('.reply img').count(), 0);
        assert.match((await chat.page.locator('.reply .markdown').textContent()) ?? '', /a penguin/);
        assert.ok(chat.requests.every((request) => request.startsWith(chat.origin)));
    });
});
