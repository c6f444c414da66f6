// Image content in chat: accepted only by vision models (embed doc section 5), within its limits.
// The real wording for a text-only model is not recorded; this one says the same thing plainly.
import { findModel } from './models';
import { isRecord } from './spec';
import type { ApiError } from './validate';

const MAX_IMAGES = 20;
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const DATA_URI = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+=*$/;
const DETAILS = new Set(['auto', 'low', 'high']);

function bad(message: string): ApiError {
    return { status: 400, message: `invalid request: ${message}` };
}

/** The error for the request's image items, or undefined when there are none or all are fine. */
export function checkImages(body: Record<string, unknown>): ApiError | undefined {
    const images: Record<string, unknown>[] = [];
    for (const message of Array.isArray(body['messages']) ? body['messages'] : []) {
        const content = isRecord(message) ? message['content'] : undefined;
        if (!Array.isArray(content)) continue;
        for (const item of content) if (isRecord(item) && item['type'] === 'image_url') images.push(item);
    }
    if (images.length === 0) return undefined;
    const model = String(body['model']);
    if (!(findModel(model)?.features ?? []).includes('vision')) {
        return bad(`model '${model}' does not support image inputs. Use a model that supports vision.`);
    }
    if (images.length > MAX_IMAGES)
        return bad(`at most ${MAX_IMAGES} images are allowed per request - received ${images.length}`);
    let bytes = 0;
    for (const [index, item] of images.entries()) {
        const imageUrl = item['image_url'];
        const url = isRecord(imageUrl) ? imageUrl['url'] : undefined;
        if (typeof url !== 'string' || !(DATA_URI.test(url) || /^https?:\/\//.test(url))) {
            return bad(
                `image ${index} must be a base64 data URI of a PNG, JPEG, WEBP or GIF image, or an http(s) URL.`,
            );
        }
        const detail = isRecord(imageUrl) ? imageUrl['detail'] : undefined;
        if (detail !== undefined && (typeof detail !== 'string' || !DETAILS.has(detail))) {
            return bad(`image ${index} detail must be one of auto, low, high.`);
        }
        bytes += url.length;
    }
    if (bytes > MAX_IMAGE_BYTES) return bad('the images of a request must total at most 20 MB.');
    return undefined;
}
