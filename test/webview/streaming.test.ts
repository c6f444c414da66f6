// Streaming: stale messages are dropped, finished blocks and other turns keep their DOM while a reply
// grows, the view follows the stream only while the reader is at the bottom, and light UI state survives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement, PageWindow } from './harness';

async function markNode(chat: ChatPage, selector: string): Promise<void> {
    await chat.page.locator(selector).evaluate((node) => {
        (node as unknown as PageElement).__kept = true;
    });
}

async function isSameNode(chat: ChatPage, selector: string): Promise<boolean> {
    return chat.page.locator(selector).evaluate((node) => (node as unknown as PageElement).__kept === true);
}

void describe('streaming', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('messages for another conversation or for a turn that ended are dropped', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        await chat.deliver(textDelta(turn.id, 'Mine. '));
        await chat.deliver(
            textDelta(turn.id, 'Not mine. ', 0, 'conv-other'),
            { type: 'turnStarted', conversationId: 'conv-other', turn: streamingTurn() },
            {
                type: 'citation',
                conversationId: 'conv-other',
                turnId: turn.id,
                citation: { start: 0, end: 4, sources: [] },
            },
            textDelta('turn-unknown', 'Nobody'),
        );
        assert.equal((await chat.page.locator('.reply .markdown').textContent())?.trim(), 'Mine.');
        assert.equal(await chat.page.locator('.turn').count(), 1);
        const stopped = {
            ...turn,
            status: 'stopped' as const,
            reply: { content: [{ type: 'text' as const, text: 'Mine. ' }], citations: [] },
        };
        await chat.deliver({ type: 'turnEnded', conversationId: CONVERSATION_ID, turn: stopped });
        await chat.deliver(textDelta(turn.id, 'Too late.'), {
            type: 'citation',
            conversationId: CONVERSATION_ID,
            turnId: turn.id,
            citation: { start: 0, end: 4, sources: [] },
        });
        assert.equal((await chat.page.locator('.reply .markdown').textContent())?.trim(), 'Mine.');
        assert.equal(await chat.page.locator('mark.citation').count(), 0);
        assert.equal(await chat.page.locator('.turn').getAttribute('data-status'), 'stopped');
    });

    void test('a state for another conversation replaces the view', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ text: 'first chat' })]));
        await chat.deliver(
            stateMessage([makeTurn({ text: 'second chat' }), makeTurn({ text: 'more' })], {}, 'conv-2'),
        );
        assert.deepEqual(
            (await chat.page.locator('.reply .markdown').allTextContents()).map((text) => text.trim()),
            ['second chat', 'more'],
        );
        await chat.deliver(textDelta('turn-x', 'stale', 0, CONVERSATION_ID));
        assert.equal(await chat.page.locator('.turn').count(), 2);
    });

    void test('while a reply grows, its finished blocks and the other turns keep their DOM', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const earlier = makeTurn({ text: 'An earlier answer.' });
        const turn = streamingTurn();
        await chat.deliver(stateMessage([earlier]), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        await chat.deliver(
            textDelta(turn.id, '# Heading\n\nFirst paragraph.\n\n- item one\n- item two\n\nThird'),
        );
        const reply = `.turn[data-turn-id="${turn.id}"] .reply .markdown`;
        await markNode(chat, `${reply} h1`);
        await markNode(chat, `${reply} p >> nth=0`);
        await markNode(chat, `${reply} ul`);
        await markNode(chat, `.turn[data-turn-id="${earlier.id}"] .reply .markdown p`);
        for (let i = 0; i < 30; i++) await chat.deliver(textDelta(turn.id, ` paragraph grows ${i}.`));
        await chat.deliver(textDelta(turn.id, '\n\nA new paragraph.'));
        assert.equal(await isSameNode(chat, `${reply} h1`), true, 'the heading was not re-rendered');
        assert.equal(
            await isSameNode(chat, `${reply} p >> nth=0`),
            true,
            'the first paragraph was not re-rendered',
        );
        assert.equal(await isSameNode(chat, `${reply} ul`), true, 'the list was not re-rendered');
        assert.equal(
            await isSameNode(chat, `.turn[data-turn-id="${earlier.id}"] .reply .markdown p`),
            true,
            'the other turn was untouched',
        );
        const paragraphs = await chat.page.locator(`${reply} p`).allTextContents();
        assert.equal(paragraphs.length, 3);
        assert.match(paragraphs[1] ?? '', /^Third paragraph grows 0\..* paragraph grows 29\.$/);
        assert.equal(paragraphs[2], 'A new paragraph.');
    });

    void test('a long code block grows in the same element as it streams and is highlighted once it closes', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const lines = Array.from({ length: 60 }, (_, i) => `const v${i} = ${i};\n`);
        const opening = 'Here it is:\n\n```javascript\n';
        await chat.deliver(textDelta(turn.id, opening + lines.slice(0, 40).join('')));
        const block = `.turn[data-turn-id="${turn.id}"] .code-block`;
        await markNode(chat, block);
        // Each line in its own frame, the last one in two pieces.
        for (const line of lines.slice(40, 59)) await chat.deliver(textDelta(turn.id, line));
        await chat.deliver(textDelta(turn.id, 'const v59'));
        await chat.deliver(textDelta(turn.id, ' = 59;\n'));
        assert.equal(await isSameNode(chat, block), true, 'the code block was not rendered again');
        const code = lines.join('');
        assert.equal(await chat.page.locator(`${block} code`).textContent(), code);
        await chat.takePosted();
        await chat.page.locator(`${block} [data-action="copy-code"]`).click();
        assert.deepEqual(await chat.takePosted(), [{ type: 'copyCode', code: code.replace(/\n$/, '') }]);

        // A closing fence still arriving is not shown as code; once closed, the block is rendered whole.
        await chat.deliver(textDelta(turn.id, '``'));
        assert.equal(await chat.page.locator(`${block} code`).textContent(), code);
        await chat.deliver(textDelta(turn.id, '`\n\nAfter the code.'));
        assert.equal(await chat.page.locator(`${block} code`).textContent(), code);
        assert.equal(await chat.page.locator(`${block} .hljs-keyword`).count(), 60, 'every line highlighted');
        const text = `${opening}${code}\`\`\`\n\nAfter the code.`;
        const html = (turnId: string): Promise<string> =>
            chat.page
                .locator(`.turn[data-turn-id="${turnId}"] .reply .markdown`)
                .evaluate((root) => root.innerHTML.replace(/<\/?div class="md-block">|<\/div>/g, ''));
        const streamed = await html(turn.id);
        const whole = makeTurn({ text });
        await chat.deliver(stateMessage([whole]));
        assert.equal(streamed, await html(whole.id), 'the same HTML as the reply rendered in one go');
    });

    void test('a code block cut off by the end of the reply is highlighted when the reply ends', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const imports = Array.from({ length: 15 }, (_, i) => `import m${i}\n`);
        const full = `\`\`\`python\n${imports.join('')}`;
        await chat.deliver(textDelta(turn.id, `\`\`\`python\n${imports.slice(0, 10).join('')}`));
        for (const line of imports.slice(10)) await chat.deliver(textDelta(turn.id, line));
        const block = `.turn[data-turn-id="${turn.id}"] .code-block`;
        assert.equal(
            await chat.page.locator(`${block} .hljs-keyword`).count(),
            10,
            'streamed lines are plain',
        );
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: {
                ...turn,
                status: 'stopped',
                reply: { content: [{ type: 'text', text: full }], citations: [] },
            },
        });
        assert.equal(await chat.page.locator(`${block} .hljs-keyword`).count(), 15);
        assert.equal(await chat.page.locator(`${block} code`).textContent(), imports.join(''));
    });

    void test('many deltas in one frame all arrive, in order', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const words = Array.from({ length: 500 }, (_, i) => `w${i} `);
        await chat.deliver(...words.map((word) => textDelta(turn.id, word)));
        assert.equal(
            (await chat.page.locator('.reply .markdown').textContent())?.trim(),
            words.join('').trim(),
        );
    });

    void test('the view follows the stream only while the reader is at the bottom', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        const distanceFromBottom = (): Promise<number> =>
            chat.page
                .locator('#messages')
                .evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight);
        for (let i = 0; i < 40; i++)
            await chat.deliver(textDelta(turn.id, `Line ${i} of a long answer.\n\n`));
        assert.ok((await distanceFromBottom()) <= 2, 'at the bottom, the view follows');
        await chat.page.locator('#messages').evaluate((node) => {
            node.scrollTop = 0;
            node.dispatchEvent(new Event('scroll'));
        });
        for (let i = 0; i < 10; i++) await chat.deliver(textDelta(turn.id, `More ${i}.\n\n`));
        assert.equal(
            await chat.page.locator('#messages').evaluate((node) => node.scrollTop),
            0,
            'scrolled up, the view stays',
        );
    });

    void test('the draft, scroll position and open thinking survive a reload of the view', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = makeTurn({
            reply: {
                content: [
                    { type: 'thinking', thinking: 'Deep thought.' },
                    { type: 'text', text: 'Answer.' },
                ],
                citations: [],
            },
        });
        const others = Array.from({ length: 30 }, (_, i) =>
            makeTurn({ text: `Answer ${i}.\n\nWith a second paragraph.` }),
        );
        const turns = [turn, ...others];
        await chat.deliver(stateMessage(turns));
        await chat.page.locator('details.thinking summary').click();
        await chat.page.locator('#prompt').fill('half-written question');
        await chat.page.locator('#messages').evaluate((node) => {
            const messages = node as unknown as PageElement;
            messages.scrollTop = 300;
        });
        await chat.page.waitForFunction(
            () => (globalThis as unknown as PageWindow).__state?.['scrollTop'] === 300,
        );
        const saved = await chat.uiState();
        assert.equal(saved?.['draft'], 'half-written question');
        const again = await browser.open({ uiState: saved });
        t.after(() => again.close());
        await again.deliver(stateMessage(turns));
        assert.equal(await again.page.locator('#prompt').inputValue(), 'half-written question');
        assert.equal(
            await again.page
                .locator('#messages')
                .evaluate((node) => (node as unknown as PageElement).scrollTop),
            300,
        );
        assert.equal(
            await again.page
                .locator('details.thinking')
                .evaluate((node) => (node as unknown as PageElement).open),
            true,
        );
    });
});
