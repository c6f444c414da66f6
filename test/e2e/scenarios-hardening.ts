// Issue 7 (hardening), the bullets about what a person sees, in real VS Code: a safety block says what
// happened and offers Retry (not the key), a cut stream says where it was cut, a gateway's HTML page shows as
// its status and title, Enter during a reply queues the message and says so, and a draft typed just before
// a reload survives it. (A huge table and a 10 MB reply are checked in Chromium: test/webview/huge.test.ts.)
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import type { Frame } from 'playwright-core';
import { longPieces } from '../fake-cohere/scenarios';
import { normalize, replyText, retryTurn, sendMessage, waitForStatus } from './chat';
import { e2e, scenario, showChatPanel, waitUntilWritten } from './context';
import { answerInputBox, runCommand, waitForWorkbench } from './workbench';

/** Sends `text` with Enter and waits for the turn it starts to finish as `status`. */
async function ask(frame: Frame, text: string, status: 'complete' | 'failed', timeoutMs = 60_000) {
    const turn = await sendMessage(frame, text);
    await waitForStatus(turn, status, timeoutMs);
    return turn;
}

/** Registers the scenarios in order. */
export function hardeningScenarios(): void {
    scenario('H1. A 498 says Cohere blocked it for safety and offers Retry, not the API key', async () => {
        const { page, apiKey } = e2e();
        // Run alone (`--test-name-pattern='^H'`) these scenarios still need a key.
        await runCommand(page, 'Cohere: Set API Key');
        await answerInputBox(page, apiKey, { password: true });
        const frame = await showChatPanel();
        const turn = await ask(frame, 'Something the filter blocks [[fake:498]]', 'failed');
        const error = turn.locator('.turn-error');
        await error.waitFor({ state: 'visible' });
        const shown = normalize(await error.innerText());
        assert.match(shown, /blocked this message or its reply for safety \(HTTP 498\)/, shown);
        assert.match(shown, /Rephrase the message, then retry/, shown);
        assert.doesNotMatch(shown, /API key/i, shown);
        assert.equal(await error.locator('[data-action="set-api-key"]').count(), 0);
        await retryTurn(turn);
        assert.match(await replyText(turn), /Something the filter blocks/);
    });

    scenario('H2. A stream cut mid-reply says after how many characters, and keeps them', async () => {
        const frame = await showChatPanel();
        const turn = await ask(frame, 'Cut this one short [[fake:cut-before-end]]', 'failed');
        const partial = await replyText(turn);
        const shown = normalize(await turn.locator('.turn-error').innerText());
        const cut = /cut after ([\d,]+) characters/.exec(shown);
        assert.ok(cut !== null, shown);
        assert.ok(Number(cut[1]?.replace(/,/g, '')) >= partial.length - 5, `${shown} / ${partial.length}`);
        assert.doesNotMatch(shown, /proxy/i);
    });

    scenario("H3. A gateway's HTML error page shows as its status and title, once", async () => {
        const frame = await showChatPanel();
        // Three 502s: the first try and both retries.
        const turn = await ask(frame, 'Through a broken gateway [[fake:502-html?times=3]]', 'failed');
        const shown = normalize(await turn.locator('.turn-error').innerText());
        assert.match(shown, /502/, shown);
        assert.match(shown, /Bad Gateway/, shown);
        assert.equal(shown.split('Bad Gateway').length, 2, `the title once: ${shown}`);
        assert.doesNotMatch(shown, /<html|nginx/i, shown);
    });

    scenario('H4. Enter while a reply streams queues the message, says so, and sends it after', async () => {
        const frame = await showChatPanel();
        const first = await sendMessage(frame, 'Take your time [[fake:slow?ms=120]]');
        await first.locator('.reply .markdown').filter({ hasText: /\S/ }).waitFor();
        const prompt = frame.locator('textarea#prompt');
        await prompt.fill('And then this');
        await prompt.press('Enter');
        const queued = frame.locator('#queued');
        await queued.waitFor({ state: 'visible' });
        assert.match(normalize(await queued.innerText()), /Queued: it is sent when the reply ends/);
        assert.equal(await prompt.inputValue(), '', 'the composer is free for the next draft');
        await waitForStatus(first, 'complete', 60_000);
        // The queued message's own turn (the last turn may still be the first one for a moment).
        const next = frame.locator('.turn', { has: frame.locator('.prompt', { hasText: 'And then this' }) });
        await waitForStatus(next, 'complete');
        assert.match(await replyText(next), /And then this/);
        assert.equal(await queued.isVisible(), false);
    });

    scenario(
        'H6. A megabyte reply streams in whole, and the composer takes typing while it does',
        async () => {
            const { page } = e2e();
            const frame = await showChatPanel();
            const events = 200_000;
            const expected = longPieces(events).join('');
            // The stream pauses 8 s before its last events: the typing below is done while the reply is still
            // coming however fast this machine renders the megabyte (on a loaded one, the race the check below
            // makes was close).
            const turn = await sendMessage(
                frame,
                `A very long answer please [[fake:long?events=${events},stall?ms=8000&after=${events - 1_000}]]`,
            );
            const prompt = frame.locator('textarea#prompt');
            try {
                await turn.locator('.reply .markdown').filter({ hasText: /\S/ }).waitFor();
                await prompt.click();
                const typed = 'typed while it streams';
                await page.keyboard.type(typed);
                assert.equal(await prompt.inputValue(), typed);
                assert.equal(
                    await turn.getAttribute('data-status'),
                    'streaming',
                    'typed while the reply was still coming',
                );
                await waitForStatus(turn, 'complete', 240_000);
                const shown = await turn
                    .locator('.reply .markdown')
                    .evaluate((node) => node.textContent ?? '');
                assert.equal(
                    shown.replace(/\s+/g, ''),
                    expected.replace(/\s+/g, ''),
                    `all ${expected.length} characters`,
                );
            } finally {
                // An empty composer for what comes next, whatever happened here (H5 types a draft into it).
                await prompt.fill('').catch(() => undefined);
            }
        },
    );

    scenario('H5. A draft typed just before a reload is back in the composer after it', async () => {
        const { page } = e2e();
        const frame = await showChatPanel();
        const draft = 'A question I was still writing when the window reloaded';
        const prompt = frame.locator('textarea#prompt');
        await prompt.click();
        await page.keyboard.type(draft);
        // A browser reload, which does not wait for VS Code to save the webview's state: the draft comes back
        // only from the copy the host keeps. The reload comes the moment that copy is on disk (the issue's
        // draft was lost 0.8 s after typing; a fixed wait was too short for a loaded machine's host to hear of
        // the last keystrokes, and keystrokes still crossing to the host are cut off with the page).
        await waitUntilWritten(draft, (file) => basename(file) === 'drafts.json', 'the draft');
        await page.reload();
        await waitForWorkbench(page);
        // The tab comes back with the window (or, opened only a moment before, it is opened again): either
        // way its composer shows the draft the extension kept.
        const after = (await showChatPanel()).locator('textarea#prompt');
        const deadline = Date.now() + 30_000;
        while ((await after.inputValue()) !== draft && Date.now() < deadline) await page.waitForTimeout(200);
        assert.equal(await after.inputValue(), draft);
        // Leave the composer empty for what comes next (the cleared draft is saved too).
        await after.fill('');
    });
}
