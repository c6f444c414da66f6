// What a person does in the VS Code workbench, as Playwright steps: the command palette, input boxes, the
// activity bar, editors, and finding the chat's webview among the workbench's nested iframes.
import type { Frame, Locator, Page } from 'playwright-core';

/** Opens the workbench and waits until it has rendered and restored its editors. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
    await page.goto(url);
    await waitForWorkbench(page);
}

/** Waits until the workbench has rendered and the extension's contributions are in (also after a reload). */
export async function waitForWorkbench(page: Page): Promise<void> {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    // The extension's activity-bar container appears once the extension host has read the manifest: from then
    // on its commands are in the palette.
    await page.locator('.activitybar .action-item a[aria-label^="Cohere"]').waitFor({ timeout: 60_000 });
}

/**
 * Reloads the window as a person does in VS Code ("Developer: Reload Window"): the workbench saves its state
 * (the open editors, each webview's state) and waits for it to be written before the page goes. A browser
 * reload (`page.reload()`) does not wait: VS Code starts that save in `beforeunload` without awaiting it, so
 * what opened in the last minute (the workbench's own save interval) may not come back — the case only the
 * extension's own copies can cover, which H5 checks.
 */
export async function reloadWindow(page: Page): Promise<void> {
    const loaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await loaded;
    await waitForWorkbench(page);
}

/** The text of a modal dialog or error notification on screen, if any (a failed command shows one). */
export async function visibleErrors(page: Page): Promise<string[]> {
    const texts = await page
        .locator(
            '.monaco-dialog-box .dialog-message-text, .notification-toast .notification-list-item-message',
        )
        .allInnerTexts();
    return texts.map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * Clears the notification toasts, as a person closes them: a toast sits over the bottom right of the window,
 * where the chat has its Stop and Send buttons.
 */
export async function clearNotifications(page: Page): Promise<void> {
    const toasts = page.locator('.notifications-toasts.visible');
    if ((await toasts.count()) === 0) return;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await toasts.waitFor({ state: 'detached' });
}

/** Waits for the quick input (palette or input box) to show. */
async function quickInputVisible(page: Page, timeout: number): Promise<boolean> {
    try {
        await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout });
        return true;
    } catch {
        return false;
    }
}

/**
 * F1, the command's title, Enter. The focus may be inside a webview iframe, which does not forward every key,
 * and a webview that has just loaded may take the focus back, closing the palette: so the palette is opened
 * again (from the workbench) when it does not open or does not stay open.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
    const input = page.locator('.quick-input-widget input.input');
    for (let attempt = 1; ; attempt++) {
        try {
            if (attempt > 1) await focusWorkbench(page);
            await page.keyboard.press('F1');
            if (!(await quickInputVisible(page, 2_000))) throw new Error('the command palette did not open');
            await input.fill(`>${title}`, { timeout: 3_000 });
            await pickRow(page, title, attempt < 3 ? 5_000 : 15_000);
            return;
        } catch (error) {
            if (attempt >= 3) throw error;
            await page.keyboard.press('Escape');
        }
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs the quick-input row whose label is exactly `label` (fuzzy matching may rank a longer label first):
 * the arrow keys move the focus onto it, then Enter. Not a click: the list reuses its row elements as it
 * filters, so a click aimed at one row could land on another command that took its place.
 */
async function pickRow(page: Page, label: string, timeout = 15_000): Promise<void> {
    const exact = new RegExp(`^${escapeRegExp(label)}$`);
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows
        .filter({ has: page.locator('.label-name', { hasText: exact }) })
        .first()
        .waitFor({ state: 'visible', timeout });
    const focused = page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first();
    const focusedLabel = async () =>
        ((await focused.textContent({ timeout: 1_000 }).catch(() => '')) ?? '').trim();
    for (let step = 0; step < 20; step++) {
        if (exact.test(await focusedLabel())) {
            await page.keyboard.press('Enter');
            return;
        }
        await page.keyboard.press('ArrowDown');
    }
    throw new Error(`no row labelled ${label} could be focused in the quick input`);
}

/**
 * Takes the keyboard focus out of a webview iframe, as a click on an empty part of the workbench would. (The
 * status bar's left end is the remote indicator, which opens a menu: not a place to click.)
 */
async function focusWorkbench(page: Page): Promise<void> {
    await page.evaluate(() => {
        const active = (
            globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }
        ).document.activeElement;
        active?.blur?.();
    });
}

/** Types into the open input box (e.g. the API key's password box) and presses Enter. */
export async function answerInputBox(
    page: Page,
    text: string,
    expect?: { password?: boolean },
): Promise<void> {
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    // The command palette that ran the command may still be up while the command starts the extension
    // (slow on VS Code 1.139): wait for the box itself, not the palette's "> command" line.
    const deadline = Date.now() + 30_000;
    for (;;) {
        const visible = await input.isVisible();
        const value = (await input.inputValue().catch(() => '')) ?? '';
        const type = await input.getAttribute('type').catch(() => null);
        const isPalette = value.startsWith('>');
        const typeMatches = expect?.password === undefined || (type === 'password') === expect.password;
        if (visible && !isPalette && typeMatches) break;
        if (Date.now() > deadline) {
            throw new Error(
                `input box type is ${String(type)} (value ${JSON.stringify(value.slice(0, 40))}), ` +
                    `expected password=${String(expect?.password)}`,
            );
        }
        await page.waitForTimeout(100);
    }
    await input.click();
    await page.keyboard.type(text);
    // Keys typed as the box settles can be lost on a loaded machine: confirm only what was asked.
    if ((await input.inputValue()) !== text) await input.fill(text);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Which kind of webview a frame belongs to. */
export type WebviewKind = 'panel' | 'view';

function isViewFrame(frame: Frame): boolean {
    // VS Code loads each webview in an outer iframe whose URL names its purpose; views say "webviewView".
    for (let parent = frame.parentFrame(); parent; parent = parent.parentFrame()) {
        if (parent.url().includes('purpose=webviewView')) return true;
    }
    return false;
}

async function hasApp(frame: Frame): Promise<boolean> {
    try {
        return (await frame.locator('#app').count()) > 0;
    } catch {
        return false; // A frame that navigated away while we looked.
    }
}

/**
 * The chat's content frame (the inner iframe that holds `#app`) of the panel or the sidebar view, waiting for
 * it to appear. A hidden webview keeps its frame, so the visible one is preferred.
 */
export async function chatFrame(page: Page, kind: WebviewKind, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const candidates: Frame[] = [];
        for (const frame of page.frames()) {
            if (frame === page.mainFrame() || isViewFrame(frame) !== (kind === 'view')) continue;
            if (await hasApp(frame)) candidates.push(frame);
        }
        for (const frame of candidates) {
            const element = await frame.frameElement().catch(() => undefined);
            const box = await element?.boundingBox().catch(() => null);
            if (box && box.width > 0 && box.height > 0) return frame;
        }
        if (candidates.length === 1 && candidates[0]) return candidates[0];
        await page.waitForTimeout(250);
    }
    const urls = page.frames().map((f) => f.url());
    throw new Error(`no ${kind} webview with #app within ${timeoutMs} ms; frames:\n${urls.join('\n')}`);
}

/**
 * Opens a file of the workspace from the Explorer, as a person would. (Quick Open's file search needs ripgrep,
 * which the offline code-server install leaves out.)
 */
export async function openFile(page: Page, name: string): Promise<void> {
    await runCommand(page, 'View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Picks a color theme with "Preferences: Color Theme", typing its name as shown in the list. */
export async function setColorTheme(page: Page, label: string): Promise<void> {
    await runCommand(page, 'Preferences: Color Theme');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(label);
    await pickRow(page, label);
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Sets a boolean setting in the Settings editor: search for its id, click its checkbox until it shows `value`,
 * close the editor. (VS Code in the browser does not notice a settings.json rewritten behind its back.) The
 * checkbox is found by its setting's key: the editor reopens on its last search, so until the new search has run
 * (slower on VS Code 1.139) the first checkbox is the setting changed last, and clicking it changed that one.
 */
export async function setBooleanSetting(page: Page, id: string, value: boolean): Promise<void> {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    const search = page.locator('.settings-editor .settings-header .monaco-editor').first();
    await search.waitFor({ state: 'visible' });
    await search.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`@id:${id}`);
    const checkbox = page
        .locator(`.settings-editor .setting-item-contents[data-key="${id}"] .setting-value-checkbox`)
        .first();
    await checkbox.waitFor({ state: 'visible' });
    const deadline = Date.now() + 10_000;
    while ((await checkbox.getAttribute('aria-checked')) !== String(value)) {
        if (Date.now() > deadline) throw new Error(`setting ${id} would not become ${String(value)}`);
        await checkbox.click();
        await page.waitForTimeout(300);
    }
    await runCommand(page, 'View: Close Editor');
}

/**
 * Selects whole lines `from`..`to` (1-based, inclusive) in the active editor as a person does with the mouse:
 * a click on the first line's number, a Shift+click on the last one's; then checks the status bar agrees.
 */
export async function selectLines(page: Page, from: number, to: number): Promise<void> {
    const lineNumber = (n: number) =>
        page
            .locator('.editor-instance .monaco-editor .margin-view-overlays .line-numbers')
            .filter({ hasText: new RegExp(`^\\s*${n}\\s*$`) })
            .first();
    await lineNumber(from).click();
    await lineNumber(to).click({ modifiers: ['Shift'] });
    const status = page.locator('#status\\.editor\\.selection');
    const expected = new RegExp(`Ln ${to + 1}, Col 1 \\(\\d+ selected\\)`);
    const deadline = Date.now() + 5_000;
    let shown = await status.innerText();
    while (!expected.test(shown)) {
        if (Date.now() > deadline)
            throw new Error(`lines ${from}-${to} not selected; the status bar says "${shown}"`);
        await page.waitForTimeout(100);
        shown = await status.innerText();
    }
}

/** The cursor's line as the status bar shows it ("Ln 12, Col 1"). */
export async function cursorLine(page: Page): Promise<number> {
    const text = await page.locator('#status\\.editor\\.selection').innerText();
    const match = /Ln (\d+)/.exec(text);
    if (!match?.[1]) throw new Error(`no line in the status bar item: ${text}`);
    return Number(match[1]);
}

/** Right-clicks the editor and picks `label` from its context menu. */
export async function editorContextMenu(page: Page, label: string): Promise<void> {
    const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
    // Right-click inside the selection, so the editor keeps it.
    const selected = page.locator('.editor-instance .monaco-editor .selected-text').first();
    const target = (await selected.count()) > 0 ? selected : lines;
    // The editor's own layers sit above these elements: click where they are, as a mouse would.
    const box = await target.boundingBox();
    if (!box) throw new Error('the editor is not on screen');
    await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2, { button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    const item = menu.locator('.action-item', { hasText: label }).first();
    await item.waitFor({ state: 'visible' });
    await clickMenuItem(page, menu, item);
}

/**
 * Clicks `item` of the context menu `menu`. A click that lands while the menu is still settling only
 * highlights the item, and Enter then runs it — but only if the menu is still up after a generous wait (or
 * `ran`, what the item opens, has not shown): on a loaded machine a click that ran the item can leave the
 * menu up for over a second, and an Enter then ran the item a second time.
 */
export async function clickMenuItem(page: Page, menu: Locator, item: Locator, ran?: Locator): Promise<void> {
    await item.hover();
    await item.click();
    try {
        await (ran ?? menu).waitFor({ state: ran ? 'visible' : 'hidden', timeout: 5_000 });
    } catch {
        if (await menu.isVisible()) await page.keyboard.press('Enter');
    }
    await menu.waitFor({ state: 'hidden' });
}

/** Clicks the activity bar's entry whose label starts with `label` (e.g. the "Cohere" container). */
export async function openActivity(page: Page, label: string): Promise<void> {
    const item = page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first();
    await item.click();
}

/**
 * A tab's title as a person reads it. VS Code 1.139 lays a file's name and extension out in separate boxes, so
 * innerText breaks the line between them ("app\n.ts"): the title is its text with the layout's line breaks taken out.
 */
function tabTitleOf(innerText: string): string {
    return innerText.replace(/\s*\n\s*/g, '').trim();
}

/** The title of the active editor group's active tab. */
export async function activeTabTitle(page: Page): Promise<string> {
    const tab = page.locator('.editor-group-container.active .tab.active').first();
    return tabTitleOf(await tab.innerText());
}

/** The titles of all editor tabs, in every group, sorted. */
export async function tabTitles(page: Page): Promise<string[]> {
    const texts = await page.locator('.tabs-container .tab').allInnerTexts();
    return texts.map(tabTitleOf).sort();
}

/** The editor tab (in any group) whose title is `title`. */
export function tabTitled(page: Page, title: string): Locator {
    const exact = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`);
    return page.locator('.tabs-container .tab').filter({ hasText: exact }).first();
}

/** Hides a workbench part that is on screen, with the palette command that hides it. */
export async function hidePart(page: Page, part: string, command: string): Promise<void> {
    if (await page.locator(part).isVisible()) {
        await runCommand(page, command);
        await page.locator(part).waitFor({ state: 'hidden' });
    }
}

/**
 * Hides the secondary side bar: VS Code 1.139 opens its own Chat there, and in a window as narrow as the
 * tests' its welcome view lies over the editor's right edge, where a chat tab keeps its title actions.
 */
export function hideSecondarySideBar(page: Page): Promise<void> {
    return hidePart(page, '.part.auxiliarybar', 'View: Hide Secondary Side Bar');
}

/**
 * Drags the Explorer's row `name` onto `target` (an element in a webview) as a person does: press on the row,
 * move a little so the drag starts, hold Shift (VS Code hands a drag to a webview only while Shift is down;
 * without it the editor area takes the drop and opens the file), move over the target in steps and drop.
 */
export async function dragFromExplorer(page: Page, name: string, target: Locator): Promise<void> {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.scrollIntoViewIfNeeded();
    const from = await row.boundingBox();
    const to = await target.boundingBox();
    if (from === null || to === null)
        throw new Error(`the Explorer row ${name} or the drop target is not on screen`);
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const end = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 12, start.y + 4, { steps: 3 });
    await page.keyboard.down('Shift');
    try {
        await page.mouse.move(end.x, end.y, { steps: 12 });
        // The workbench hears Shift on a dragover and gives the webview its pointer back; the next moves
        // land in the webview's page.
        await page.mouse.move(end.x + 4, end.y + 4, { steps: 4 });
        await page.mouse.up();
    } finally {
        await page.keyboard.up('Shift');
    }
}
