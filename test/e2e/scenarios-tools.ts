// Issue 11 in real VS Code: with cohere.tools.enabled on, the model reads two workspace files and its
// citations open the lines read; an edit proposal opens as a diff — Reject leaves the file, Apply changes
// it; Stop ends a tool loop; run_command asks, showing the exact command.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { clickAction, lastTurn, openCitation, sendMessage, waitForStatus } from './chat';
import { e2e, scenario, showChatPanel } from './context';
import { activeTabTitle, setBooleanSetting } from './workbench';

const APP = 'export function main(): string {\n    return greet("world");\n}\n';
const GREET = 'export function greet(name: string): string {\n    return `Hello, ${name}!`;\n}\n';

/** Clicks a button of the notification whose text matches. */
async function answerNotification(page: Page, text: RegExp, button: string): Promise<void> {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    await toast.locator('.monaco-button', { hasText: button }).first().click();
}

async function waitForFile(file: string, predicate: (text: string) => boolean): Promise<string> {
    const deadline = Date.now() + 15_000;
    let text = await readFile(file, 'utf8');
    while (!predicate(text) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        text = await readFile(file, 'utf8');
    }
    return text;
}

/** Registers the tool scenarios in order (they share the workspace's src/ folder). */
export function toolScenarios(): void {
    scenario('T1. The model reads two files; its citation opens the lines it read', async () => {
        const { page, workspace } = e2e();
        await mkdir(join(workspace, 'src'), { recursive: true });
        await writeFile(join(workspace, 'src', 'app.ts'), APP);
        await writeFile(join(workspace, 'src', 'greet.ts'), GREET);
        await setBooleanSetting(page, 'cohere.tools.enabled', true);
        const frame = await showChatPanel();
        const turn = await sendMessage(frame, 'What does the source do? [[fake:tools-read?dir=src]]');
        await waitForStatus(turn, 'complete');
        assert.equal(await turn.locator('.tool-step').count(), 2);
        assert.equal(await turn.locator('.tool-call .tool-name', { hasText: 'read_file' }).count(), 2);
        const sources = await openCitation(turn, 1);
        const source = sources.locator('button.source[data-document-id]').first();
        assert.match(await source.locator('.source-title').innerText(), /^src\/app\.ts:1-3$/);
        await source.click();
        const deadline = Date.now() + 10_000;
        while (!(await activeTabTitle(page)).includes('app.ts') && Date.now() < deadline)
            await page.waitForTimeout(200);
        assert.match(await activeTabTitle(page), /app\.ts/);
    });

    scenario('T2. An edit proposal is a diff: Reject leaves the file, Apply changes it', async () => {
        const { page, workspace } = e2e();
        const file = join(workspace, 'src', 'greet.ts');
        let frame = await showChatPanel();
        let turn = await sendMessage(frame, 'Mark the greeting [[fake:tools-edit?file=src/greet.ts]]');
        await page
            .locator('.tab', { hasText: /greet\.ts ↔ proposed by Cohere/ })
            .first()
            .waitFor({ timeout: 20_000 });
        await answerNotification(page, /proposes a change to src\/greet\.ts/, 'Reject');
        await waitForStatus(turn, 'complete');
        assert.equal(await turn.locator('.tool-change').first().getAttribute('data-outcome'), 'rejected');
        assert.equal(await readFile(file, 'utf8'), GREET, 'a rejected change leaves the file');

        frame = await showChatPanel();
        turn = await sendMessage(frame, 'Mark the greeting again [[fake:tools-edit?file=src/greet.ts]]');
        await answerNotification(page, /proposes a change to src\/greet\.ts/, 'Apply');
        await waitForStatus(turn, 'complete');
        assert.equal(await turn.locator('.tool-change').first().getAttribute('data-outcome'), 'applied');
        const edited = await waitForFile(file, (text) => text.includes('(edited)'));
        assert.ok(edited.startsWith('export function greet(name: string): string { (edited)\n'), edited);
    });

    scenario('T3. Stop ends a tool loop at once', async () => {
        const frame = await showChatPanel();
        const turn = await sendMessage(
            frame,
            'Keep reading [[fake:tools-loop?file=src/app.ts,slow?ms=150&times=inf]]',
        );
        await turn.locator('.tool-step').first().waitFor({ timeout: 20_000 });
        await clickAction(frame, 'stop');
        await waitForStatus(turn, 'stopped', 10_000);
        const steps = await turn.locator('.tool-step').count();
        await e2e().page.waitForTimeout(1000);
        assert.equal(await turn.locator('.tool-step').count(), steps, 'no step after Stop');
    });

    scenario('T4. run_command asks first, showing the exact command', async () => {
        const { page } = e2e();
        await setBooleanSetting(page, 'cohere.tools.runCommand', true);
        const frame = await showChatPanel();
        const command = 'echo cohere-was-here';
        const turn = await sendMessage(frame, `Run it [[fake:tools-command?command=${command}]]`);
        const dialog = page.locator('.monaco-dialog-box').first();
        await dialog.waitFor({ state: 'visible', timeout: 20_000 });
        assert.match(await dialog.innerText(), /echo cohere-was-here/);
        await page.keyboard.press('Escape');
        await waitForStatus(turn, 'complete');
        assert.match(await lastTurn(frame).locator('.reply').innerText(), /declined/);
        await setBooleanSetting(page, 'cohere.tools.runCommand', false);
        await setBooleanSetting(page, 'cohere.tools.enabled', false);
    });
}
