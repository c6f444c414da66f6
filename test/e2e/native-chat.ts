// What a person does in VS Code's own Chat view (VS Code 1.139, the secondary side bar), as Playwright steps:
// open the view, start a new chat, pick a model in the model picker, type and send, read the last response.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { e2e } from './context';
import { runCommand } from './workbench';

/** The Chat view's part of the workbench. */
export function chatPart(page: Page): Locator {
    return page.locator('.part.auxiliarybar');
}

function chatInput(page: Page): Locator {
    return chatPart(page).locator('.interactive-input-editor').first();
}

/** Shows VS Code's Chat view (it starts open in 1.139; a scenario may have closed it). */
export async function showNativeChat(page: Page): Promise<void> {
    if (!(await chatInput(page).isVisible())) await runCommand(page, 'Chat: Open Chat');
    await chatInput(page).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Starts a new chat in the Chat view, so the last response is this scenario's. */
export async function newNativeChat(page: Page): Promise<void> {
    await showNativeChat(page);
    const items = chatPart(page).locator('.interactive-item-container');
    if ((await items.count()) === 0) return;
    // "New Chat" is the title bar's + and, inside a chat, the ← before its title (the same command).
    await chatPart(page)
        .locator('a.action-label.codicon-plus, a.action-label.codicon-arrow-left')
        .first()
        .click();
    await items.first().waitFor({ state: 'detached' });
}

/** Picks `model` in the chat input's model picker (the "Other Models" section lists the rest). */
export async function pickNativeModel(page: Page, model: string): Promise<void> {
    await showNativeChat(page);
    const picker = chatPart(page).locator('.model-picker-item a.model-picker-name').first();
    if ((await picker.innerText()).trim() === model) return;
    await picker.click();
    // isVisible() does not wait: the list must be up before it can say whether the model is in its first
    // section, or the toggle below would fold away an "Other Models" section that was already open.
    await page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'visible' });
    const row = page.locator(`.action-widget .monaco-list-row[aria-label^="${model},"]`).first();
    if (!(await row.isVisible())) {
        await page
            .locator('.action-widget .monaco-list-row.chat-model-picker-section-toggle')
            .first()
            .click();
    }
    await row.click();
    const deadline = Date.now() + 10_000;
    while ((await picker.innerText()).trim() !== model) {
        if (Date.now() > deadline) throw new Error(`the model picker does not show ${model}`);
        await page.waitForTimeout(100);
    }
}

/** The lines of the newest log of VS Code's built-in Copilot Chat extension in the profile ("" when none yet). */
async function copilotChatLog(): Promise<string> {
    const logs = join(e2e().profile.userDataDir, 'logs');
    const entries = await readdir(logs, { recursive: true, withFileTypes: true }).catch(() => []);
    let newest: { path: string; time: number } | undefined;
    for (const entry of entries) {
        if (!entry.isFile() || entry.name !== 'GitHub Copilot Chat.log') continue;
        const path = join(entry.parentPath, entry.name);
        const time = (await stat(path)).mtimeMs;
        if (!newest || time > newest.time) newest = { path, time };
    }
    return newest ? readFile(newest.path, 'utf8') : '';
}

/**
 * Waits until VS Code's own agent (Ask and Agent mode, from the Copilot Chat extension built into 1.139) is there.
 * That extension starts late (onStartupFinished) and, without a GitHub sign-in, registers its agent only once it
 * sees a model people bring themselves, such as Cohere's. Until then VS Code hands the prompt to a placeholder that
 * asks for a Copilot sign-in, and closing that answers "You need to set up GitHub Copilot and be signed in".
 * Its log says when it starts: the last "ConversationFeature: … contributions" line is "Activating".
 */
export async function waitForVsCodeAgent(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const states = (await copilotChatLog()).match(
            /ConversationFeature: (Activating|Deactivating) contributions/g,
        );
        if (states?.at(-1)?.includes('Activating')) return;
        if (Date.now() > deadline) {
            const tail = (await copilotChatLog()).split('\n').slice(-15).join('\n');
            throw new Error(`VS Code's agent (Copilot Chat) never started its chat; its log ends:\n${tail}`);
        }
        await e2e().page.waitForTimeout(250);
    }
}

/**
 * Types a prompt into the Chat view's input (slowly enough for `@` completion) and sends it. A prompt that is not
 * addressed to a participant goes to VS Code's own agent, so it is sent once that agent is there.
 */
export async function sendNativePrompt(page: Page, prompt: string): Promise<void> {
    await showNativeChat(page);
    if (!prompt.startsWith('@')) await waitForVsCodeAgent();
    await chatInput(page).click();
    await page.keyboard.type(prompt, { delay: 15 });
    // A completion list that opened for `@` or `#` would take the Enter.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
}

/** The last response of the Chat view, once it holds `expected` (a finished reply's last words). */
export async function nativeResponseWith(page: Page, expected: RegExp, timeoutMs = 60_000): Promise<Locator> {
    const response = chatPart(page).locator('.interactive-item-container.interactive-response').last();
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
        text = (await response.innerText({ timeout: 1_000 }).catch(() => '')) ?? '';
        if (expected.test(text)) return response;
        // VS Code's sign-in dialog means the prompt reached its setup placeholder instead of its agent (see
        // waitForVsCodeAgent); closing it would only end in "You need to set up GitHub Copilot", so say so now.
        const signIn = page.locator('.monaco-dialog-box', { hasText: 'Sign in to use GitHub Copilot' });
        if (await signIn.isVisible().catch(() => false)) {
            throw new Error(
                'VS Code asked for a Copilot sign-in: the prompt went to its setup, not to its agent',
            );
        }
        await page.waitForTimeout(250);
    }
    throw new Error(
        `the Chat view's last response never matched ${String(expected)}: ${JSON.stringify(text.slice(0, 800))}`,
    );
}
