// What a tool call gives back: documents (so the reply can cite what was read, down to its lines),
// a one-line summary for the person, and whether anything was cut to stay within the caps.
import { createHash } from 'node:crypto';
import type { ToolWorkspace } from './workspace';

/** The most characters of tool output sent back per call. */
export const MAX_RESULT_CHARS = 20_000;
/** The most lines read_file returns at once. */
export const MAX_READ_LINES = 400;
export const MAX_LISTED_ENTRIES = 500;
export const MAX_FOUND_FILES = 200;
export const MAX_SEARCH_MATCHES = 100;
export const MAX_SEARCHED_FILES = 2000;
/** Files larger than this are not read (generated bundles, data). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** One document of a tool result, before the call's id is given to it. */
export interface ToolDocumentDraft {
    /** The fields sent to the model. */
    data: Record<string, string>;
    /** Workspace path of what it shows (as the model names it). */
    path?: string;
    absolutePath?: string;
    /** 1-based inclusive lines it shows. */
    startLine?: number;
    endLine?: number;
    /** Fingerprint of the whole file as read (never sent): a resumed turn knows what its kept steps read. */
    fileHash?: string;
}

/** What happened to a proposed edit or new file. */
export interface ChangeRecord {
    path: string;
    absolutePath: string;
    outcome: 'applied' | 'rejected' | 'refused';
    /** The text proposed, so the diff can be shown again later. */
    after?: string;
    before?: string;
}

export interface ToolOutcomeDraft {
    status: 'ok' | 'error';
    /** One line for the person, e.g. "Read src/app.ts lines 1-40". */
    summary: string;
    documents: ToolDocumentDraft[];
    truncated?: boolean;
    change?: ChangeRecord;
}

/** A failed call: its reason goes back to the model as the result, so it can correct itself. */
export function errorOutcome(message: string): ToolOutcomeDraft {
    return { status: 'error', summary: message, documents: [{ data: { error: message } }] };
}

/** Cuts text to `limit` characters at a line end, saying so. */
export function capText(text: string, limit = MAX_RESULT_CHARS): { text: string; truncated: boolean } {
    if (text.length <= limit) return { text, truncated: false };
    let cut = text.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = limit;
    return { text: text.slice(0, cut), truncated: true };
}

/** A stable fingerprint of a file's text, to tell whether it changed since it was read. */
export function fingerprint(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

/** What the model last read of each file in this turn, to refuse edits to files changed since. */
export class ReadLedger {
    private readonly seen = new Map<string, string>();

    record(absolutePath: string, text: string): void {
        this.seen.set(absolutePath, fingerprint(text));
    }

    /** What an earlier step of the turn read, by its fingerprint (a turn resumed after Stop or a reload). */
    recordFingerprint(absolutePath: string, hash: string): void {
        this.seen.set(absolutePath, hash);
    }

    /** 'unread', 'changed' or 'same'. */
    compare(absolutePath: string, text: string): 'unread' | 'changed' | 'same' {
        const known = this.seen.get(absolutePath);
        if (known === undefined) return 'unread';
        return known === fingerprint(text) ? 'same' : 'changed';
    }
}

/** Reads a file as text, refusing binary and oversized files. */
export async function readText(
    workspace: ToolWorkspace,
    absolutePath: string,
    display: string,
): Promise<string> {
    const stat = await workspace.lstat(absolutePath);
    if (stat !== undefined && stat.kind === 'directory')
        throw new Error(`'${display}' is a folder: use list_directory`);
    if (stat !== undefined && stat.size > MAX_FILE_BYTES)
        throw new Error(`'${display}' is too large to read (${stat.size} bytes)`);
    const text = await workspace.readFile(absolutePath);
    if (text.slice(0, 8000).includes('\0')) throw new Error(`'${display}' is a binary file`);
    return text;
}

/** Lines of a text (a final newline does not start another line). */
export function linesOf(text: string): string[] {
    const lines = text.split(/\r?\n/);
    if (lines.length > 1 && lines.at(-1) === '') lines.pop();
    return lines;
}
