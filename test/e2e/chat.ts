// What a person does and sees inside the chat webview, through the DOM hooks the webview promises
// (the contract in the e2e brief): type and send, stop, retry, read a turn's reply, citations and usage.
import type { Frame, Locator } from 'playwright-core';

/** Statuses a turn shows in `data-status`. */
export type TurnStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

/**
 * Waits until the view has its conversation from the host, which a person sees as the model's name in the
 * toolbar: until then the view has nothing to send a message to (Enter is ignored).
 */
export async function waitForChatReady(frame: Frame): Promise<void> {
    const model = frame.locator('[aria-label="Model"]').first();
    const deadline = Date.now() + 30_000;
    while ((await model.textContent({ timeout: 30_000 }))?.trim() === '') {
        if (Date.now() > deadline)
            throw new Error('the chat never received its conversation from the extension');
        await frame.page().waitForTimeout(100);
    }
}

/** Types a message into the chat's input and presses Enter; returns the new turn's locator. */
export async function sendMessage(frame: Frame, text: string): Promise<Locator> {
    await waitForChatReady(frame);
    const before = await frame.locator('.turn').count();
    const prompt = frame.locator('textarea#prompt');
    await prompt.click();
    await prompt.fill(text);
    await prompt.press('Enter');
    const turn = frame.locator('.turn').nth(before);
    await turn.waitFor({ state: 'attached' });
    return turn;
}

/** The last turn of the conversation the view shows. */
export function lastTurn(frame: Frame): Locator {
    return frame.locator('.turn').last();
}

/** Waits until a turn's `data-status` is `status`; a different final status fails at once with what it shows. */
export async function waitForStatus(turn: Locator, status: TurnStatus, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen: string | null = null;
    while (Date.now() < deadline) {
        seen = await turn.getAttribute('data-status', { timeout: 5_000 });
        if (seen === status) return;
        if (seen !== 'streaming' && seen !== null) {
            throw new Error(`turn ended "${seen}", expected "${status}": ${await describeTurn(turn)}`);
        }
        await turn.page().waitForTimeout(100);
    }
    throw new Error(
        `turn still "${String(seen)}" after ${timeoutMs} ms, expected "${status}": ${await describeTurn(turn)}`,
    );
}

/** A short description of what a turn shows, for failure messages. */
export async function describeTurn(turn: Locator): Promise<string> {
    const text = await turn.innerText({ timeout: 2_000 }).catch(() => '(unreadable)');
    return JSON.stringify(text.slice(0, 600));
}

/**
 * The reply's visible words (rendered markdown), whitespace collapsed, without the citation markers' numbers
 * (they are buttons after the cited words, not part of the reply).
 */
export async function replyText(turn: Locator): Promise<string> {
    const markdown = turn.locator('.reply .markdown').first();
    const markers = markdown.locator('.citation-marker');
    // Hide the markers while reading: innerText follows layout, so hidden buttons drop out.
    await markers.evaluateAll((elements) => elements.forEach((el) => el.setAttribute('hidden', '')));
    try {
        return normalize(await markdown.innerText());
    } finally {
        await markers.evaluateAll((elements) => elements.forEach((el) => el.removeAttribute('hidden')));
    }
}

/** Waits until a turn has left `status` (e.g. a failed turn that is sent again). */
export async function waitForStatusChange(turn: Locator, status: TurnStatus): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await turn.getAttribute('data-status')) === status) {
        if (Date.now() > deadline)
            throw new Error(`the turn stayed "${status}": ${await describeTurn(turn)}`);
        await turn.page().waitForTimeout(50);
    }
}

/** Clicks the turn's Retry and waits until the turn has left the status it had (failed or stopped). */
export async function retryTurn(turn: Locator, timeoutMs = 30_000): Promise<void> {
    const before = await turn.getAttribute('data-status');
    await clickAction(turn, 'retry');
    if (before === 'failed' || before === 'stopped') await waitForStatusChange(turn, before);
    await waitForStatus(turn, 'complete', timeoutMs);
}

/** Collapses runs of whitespace, as text compared across renderings must be. */
export function normalize(text: string): string {
    return text.replace(/\s+/g, ' ').trim();
}

/** The five usage numbers shown under a finished reply (or in #totals). */
export interface ShownUsage {
    input: number;
    output: number;
    billedInput: number;
    billedOutput: number;
    cached: number;
}

async function shownNumber(scope: Locator, key: string): Promise<number> {
    const text = await scope.locator(`[data-usage="${key}"]`).first().innerText();
    const digits = text.replace(/[^\d]/g, '');
    if (digits === '') throw new Error(`usage "${key}" shows no number: ${JSON.stringify(text)}`);
    return Number(digits);
}

/**
 * Reads the usage numbers inside `scope` (a turn's `.usage` or `#totals`). The breakdown sits in a collapsed
 * `details` under its one-line summary, so it is opened first, as a person would to read it.
 */
export async function shownUsage(scope: Locator): Promise<ShownUsage> {
    await scope.first().evaluate((element) => {
        // Runs in the page: its DOM globals are not in this (Node) project's lib.
        interface Opening {
            matches(selector: string): boolean;
            querySelectorAll(selector: string): Iterable<Opening>;
            setAttribute(name: string, value: string): void;
        }
        const root = element as unknown as Opening;
        const details = root.matches('details') ? [root] : [...root.querySelectorAll('details')];
        for (const item of details) item.setAttribute('open', '');
    });
    return {
        input: await shownNumber(scope, 'input'),
        output: await shownNumber(scope, 'output'),
        billedInput: await shownNumber(scope, 'billed-input'),
        billedOutput: await shownNumber(scope, 'billed-output'),
        cached: await shownNumber(scope, 'cached'),
    };
}

/** The text each citation number covers in a reply: its marks joined in document order. */
export async function citedSpans(turn: Locator): Promise<Map<number, string>> {
    const marks = await turn
        .locator('.reply mark.citation')
        .evaluateAll((elements) =>
            elements.map((el) => [Number(el.getAttribute('data-citation')), el.textContent ?? ''] as const),
        );
    const spans = new Map<number, string>();
    for (const [n, text] of marks) spans.set(n, (spans.get(n) ?? '') + text);
    return spans;
}

/** Clicks citation marker `n` in a turn and returns its opened sources list. */
export async function openCitation(turn: Locator, n: number): Promise<Locator> {
    await turn.locator(`button.citation-marker[data-citation="${n}"]`).first().click();
    const sources = turn.locator(`.citation-sources[data-citation="${n}"]`).first();
    await sources.waitFor({ state: 'visible' });
    return sources;
}

/** Clicks a button with `data-action` inside `scope` (a turn, its error, or the whole view). */
export async function clickAction(scope: Locator | Frame, action: string): Promise<void> {
    await scope.locator(`[data-action="${action}"]`).filter({ visible: true }).first().click();
}
