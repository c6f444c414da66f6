// Images for vision models (../shared/docs/cohere-embed-rerank-tools.md §5): whether a model takes
// images, and the attachment an image becomes. An image goes as an `image_url` content part of its own
// message (a data URI), never as a document. No vscode import. The limits and sizes are in imageSize.ts
// (the webview downscales with them too).
import type { Attachment } from '../chat/model';
import type { ModelInfo } from '../cohere/types';
import { fingerprint } from './documents';
import { formatBytes } from './fileRules';
import { fitWithin, MAX_IMAGE_BYTES, MAX_IMAGE_BYTES_PER_MESSAGE, MAX_IMAGES_PER_MESSAGE } from './imageSize';
import { CONTEXT_STRINGS, fill } from './strings';
import type { ContextStrings } from './strings';

export { fitWithin, imageTokens, MAX_IMAGE_BYTES } from './imageSize';

/** The documented vision models (§5.2), for a catalogue whose entry has no `features`. */
const DOCUMENTED_VISION_MODELS = new Set([
    'command-a-plus-05-2026',
    'command-a-vision-07-2025',
    'c4ai-aya-vision-32b',
]);
/** The model a refusal suggests. */
export const SUGGESTED_VISION_MODEL = 'command-a-vision-07-2025';

/** The image formats the API takes, by file extension: a dropped file with one of these is an image. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    webp: 'image/webp',
    gif: 'image/gif',
};

/** The largest image file the host reads for the webview to downscale (the sent image is capped far lower). */
export const MAX_IMAGE_FILE_BYTES = 40 * 1024 * 1024;

/** The MIME type of an image file the API takes, from its path, or undefined for any other file. */
export function imageTypeOfPath(path: string): string | undefined {
    const dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
    return IMAGE_TYPES[path.slice(dot + 1).toLowerCase()];
}

const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/]*={0,2})$/;

/** The format and decoded size of a base64 image data URI, or undefined when it is not one the API takes. */
export function parseImageDataUrl(url: string): { mimeType: string; bytes: number } | undefined {
    const match = DATA_URL.exec(url);
    if (match === null) return undefined;
    const base64 = match[2] ?? '';
    if (base64.length === 0 || base64.length % 4 !== 0) return undefined;
    const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
    return { mimeType: match[1] ?? '', bytes: (base64.length / 4) * 3 - padding };
}

/**
 * Whether `model` takes images: its `/v1/models` entry lists `vision` in `features` (or says
 * `supports_vision`); an entry without features, or a model the list does not have, falls back to the
 * documented vision models (§5.2 recommends never blocking on the field).
 */
export function takesImages(model: string, models: readonly ModelInfo[] | undefined): boolean {
    const entry = models?.find((candidate) => candidate.name === model);
    if (entry?.features !== undefined) {
        return (
            entry.features.includes('vision') ||
            (entry as { supports_vision?: unknown }).supports_vision === true
        );
    }
    return DOCUMENTED_VISION_MODELS.has(model);
}

/** An image as the webview hands it over, already downscaled. */
export interface ImageInput {
    /** The file name, or a name the webview gave a pasted image. */
    name: string;
    dataUrl: string;
    width: number;
    height: number;
    /** A small preview (data URI) for the chip and the message. */
    thumbnail?: string;
}

/** The attachment for an image, or the reason it cannot be one (format, size). */
export function imageAttachment(
    input: ImageInput,
    strings: ContextStrings = CONTEXT_STRINGS,
): { attachment: Attachment } | { refused: string } {
    const parsed = parseImageDataUrl(input.dataUrl);
    if (parsed === undefined) return { refused: fill(strings.imageFormat, input.name) };
    if (parsed.bytes > MAX_IMAGE_BYTES) {
        return {
            refused: fill(
                strings.imageTooLarge,
                input.name,
                formatBytes(parsed.bytes),
                formatBytes(MAX_IMAGE_BYTES),
            ),
        };
    }
    const fitted = fitWithin(input.width, input.height);
    return {
        attachment: {
            id: `img-${fingerprint(input.dataUrl)}`,
            title: `${input.name} (${input.width}×${input.height})`,
            text: '',
            kind: 'image',
            image: {
                url: input.dataUrl,
                width: fitted.width,
                height: fitted.height,
                ...(input.thumbnail === undefined ? {} : { thumbnail: input.thumbnail }),
            },
        },
    };
}

/** Why one more image cannot join `attached` in the same message (count, total size), or undefined. */
export function imageLimitRefusal(
    name: string,
    image: Attachment,
    attached: readonly Attachment[],
    strings: ContextStrings = CONTEXT_STRINGS,
): string | undefined {
    const images = attached.filter((attachment) => attachment.image !== undefined);
    if (images.length >= MAX_IMAGES_PER_MESSAGE)
        return fill(strings.imageTooMany, name, MAX_IMAGES_PER_MESSAGE);
    const bytes = [...images, image].reduce(
        (sum, attachment) => sum + (attachment.image === undefined ? 0 : attachment.image.url.length),
        0,
    );
    if (bytes > MAX_IMAGE_BYTES_PER_MESSAGE)
        return fill(strings.imageTotal, name, formatBytes(MAX_IMAGE_BYTES_PER_MESSAGE));
    return undefined;
}

/** What a chip of an image says when the chosen model does not take images. */
export function noVisionText(model: string, strings: ContextStrings = CONTEXT_STRINGS): string {
    return fill(strings.imageNoVision, model, SUGGESTED_VISION_MODEL);
}
