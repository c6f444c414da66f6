// Issue 10 in real VS Code: code as cited sources. A file attached with `#file` (its citation lands on
// the exact cited line, and after an edit of the file on the line where that text is now), a file
// dropped on the chat, "Ask Cohere About…" on two files of the Explorer, an `@workspace` question
// (after opting in; the fake server's Embed and Rerank), and an image pasted for a vision model and
// refused, with the reason, for another. Each scenario starts a new chat, so none inherits documents.
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { chunkText } from '../../src/context/chunk';
import { clickAction, lastTurn, openCitation, sendMessage, waitForChatReady, waitForStatus } from './chat';
import { chatRequests, e2e, scenario, showChatPanel } from './context';
import {
    activeTabTitle,
    answerInputBox,
    clickMenuItem,
    clearNotifications,
    dragFromExplorer,
    hideSecondarySideBar,
    openFile,
    runCommand,
    setBooleanSetting,
} from './workbench';

/** 100 one-line declarations: too long for one chunk (4,000 characters), so the file is cut in two. */
const LEDGER = Array.from(
    { length: 100 },
    (_, i) => `export const entry${i + 1} = ${(i + 1) * 3}; // ledger entry ${i + 1} of the book`,
)
    .join('\n')
    .concat('\n');
const ADD = 'export function add(a: number, b: number): number {\n    return a + b;\n}\n';
const MUL = 'export function multiply(a: number, b: number): number {\n    return a * b;\n}\n';
const VISION_MODEL = 'command-a-vision-07-2025';
const TEXT_MODEL = 'command-a-03-2025';

interface SentDocument {
    id: string;
    data: { title: string; snippet: string };
}

/** The documents of the last chat request whose messages hold `marker`. */
function documentsSentWith(marker: string): SentDocument[] {
    const request = chatRequests()
        .filter((r) => JSON.stringify((r.body as { messages?: unknown }).messages).includes(marker))
        .at(-1);
    assert.ok(request, `a chat request holds ${JSON.stringify(marker)}`);
    return (request.body as { documents?: SentDocument[] }).documents ?? [];
}

/** The user message content of the last chat request holding `marker` (a string, or text and image parts). */
function lastUserContent(marker: string): unknown {
    const request = chatRequests()
        .filter((r) => JSON.stringify((r.body as { messages?: unknown }).messages).includes(marker))
        .at(-1);
    assert.ok(request, `a chat request holds ${JSON.stringify(marker)}`);
    const messages = (request.body as { messages: { role: string; content: unknown }[] }).messages;
    return messages.filter((message) => message.role === 'user').at(-1)?.content;
}

/** A 1×1 PNG, as a file an image drop can come from. */
const ONE_PIXEL_PNG =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A fresh conversation in the chat tab; returns its frame. */
async function newChat(): Promise<Frame> {
    // The panel's own New Chat action: the palette's command acts on the chat used last, which after the
    // Explorer and tool scenarios may be another view than this one. On 1.139 VS Code's own Chat, in the
    // secondary side bar, would take the click.
    await hideSecondarySideBar(e2e().page);
    const frame = await showChatPanel();
    await clickAction(frame, 'new-chat');
    await waitForChatReady(frame);
    await frame.locator('.turn').first().waitFor({ state: 'detached', timeout: 10_000 });
    return frame;
}

/** The labels of the chips above the composer. */
function chipLabels(frame: Frame): Promise<string[]> {
    return frame.locator('#attachments .attachment-chip .chip-label').allInnerTexts();
}

async function waitForChip(frame: Frame, label: string): Promise<void> {
    await frame
        .locator('#attachments .attachment-chip', { hasText: label })
        .first()
        .waitFor({ timeout: 20_000 });
}

/** The status bar's cursor item once it shows line `line` ("Ln 69, Col 52 (51 selected)"). */
async function selectionOnLine(page: Page, line: number): Promise<string> {
    const status = page.locator('#status\\.editor\\.selection');
    const deadline = Date.now() + 10_000;
    let shown = await status.innerText();
    while (!new RegExp(`^Ln ${line},`).test(shown) && Date.now() < deadline) {
        await page.waitForTimeout(200);
        shown = await status.innerText();
    }
    return shown;
}

/** In the open quick pick (several at once): filters by `text`, checks the row `label`, accepts. */
async function pickMany(page: Page, text: string, label: string): Promise<void> {
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill(text);
    const row = page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
        .first();
    await row.waitFor({ state: 'visible' });
    // A click on an item's label checks it (its checkbox is a different widget in each VS Code version).
    await row.locator('.quick-input-list-label').first().click();
    const checked = row.locator('[aria-checked="true"], input[type="checkbox"]:checked');
    const deadline = Date.now() + 5_000;
    while ((await checked.count()) === 0) {
        if (Date.now() > deadline) throw new Error(`${label} would not be checked in the quick pick`);
        await page.waitForTimeout(100);
    }
    await input.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Picks `model` in the composer's picker and waits until the extension says it is the model in use. */
async function chooseModel(frame: Frame, model: string): Promise<void> {
    await frame.selectOption('#model-picker', model);
    const picker = frame.locator('#model-picker');
    const deadline = Date.now() + 15_000;
    while (!((await picker.getAttribute('title')) ?? '').endsWith(`: ${model}`)) {
        if (Date.now() > deadline) throw new Error(`the model did not become ${model}`);
        await frame.page().waitForTimeout(100);
    }
}

/**
 * Page code: pastes a `width`×`height` PNG drawn on a canvas into the composer, as the clipboard hands
 * a screenshot to a page (a paste event carrying the image file).
 */
function pasteImage(width: number, height: number, name: string): string {
    return `(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = ${width};
        canvas.height = ${height};
        const context = canvas.getContext('2d');
        context.fillStyle = '#3a7';
        context.fillRect(0, 0, ${width}, ${height});
        const blob = await new Promise((done) => canvas.toBlob(done, 'image/png'));
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], '${name}', { type: 'image/png' }));
        const prompt = document.querySelector('#prompt');
        prompt.focus();
        prompt.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    })()`;
}

/** Registers the context scenarios in order (C2 and C3 click the citations of C1's reply). */
export function contextScenarios(): void {
    const second = chunkText(LEDGER)[1];

    scenario(
        'C1. "#file" attaches a file picked in the quick pick, cut in chunks sent as cited documents',
        async () => {
            const { page, workspace, apiKey } = e2e();
            await writeFile(join(workspace, 'ledger.ts'), LEDGER);
            await writeFile(join(workspace, 'calc-add.ts'), ADD);
            await writeFile(join(workspace, 'calc-mul.ts'), MUL);
            // The key, in case this runs alone (a name pattern); the same key again otherwise.
            await runCommand(page, 'Cohere: Set API Key');
            await answerInputBox(page, apiKey, { password: true });
            const frame = await newChat();
            const prompt = frame.locator('textarea#prompt');
            await prompt.click();
            await prompt.pressSequentially('#fi');
            await frame.locator('#mention-list [role=option]', { hasText: '#file' }).waitFor();
            await prompt.press('Enter');
            await pickMany(page, 'ledger', 'ledger.ts');
            await waitForChip(frame, 'ledger.ts');
            const question = 'Which entry of the ledger is worth 207?';
            const turn = await sendMessage(frame, question);
            await waitForStatus(turn, 'complete');
            assert.ok(second, 'the ledger is cut in two chunks');
            assert.deepEqual(
                documentsSentWith(question).map((document) => document.data.title),
                [
                    'ledger.ts:1-' + String(second.startLine - 1),
                    `ledger.ts:${second.startLine}-${second.endLine}`,
                ],
            );
            // Sent: the message lists its two chunks; above the composer the file is now carried to later messages.
            assert.deepEqual(await chipLabels(frame), ['ledger.ts']);
            assert.equal(await frame.locator('#attachments .attachment-chip.carried').count(), 1);
            assert.equal(await turn.locator('.attachments .attachment').count(), 2);
        },
    );

    scenario('C2. A citation of a chunk selects exactly the line of the cited words', async () => {
        const { page } = e2e();
        assert.ok(second);
        const frame = await showChatPanel();
        const turn = lastTurn(frame);
        // The fake server's fourth citation quotes the first words of the second chunk.
        const sources = await openCitation(turn, 4);
        const source = sources.locator('button.source[data-document-id]').first();
        assert.equal(
            await source.locator('.source-title').innerText(),
            `ledger.ts:${second.startLine}-${second.endLine}`,
        );
        await source.click();
        const shown = await selectionOnLine(page, second.startLine);
        const lineLength = (LEDGER.split('\n')[second.startLine - 1] ?? '').length;
        assert.equal(shown, `Ln ${second.startLine}, Col ${lineLength + 1} (${lineLength} selected)`);
    });

    scenario(
        'C3. After the file changed, the citation says so and opens the line where the text is now',
        async () => {
            const { page } = e2e();
            assert.ok(second);
            await clearNotifications(page);
            await openFile(page, 'ledger.ts');
            // Three new lines at the top, made as a person would: the cited text moves down by three.
            // In the active group: earlier scenarios leave other editors open beside it (the tool scenarios' files).
            await page
                .locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines')
                .first()
                .click();
            await page.keyboard.press('Control+Home');
            for (let n = 0; n < 3; n++) await page.keyboard.press('Enter');
            const frame = await showChatPanel();
            // C2 left this citation's sources open (a second click on its marker would close them).
            const open = lastTurn(frame).locator('.citation-sources[data-citation="4"]').first();
            const sources = (await open.isVisible()) ? open : await openCitation(lastTurn(frame), 4);
            await sources.locator('button.source[data-document-id]').first().click();
            const now = second.startLine + 3;
            const toast = page.locator('.notification-toast', { hasText: /The file changed since/ }).first();
            await toast.waitFor({ timeout: 15_000 });
            assert.match(
                await toast.innerText(),
                new RegExp(
                    `ledger\\.ts:${second.startLine}-${second.endLine} was sent: showing where that text is now \\(lines ${now}-${now}\\)`,
                ),
            );
            assert.match(await selectionOnLine(page, now), new RegExp(`^Ln ${now}, `));
            // Leave the file as it was for the scenarios after this one.
            await runCommand(page, 'File: Revert File');
            // And on disk, should the editor have saved it (VS Code 1.139 saves after a delay).
            await writeFile(join(e2e().workspace, 'ledger.ts'), LEDGER);
            await clearNotifications(page);
        },
    );

    scenario(
        'C4. A file dragged from the Explorer onto the chat becomes a chip and goes as a document; an image file, an image chip',
        async () => {
            const { page, workspace } = e2e();
            const frame = await newChat();
            // Dragged from the Explorer with the mouse, Shift held, as VS Code asks for a drop on a webview.
            await runCommand(page, 'View: Show Explorer');
            await dragFromExplorer(page, 'calc-add.ts', frame.locator('#messages'));
            await waitForChip(frame, 'calc-add.ts');
            assert.notEqual(
                await activeTabTitle(page),
                'calc-add.ts',
                'the drop did not open the file instead',
            );
            const question = 'What does the dropped file compute?';
            const turn = await sendMessage(frame, question);
            await waitForStatus(turn, 'complete');
            const documents = documentsSentWith(question);
            assert.deepEqual(
                documents.map((document) => document.data.title),
                ['calc-add.ts:1-3'],
            );
            assert.equal(documents[0]?.data.snippet, ADD.trimEnd());

            // An image file from the Explorer: the extension reads it and the chat shows it as an image chip
            // with its preview (this model takes no images, so the chip says it will not be sent).
            const picture = join(workspace, 'pixel.png');
            await writeFile(picture, Buffer.from(ONE_PIXEL_PNG, 'base64'));
            await dragFromExplorer(page, 'pixel.png', frame.locator('#messages'));
            const chip = frame.locator('#attachments .attachment-chip.kind-image', { hasText: 'pixel.png' });
            await chip.waitFor();
            assert.match(
                (await chip.locator('img.chip-thumbnail').getAttribute('src')) ?? '',
                /^data:image\/png;/,
            );
            await chip.locator('.chip-remove').click();
            await chip.waitFor({ state: 'detached' });
            await rm(picture);
            // The Explorer drops its row: until then its rows move under the next scenario's clicks.
            await page
                .locator('.explorer-folders-view .monaco-list-row', { hasText: 'pixel.png' })
                .waitFor({ state: 'detached', timeout: 15_000 });
        },
    );

    scenario('C5. "Ask Cohere About…" on two files selected in the Explorer sends both', async () => {
        const { page } = e2e();
        await newChat();
        await runCommand(page, 'View: Show Explorer');
        const row = (name: string) =>
            page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
        await row('calc-add.ts').click();
        await row('calc-mul.ts').click({ modifiers: ['Control'] });
        await row('calc-mul.ts').click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu');
        const item = menu.locator('.action-item', { hasText: 'Ask Cohere About…' }).first();
        // What the item opens: its question box.
        await clickMenuItem(page, menu, item, page.locator('.quick-input-widget input.input'));
        const question = 'How do these two functions differ?';
        await answerInputBox(page, question);
        const frame = await showChatPanel();
        const turn = lastTurn(frame);
        await turn.locator('.prompt', { hasText: question }).waitFor();
        await waitForStatus(turn, 'complete');
        assert.deepEqual(
            documentsSentWith(question)
                .map((document) => document.data.title)
                .sort(),
            ['calc-add.ts:1-3', 'calc-mul.ts:1-3'],
        );
    });

    scenario(
        'C6. An @workspace question, once allowed, is answered from the index with Embed and Rerank',
        async () => {
            const { page, fake } = e2e();
            await setBooleanSetting(page, 'cohere.workspaceRetrieval.semantic', true);
            const frame = await newChat();
            fake.reset();
            const question = '@workspace which function can multiply a number';
            // Not sendMessage: the turn appears only once the question is answered, after the consent below.
            const prompt = frame.locator('textarea#prompt');
            await prompt.click();
            await prompt.fill(question);
            await prompt.press('Enter');
            // Asked once for this workspace, before any code goes to Cohere.
            const dialog = page.locator('.monaco-dialog-box').first();
            await dialog.waitFor({ state: 'visible', timeout: 30_000 });
            assert.match(await dialog.innerText(), /Cohere Rerank/);
            await dialog.locator('.monaco-button', { hasText: 'Allow' }).first().click();
            const turn = frame.locator('.turn', { hasText: 'which function can multiply' }).last();
            await turn.waitFor({ timeout: 60_000 });
            await waitForStatus(turn, 'complete', 60_000);
            const embeds = fake.requests.filter((request) => request.path.startsWith('/v2/embed'));
            const inputTypes = new Set(
                embeds.map((request) => (request.body as { input_type: string }).input_type),
            );
            assert.deepEqual([...inputTypes].sort(), ['search_document', 'search_query']);
            const reranks = fake.requests.filter((request) => request.path.startsWith('/v2/rerank'));
            assert.equal(reranks.length, 1);
            const titles = documentsSentWith('which function can multiply').map(
                (document) => document.data.title,
            );
            assert.equal(
                titles[0],
                'calc-mul.ts:1-3',
                `the best chunk comes first: ${JSON.stringify(titles)}`,
            );
            await setBooleanSetting(page, 'cohere.workspaceRetrieval.semantic', false);
        },
    );

    scenario(
        'C7. An image pasted goes to a vision model; for a text-only model its chip says why it will not',
        async () => {
            const frame = await newChat();
            await chooseModel(frame, VISION_MODEL);
            await frame.evaluate(pasteImage(3000, 1500, 'screenshot.png'));
            await waitForChip(frame, 'screenshot.png');
            const chip = frame.locator('#attachments .attachment-chip.kind-image').first();
            assert.equal(await chip.locator('img.chip-thumbnail').count(), 1);
            assert.equal(await chip.locator('.chip-refused').count(), 0);
            const question = 'What is in this picture?';
            const turn = await sendMessage(frame, question);
            await waitForStatus(turn, 'complete');
            const content = lastUserContent(question) as { type: string; image_url?: { url: string } }[];
            assert.equal(content[0]?.type, 'text');
            assert.equal(content[1]?.type, 'image_url');
            assert.match(content[1]?.image_url?.url ?? '', /^data:image\/png;base64,/);
            assert.equal(await turn.locator('.attachments .attachment.kind-image img').count(), 1);

            await chooseModel(frame, TEXT_MODEL);
            await frame.evaluate(pasteImage(200, 100, 'diagram.png'));
            await waitForChip(frame, 'diagram.png');
            const refused = frame.locator('#attachments .attachment-chip.kind-image .chip-refused').first();
            await refused.waitFor({ timeout: 10_000 });
            assert.match(await refused.innerText(), new RegExp(`${TEXT_MODEL} does not take images`));
            // The earlier message's image will not go to this model either: the composer says so.
            assert.match(
                await frame
                    .locator('#attachments .attachment-note')
                    .allInnerTexts()
                    .then((notes) => notes.join('\n')),
                /Images of earlier messages are not sent/,
            );
            const next = 'And without the picture?';
            const second = await sendMessage(frame, next);
            await waitForStatus(second, 'complete');
            const body = JSON.stringify(chatRequests().at(-1)?.body);
            assert.equal(body.includes('image_url'), false, 'no image goes to a text-only model');
            await clearNotifications(e2e().page);
        },
    );
}
