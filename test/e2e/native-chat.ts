// What a person does in VS Code's own Chat view (VS Code 1.139, the secondary side bar), as Playwright steps:
// open the view, start a new chat, pick a model in the model picker, type and send, read the last response.
import type { Locator, Page } from 'playwright-core';
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

/** Types a prompt into the Chat view's input (slowly enough for `@` completion) and sends it. */
export async function sendNativePrompt(page: Page, prompt: string): Promise<void> {
    await showNativeChat(page);
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
        // VS Code 1.139 sometimes asks for a Copilot sign-in as its agent starts (in some runs, not others); a
        // person without Copilot closes that dialog and the Cohere model goes on.
        const signIn = page.locator('.monaco-dialog-box', { hasText: 'Sign in to use GitHub Copilot' });
        if (await signIn.isVisible().catch(() => false)) {
            await signIn
                .locator('.dialog-close-action, .codicon-dialog-close, .codicon-close')
                .first()
                .click();
        }
        await page.waitForTimeout(250);
    }
    throw new Error(
        `the Chat view's last response never matched ${String(expected)}: ${JSON.stringify(text.slice(0, 800))}`,
    );
}
