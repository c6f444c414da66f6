// Scenarios 8 and 9 of issue 4: the chat tab and its conversation come back after a reload of the page;
// light, dark and high-contrast themes keep the text legible (screenshots in test-results/; the README's
// pictures are chosen from the look scenarios', scenarios-look.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { openCitation, waitForStatus } from './chat';
import { e2e, scenario, showChatPanel } from './context';
import { RESULTS_DIR, SAMPLE_FILE } from './harness';
import { askAboutSelection } from './scenarios-selection';
import { chatFrame, reloadWindow, runCommand, setColorTheme, tabTitles } from './workbench';

interface ShownTurn {
    id: string | null;
    status: string | null;
    prompt: string;
    reply: string;
}

async function shownTurns(frame: Frame): Promise<ShownTurn[]> {
    return frame.locator('.turn').evaluateAll((turns) =>
        turns.map((turn) => ({
            id: turn.getAttribute('data-turn-id'),
            status: turn.getAttribute('data-status'),
            prompt: (turn.querySelector('.prompt')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
            reply: (turn.querySelector('.reply .markdown')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        })),
    );
}

function rgbOf(css: string): number[] {
    return (css.match(/[\d.]+/g) ?? []).map(Number);
}

function luminance(css: string): number {
    const [r = 0, g = 0, b = 0] = rgbOf(css);
    const channel = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG contrast ratio between the reply's text and what is behind it, as the webview computes them. */
async function replyContrast(frame: Frame): Promise<{ ratio: number; color: string; background: string }> {
    // The page function defines no functions of its own: tsx would wrap them in a helper the page lacks.
    const styles = await frame
        .locator('.turn .reply .markdown')
        .last()
        .evaluate((element) => {
            // Runs in the page: its DOM globals are not in this (Node) project's lib.
            interface Styled {
                parentElement: Styled | null;
            }
            const view = globalThis as unknown as {
                getComputedStyle(n: Styled): { color: string; backgroundColor: string };
            };
            const backgrounds: string[] = [];
            for (let node: Styled | null = element; node; node = node.parentElement) {
                backgrounds.push(view.getComputedStyle(node).backgroundColor);
            }
            return { color: view.getComputedStyle(element).color, backgrounds };
        });
    // The first background that is (nearly) opaque is the one the text is read against.
    const background =
        styles.backgrounds.find((css) => {
            const alpha = rgbOf(css)[3];
            return alpha === undefined || alpha > 0.5;
        }) ?? 'rgb(255, 255, 255)';
    const [high = 0, low = 0] = [luminance(styles.color), luminance(background)].sort((x, y) => y - x);
    return { ratio: (high + 0.05) / (low + 0.05), color: styles.color, background };
}

const THEMES = [
    // `theme` is the name the Color Theme picker shows (VS Code 1.100).
    { name: 'dark', theme: 'Dark Modern', bodyClass: 'vs-dark', minimum: 4.5 },
    { name: 'light', theme: 'Light Modern', bodyClass: 'vs', minimum: 4.5 },
    { name: 'high-contrast', theme: 'Dark High Contrast', bodyClass: 'hc-black', minimum: 7 },
] as const;

/** Registers the scenarios in order. */
export function reloadAndThemeScenarios(): void {
    scenario(
        '8. After "Developer: Reload Window" the chat tab and its conversation come back as they were',
        async () => {
            const { page } = e2e();
            const shown = await showChatPanel();
            // The tab shows its conversation a moment after its page is up (the host sends it once the page
            // says it is ready): wait for it, and for every turn in it to have ended, before reading it.
            await shown.locator('.turn').first().waitFor({ timeout: 15_000 });
            await shown
                .locator('.turn[data-status="streaming"]')
                .first()
                .waitFor({ state: 'detached', timeout: 15_000 });
            const before = await shownTurns(shown);
            assert.ok(before.length >= 1, 'the chat tab shows a conversation before the reload');
            // All the tabs, not the active one: the group the chat is revealed in may become active a moment
            // after the command returns (the chat sits beside the editor here), and reading then would check
            // the editor's tab.
            const tabs = await tabTitles(page);
            assert.ok(
                tabs.some((title) => title !== '' && title !== SAMPLE_FILE),
                `the chat tab has a title: ${JSON.stringify(tabs)}`,
            );
            // VS Code's own reload: the tabs it brings back are those it saved, and it saves them before the
            // page goes only then (a browser reload can lose a tab opened in the last minute; two clean-clone
            // runs lost the chat tab scenario 11 had just opened that way).
            await reloadWindow(page);
            // The tabs are back under their titles, the chat's (its conversation's title) among them.
            const deadline = Date.now() + 30_000;
            let after = await tabTitles(page);
            while (JSON.stringify(after) !== JSON.stringify(tabs) && Date.now() < deadline) {
                await page.waitForTimeout(200);
                after = await tabTitles(page);
            }
            assert.deepEqual(after, tabs, 'the same tabs after the reload');
            const frame = await chatFrame(page, 'panel', 60_000);
            await frame
                .locator('.turn')
                .nth(before.length - 1)
                .waitFor({ timeout: 30_000 });
            assert.deepEqual(await shownTurns(frame), before);
        },
    );

    scenario(
        '9. Dark, light and high-contrast themes keep the reply legible (screenshots in test-results/)',
        async () => {
            const { page } = e2e();
            // A tidy window for the pictures: the sample file, and a new chat about its selected lines.
            await runCommand(page, 'View: Close All Editor Groups');
            await runCommand(page, 'Cohere: New Chat');
            await chatFrame(page, 'panel');
            const { turn } = await askAboutSelection('What do these lines define?');
            await waitForStatus(turn, 'complete');
            await openCitation(turn, 1);
            const ratios: string[] = [];
            for (const { name, theme, bodyClass, minimum } of THEMES) {
                await setColorTheme(page, theme);
                await page.locator(`.monaco-workbench.${bodyClass}`).waitFor({ timeout: 15_000 });
                // The webview restyles from VS Code's theme variables a moment after the workbench.
                await page.waitForTimeout(1_000);
                const contrast = await replyContrast(await chatFrame(page, 'panel'));
                ratios.push(
                    `${name} ${contrast.ratio.toFixed(1)} (${contrast.color} on ${contrast.background})`,
                );
                const file = join(RESULTS_DIR, `chat-${name}.png`);
                // A tidy picture: no "Analyzing 'sample.ts'…" spinner from the TypeScript server in the status bar.
                // It is only a picture's detail, so a spinner that stays is no failure.
                await page
                    .locator('.part.statusbar .codicon-loading')
                    .first()
                    .waitFor({ state: 'detached', timeout: 10_000 })
                    .catch(() => undefined);
                await page.screenshot({ path: file });
                assert.ok(
                    contrast.ratio >= minimum,
                    `${name}: contrast ${contrast.ratio.toFixed(2)} < ${minimum}`,
                );
            }
            console.log(`[e2e] reply contrast: ${ratios.join('; ')}`);
            await setColorTheme(page, 'Dark Modern');
        },
    );
}
