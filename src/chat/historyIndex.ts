// The history index: one small file beside the conversations with what the history list shows of each
// (title, date, turn count), so activation reads it instead of parsing every conversation. It is only a
// cache: the conversation files are the truth, and a missing or damaged index is rebuilt from them.
import type { ConversationSummary } from './model';

/** The index's file name: not `*.json`, so it is never taken for a conversation. */
export const INDEX_FILE = 'history-index.v1';

const INDEX_VERSION = 1;

/** What the index file holds. */
interface IndexFile {
    readonly version: typeof INDEX_VERSION;
    /** When it was written (epoch ms): a conversation file modified later may be newer than its entry. */
    readonly writtenAt: number;
    readonly entries: readonly ConversationSummary[];
}

/** The parsed index: its entries by id, and when it was written. */
export interface HistoryIndex {
    readonly writtenAt: number;
    readonly entries: ReadonlyMap<string, ConversationSummary>;
}

/** The index as JSON. */
export function serializeIndex(entries: readonly ConversationSummary[], writtenAt: number): string {
    const file: IndexFile = { version: INDEX_VERSION, writtenAt, entries };
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
    const { writtenAt, entries } = value;
    if (typeof writtenAt !== 'number' || !Array.isArray(entries)) return undefined;
    const byId = new Map<string, ConversationSummary>();
    for (const entry of entries) {
        const summary = asSummary(entry);
        if (summary !== undefined) byId.set(summary.id, summary);
    }
    return { writtenAt, entries: byId };
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
