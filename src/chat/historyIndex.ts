// The history index: one small file beside the conversations with what the history list shows of each
// (title, date, turn count), so activation reads it instead of parsing every conversation. It is only a
// cache: the conversation files are the truth, and a missing or damaged index is rebuilt from them.
//
// Version 2 is three lines: a header, the newest conversations (a first page), and all the others,
// newest first. Activation parses the header and the first page and shows those, and parses the rest a
// moment later, so the time to the first list shown does not grow with the history. A page holds its
// entries by column (all ids, all titles, ...), which JSON parses in half the time of one object each.
import path from 'node:path';
import type { ConversationSummary } from './model';

/**
 * The index's file, relative to the conversations folder. It sits in a folder of its own so that
 * writing it (a new file renamed into place) does not change the conversations folder's modification
 * time, which tells whether the index can be trusted without listing the folder.
 */
export const INDEX_FILE = path.join('history-index', 'index.v2');

/** Entries of the first page: more than a tall window shows of the history at once. */
export const FIRST_PAGE_SIZE = 64;

const INDEX_VERSION = 2;

/** What the index's first line holds. */
interface IndexHeader {
    readonly version: typeof INDEX_VERSION;
    /** When it was written (epoch ms): a conversation file modified later may be newer than its entry. */
    readonly writtenAt: number;
    /**
     * The conversations folder's signature when the entries were checked against its files, or absent
     * when they were not (the history writes what it knows, which may lack a change not heard of yet).
     */
    readonly folder?: string;
    /** How many entries the two pages hold together. */
    readonly count: number;
}

/** A page of entries, by column: entry `i` is `ids[i]`, `titles[i]`, ... */
interface Page {
    readonly ids: readonly string[];
    readonly titles: readonly string[];
    readonly updatedAt: readonly number[];
    readonly turnCounts: readonly number[];
    /** `[i, version]` for each entry `i` written by a newer version of the extension. */
    readonly newerVersions: readonly (readonly [number, number])[];
}

/** A whole parsed index: its entries by id and newest first, when it was written, what it was checked against. */
export interface HistoryIndex {
    readonly writtenAt: number;
    readonly folder: string | undefined;
    readonly entries: ReadonlyMap<string, ConversationSummary>;
    /** The same entries, newest first. */
    readonly newestFirst: readonly ConversationSummary[];
    /** Whether every entry was there and well formed (one left out must be read from its file). */
    readonly complete: boolean;
}

/** An index parsed as far as its first page; `whole` parses the rest. */
export interface IndexHead {
    readonly writtenAt: number;
    readonly folder: string | undefined;
    /** The newest entries, or undefined when the first page is damaged or one of its entries is. */
    readonly firstPage: readonly ConversationSummary[] | undefined;
    /** Whether more entries follow the first page. */
    readonly hasMore: boolean;
    whole(): HistoryIndex;
}

/** The index as text; `folder` only when the entries were just checked against the folder's files. */
export function serializeIndex(
    entries: readonly ConversationSummary[],
    writtenAt: number,
    folder?: string,
): string {
    const header: IndexHeader = {
        version: INDEX_VERSION,
        writtenAt,
        ...(folder === undefined ? {} : { folder }),
        count: entries.length,
    };
    const sorted = [...entries].sort(newestFirst);
    return [
        JSON.stringify(header),
        JSON.stringify(toPage(sorted.slice(0, FIRST_PAGE_SIZE))),
        JSON.stringify(toPage(sorted.slice(FIRST_PAGE_SIZE))),
    ].join('\n');
}

/** The index in `text` as far as its first page, or undefined when it is not one this version wrote. */
export function parseIndexHead(text: string): IndexHead | undefined {
    const headerEnd = lineEnd(text, 0);
    const header = parseHeader(text.slice(0, headerEnd));
    if (header === undefined) return undefined;
    const firstEnd = lineEnd(text, headerEnd + 1);
    const first = parsePage(text.slice(headerEnd + 1, firstEnd));
    const hasMore = first === undefined || first.summaries.length < header.count;
    // A first page short of its size with more to follow was not written so: the index is damaged.
    const wellFormed = first?.complete === true && (!hasMore || first.summaries.length === FIRST_PAGE_SIZE);
    let whole: HistoryIndex | undefined;
    return {
        writtenAt: header.writtenAt,
        folder: header.folder,
        firstPage: wellFormed ? first.summaries : undefined,
        hasMore,
        whole: () => (whole ??= wholeIndex(header, first, text.slice(firstEnd + 1))),
    };
}

function wholeIndex(header: IndexHeader, first: ParsedPage | undefined, restLine: string): HistoryIndex {
    const rest = parsePage(restLine);
    const byId = new Map<string, ConversationSummary>();
    const ordered: ConversationSummary[] = [];
    let inOrder = true;
    for (const summary of [...(first?.summaries ?? []), ...(rest?.summaries ?? [])]) {
        if (byId.has(summary.id)) continue;
        const previous = ordered[ordered.length - 1];
        if (previous !== undefined && previous.updatedAt < summary.updatedAt) inOrder = false;
        byId.set(summary.id, summary);
        ordered.push(summary);
    }
    if (!inOrder) ordered.sort(newestFirst);
    const complete = first?.complete === true && rest?.complete === true && ordered.length === header.count;
    return {
        writtenAt: header.writtenAt,
        folder: header.folder,
        entries: byId,
        newestFirst: ordered,
        complete,
    };
}

function parseHeader(line: string): IndexHeader | undefined {
    const value = parseJson(line);
    if (!isRecord(value)) return undefined;
    const { version, writtenAt, folder, count } = value;
    if (version !== INDEX_VERSION || typeof writtenAt !== 'number') return undefined;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return undefined;
    return { version, writtenAt, count, ...(typeof folder === 'string' ? { folder } : {}) };
}

function toPage(entries: readonly ConversationSummary[]): Page {
    const newerVersions: [number, number][] = [];
    entries.forEach((entry, i) => {
        if (entry.newerVersion !== undefined) newerVersions.push([i, entry.newerVersion]);
    });
    return {
        ids: entries.map((entry) => entry.id),
        titles: entries.map((entry) => entry.title),
        updatedAt: entries.map((entry) => entry.updatedAt),
        turnCounts: entries.map((entry) => entry.turnCount),
        newerVersions,
    };
}

interface ParsedPage {
    readonly summaries: ConversationSummary[];
    /** Whether every entry of the page was well formed (the others are left out). */
    readonly complete: boolean;
}

/** The entries a page line holds, or undefined when it is not a page. */
function parsePage(line: string): ParsedPage | undefined {
    const value = parseJson(line);
    if (!isRecord(value)) return undefined;
    const { ids, titles, updatedAt, turnCounts, newerVersions } = value;
    if (!Array.isArray(ids) || !Array.isArray(titles) || !Array.isArray(updatedAt)) return undefined;
    if (!Array.isArray(turnCounts) || !Array.isArray(newerVersions)) return undefined;
    const count = ids.length;
    if (titles.length !== count || updatedAt.length !== count || turnCounts.length !== count)
        return undefined;
    const newer = new Map<number, number>();
    let complete = true;
    for (const pair of newerVersions as unknown[]) {
        const [at, version] = Array.isArray(pair) ? (pair as unknown[]) : [];
        if (typeof at === 'number' && typeof version === 'number') newer.set(at, version);
        else complete = false;
    }
    const summaries: ConversationSummary[] = [];
    for (let i = 0; i < count; i++) {
        const id: unknown = ids[i];
        const title: unknown = titles[i];
        const at: unknown = updatedAt[i];
        const turnCount: unknown = turnCounts[i];
        if (
            typeof id !== 'string' ||
            typeof title !== 'string' ||
            typeof at !== 'number' ||
            typeof turnCount !== 'number'
        ) {
            complete = false;
            continue;
        }
        const summary: ConversationSummary = { id, title, updatedAt: at, turnCount };
        const version = newer.get(i);
        if (version !== undefined) summary.newerVersion = version;
        summaries.push(summary);
    }
    return { summaries, complete };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/** Where the line starting at `start` ends (JSON.stringify escapes the line breaks inside strings). */
function lineEnd(text: string, start: number): number {
    const end = text.indexOf('\n', start);
    return end === -1 ? text.length : end;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function newestFirst(a: ConversationSummary, b: ConversationSummary): number {
    return b.updatedAt - a.updatedAt;
}
