// Images in the composer, in Chromium with the real bundle: a pasted image is read, downscaled to the
// documented size and handed to the host with a preview; a dropped one too; one of another format is
// refused in words; the host's image chip shows its preview and can be removed; a sent message shows it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WebviewToHostMessage } from '../../src/protocol';
import { CONVERSATION_ID, makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageWindow } from './harness';

type ImageMessage = Extract<WebviewToHostMessage, { type: 'attachImage' }>;

/**
 * Page code that makes a `width`×`height` image file of `type` (drawn on a canvas, half red, half blue)
 * and puts it in a DataTransfer as `name`; the page function then calls `use(transfer)`.
 */
function withImageFile(width: number, height: number, type: string, name: string, use: string): string {
    return `(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = ${width};
        canvas.height = ${height};
        const context = canvas.getContext('2d');
        context.fillStyle = '#d00';
        context.fillRect(0, 0, ${width}, ${height});
        context.fillStyle = '#00d';
        context.fillRect(0, 0, ${Math.floor(width / 2)}, ${height});
        const blob = ${
            type === 'image/bmp'
                ? `new Blob([new Uint8Array([66, 77, 0, 0])], { type: 'image/bmp' })`
                : `await new Promise((done) => canvas.toBlob(done, '${type}'))`
        };
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], '${name}', { type: '${type}' }));
        (${use})(transfer);
    })()`;
}

const PASTE = `(transfer) => {
    const prompt = document.querySelector('#prompt');
    prompt.focus();
    prompt.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
}`;
const DROP = `(transfer) => {
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    document.querySelector('#messages').dispatchEvent(drop);
}`;

/** The size of the image a data URI holds, as the page decodes it. */
async function sizeOf(chat: ChatPage, url: string): Promise<{ width: number; height: number }> {
    // An <img> (the page's policy allows data: images, not fetching them).
    return chat.page.evaluate(`(async () => {
        const image = new Image();
        image.src = ${JSON.stringify(url)};
        await image.decode();
        return { width: image.naturalWidth, height: image.naturalHeight };
    })()`);
}

async function nextImage(chat: ChatPage): Promise<ImageMessage> {
    await chat.page.waitForFunction(() =>
        (globalThis as unknown as PageWindow).__posted.some((message) => message.type === 'attachImage'),
    );
    const posted = (await chat.takePosted()).filter((message) => message.type === 'attachImage');
    assert.equal(posted.length, 1);
    return posted[0] as ImageMessage;
}

void describe('images in the composer', () => {
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

    void test('a pasted large image is downscaled to fit 2048×1536 and handed over with a small preview', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.evaluate(withImageFile(3000, 2000, 'image/png', 'image.png', PASTE));
        const image = await nextImage(chat);
        assert.equal(image.name, 'image.png');
        assert.deepEqual({ width: image.width, height: image.height }, { width: 2048, height: 1365 });
        assert.match(image.dataUrl, /^data:image\/png;base64,/);
        assert.deepEqual(await sizeOf(chat, image.dataUrl), { width: 2048, height: 1365 });
        const preview = await sizeOf(chat, image.thumbnail);
        assert.deepEqual(preview, { width: 48, height: 32 });
        // Nothing was typed into the draft by the paste.
        assert.equal(await chat.page.locator('#prompt').inputValue(), '');
        assert.deepEqual(chat.errors, []);
    });

    void test('a small image keeps its own bytes; a dropped file is read like a pasted one', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.evaluate(withImageFile(640, 480, 'image/jpeg', 'photo.jpg', DROP));
        const image = await nextImage(chat);
        assert.equal(image.name, 'photo.jpg');
        assert.deepEqual({ width: image.width, height: image.height }, { width: 640, height: 480 });
        assert.match(image.dataUrl, /^data:image\/jpeg;base64,/);
    });

    void test('an image file the host read from disk (an Explorer drop) is downscaled like a pasted one', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        // A 3000×2000 PNG's bytes, as the host reads them from the file.
        const base64: string = await chat.page.evaluate(`(async () => {
            const canvas = document.createElement('canvas');
            canvas.width = 3000;
            canvas.height = 2000;
            canvas.getContext('2d').fillRect(0, 0, 10, 10);
            return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
        })()`);
        await chat.deliver({ type: 'imageFileRead', name: 'diagram.png', mimeType: 'image/png', base64 });
        const image = await nextImage(chat);
        assert.equal(image.name, 'diagram.png');
        assert.deepEqual({ width: image.width, height: image.height }, { width: 2048, height: 1365 });
        assert.deepEqual(await sizeOf(chat, image.dataUrl), { width: 2048, height: 1365 });
        assert.deepEqual(chat.errors, []);
    });

    void test('an image of another format is refused in words, and nothing is handed over', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.evaluate(withImageFile(10, 10, 'image/bmp', 'old.bmp', PASTE));
        const note = chat.page.locator('.image-notes .attachment-note');
        await note.waitFor();
        assert.equal(
            await note.textContent(),
            'old.bmp was not attached: only PNG, JPEG, WebP and GIF images can be sent.',
        );
        assert.deepEqual(await chat.takePosted(), []);
    });

    void test('the image chip shows its preview, says why it will not be sent, and can be removed', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.evaluate(withImageFile(200, 100, 'image/png', 'shot.png', PASTE));
        const image = await nextImage(chat);
        const chip = {
            id: 'image:img-1',
            label: 'shot.png',
            kind: 'image',
            thumbnail: image.thumbnail,
            refused:
                'command-a-03-2025 does not take images: choose a vision model (such as command-a-vision-07-2025) to send this image.',
        };
        await chat.deliver({
            type: 'attachments',
            conversationId: CONVERSATION_ID,
            pending: [chip],
            carried: [],
            notes: [],
        } as never);
        const thumbnail = chat.page.locator('.attachment-chip.kind-image img.chip-thumbnail');
        assert.equal(await thumbnail.getAttribute('alt'), 'Image shot.png');
        assert.equal(
            await thumbnail.evaluate(async (node) => {
                // The page's own image: it loaded under the policy (data: images only).
                const image = node as unknown as { decode(): Promise<void>; naturalWidth: number };
                await image.decode();
                return image.naturalWidth;
            }),
            48,
        );
        assert.match(
            (await chat.page.locator('.attachment-chip.kind-image .chip-refused').textContent()) ?? '',
            /^Will not be sent: command-a-03-2025 does not take images/,
        );
        await chat.page.getByRole('button', { name: 'Remove shot.png' }).click();
        assert.deepEqual(await chat.takePosted(), [{ type: 'removeAttachment', id: 'image:img-1' }]);
        assert.deepEqual(await chat.violations(), []);
    });

    void test('a sent message shows its image as a preview titled by its name and size, and its image tokens', async (t) => {
        const chat = await open();
        t.after(() => chat.close());
        await chat.page.evaluate(withImageFile(64, 64, 'image/png', 'dot.png', PASTE));
        const image = await nextImage(chat);
        const turn = makeTurn({
            attachments: [
                {
                    id: 'img-1',
                    title: 'dot.png (64×64)',
                    text: '',
                    kind: 'image',
                    image: { url: image.dataUrl, width: 64, height: 64, thumbnail: image.thumbnail },
                },
            ],
        });
        await chat.deliver(stateMessage([turn]));
        await chat.deliver(
            stateMessage([{ ...turn, usage: { tokens: { input_tokens: 41, output_tokens: 20 } } }]),
        );
        assert.equal(await chat.page.locator('.turn .usage [data-usage]').count(), 5);
        assert.equal(await chat.page.locator('.turn .usage [data-usage="images"]').count(), 0);
        await chat.deliver(
            stateMessage([
                {
                    ...turn,
                    usage: {
                        tokens: { input_tokens: 300, output_tokens: 20, image_tokens: 259 },
                        billed_units: { input_tokens: 280, output_tokens: 20 },
                    },
                },
            ]),
        );
        // The usage says what the image cost.
        assert.equal(await chat.page.locator('.turn .usage [data-usage]').count(), 6);
        assert.equal(
            await chat.page.locator('.turn .usage [data-usage="images"]').first().textContent(),
            '259',
        );
        const item = chat.page.locator('.turn .attachments .attachment.kind-image');
        assert.equal(await item.getAttribute('title'), 'dot.png (64×64)');
        assert.equal(await item.locator('img').getAttribute('alt'), 'Image dot.png (64×64)');
    });
});
