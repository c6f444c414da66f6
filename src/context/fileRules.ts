// Which files may be attached: text only, and not too big. A refusal always says why.
import { CONTEXT_STRINGS, fill } from './strings';
import type { ContextStrings } from './strings';

/** The default cap on an attached (or indexed) file, in bytes. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type Refusal = { kind: 'binary' } | { kind: 'tooLarge'; size: number; cap: number };

/** Looks at the first 8 KB: a NUL byte, or many bytes that are not valid UTF-8, mean a binary file. */
export function looksBinary(bytes: Uint8Array): boolean {
    const head = bytes.subarray(0, 8192);
    if (head.includes(0)) return true;
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(head);
        return false;
    } catch {
        // The sample may end inside a multi-byte character: try again without its last 3 bytes.
        try {
            new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
            return false;
        } catch {
            return true;
        }
    }
}

/** Why a file may not be attached, or undefined when it may. */
export function refusalOf(
    bytes: Uint8Array,
    size: number,
    cap = DEFAULT_MAX_FILE_BYTES,
): Refusal | undefined {
    if (size > cap) return { kind: 'tooLarge', size, cap };
    if (looksBinary(bytes)) return { kind: 'binary' };
    return undefined;
}

/** The reason in words, e.g. for a chip or a notification, from the caller's (translated) table. */
export function refusalText(
    path: string,
    refusal: Refusal,
    strings: ContextStrings = CONTEXT_STRINGS,
): string {
    if (refusal.kind === 'binary') return fill(strings.refusedBinary, path);
    return fill(strings.refusedTooLarge, path, formatBytes(refusal.size), formatBytes(refusal.cap));
}

export function formatBytes(bytes: number): string {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
