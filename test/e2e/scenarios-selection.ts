// Scenario 4 of issue 4: lines selected in an editor, "Ask About Selection…" from the editor's context
// menu; the reply cites the selection and clicking that source puts the cursor on those lines.
import assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';
import { lastTurn, openCitation, waitForStatus } from './chat';
import { e2e, lastChatRequestWith, scenario } from './context';
import { SAMPLE_FILE } from './harness';
import { answerInputBox, chatFrame, cursorLine, editorContextMenu, openFile, selectLines } from './workbench';

/** The lines the scenario selects in the sample file (1-based, inclusive). */
export const SELECTED = { from: 10, to: 12 };

/** Selects lines of the sample file and asks about them; returns the chat frame and the finished turn. */
export async function askAboutSelection(question: string): Promise<{ frame: Frame; turn: Locator }> {
    const { page } = e2e();
    await openFile(page, SAMPLE_FILE);
    await selectLines(page, SELECTED.from, SELECTED.to);
    await editorContextMenu(page, 'Ask About Selection…');
    await answerInputBox(page, question);
    const frame = await chatFrame(page, 'panel');
    await frame.locator('.turn .prompt', { hasText: question }).last().waitFor();
    const turn = lastTurn(frame);
    await waitForStatus(turn, 'complete');
    return { frame, turn };
}

/** Registers the selection scenario. */
export function selectionScenarios(): void {
    scenario(
        '4. "Ask About Selection…" cites the selected lines, and their source puts the cursor on them',
        async () => {
            const { page } = e2e();
            const question = 'What do these lines define?';
            const { turn } = await askAboutSelection(question);

            // The selection went to Cohere as a document holding exactly those lines.
            const request = lastChatRequestWith(question);
            const documents = (
                request.body as { documents?: { id?: string; data?: Record<string, unknown> }[] }
            ).documents;
            assert.ok(documents && documents.length >= 1, 'the request carries the selection as a document');
            const sent = JSON.stringify(documents);
            assert.ok(
                sent.includes('value10') && sent.includes('value12'),
                `the document holds lines 10-12: ${sent}`,
            );
            assert.equal(sent.includes('value13 '), false, 'line 13 was not selected');

            const marks = await turn.locator('.reply mark.citation').count();
            assert.ok(marks >= 1, 'the reply highlights cited words');
            // Open citations until one lists the selection as a source (all of them should).
            const sources = await openCitation(turn, 1);
            const selectionSource = sources.locator('button.source[data-document-id]').first();
            await selectionSource.waitFor({ state: 'visible' });
            assert.equal(
                await selectionSource.locator('.source-title').innerText(),
                `${SAMPLE_FILE}:${SELECTED.from}-${SELECTED.to}`,
                'the source is the selection',
            );

            // Move the cursor away first, so reaching the lines proves the click did it.
            await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
            await page.keyboard.press('Control+End');
            assert.equal((await cursorLine(page)) > SELECTED.to, true, 'the cursor left the selection');

            await selectionSource.click();
            const deadline = Date.now() + 10_000;
            let line = await cursorLine(page);
            while ((line < SELECTED.from || line > SELECTED.to) && Date.now() < deadline) {
                await page.waitForTimeout(200);
                line = await cursorLine(page);
            }
            assert.ok(line >= SELECTED.from && line <= SELECTED.to, `the cursor is on line ${line}`);
        },
    );
}
