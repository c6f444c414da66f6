// Issue 11 in real VS Code: with cohere.tools.enabled on, the model reads two workspace files and its
// citations select exactly the lines read; an edit proposal opens as a diff — Reject leaves the file,
// Apply changes it, Undo on its step restores it; Stop ends a tool loop; run_command asks, showing the
// exact command; Apply on a reply's code block shows the diff and writes it; a reload mid-loop brings
// every step back with Retry from the step it was at.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { clickAction, lastTurn, openCitation, sendMessage, waitForStatus } from './chat';
import { chatRequests, e2e, scenario, showChatPanel, waitUntilWritten } from './context';
import { activeTabTitle, setBooleanSetting, waitForWorkbench } from './workbench';

const APP = 'export function main(): string {\n    return greet("world");\n}\n';
const GREET = 'export function greet(name: string): string {\n    return `Hello, ${name}!`;\n}\n';
const UTIL =
    'export function one(): number {\n    return 1;\n}\n\nexport function two(): number {\n    return 2;\n}\n';
const TWO = 'export function two(): number {\n    return 22;\n}';

/** The diff tab of a proposal for `name` (e.g. greet.ts). */
function proposalTab(page: Page, name: string) {
    return page.locator('.tab', { hasText: new RegExp(`${name.replace('.', '\\.')} ↔ proposed by Cohere`) });
}

/** Waits until the editor's status bar shows `pattern` (the selection, e.g. "Ln 3, Col 2 (75 selected)"). */
async function waitForSelection(page: Page, pattern: RegExp): Promise<string> {
    const status = page.locator('#status\\.editor\\.selection');
    const deadline = Date.now() + 10_000;
    let shown = await status.innerText().catch(() => '');
    while (!pattern.test(shown) && Date.now() < deadline) {
        await page.waitForTimeout(200);
        shown = await status.innerText().catch(() => '');
    }
    return shown;
}

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
        // Exactly the lines read (1-3) are selected: from line 1's start to the end of line 3.
        const selected = new RegExp(`Ln 3, Col 2 \\(${APP.length - 1} selected\\)`);
        assert.match(await waitForSelection(page, selected), selected);
    });

    scenario(
        'T2. An edit proposal is a diff: Reject leaves the file, Apply changes it, Undo restores it',
        async () => {
            const { page, workspace } = e2e();
            const file = join(workspace, 'src', 'greet.ts');
            let frame = await showChatPanel();
            let turn = await sendMessage(frame, 'Mark the greeting [[fake:tools-edit?file=src/greet.ts]]');
            await proposalTab(page, 'greet.ts').first().waitFor({ timeout: 20_000 });
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

            // Undo on the applied step puts the file back as it was, and the step says so.
            frame = await showChatPanel();
            turn = lastTurn(frame);
            await turn.locator('.tool-change [data-action="undo-tool-change"]').first().click();
            assert.equal(await waitForFile(file, (text) => text === GREET), GREET, 'Undo restores the file');
            const change = turn.locator('.tool-change').first();
            const deadline = Date.now() + 10_000;
            while ((await change.getAttribute('data-outcome')) !== 'undone' && Date.now() < deadline)
                await page.waitForTimeout(200);
            assert.equal(await change.getAttribute('data-outcome'), 'undone');
            assert.equal(await change.locator('[data-action="undo-tool-change"]').count(), 0);
        },
    );

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
    });

    scenario(
        'T5. Apply on a code block of a reply: the diff is shown, Apply writes it, Undo restores it',
        async () => {
            const { page, workspace } = e2e();
            const file = join(workspace, 'src', 'util.ts');
            await writeFile(file, UTIL);
            const frame = await showChatPanel();
            const code = encodeURIComponent(TWO);
            const turn = await sendMessage(
                frame,
                `Make two return 22 [[fake:tools-code-block?file=src/util.ts&lang=ts&code=${code}]]`,
            );
            await waitForStatus(turn, 'complete');
            const block = turn.locator('.code-block').first();
            await block.hover();
            await block.locator('[data-action="apply-code"]').click();
            // The block is a fragment: merged in place of two(), shown as a diff before anything is written.
            await proposalTab(page, 'util.ts').first().waitFor({ timeout: 20_000 });
            assert.equal(await readFile(file, 'utf8'), UTIL, 'nothing is written before Apply');
            await answerNotification(page, /proposes a change to src\/util\.ts/, 'Apply');
            const merged = UTIL.replace('return 2;', 'return 22;');
            assert.equal(await waitForFile(file, (text) => text === merged), merged);
            await answerNotification(page, /Applied the code to src\/util\.ts/, 'Undo');
            assert.equal(await waitForFile(file, (text) => text === UTIL), UTIL, 'Undo restores the file');
        },
    );

    scenario(
        'T6. A reload mid-loop brings every step back and offers Retry from the step it was at',
        async () => {
            const { page, workspace } = e2e();
            const file = join(workspace, 'src', 'greet.ts');
            try {
                let frame = await showChatPanel();
                // The loop waits at its second step for the person's say on a proposed edit: reload then.
                const turn = await sendMessage(
                    frame,
                    'Mark it after a reload [[fake:tools-edit?file=src/greet.ts]]',
                );
                await proposalTab(page, 'greet.ts').first().waitFor({ timeout: 20_000 });
                const read = turn.locator('.tool-step[data-step="1"] .tool-call').first();
                const readId = await read.getAttribute('data-call-id');
                assert.equal(await read.getAttribute('data-status'), 'done');
                const turns = await frame.locator('.turn').count();
                // The reload comes once the step it cuts off is saved: what comes back is what was on disk (a
                // step not yet written is the few seconds a killed host may lose). In a loaded clean-clone
                // run the reload came first, and the window after it showed one step.
                const editId = await turn
                    .locator('.tool-step[data-step="2"] .tool-call')
                    .first()
                    .getAttribute('data-call-id');
                assert.ok(editId, 'the edit step has its call id');
                await waitUntilWritten(
                    editId,
                    (file) => file.includes(`${sep}conversations${sep}`),
                    'the edit step',
                );
                // A browser reload: the extension host goes without a word. VS Code brings the chat tab back
                // if it had saved its tabs since the tab opened (it does so every minute); "Cohere: Chat"
                // reveals it, or opens it again on the conversation it showed.
                await page.reload();
                await waitForWorkbench(page);
                frame = await showChatPanel();
                await frame
                    .locator('.turn')
                    .nth(turns - 1)
                    .waitFor({ timeout: 30_000 });
                const back = lastTurn(frame);
                await waitForStatus(back, 'stopped');
                // Every step is back: the read as it ran, the edit it was at as cancelled (never a "no").
                assert.equal(await back.locator('.tool-step').count(), 2);
                const readBack = back.locator('.tool-step[data-step="1"] .tool-call').first();
                assert.equal(await readBack.getAttribute('data-call-id'), readId);
                assert.equal(await readBack.getAttribute('data-status'), 'done');
                const edit = back.locator('.tool-step[data-step="2"] .tool-call').first();
                assert.equal(await edit.getAttribute('data-status'), 'cancelled');
                assert.equal(await readFile(file, 'utf8'), GREET, 'nothing was written');
                // The diff of the proposal from before the reload is closed: it can no longer be decided.
                const deadline = Date.now() + 10_000;
                while ((await proposalTab(page, 'greet.ts').count()) > 0 && Date.now() < deadline)
                    await page.waitForTimeout(200);
                assert.equal(await proposalTab(page, 'greet.ts').count(), 0, 'the stale diff is closed');

                const retry = back.locator('.stopped-actions [data-action="retry"]');
                assert.equal((await retry.innerText()).trim(), 'Retry from step 2');
                const sent = chatRequests().length;
                await retry.click();
                await proposalTab(page, 'greet.ts').first().waitFor({ timeout: 20_000 });
                // Retry went on from step 2: its first request already carries the read, with the same call id.
                const resumed = chatRequests()[sent];
                assert.ok(resumed, 'Retry sent a request');
                const messages = (resumed.body as { messages: { role: string; tool_call_id?: string }[] })
                    .messages;
                assert.ok(
                    messages.some((message) => message.role === 'tool' && message.tool_call_id === readId),
                    'the first request after Retry carries the step done before the reload',
                );
                await answerNotification(page, /proposes a change to src\/greet\.ts/, 'Reject');
                await waitForStatus(back, 'complete');
                assert.equal(await back.locator('.tool-step').count(), 2);
                assert.equal(
                    await back
                        .locator('.tool-step[data-step="1"] .tool-call')
                        .first()
                        .getAttribute('data-call-id'),
                    readId,
                );
                assert.equal(
                    await back.locator('.tool-change').first().getAttribute('data-outcome'),
                    'rejected',
                );
            } finally {
                await setBooleanSetting(page, 'cohere.tools.enabled', false);
            }
        },
    );
}
