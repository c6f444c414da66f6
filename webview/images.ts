// Images pasted or dropped into the composer: each is decoded here, brought down to the size the API
// uses (src/context/imageSize.ts: fitted within 2048×1536, at most 5 MB), given a small preview, and
// handed to the host, which shows it as a chip and sends it only to a model that takes images. What
// cannot be read as an image is said next to the chips, never dropped silently.
import { fitWithin, IMAGE_MIME_TYPES, MAX_IMAGE_BYTES } from '../src/context/imageSize';
import type { WebviewToHostMessage } from '../src/protocol';
import { t } from './l10n';

/** The preview's longest side, in CSS pixels (twice the chip's 24 px, for sharp high-DPI screens). */
const THUMBNAIL_SIDE = 48;

export type ImageMessage = Extract<WebviewToHostMessage, { type: 'attachImage' }>;

/** The image files among pasted or dropped files (any image type: unsupported ones are refused by name). */
export function imageFiles(files: FileList | readonly File[] | null | undefined): File[] {
    return [...(files ?? [])].filter((file) => file.type.startsWith('image/'));
}

function isSupported(type: string): boolean {
    return (IMAGE_MIME_TYPES as readonly string[]).includes(type);
}

function canvasOf(width: number, height: number): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    return canvas;
}

function draw(bitmap: ImageBitmap, width: number, height: number): HTMLCanvasElement {
    const canvas = canvasOf(width, height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d canvas');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas;
}

function readAsDataUrl(file: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error ?? new Error('read failed'));
        reader.readAsDataURL(file);
    });
}

/** Decoded bytes of a base64 data URI. */
function dataUrlBytes(url: string): number {
    const base64 = url.slice(url.indexOf(',') + 1);
    return Math.floor((base64.length * 3) / 4);
}

/**
 * The data URI an image is sent as: its own bytes when it is small enough already (a GIF or WebP stays
 * stays what it is), else redrawn at the fitted size - as PNG (lossless, for screenshots and GIFs) or JPEG for
 * a JPEG, falling back to JPEG when a PNG would be over the limit.
 */
async function encode(
    file: File,
    bitmap: ImageBitmap,
): Promise<{ url: string; width: number; height: number }> {
    const fitted = fitWithin(bitmap.width, bitmap.height);
    // A GIF is always redrawn: the API takes only still GIFs, and the canvas keeps the first frame.
    if (!fitted.scaled && file.size <= MAX_IMAGE_BYTES && file.type !== 'image/gif')
        return { url: await readAsDataUrl(file), width: bitmap.width, height: bitmap.height };
    const canvas = draw(bitmap, fitted.width, fitted.height);
    let url = canvas.toDataURL(file.type === 'image/jpeg' ? 'image/jpeg' : 'image/png', 0.9);
    for (const quality of [0.85, 0.7, 0.5]) {
        if (dataUrlBytes(url) <= MAX_IMAGE_BYTES) break;
        url = canvas.toDataURL('image/jpeg', quality);
    }
    return { url, width: fitted.width, height: fitted.height };
}

function thumbnailOf(bitmap: ImageBitmap): string {
    const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    return draw(bitmap, width, height).toDataURL('image/png');
}

/** The message for one image file, or the sentence that says why it cannot be sent. */
export async function readImage(file: File): Promise<ImageMessage | { refused: string }> {
    const name = file.name !== '' ? file.name : t('pastedImage');
    if (!isSupported(file.type)) return { refused: t('imageUnsupported', name) };
    let bitmap: ImageBitmap;
    try {
        bitmap = await createImageBitmap(file);
    } catch {
        return { refused: t('imageUnreadable', name) };
    }
    try {
        const { url, width, height } = await encode(file, bitmap);
        return { type: 'attachImage', name, dataUrl: url, width, height, thumbnail: thumbnailOf(bitmap) };
    } catch {
        return { refused: t('imageUnreadable', name) };
    } finally {
        bitmap.close();
    }
}
