// Usage per reply and per conversation, the context meter, thinking blocks, and every finish reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Turn } from '../../src/chat/model';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, HostMessage, PageElement } from './harness';

async function usageOf(chat: ChatPage, selector: string): Promise<Record<string, string>> {
    return chat.page.locator(selector).evaluate((root) => {
        const numbers: Record<string, string> = {};
        for (const node of (root as unknown as PageElement).querySelectorAll('[data-usage]')) {
            numbers[node.dataset['usage'] ?? ''] = node.textContent ?? '';
        }
        return numbers;
    });
}

function thinkingDelta(turnId: string, text: string, index = 0): HostMessage {
    return { type: 'delta', conversationId: CONVERSATION_ID, turnId, index, kind: 'thinking', text };
}

void describe('usage, thinking and finish reasons', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('each finished reply shows its usage; the totals add up; the meter shows the context used', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const first = makeTurn({
            text: 'One.',
            usage: {
                billed_units: { input_tokens: 10, output_tokens: 20 },
                tokens: { input_tokens: 110, output_tokens: 20 },
                cached_tokens: 0,
            },
        });
        const second = makeTurn({
            text: 'Two.',
            usage: {
                billed_units: { input_tokens: 15, output_tokens: 5 },
                tokens: { input_tokens: 160, output_tokens: 5 },
                cached_tokens: 96,
            },
        });
        await chat.deliver(stateMessage([first, second], { contextLength: 1000 }));
        assert.deepEqual(await usageOf(chat, `.turn[data-turn-id="${first.id}"] .usage`), {
            input: '110',
            output: '20',
            'billed-input': '10',
            'billed-output': '20',
            cached: '0',
        });
        assert.deepEqual(await usageOf(chat, `.turn[data-turn-id="${second.id}"] .usage`), {
            input: '160',
            output: '5',
            'billed-input': '15',
            'billed-output': '5',
            cached: '96',
        });
        assert.deepEqual(await usageOf(chat, '#totals'), {
            input: '270',
            output: '25',
            'billed-input': '25',
            'billed-output': '25',
            cached: '96',
        });
        const meter = chat.page.locator('#context-meter');
        assert.equal(await meter.getAttribute('aria-valuenow'), '165');
        assert.equal(await meter.getAttribute('aria-valuemax'), '1000');
        assert.equal(await meter.isVisible(), true);
        assert.equal(await meter.locator('.meter-label').textContent(), '17% of 1k context');
    });

    void test('a streaming reply has no usage until it ends; then the totals and meter move', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([], { contextLength: 4000 }), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        await chat.deliver(textDelta(turn.id, 'Hello'));
        assert.equal(await chat.page.locator('.turn .usage').count(), 0);
        const ended: Turn = {
            ...turn,
            status: 'complete',
            finishReason: 'COMPLETE',
            reply: { content: [{ type: 'text', text: 'Hello' }], citations: [] },
            usage: {
                billed_units: { input_tokens: 3, output_tokens: 1 },
                tokens: { input_tokens: 50, output_tokens: 1 },
            },
        };
        await chat.deliver({ type: 'turnEnded', conversationId: CONVERSATION_ID, turn: ended });
        assert.equal(await chat.page.locator('.turn .usage [data-usage="input"]').textContent(), '50');
        assert.equal(await chat.page.locator('#totals [data-usage="billed-output"]').textContent(), '1');
        assert.equal(await chat.page.locator('#context-meter').getAttribute('aria-valuenow'), '51');
        assert.equal(
            await chat.page.locator('#context-meter .meter-label').textContent(),
            '1% of 4k context',
        );
        assert.equal(await chat.page.locator('#announcer').textContent(), 'Reply finished');
    });

    void test('a little use of a long context reads "<1%", not "0%"', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = makeTurn({ text: 'Hi', usage: { tokens: { input_tokens: 120, output_tokens: 3 } } });
        await chat.deliver(stateMessage([turn], { contextLength: 256_000 }));
        assert.equal(
            await chat.page.locator('#context-meter .meter-label').textContent(),
            '<1% of 256k context',
        );
    });

    void test('the context meter is hidden while the context length is unknown', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ text: 'x' })], { contextLength: undefined }));
        assert.equal(await chat.page.locator('#context-meter').isHidden(), true);
    });

    void test('thinking streams open, collapses once the text starts, and stays as the reader leaves it', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        await chat.deliver(
            thinkingDelta(turn.id, 'Let me think '),
            thinkingDelta(turn.id, 'about **penguins**.'),
        );
        const thinking = chat.page.locator('details.thinking');
        assert.equal(await thinking.evaluate((node) => (node as unknown as PageElement).open), true);
        assert.equal(await thinking.locator('strong').textContent(), 'penguins');
        await chat.deliver(textDelta(turn.id, 'Penguins ', 1));
        assert.equal(await thinking.evaluate((node) => (node as unknown as PageElement).open), false);
        assert.equal((await chat.page.locator('.reply .markdown').textContent())?.trim(), 'Penguins');
        await thinking.locator('summary').click();
        await chat.deliver(textDelta(turn.id, 'swim.', 1));
        assert.equal(
            await thinking.evaluate((node) => (node as unknown as PageElement).open),
            true,
            'the reader opened it',
        );
        assert.deepEqual((await chat.uiState())?.['openThinking'], [`${turn.id}:0`]);
    });

    void test('a finished reply with thinking shows it collapsed', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = makeTurn({
            reply: {
                content: [
                    { type: 'thinking', thinking: 'Hmm.' },
                    { type: 'text', text: 'Yes.' },
                ],
                citations: [],
            },
        });
        await chat.deliver(stateMessage([turn]));
        const thinking = chat.page.locator('details.thinking');
        assert.equal(await thinking.evaluate((node) => (node as unknown as PageElement).open), false);
        assert.equal(await thinking.locator('summary').textContent(), 'Thinking');
        assert.equal((await chat.page.locator('.reply .markdown').textContent())?.trim(), 'Yes.');
    });

    for (const [reason, words] of [
        ['MAX_TOKENS', /cut/],
        ['STOP_SEQUENCE', /stop sequence/],
        ['ERROR', /error/],
        ['TIMEOUT', /timed out/],
        ['TOOL_CALL', /tool/],
        ['SOMETHING_NEW', /SOMETHING_NEW/],
    ] as const) {
        void test(`finish reason ${reason} is shown under the reply`, async (t) => {
            const chat = await browser.open();
            t.after(() => chat.close());
            const turn = makeTurn({ text: 'Partial', finishReason: reason });
            await chat.deliver(stateMessage([turn]));
            const line = chat.page.locator(`.turn .finish-reason[data-reason="${reason}"]`);
            assert.match((await line.textContent()) ?? '', words);
            const continueButton = line.locator('[data-action="continue"]');
            assert.equal(await continueButton.count(), reason === 'MAX_TOKENS' ? 1 : 0);
            if (reason === 'MAX_TOKENS') {
                await chat.takePosted();
                await continueButton.click();
                assert.deepEqual(await chat.takePosted(), [
                    { type: 'continue', conversationId: CONVERSATION_ID, turnId: turn.id },
                ]);
            }
        });
    }

    void test('a reply failed by a generation error says so once, with the server words', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = makeTurn({
            text: 'Partial',
            status: 'failed',
            finishReason: 'ERROR',
            error: { code: 'generation', message: 'the model crashed' },
        });
        await chat.deliver(stateMessage([turn]));
        const chrome = chat.page.locator('.turn .turn-chrome');
        assert.equal(((await chrome.textContent()) ?? '').split('stopped with an error').length - 1, 1);
        assert.match((await chrome.locator('.turn-error').textContent()) ?? '', /the model crashed/);
    });

    void test('a COMPLETE reply shows no finish reason', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ text: 'Done', finishReason: 'COMPLETE' })]));
        assert.equal(await chat.page.locator('.finish-reason').count(), 0);
    });
});
