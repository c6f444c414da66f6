// Scenarios 5 and 6 of issue 4: Stop during a slow stream, then Retry; a wrong key, a rate limit and a
// stream cut mid-way, each shown in the turn with the action that gets the person going again.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import {
    clickAction,
    normalize,
    replyText,
    retryTurn,
    sendMessage,
    waitForStatus,
    waitForStatusChange,
} from './chat';
import { chatRequests, e2e, scenario, showChatPanel } from './context';
import { answerInputBox, runCommand } from './workbench';

/** Waits until the turn's reply shows at least `chars` characters (the stream is under way). */
async function waitForPartialReply(turn: Locator, chars: number): Promise<string> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
        const text = await turn
            .locator('.reply')
            .innerText({ timeout: 1_000 })
            .catch(() => '');
        if (text.trim().length >= chars) return text.trim();
        await turn.page().waitForTimeout(100);
    }
    throw new Error(`the reply did not reach ${chars} characters`);
}

/** Registers the scenarios in order. */
export function failureScenarios(): void {
    scenario('5. Stop keeps the partial reply, marked stopped, and Retry completes it', async () => {
        const { page } = e2e();
        const frame = await showChatPanel();
        const turn = await sendMessage(frame, 'Please answer slowly [[fake:slow?ms=250]]');
        await waitForPartialReply(turn, 10);
        await clickAction(frame, 'stop');
        await waitForStatus(turn, 'stopped', 10_000);
        const partial = await replyText(turn);
        assert.ok(partial.length >= 10, 'the partial reply stays');
        assert.match(await turn.locator('.status').innerText(), /Stopped/);
        // Nothing arrives after the stop.
        await page.waitForTimeout(800);
        assert.equal(await replyText(turn), partial, 'the stopped reply does not grow');

        await retryTurn(turn);
        const full = await replyText(turn);
        assert.ok(
            full.startsWith(partial.slice(0, 10)) && full.length > partial.length,
            `retried reply: ${full}`,
        );
        assert.match(full, /Please answer slowly/);
    });

    scenario(
        '6a. A wrong key shows the unauthorized message with "Set API Key", which fixes it',
        async () => {
            const { page, apiKey } = e2e();
            const frame = await showChatPanel();
            await frame.locator('textarea#prompt').waitFor();
            // The person sets a wrong key from the palette, then sends.
            await runCommand(page, 'Cohere: Set API Key');
            await answerInputBox(page, 'not-the-right-key', { password: true });
            const turn = await sendMessage(frame, 'Does my key work?');
            await waitForStatus(turn, 'failed');
            const error = turn.locator('.turn-error[data-code="unauthorized"]');
            await error.waitFor({ state: 'visible' });
            assert.match(await error.innerText(), /did not accept the API key/);
            assert.equal(chatRequests().at(-1)?.headers.authorization, 'Bearer not-the-right-key');
            const setKey = error.locator('[data-action="set-api-key"]');
            assert.equal(normalize(await setKey.innerText()), 'Set API Key');

            await setKey.click();
            await answerInputBox(page, apiKey, { password: true });
            // Once a key is set, the message that failed for want of one goes again by itself.
            await waitForStatusChange(turn, 'failed');
            await waitForStatus(turn, 'complete');
            assert.match(await replyText(turn), /Does my key work\?/);
            assert.equal(chatRequests().at(-1)?.headers.authorization, `Bearer ${apiKey}`);
        },
    );

    scenario('6b. A 429 shows the wait, then the reply arrives', async () => {
        const frame = await showChatPanel();
        const words = 'Too many requests? [[fake:429-retry-after]]';
        const before = chatRequests().length;
        const turn = await sendMessage(frame, words);
        // The fake server asks for a wait of one second (Retry-After: 1).
        await turn
            .locator('.status', { hasText: /Retrying in 1 s/ })
            .waitFor({ state: 'visible', timeout: 10_000 });
        await waitForStatus(turn, 'complete');
        assert.match(await replyText(turn), /Too many requests\?/);
        assert.equal(chatRequests().length - before, 2, 'one refused request, one retry');
    });

    scenario(
        '6c. A stream cut mid-way keeps the partial text and offers Retry, which completes it',
        async () => {
            const frame = await showChatPanel();
            const turn = await sendMessage(frame, 'Cut me off [[fake:cut-before-end]]');
            await waitForStatus(turn, 'failed');
            const partial = await replyText(turn);
            assert.ok(partial.length > 0, 'the partial reply stays');
            const error = turn.locator('.turn-error');
            await error.waitFor({ state: 'visible' });
            const retry = error.locator('[data-action="retry"]');
            assert.equal(normalize(await retry.innerText()), 'Retry');
            await retryTurn(turn);
            const full = await replyText(turn);
            assert.ok(full.length > partial.length, 'the retried reply is complete');
            // The partial text was the start of the reply (its last word may have been cut mid-way).
            const kept = partial.split(' ').slice(0, -1).join(' ');
            assert.ok(
                kept.length > 0 && full.startsWith(kept),
                `kept ${JSON.stringify(partial)}, got ${full}`,
            );
            assert.match(full, /Cut me off/);
        },
    );
}
