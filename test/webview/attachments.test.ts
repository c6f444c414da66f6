// The chips above the composer, the `#` / `@` mentions with completion, removing a chip, stopping a
// carried document, drops, and a code source that sends its cited words: the real bundle in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONVERSATION_ID, makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage } from './harness';

function attachmentsMessage(extra: Record<string, unknown> = {}): never {
    return {
        type: 'attachments',
        conversationId: CONVERSATION_ID,
        pending: [
            { id: 'file:a', label: 'src/a.ts', kind: 'file', detail: 'src/a.ts:1-80' },
            {
                id: 'file:big',
                label: 'big.log',
                kind: 'file',
                refused: 'big.log was not attached: it is 3.0 MB, over the 1.0 MB limit.',
            },
        ],
        carried: [{ id: 'sel-1', label: 'src/b.ts:3-9', kind: 'selection' }],
        notes: [
            'cohere.safetyMode (STRICT) is not sent while documents are attached (the API refuses both together).',
        ],
        ...extra,
    } as never;
}

void describe('attachments above the composer', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    async function open(): Promise<ChatPage> {
        const chat = await browser.open();
        await chat.deliver(stateMessage([]));
        await chat.takePosted();
        return chat;
    }

    void test('chips show what will be sent, what is carried, refusals and notes; the container sits above the input', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.deliver(attachmentsMessage());
        const labels = await chat.page.locator('#attachments .attachment-chip .chip-label').allTextContents();
        assert.deepEqual(labels, ['src/a.ts', 'big.log', 'src/b.ts:3-9']);
        assert.match(
            (await chat.page.locator('.attachment-chip.refused').textContent()) ?? '',
            /Will not be sent: big\.log was not attached: it is 3\.0 MB/,
        );
        assert.equal(await chat.page.locator('.attachment-chip.carried').count(), 1);
        assert.match(
            (await chat.page.locator('.attachment-kept-label').textContent()) ?? '',
            /Sent with every message/,
        );
        assert.match(
            (await chat.page.locator('.attachment-note').textContent()) ?? '',
            /safetyMode \(STRICT\) is not sent/,
        );
        // Strings: this folder is type-checked without the DOM's types.
        const order = await chat.page.evaluate(`(() => {
            const bar = document.querySelector('#attachments');
            const input = document.querySelector('.input-row');
            return (bar.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        })()`);
        assert.equal(order, true);
        assert.deepEqual(chat.errors, []);
    });

    void test('removing a pending chip asks the host to drop it; removing a carried one retires the document', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.deliver(attachmentsMessage());
        await chat.page.getByRole('button', { name: 'Remove src/a.ts' }).click();
        await chat.page
            .getByRole('button', { name: 'Stop sending src/b.ts:3-9 with later messages' })
            .click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'removeAttachment', id: 'file:a' },
            { type: 'retireDocument', conversationId: CONVERSATION_ID, documentId: 'sel-1' },
        ]);
        await chat.deliver(attachmentsMessage({ pending: [], carried: [], notes: [] }));
        assert.equal(await chat.page.locator('.attachment-chip').count(), 0);
    });

    void test('typing # offers the mentions; Enter picks one, takes it out of the draft and does not send', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        const prompt = chat.page.locator('#prompt');
        await prompt.click();
        await prompt.pressSequentially('explain #fi');
        const options = await chat.page
            .locator('#mention-list [role=option] .mention-token')
            .allTextContents();
        assert.deepEqual(options, ['#file']);
        await chat.page.keyboard.press('Enter');
        assert.equal(await prompt.inputValue(), 'explain ');
        assert.deepEqual(await chat.takePosted(), [{ type: 'attach', kind: 'file' }]);
        await prompt.pressSequentially('#');
        const all = await chat.page.locator('#mention-list [role=option] .mention-token').allTextContents();
        assert.deepEqual(all, ['#file', '#folder', '#selection', '#editor', '#problems']);
        await chat.page.keyboard.press('ArrowDown');
        await chat.page.keyboard.press('ArrowDown');
        await chat.page.keyboard.press('Tab');
        assert.deepEqual(await chat.takePosted(), [{ type: 'attach', kind: 'selection' }]);
        await prompt.pressSequentially('@w');
        await chat.page.keyboard.press('Escape');
        assert.equal(await chat.page.locator('#mention-list').isHidden(), true);
        assert.equal(await prompt.inputValue(), 'explain @w');
        // With the list closed, Enter sends as before.
        await chat.page.keyboard.press('Enter');
        const sent = await chat.takePosted();
        assert.deepEqual(
            sent.map((message) => message.type),
            ['send'],
        );
    });

    void test('the attach button is a codicon in the composer toolbar, named and at least 24×24 px', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        const button = chat.page.getByRole('button', { name: /Attach files/ });
        // Strings: this folder is type-checked without the DOM's types.
        await button.waitFor();
        const shape = (await chat.page.evaluate(`(() => {
            const button = document.querySelector('.attach-button');
            const box = button.getBoundingClientRect();
            return {
                inSlot: button.parentElement?.id === 'attach-slot',
                inToolbar: button.closest('.composer-toolbar') !== null,
                inChips: button.closest('#attachments') !== null,
                text: button.textContent,
                tooltip: button.title,
                glyph: getComputedStyle(button.querySelector('.codicon'), '::before').content,
                width: box.width,
                height: box.height,
            };
        })()`)) as Record<string, unknown>;
        assert.deepEqual(
            { ...shape, width: Number(shape['width']) >= 24, height: Number(shape['height']) >= 24 },
            {
                inSlot: true,
                inToolbar: true,
                inChips: false,
                text: '',
                tooltip:
                    'Attach files, a folder, the selection, the editor or problems (or type #); paste or drop images',
                glyph: `"${String.fromCodePoint(0xec34)}"`,
                width: true,
                height: true,
            },
        );
        assert.equal(await chat.page.locator('#attachments').textContent(), '');
    });

    void test('the attach button opens the mentions; a drop of files posts their URIs', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.getByRole('button', { name: /Attach files/ }).click();
        assert.equal(await chat.page.locator('#mention-list [role=option]').count(), 5);
        await chat.page.evaluate(`(() => {
            const transfer = new DataTransfer();
            transfer.setData('text/uri-list', 'file:///w/src/a.ts\\r\\n# comment\\r\\nfile:///w/src/b.ts');
            const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
            document.querySelector('#messages').dispatchEvent(drop);
        })()`);
        assert.deepEqual(await chat.takePosted(), [
            { type: 'dropUris', uris: ['file:///w/src/a.ts', 'file:///w/src/b.ts'] },
        ]);
    });

    void test('a code source of a citation sends the cited words with its reveal', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        const turn = makeTurn({
            attachments: [
                {
                    id: 'code-1',
                    title: 'src/h.ts:10-14',
                    text: 'const lines = raw.split(CRLF);',
                    uri: 'file:///w/src/h.ts',
                    startLine: 10,
                    endLine: 14,
                },
            ],
            reply: {
                content: [{ type: 'text', text: 'It calls raw.split(CRLF) first.' }],
                citations: [
                    {
                        start: 9,
                        end: 24,
                        text: 'raw.split(CRLF)',
                        sources: [{ type: 'document', id: 'code-1', document: { title: 'src/h.ts:10-14' } }],
                    },
                ],
            },
        });
        await chat.deliver(stateMessage([turn]));
        await chat.page.locator('.citation-marker').first().click();
        await chat.page.locator('button.source').first().click();
        const posted = (await chat.takePosted()).filter((message) => message.type === 'revealSource');
        assert.deepEqual(posted, [
            {
                type: 'revealSource',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                documentId: 'code-1',
                citedText: 'raw.split(CRLF)',
            },
        ]);
    });
});
