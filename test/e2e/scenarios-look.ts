// Issue 8's proof in VS Code itself: each state of the chat (empty, streaming, stopped, thinking, citations
// open, an error, MAX_TOKENS, history open) in the sidebar at 300 px and in the editor tab side by side, in
// Dark Modern, Light Modern, Dark High Contrast and Light High Contrast. Each state is made once (one reply
// in each place) and pictured in the four themes; in each, the layout rule is checked inside the webview:
// nothing wider than the view, headers and toolbars whole, targets of 24×24 px, legible text, and the
// body in the theme's own colours. Pictures: test-results/look/vscode-<version>/<theme>-<place>-<state>.png
// (place: sidebar, tab, or the whole window).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { currentLane, REPO_ROOT } from '../../scripts/code-server';
import { openCitation, sendMessage, waitForChatReady, waitForStatus } from './chat';
import type { TurnStatus } from './chat';
import { e2e, scenario } from './context';
import { probeLook, workbenchColors } from './look-probe';
import type { LookReport } from './look-probe';
import {
    arrangeLookWindow,
    PLACES,
    shownTheme,
    SIDEBAR_WIDTH,
    sidebarAction,
    sidebarTitleProblems,
    THEMES,
    useTheme,
} from './look-workbench';
import type { LookPlace, LookTheme } from './look-workbench';
import { answerInputBox, chatFrame, clearNotifications, runCommand } from './workbench';

/** Where the pictures go, one folder per VS Code lane. */
export const LOOK_DIR = join(REPO_ROOT, 'test-results', 'look', `vscode-${currentLane().vscodeVersion}`);

const SEND = '.composer-toolbar [data-action="send"]';
const STOP = '.composer-toolbar [data-action="stop"]';

/** Body text against its background (WCAG 2.x AA for normal text). */
const MIN_TEXT_CONTRAST = 4.5;

async function frames(): Promise<Record<LookPlace['name'], Frame>> {
    const { page } = e2e();
    return { sidebar: await chatFrame(page, 'view'), tab: await chatFrame(page, 'panel') };
}

/** What breaks the layout rule in one place and theme, in words (empty: nothing). */
function problemsOf(report: LookReport, place: LookPlace, theme: LookTheme, colors: Record<string, string>) {
    const where = `${theme.slug} ${place.name}`;
    const problems = [
        ...report.overflow.map((what) => `${where}: wider than the view: ${what}`),
        ...report.clipped.map((what) => `${where}: clipped: ${what}`),
        ...report.small.map((what) => `${where}: target under 24×24 px: ${what}`),
        ...report.contrast
            .filter((shown) => shown.ratio < MIN_TEXT_CONTRAST)
            .map(
                (shown) =>
                    `${where}: contrast ${shown.ratio.toFixed(2)} of ${shown.what} "${shown.text}" ` +
                    `(${shown.color} on ${shown.background})`,
            ),
    ];
    if (report.controls === 0) problems.push(`${where}: no control measured`);
    if (report.body.kind !== theme.kind) problems.push(`${where}: theme kind ${report.body.kind}`);
    if (report.body.color !== colors['--vscode-foreground'])
        problems.push(
            `${where}: body text ${report.body.color}, the theme's ${colors['--vscode-foreground']}`,
        );
    if (report.body.background !== colors[place.background])
        problems.push(
            `${where}: background ${report.body.background}, the theme's ${colors[place.background]}`,
        );
    if (place.name === 'sidebar' && (report.width > SIDEBAR_WIDTH || report.width < SIDEBAR_WIDTH - 10))
        problems.push(`${where}: the view is ${report.width} px wide`);
    return problems;
}

let themeNow: string | undefined;

/**
 * Pictures the state both places show in the four themes (starting with the one on screen, so one fewer
 * switch), checks the layout rule in each, and fails listing everything that broke it.
 */
async function shootInThemes(state: string): Promise<void> {
    const { page } = e2e();
    await mkdir(LOOK_DIR, { recursive: true });
    await clearNotifications(page);
    themeNow ??= await shownTheme(page);
    const start = Math.max(
        0,
        THEMES.findIndex((theme) => theme.label === themeNow),
    );
    const order = [...THEMES.slice(start), ...THEMES.slice(0, start)];
    const problems: string[] = [];
    const lowest: string[] = [];
    for (const theme of order) {
        await useTheme(page, theme);
        themeNow = theme.label;
        // The pointer rests on the activity bar's empty part: no hover state in the pictures.
        await page.mouse.move(24, 600);
        const colors = await workbenchColors(page.mainFrame(), [
            '--vscode-foreground',
            ...PLACES.map((place) => place.background),
        ]);
        for (const place of PLACES) {
            const report = await probeLook(await chatFrame(page, place.kind));
            problems.push(...problemsOf(report, place, theme, colors));
            const worst = report.contrast[0];
            if (worst) lowest.push(`${theme.slug} ${place.name} ${worst.ratio.toFixed(1)} (${worst.what})`);
            await page
                .locator(place.part)
                .screenshot({ path: join(LOOK_DIR, `${theme.slug}-${place.name}-${state}.png`) });
        }
        // The whole window too: both places side by side, as a person sees them.
        await page.screenshot({ path: join(LOOK_DIR, `${theme.slug}-window-${state}.png`) });
        problems.push(...(await sidebarTitleProblems(page)).map((what) => `${theme.slug}: ${what}`));
    }
    console.log(`[e2e] ${state}: lowest text contrast ${lowest.join('; ')}`);
    assert.deepEqual(problems, [], `the layout rule in state "${state}"`);
}

/** A new chat in both places (the sidebar's from its title bar, the tab's from its header). */
async function newChats(): Promise<Record<LookPlace['name'], Frame>> {
    const { page } = e2e();
    const shown = await frames();
    await sidebarAction(page, 'New Chat').click();
    await shown.tab.locator('[data-action="new-chat"]').click();
    for (const frame of Object.values(shown)) {
        await frame.locator('.turn').first().waitFor({ state: 'detached' });
        await waitForChatReady(frame);
    }
    return shown;
}

/** What each place asks in one state: long enough that the automatic title ends before the marker. */
type Asks = Record<LookPlace['name'], string>;

/**
 * Sends each place's question, with the fake server's scenario `spec`, in a new chat in both places. The
 * marker goes in a markdown comment (a link reference definition renders as nothing), so the pictures show
 * the question as a person would have asked it.
 */
async function sendInBoth(asks: Asks, spec: string): Promise<Record<LookPlace['name'], Locator>> {
    const shown = await newChats();
    const marker = `\n\n[//]: # "[[fake:${spec}]]"`;
    return {
        sidebar: await sendMessage(shown.sidebar, `${asks.sidebar}${marker}`),
        tab: await sendMessage(shown.tab, `${asks.tab}${marker}`),
    };
}

async function bothReach(turns: Record<string, Locator>, status: TurnStatus): Promise<void> {
    for (const turn of Object.values(turns)) await waitForStatus(turn, status);
}

/** Registers the scenarios in order; they build on each other. */
export function lookScenarios(): void {
    scenario('L1. The look: the chat in the sidebar at 300 px beside the chat tab, empty', async () => {
        const { page, apiKey } = e2e();
        // Run alone (`--test-name-pattern='^L'`) these scenarios still need a key.
        await runCommand(page, 'Cohere: Set API Key');
        await answerInputBox(page, apiKey, { password: true });
        await arrangeLookWindow(page);
        const shown = await newChats();
        for (const frame of Object.values(shown)) {
            await frame.locator('.empty-state .suggestion').first().waitFor();
            assert.equal(await frame.locator('.empty-state .suggestion').count(), 4);
        }
        // One header: the sidebar's is VS Code's own title bar, the tab has the webview's slim one.
        assert.equal(await shown.sidebar.locator('.chat-header').isVisible(), false);
        assert.equal(await shown.tab.locator('.chat-header').isVisible(), true);
        await shootInThemes('empty');
    });

    let streaming: Record<string, Locator> = {};
    scenario('L2. The look: a reply streaming, with Stop in place of Send', async () => {
        // 3000 deltas 50 ms apart: it streams for minutes, longer than its pictures take.
        streaming = await sendInBoth(
            {
                sidebar: 'Tell me a long story about emperor penguins and their winter on the sea ice',
                tab: 'Tell me a long story about the Antarctic winter and the colonies that live through it',
            },
            'long?events=3000,slow?ms=50',
        );
        for (const [place, turn] of Object.entries(streaming)) {
            await turn.locator('.reply .markdown').filter({ hasText: /\S/ }).waitFor();
            const frame = (await frames())[place as LookPlace['name']];
            assert.equal(await frame.locator(STOP).isVisible(), true, `${place}: Stop shows`);
            assert.equal(await frame.locator(SEND).isVisible(), false, `${place}: Send is hidden`);
        }
        await shootInThemes('streaming');
        for (const turn of Object.values(streaming))
            assert.equal(await turn.getAttribute('data-status'), 'streaming', 'pictured while it streamed');
    });

    scenario('L3. The look: a stopped reply', async () => {
        const shown = await frames();
        for (const frame of Object.values(shown)) await frame.locator(STOP).click();
        await bothReach(streaming, 'stopped');
        await shootInThemes('stopped');
    });

    scenario('L4. The look: a reply with its thinking open', async () => {
        const turns = await sendInBoth(
            {
                sidebar: 'How many penguin species are there, and which of them live in Antarctica?',
                tab: 'Why do emperor penguins huddle together through the long Antarctic winter?',
            },
            'reasoning',
        );
        await bothReach(turns, 'complete');
        for (const turn of Object.values(turns)) {
            const thinking = turn.locator('details.thinking').first();
            if ((await thinking.getAttribute('open')) === null) await thinking.locator('summary').click();
            await thinking.locator('.thinking-text').filter({ hasText: /\S/ }).waitFor();
        }
        await shootInThemes('thinking');
    });

    scenario('L5. The look: a reply with a citation opened', async () => {
        const turns = await sendInBoth(
            {
                sidebar: 'Where do emperor penguins live, and how do they survive the winter there?',
                tab: 'What do the documents say about where emperor penguins breed and raise their chicks?',
            },
            'rag',
        );
        await bothReach(turns, 'complete');
        for (const turn of Object.values(turns)) await openCitation(turn, 1);
        await shootInThemes('citations');
    });

    scenario('L6. The look: a reply cut off by the network, its error shown once', async () => {
        const turns = await sendInBoth(
            {
                sidebar: 'Summarise what the documents say about penguin colonies, in a few sentences',
                tab: 'Summarise what the documents say about krill and sea ice, in a few sentences',
            },
            'text,cut-before-end',
        );
        await bothReach(turns, 'failed');
        for (const turn of Object.values(turns)) {
            assert.equal(await turn.locator('.turn-error').count(), 1);
            const message = (await turn.locator('.turn-error .error-headline').innerText()).trim();
            const repeats = await turn.getByText(message, { exact: true }).count();
            assert.equal(repeats, 1, `the error "${message}" shows once`);
        }
        await shootInThemes('error');
    });

    scenario('L7. The look: a reply cut at MAX_TOKENS, with Continue', async () => {
        const turns = await sendInBoth(
            {
                sidebar: 'Tell me everything you know about krill, as one long and detailed answer please',
                tab: 'Tell me everything you know about sea ice, as one long and detailed answer please',
            },
            'max-tokens',
        );
        await bothReach(turns, 'complete');
        for (const turn of Object.values(turns))
            await turn.locator('.finish-reason[data-reason="MAX_TOKENS"] [data-action="continue"]').waitFor();
        await shootInThemes('max-tokens');
    });

    scenario('L8. The look: the history overlay, over the chat', async () => {
        const { page } = e2e();
        const shown = await frames();
        await sidebarAction(page, 'Show History').click();
        await shown.tab.locator('[data-action="history"]').click();
        for (const frame of Object.values(shown)) {
            await frame.locator('#history').waitFor();
            await frame.locator('#history .history-item').first().waitFor();
        }
        await shootInThemes('history');
        for (const frame of Object.values(shown)) {
            await frame.locator('#history [data-action="close-history"]').click();
            await frame.locator('#history').waitFor({ state: 'hidden' });
        }
        // The scenarios after these expect the theme the run started with.
        await useTheme(page, THEMES[0]!);
        themeNow = THEMES[0]!.label;
    });
}
