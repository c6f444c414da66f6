// The history index as version 1 wrote it: one JSON object whose `entries` are summary objects, in no
// order. Only read now, so that the first activation after an update takes the entries from it and
// lists the folder once, instead of parsing every conversation file; version 2 replaces it then.
import path from 'node:path';
import type { ConversationSummary } from './model';
import type { HistoryIndex } from './historyIndex';

/** Where version 1 kept its index, relative to the conversations folder. */
export const OLD_INDEX_FILE = path.join('history-index', 'index.v1');

/**
 * The version 1 index in `text`, or undefined when it is not one (damaged, or another version's).
 * Entries of the wrong shape are left out, so their conversations are read from their files.
 */
export function parseOldIndex(text: string): HistoryIndex | undefined {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (!isRecord(value) || value['version'] !== 1) return undefined;
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
        newestFirst: [...byId.values()].sort((a, b) => b.updatedAt - a.updatedAt),
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
