// Private-use characters that mark where a citation starts and ends in markdown source, so the cited span
// survives parsing and can be found again in the rendered DOM (see citations.ts). Model text never
// legitimately contains these code points in a way we need to keep: they are stripped from what we show.

const START_BASE = 0xe000;
const END_BASE = 0xe800;
/** How many citations per reply can be drawn; more are listed but not highlighted. */
export const MAX_SENTINEL_CITATIONS = 0x800;

/** Matches any sentinel character. */
export const SENTINEL_PATTERN = /[\ue000-\uefff]/g;
// The same characters as UTF-8 percent escapes, which is how markdown-it writes them into an href.
const ENCODED_SENTINEL_PATTERN = /%EE%(?:8|9|A|B)[0-9A-F]%(?:8|9|A|B)[0-9A-F]/gi;

/** The character that opens citation number `n` (1-based). */
export function startSentinel(n: number): string {
    return String.fromCharCode(START_BASE + n);
}

/** The character that closes citation number `n` (1-based). */
export function endSentinel(n: number): string {
    return String.fromCharCode(END_BASE + n);
}

/** What a sentinel character means, or undefined for any other character. */
export function readSentinel(char: string): { kind: 'start' | 'end'; n: number } | undefined {
    const code = char.charCodeAt(0);
    if (code >= START_BASE && code < END_BASE) return { kind: 'start', n: code - START_BASE };
    if (code >= END_BASE && code < END_BASE + MAX_SENTINEL_CITATIONS)
        return { kind: 'end', n: code - END_BASE };
    return undefined;
}

/** `text` without sentinels, raw or percent-encoded. */
export function stripSentinels(text: string): string {
    return text.replace(SENTINEL_PATTERN, '').replace(ENCODED_SENTINEL_PATTERN, '');
}

const ONE_SENTINEL = /[\ue000-\uefff]/;

/** Whether `text` holds a raw sentinel. */
export function hasSentinel(text: string): boolean {
    return ONE_SENTINEL.test(text);
}

/**
 * `text` with any character that would read as a sentinel replaced by U+FFFD. The replacement is one UTF-16
 * unit like the original, so the server's citation offsets still point at the same characters.
 */
export function neutralizeSentinels(text: string): string {
    return text.replace(SENTINEL_PATTERN, '\ufffd');
}
