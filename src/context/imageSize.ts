// The documented limits of images for vision models (../shared/docs/cohere-embed-rerank-tools.md §5.3),
// the size every image is brought down to before it is sent, and what it costs in tokens. Plain values
// only: the webview (which downscales) and the host (which checks and counts) both import it.

/** The formats the API takes (GIF only unanimated). */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** `high` detail fits an image into 1536×2048 (§5.3): larger images would only be shrunk by the server. */
export const IMAGE_LONG_SIDE = 2048;
export const IMAGE_SHORT_SIDE = 1536;
/** At most 20 images or 20 MB in one request (§5.3). */
export const MAX_IMAGES_PER_MESSAGE = 20;
export const MAX_IMAGE_BYTES_PER_MESSAGE = 20 * 1024 * 1024;
/** One image after downscaling: a quarter of the request's 20 MB, so a few screenshots fit together. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Tokens of one 512×512 tile (§5.3). */
export const TILE_TOKENS = 256;

/** The size an image of `width`×`height` is sent at: fitted (never enlarged) within 2048×1536 either way round. */
export function fitWithin(width: number, height: number): { width: number; height: number; scaled: boolean } {
    const long = Math.max(width, height);
    const short = Math.min(width, height);
    const scale = Math.min(1, IMAGE_LONG_SIDE / long, IMAGE_SHORT_SIDE / short);
    if (scale >= 1) return { width, height, scaled: false };
    return {
        width: Math.max(1, Math.floor(width * scale)),
        height: Math.max(1, Math.floor(height * scale)),
        scaled: true,
    };
}

/**
 * Tokens an image takes with `detail: auto` (§5.3): `low` (one tile) when no side exceeds 768 px, else
 * `high`: fitted into 1536×2048 and cut into 512×512 tiles, plus one preview tile.
 */
export function imageTokens(width: number, height: number): number {
    if (Math.max(width, height) <= 768) return TILE_TOKENS;
    const fitted = fitWithin(width, height);
    const tiles = Math.ceil(fitted.width / 512) * Math.ceil(fitted.height / 512);
    return (tiles + 1) * TILE_TOKENS;
}
