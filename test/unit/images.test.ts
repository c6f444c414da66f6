// Images for vision models, the host's part: the downscale size, the token cost, which models take
// images, the attachment and its refusals, the request (an `image_url` part of its own message, never a
// document) as the fake server's vision check reads it, the chip refused for a text-only model, the
// webview's message, and a saved image read back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChatRequest, carriedAttachments, hasEarlierImages } from '../../src/chat/request';
import { repairConversation } from '../../src/chat/validate';
import type { Attachment, Conversation } from '../../src/chat/model';
import {
    fitWithin,
    imageAttachment,
    imageLimitRefusal,
    imageTokens,
    imageTypeOfPath,
    MAX_IMAGE_BYTES,
    noVisionText,
    parseImageDataUrl,
    takesImages,
} from '../../src/context/images';
import { PendingAttachments } from '../../src/context/pending';
import { parseWebviewMessage } from '../../src/ui/messageGuard';
import { checkUsage } from '../../src/cohere/validate';
import { checkImages } from '../fake-cohere/images';
import { startFakeCohere } from '../fake-cohere/server';
import { conversation, settingsWith, turn } from './chat-fixtures';

/** A 1×1 PNG. */
const PNG =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function image(name = 'shot.png', url = PNG): Attachment {
    const made = imageAttachment({ name, dataUrl: url, width: 1, height: 1, thumbnail: url });
    assert.ok('attachment' in made, JSON.stringify(made));
    return made.attachment;
}

void describe('image size and cost', () => {
    void test('an image is fitted within 2048×1536 either way round, never enlarged', () => {
        assert.deepEqual(fitWithin(800, 600), { width: 800, height: 600, scaled: false });
        assert.deepEqual(fitWithin(4096, 3072), { width: 2048, height: 1536, scaled: true });
        assert.deepEqual(fitWithin(3000, 4000), { width: 1536, height: 2048, scaled: true });
        assert.deepEqual(fitWithin(1600, 4000), { width: 819, height: 2048, scaled: true });
        // A long thin image is bound by its long side, a squarish one by its short side.
        assert.deepEqual(fitWithin(8000, 100), { width: 2048, height: 25, scaled: true });
        assert.deepEqual(fitWithin(3000, 3000), { width: 1536, height: 1536, scaled: true });
    });

    void test('auto detail: one tile up to 768 px, else 512 px tiles of the fitted image plus a preview', () => {
        assert.equal(imageTokens(768, 500), 256);
        // 1024×1024: 2×2 tiles + 1 preview.
        assert.equal(imageTokens(1024, 1024), 5 * 256);
        // 4096×3072 is fitted to 2048×1536: 4×3 tiles + 1.
        assert.equal(imageTokens(4096, 3072), 13 * 256);
    });
});

void describe('which models take images', () => {
    void test('features list vision (or supports_vision); without features, the documented models', () => {
        const models = [
            { name: 'command-a-vision-07-2025', features: ['vision'] },
            { name: 'command-a-03-2025', features: ['tools'] },
            { name: 'custom', features: [], supports_vision: true },
            { name: 'command-a-plus-05-2026' },
        ];
        assert.equal(takesImages('command-a-vision-07-2025', models), true);
        assert.equal(takesImages('command-a-03-2025', models), false);
        assert.equal(takesImages('custom', models), true);
        assert.equal(takesImages('command-a-plus-05-2026', models), true);
        // Before the list arrives: the documented models.
        assert.equal(takesImages('c4ai-aya-vision-32b', undefined), true);
        assert.equal(takesImages('command-r7b-12-2024', undefined), false);
    });
});

void describe('an image file dropped from the Explorer', () => {
    void test('is known by its extension, in any case, and only for the formats the API takes', () => {
        assert.equal(imageTypeOfPath('/work/docs/Diagram.PNG'), 'image/png');
        assert.equal(imageTypeOfPath('/w/photo.jpg'), 'image/jpeg');
        assert.equal(imageTypeOfPath('/w/photo.jpeg'), 'image/jpeg');
        assert.equal(imageTypeOfPath('/w/a.webp'), 'image/webp');
        assert.equal(imageTypeOfPath('/w/a.gif'), 'image/gif');
        assert.equal(imageTypeOfPath('/w/old.bmp'), undefined);
        assert.equal(imageTypeOfPath('/w/src/png'), undefined);
        assert.equal(imageTypeOfPath('/w/.png/readme'), undefined);
        assert.equal(imageTypeOfPath('/w/src/app.ts'), undefined);
    });
});

void describe('an image as an attachment', () => {
    void test('a data URI of a supported format becomes an image attachment with a stable id', () => {
        const first = image();
        assert.equal(first.kind, 'image');
        assert.equal(first.text, '');
        assert.equal(first.title, 'shot.png (1×1)');
        assert.deepEqual(first.image, { url: PNG, width: 1, height: 1, thumbnail: PNG });
        assert.equal(image().id, first.id);
        assert.equal(parseImageDataUrl(PNG)?.mimeType, 'image/png');
        assert.equal(parseImageDataUrl(PNG)?.bytes, 70);
    });

    void test('another format, a broken data URI or one over 5 MB is refused, saying why', () => {
        const bmp = imageAttachment({
            name: 'a.bmp',
            dataUrl: 'data:image/bmp;base64,Qk0=',
            width: 1,
            height: 1,
        });
        assert.deepEqual(bmp, {
            refused: 'a.bmp was not attached: only PNG, JPEG, WebP and GIF images can be sent.',
        });
        const broken = imageAttachment({
            name: 'b.png',
            dataUrl: 'data:image/png;base64,abc',
            width: 1,
            height: 1,
        });
        assert.ok('refused' in broken);
        const huge = `data:image/png;base64,${'A'.repeat(Math.ceil((MAX_IMAGE_BYTES + 3) / 3) * 4)}`;
        const big = imageAttachment({ name: 'big.png', dataUrl: huge, width: 10, height: 10 });
        assert.ok('refused' in big);
        assert.match(
            big.refused,
            /^big\.png was not attached: it is 5\.0 MB after downscaling, over the 5\.0 MB limit/,
        );
    });

    void test('at most 20 images go with one message', () => {
        const attached = Array.from({ length: 20 }, (_, index) => ({ ...image(), id: `img-${index}` }));
        assert.equal(imageLimitRefusal('one.png', image(), attached.slice(0, 19)), undefined);
        assert.equal(
            imageLimitRefusal('one.png', image(), attached),
            'one.png was not attached: at most 20 images can go with one message.',
        );
    });
});

void describe('images in the chat request', () => {
    function withImage(): Conversation {
        const attachments: Attachment[] = [
            image(),
            { id: 'sel-1', title: 'a.ts:1-2', text: 'let a = 1;', kind: 'selection' },
        ];
        return conversation('c', [
            turn('t1', 'What is in the picture?', 'A cat.', { attachments }),
            turn('t2', 'And its colour?', ''),
        ]);
    }

    void test('an image is an image_url part of its own message, not a document, and goes again as history', () => {
        const chat = withImage();
        const first = buildChatRequest(chat, settingsWith({ model: 'command-a-vision-07-2025' }), {
            turnIndex: 0,
        });
        assert.deepEqual(first.messages, [
            {
                role: 'user',
                content: [
                    { type: 'text', text: 'What is in the picture?' },
                    { type: 'image_url', image_url: { url: PNG, detail: 'auto' } },
                ],
            },
        ]);
        assert.deepEqual(
            first.documents?.map((document) => (typeof document === 'string' ? document : document.id)),
            ['sel-1'],
        );
        const second = buildChatRequest(chat, settingsWith({ model: 'command-a-vision-07-2025' }), {
            turnIndex: 1,
        });
        assert.deepEqual(second.messages[0], first.messages[0]);
        // The fake server checks image parts as the API does: fine for a vision model.
        assert.equal(checkImages(second as never), undefined);
        assert.match(
            checkImages({ ...second, model: 'command-a-03-2025' } as never)?.message ?? '',
            /does not support image inputs/,
        );
    });

    void test('for a model without vision, earlier images are left out (the composer says so)', () => {
        const chat = withImage();
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 1, imageInput: false });
        assert.deepEqual(request.messages[0], { role: 'user', content: 'What is in the picture?' });
        assert.equal(checkImages(request as never), undefined);
        assert.equal(hasEarlierImages(chat), true);
        assert.equal(hasEarlierImages(conversation('d', [turn('t', 'Q', 'A')])), false);
    });

    void test('an image is not a carried document: it stays with its message', () => {
        assert.deepEqual(
            carriedAttachments(withImage()).map((attachment) => attachment.id),
            ['sel-1'],
        );
    });

    void test('a saved image is read back; one that is not a data URI is dropped', () => {
        const good = image();
        const chat = conversation('c', [
            turn('t1', 'Q', 'A', {
                attachments: [
                    good,
                    { ...good, id: 'img-bad', image: { url: 'https://x/y.png', width: 1, height: 1 } },
                ],
            }),
        ]);
        const dropped: string[] = [];
        repairConversation(chat, (text) => dropped.push(text));
        assert.deepEqual(
            chat.turns[0]?.attachments?.map((attachment) => attachment.id),
            [good.id],
        );
        assert.equal(dropped.length, 1);
    });
});

void describe('an image chip for a model without vision', () => {
    void test('is refused with the reason while that model is chosen, and its image is not taken', () => {
        const pending = new PendingAttachments();
        const attachment = image();
        pending.add({ id: `image:${attachment.id}`, label: 'shot.png', kind: 'image' }, [attachment]);
        pending.add({ id: 'file:a', label: 'a.ts', kind: 'file' }, [
            { id: 'code-a', title: 'a.ts:1', text: 'a', kind: 'file' },
        ]);
        pending.refuseKind('image', noVisionText('command-a-03-2025'));
        assert.deepEqual(
            pending.chips().map((chip) => chip.refused),
            [
                'command-a-03-2025 does not take images: choose a vision model (such as command-a-vision-07-2025) to send this image.',
                undefined,
            ],
        );
        assert.deepEqual(
            pending.attachments().map((item) => item.id),
            ['code-a'],
        );
        // Another model chosen: the same chip is sent.
        pending.refuseKind('image', undefined);
        assert.deepEqual(
            pending.take().map((item) => item.id),
            [attachment.id, 'code-a'],
        );
    });
});

void describe('the webview message of an image', () => {
    const message = {
        type: 'attachImage',
        name: 'shot.png',
        dataUrl: PNG,
        width: 1,
        height: 1,
        thumbnail: PNG,
    };

    void test('is accepted when well-formed', () => {
        assert.deepEqual(parseWebviewMessage(structuredClone(message)), message);
    });

    void test('is refused when it is not an image data URI, has no size, or is too long', () => {
        for (const bad of [
            { ...message, dataUrl: 'https://example.com/a.png' },
            { ...message, dataUrl: 'data:text/html;base64,PGI+' },
            { ...message, width: 0 },
            { ...message, height: 1.5 },
            { ...message, thumbnail: 'javascript:alert(1)' },
            { ...message, dataUrl: `data:image/png;base64,${'A'.repeat(7_000_000)}` },
            { ...message, extra: true },
        ]) {
            assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad).slice(0, 120));
        }
    });
});

void describe('image tokens in the usage', () => {
    void test('the fake server reports them as recorded (259 an image, in the input) and the client keeps them', async (t) => {
        const fake = await startFakeCohere();
        t.after(() => fake.close());
        const chat = conversation('c', [
            turn('t1', 'What is this?', '', { attachments: [image(), image('b.png')] }),
        ]);
        const request = buildChatRequest(
            chat,
            settingsWith({ model: 'command-a-vision-07-2025', stream: false }),
            {
                turnIndex: 0,
            },
        );
        const response = await fetch(`${fake.url}/v2/chat`, {
            method: 'POST',
            headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
            body: JSON.stringify({ ...request, stream: false }),
        });
        assert.equal(response.status, 200);
        const usage = checkUsage(((await response.json()) as { usage: unknown }).usage);
        assert.equal(usage?.tokens?.image_tokens, 518);
        assert.ok((usage?.billed_units?.input_tokens ?? 0) > 518);
    });
});
