// The workbench as the look scenarios need it: the chat in the sidebar at 300 px beside the chat tab, only
// those two on screen, a theme picked and taken up by both webviews, and the sidebar's title actions in view.
import type { Locator, Page } from 'playwright-core';
import {
    chatFrame,
    hidePart,
    hideSecondarySideBar,
    openActivity,
    runCommand,
    setColorTheme,
} from './workbench';
import type { WebviewKind } from './workbench';

/** A theme as the Color Theme picker names it, the class the workbench takes, and the webview's kind. */
export interface LookTheme {
    /** In the pictures' file names. */
    slug: string;
    label: string;
    workbenchClass: string;
    kind: string;
}

export const THEMES: readonly LookTheme[] = [
    { slug: 'dark-modern', label: 'Dark Modern', workbenchClass: 'vs-dark', kind: 'vscode-dark' },
    { slug: 'light-modern', label: 'Light Modern', workbenchClass: 'vs', kind: 'vscode-light' },
    {
        slug: 'dark-hc',
        label: 'Dark High Contrast',
        workbenchClass: 'hc-black',
        kind: 'vscode-high-contrast',
    },
    {
        slug: 'light-hc',
        label: 'Light High Contrast',
        workbenchClass: 'hc-light',
        kind: 'vscode-high-contrast-light',
    },
];

/** Where the chat is shown, the workbench part around it, and the theme colour behind it. */
export interface LookPlace {
    name: 'sidebar' | 'tab';
    kind: WebviewKind;
    part: string;
    background: string;
}

export const PLACES: readonly LookPlace[] = [
    { name: 'sidebar', kind: 'view', part: '.part.sidebar', background: '--vscode-sideBar-background' },
    { name: 'tab', kind: 'panel', part: '.part.editor', background: '--vscode-editor-background' },
];

/** The default sidebar width the issue names. */
export const SIDEBAR_WIDTH = 300;

/** The view/title actions the sidebar's chat puts in VS Code's own title bar (issue 8: one header). */
export const SIDEBAR_ACTIONS = ['New Chat', 'Show History', 'Select Model'] as const;

/** The sidebar's title-bar action whose label starts with `label`. */
export function sidebarAction(page: Page, label: string): Locator {
    return page.locator(`.part.sidebar .title-actions a.action-label[aria-label^="${label}"]`).first();
}

/** Drags the sash between the sidebar and the editor until the sidebar is `width` px wide, as a person would. */
export async function setSidebarWidth(page: Page, width: number): Promise<void> {
    const sidebar = page.locator('.part.sidebar');
    for (let attempt = 0; attempt < 3; attempt++) {
        const box = await sidebar.boundingBox();
        if (!box) throw new Error('the sidebar is not on screen');
        if (Math.round(box.width) === width) return;
        const edge = box.x + box.width;
        const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((nodes) =>
            nodes.map((node) => {
                const rect = node.getBoundingClientRect();
                return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, h: rect.height };
            }),
        );
        const sash = sashes
            .filter((s) => s.h > 100 && Math.abs(s.x - edge) < 6)
            .sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
        if (!sash) throw new Error(`no sash at the sidebar's edge (x ${edge})`);
        await page.mouse.move(sash.x, sash.y);
        await page.mouse.down();
        await page.mouse.move(sash.x + (width - box.width) / 2, sash.y, { steps: 4 });
        await page.mouse.move(sash.x + (width - box.width), sash.y, { steps: 4 });
        await page.mouse.up();
    }
    const final = await sidebar.boundingBox();
    if (Math.round(final?.width ?? 0) !== width)
        throw new Error(`the sidebar is ${final?.width} px wide, not ${width}`);
}

/**
 * The window the pictures show: no editors but the chat tab, no bottom panel or secondary side bar, the
 * Cohere chat in the sidebar at SIDEBAR_WIDTH.
 */
export async function arrangeLookWindow(page: Page): Promise<void> {
    await runCommand(page, 'View: Close All Editor Groups');
    await hidePart(page, '.part.panel', 'View: Hide Panel');
    // VS Code 1.139 opens its own Chat in the secondary side bar.
    await hideSecondarySideBar(page);
    const active = page.locator('.activitybar .action-item.checked a[aria-label^="Cohere"]');
    if ((await active.count()) === 0 || !(await page.locator('.part.sidebar').isVisible()))
        await openActivity(page, 'Cohere');
    await chatFrame(page, 'view');
    await setSidebarWidth(page, SIDEBAR_WIDTH);
    await runCommand(page, 'Cohere: Chat');
    await chatFrame(page, 'panel');
}

/** The theme both webviews show now (the label VS Code gave them), '' before they have one. */
export async function shownTheme(page: Page): Promise<string> {
    const frame = await chatFrame(page, 'view');
    return (await frame.locator('body').getAttribute('data-vscode-theme-name')) ?? '';
}

/** Picks `theme` and waits until the workbench and both chat webviews have taken it up. */
export async function useTheme(page: Page, theme: LookTheme): Promise<void> {
    if ((await shownTheme(page)) !== theme.label) await setColorTheme(page, theme.label);
    await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor();
    for (const place of PLACES) {
        const frame = await chatFrame(page, place.kind);
        await frame.locator(`body[data-vscode-theme-name="${theme.label}"]`).waitFor();
        // The variables change with the body's attributes; one frame later the page is drawn with them.
        await frame.evaluate(
            'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))',
        );
    }
}

/** The sidebar's title bar: each action inside it, and the chat's own actions there (not in the overflow). */
export async function sidebarTitleProblems(page: Page): Promise<string[]> {
    const problems: string[] = [];
    const title = page.locator('.part.sidebar > .composite.title');
    const box = await title.boundingBox();
    if (!box) return ['the sidebar has no title bar'];
    for (const label of SIDEBAR_ACTIONS) {
        const action = sidebarAction(page, label);
        const rect = (await action.isVisible()) ? await action.boundingBox() : null;
        if (!rect) {
            problems.push(`"${label}" is not in the sidebar's title bar`);
            continue;
        }
        if (rect.x < box.x - 0.5 || rect.x + rect.width > box.x + box.width + 0.5)
            problems.push(`"${label}" is clipped by the sidebar's title bar`);
    }
    return problems;
}
