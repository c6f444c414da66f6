// Keyboard use: Enter sends, Shift+Enter breaks the line, Escape stops, and Tab reaches every control,
// each with a name a screen reader can say.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Citation } from '../../src/cohere/types';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn } from './fixtures';
import { launch } from './harness';
import type { Browser, PageWindow } from './harness';

void describe('keyboard', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('Enter sends the message and clears the input; Shift+Enter adds a line', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([]));
        const prompt = chat.page.locator('textarea#prompt');
        assert.equal(
            await chat.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.id),
            'prompt',
            'the input has focus once the chat has loaded',
        );
        await chat.page.keyboard.type('first line');
        await chat.page.keyboard.press('Shift+Enter');
        await chat.page.keyboard.type('second line');
        assert.equal(await prompt.inputValue(), 'first line\nsecond line');
        await chat.takePosted();
        await chat.page.keyboard.press('Enter');
        assert.deepEqual(await chat.takePosted(), [
            { type: 'send', conversationId: CONVERSATION_ID, text: 'first line\nsecond line' },
        ]);
        assert.equal(await prompt.inputValue(), '');
    });

    void test('a message sent before the chat has loaded goes out once it has', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const prompt = chat.page.locator('textarea#prompt');
        await prompt.fill('typed early');
        await chat.takePosted();
        await prompt.press('Enter');
        assert.deepEqual(await chat.takePosted(), [], 'there is no conversation to send it to yet');
        assert.equal(await prompt.inputValue(), 'typed early', 'the text stays while waiting');
        await chat.deliver(stateMessage([]));
        assert.deepEqual(await chat.takePosted(), [
            { type: 'send', conversationId: CONVERSATION_ID, text: 'typed early' },
        ]);
        assert.equal(await prompt.inputValue(), '');
    });

    void test('an empty message is not sent; one sent while a reply streams waits, says so, and goes after it', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const running = streamingTurn();
        await chat.deliver(stateMessage([running]));
        await chat.takePosted();
        const prompt = chat.page.locator('textarea#prompt');
        await prompt.focus();
        await chat.page.keyboard.press('Enter');
        await prompt.fill('while streaming');
        await chat.page.keyboard.press('Enter');
        assert.deepEqual(await chat.takePosted(), [], 'nothing goes out while the reply streams');
        const queued = chat.page.locator('#queued');
        assert.equal(await queued.isVisible(), true, 'the waiting message is shown');
        assert.match((await queued.textContent()) ?? '', /Queued.*while streaming/);
        assert.match((await chat.page.locator('#announcer').textContent()) ?? '', /queued/);
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: {
                ...running,
                status: 'complete',
                reply: { content: [{ type: 'text', text: 'ok' }], citations: [] },
            },
        });
        assert.deepEqual(await chat.takePosted(), [
            { type: 'send', conversationId: CONVERSATION_ID, text: 'while streaming' },
        ]);
        assert.equal(await queued.isHidden(), true);
    });

    void test('Escape stops the streaming reply', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        await chat.page.locator('textarea#prompt').focus();
        await chat.takePosted();
        await chat.page.keyboard.press('Escape');
        assert.deepEqual(await chat.takePosted(), [
            { type: 'stop', conversationId: CONVERSATION_ID, turnId: turn.id },
        ]);
    });

    void test('Tab reaches every control, and each has a name', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const text = 'See [docs](https://example.com/docs) and cite me.\n\n```js\nlet x = 1;\n```\n';
        const citation: Citation = {
            start: text.indexOf('cite me'),
            end: text.indexOf('cite me') + 7,
            sources: [],
        };
        const done = makeTurn({ reply: { content: [{ type: 'text', text }], citations: [citation] } });
        const failed = makeTurn({ status: 'failed', error: { code: 'network', message: 'offline' } });
        await chat.deliver(
            stateMessage([done, failed], {
                history: [{ id: CONVERSATION_ID, title: 'Now', updatedAt: 1, turnCount: 2 }],
            }),
        );
        await chat.page.locator('[data-action="history"]').click();
        await chat.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.blur());
        const reached: { key: string; name: string }[] = [];
        // Enough presses to go round the page more than once, wherever focus starts.
        for (let i = 0; i < 50; i++) {
            await chat.page.keyboard.press('Tab');
            const focused = await chat.page.evaluate(() => {
                const { document } = globalThis as unknown as PageWindow;
                const node = document.activeElement;
                if (node === null || node === document.body) return undefined;
                const key =
                    node.dataset['action'] ??
                    (node.classList.contains('citation-marker') ? 'citation-marker' : undefined) ??
                    (node.tagName === 'A' ? 'link' : undefined) ??
                    node.id ??
                    node.tagName;
                const name = node.getAttribute('aria-label') ?? node.textContent?.trim() ?? '';
                return { key, name };
            });
            if (focused !== undefined) reached.push(focused);
        }
        const keys = new Set(reached.map((entry) => entry.key));
        for (const expected of [
            'new-chat',
            'history',
            'open-conversation',
            'rename-conversation',
            'delete-conversation',
            'edit',
            'link',
            'citation-marker',
            'copy-code',
            'insert-code',
            'retry',
            'show-logs',
            'prompt',
            'send',
        ]) {
            assert.ok(keys.has(expected), `Tab reaches ${expected} (reached: ${[...keys].join(', ')})`);
        }
        for (const entry of reached) assert.notEqual(entry.name, '', `${entry.key} has a name`);
    });
});
