// The history index: one small file beside the conversations with what the history list shows of each
// (title, date, turn count), so activation reads it instead of parsing every conversation. It is only a
// cache: the conversation files are the truth, and a missing or damaged index is rebuilt from them.
import path from 'node:path';
import type { ConversationSummary } from './model';

/**
 * The index's file, relative to the conversations folder. It sits in a folder of its own so that
 * writing it (a new file renamed into place) does not change the conversations folder's modification
 * time, which tells whether the index can be trusted without listing the folder.
 */
export const INDEX_FILE = path.join('history-index', 'index.v1');

const INDEX_VERSION = 1;

/** What the index file holds. */
interface IndexFile {
    readonly version: typeof INDEX_VERSION;
    /** When it was written (epoch ms): a conversation file modified later may be newer than its entry. */
    readonly writtenAt: number;
    /**
     * The conversations folder's signature when the entries were checked against its files, or absent
     * when they were not (the history writes what it knows, which may lack a change not heard of yet).
     */
    readonly folder?: string;
    readonly entries: readonly ConversationSummary[];
}

/** The parsed index: its entries by id, when it was written, and the folder it was checked against. */
export interface HistoryIndex {
    readonly writtenAt: number;
    readonly folder: string | undefined;
    readonly entries: ReadonlyMap<string, ConversationSummary>;
    /** Whether every entry was well formed (one left out must be read from its file). */
    readonly complete: boolean;
}

/** The index as JSON; `folder` only when the entries were just checked against the folder's files. */
export function serializeIndex(
    entries: readonly ConversationSummary[],
    writtenAt: number,
    folder?: string,
): string {
    const file: IndexFile = {
        version: INDEX_VERSION,
        writtenAt,
        ...(folder === undefined ? {} : { folder }),
        entries,
    };
    return JSON.stringify(file);
}

/**
 * The index in `text`, or undefined when it is not one this version wrote (damaged, or another
 * version's). Entries of the wrong shape are left out, so their conversations are read from their files.
 */
export function parseIndex(text: string): HistoryIndex | undefined {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (!isRecord(value) || value['version'] !== INDEX_VERSION) return undefined;
    const { writtenAt, folder, entries } = value;
    if (typeof writtenAt !== 'number' || !Array.isArray(entries)) return undefined;
    const byId = new Map<string, ConversationSummary>();
    for (const entry of entries) {
        const summary = asSummary(entry);
        if (summary !== undefined) byId.set(summary.id, summary);
    }
    return {
        writtenAt,
        folder: typeof folder === 'string' ? folder : undefined,
        entries: byId,
        complete: byId.size === entries.length,
    };
}

function asSummary(value: unknown): ConversationSummary | undefined {
    if (!isRecord(value)) return undefined;
    const { id, title, updatedAt, turnCount, newerVersion } = value;
    if (typeof id !== 'string' || typeof title !== 'string') return undefined;
    if (typeof updatedAt !== 'number' || typeof turnCount !== 'number') return undefined;
    const summary: ConversationSummary = { id, title, updatedAt, turnCount };
    if (typeof newerVersion === 'number') summary.newerVersion = newerVersion;
    else if (newerVersion !== undefined) return undefined;
    return summary;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
