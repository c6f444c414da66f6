// Conversations on disk: one JSON file per conversation, written atomically (temporary file,
// fsync, rename) with a schema version. A file that cannot be read as a conversation of this
// version is reported and renamed aside; it never takes the other conversations down. A file of a
// newer version is left as it is (a window not yet reloaded after an update must not hide it), and
// anything in the folder that is not a plain file inside it is skipped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONVERSATION_SCHEMA_VERSION } from './model';
import type { Conversation, ConversationSummary, Turn } from './model';
import { asError } from './logger';
import type { Logger } from './logger';
import { repairConversation } from './validate';
import { LOCK_SUFFIX, withFileLock } from './fileLock';
import { INDEX_FILE, parseIndexHead, serializeIndex } from './historyIndex';
import type { HistoryIndex, IndexHead } from './historyIndex';
import { OLD_INDEX_FILE, parseOldIndex } from './historyIndexV1';
import { mergeConversations } from './merge';
import {
    currentSignature,
    isNotFound,
    MAX_CONVERSATION_FILE_BYTES,
    readEntry,
    TEMP_MARKER,
    writeAtomically,
} from './storeFiles';

const EXTENSION = '.json';
const DAMAGED_SUFFIX = '.damaged';
const MIB = 1024 * 1024;
// A write holds its temporary file and its lock for milliseconds: a minute-old one was left by a process that died.
const STALE_TEMP_MS = 60_000;
// Ids become file names: this keeps them from naming anything outside `dir`.
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
// A folder modified this recently is not vouched for: an entry added within the same tick of a coarse
// file-system clock (up to 2 s on FAT) leaves its modification time as it was. Git treats its "racily
// clean" files the same way.
const RACY_FOLDER_MS = 2_000;

/** What reading one conversation's file gave. */
type ReadResult =
    | { readonly kind: 'conversation'; readonly conversation: Conversation }
    /** Written by a newer version: listed from what it says of itself, never changed. */
    | { readonly kind: 'newer'; readonly summary: ConversationSummary }
    | { readonly kind: 'none' };

/**
 * How a save ended: written (merged with another window's changes when there were any), or not written
 * because the file was deleted (by another window) since it was read, or because a newer version of
 * the extension wrote it since.
 */
export type SaveOutcome = 'saved' | 'deleted' | 'newer';

/** What activation lists: summaries newest first, and when the index they came from was written. */
export interface IndexedListing {
    /** Every conversation, or only the newest ones when `whole` is there. */
    readonly summaries: ConversationSummary[];
    /**
     * The whole list, newest first, when `summaries` is only the index's first page: the rest of the
     * index is parsed when this is called, so the first page can be shown before.
     */
    readonly whole?: () => Promise<ConversationSummary[]>;
    readonly indexWrittenAt?: number;
}

/** The history index found: this version's, version 1's, or none usable. */
type IndexRead =
    | { readonly kind: 'current'; readonly head: IndexHead }
    | { readonly kind: 'old'; readonly index: HistoryIndex }
    | { readonly kind: 'none' };

/** What this store last read or wrote of a file, to tell whether someone else changed it since. */
interface KnownFile {
    /** The file's signature after that read or write. */
    readonly signature: string;
    /** This store's own copy (JSON) at that read or write: the base of a merge. */
    readonly base: string;
    /** The written file holds changes of another window that this store's copy lacks. */
    readonly foreign: boolean;
}

/**
 * Reads and writes conversations in one directory, which other processes (other VS Code windows) may
 * share: every save runs under a lock file, and merges, by turn id, whatever another window wrote
 * since this store last read or wrote the file; a file deleted meanwhile is not brought back.
 */
export class ConversationStore {
    // Saves of one conversation run one after another, so the last save always wins on disk.
    private readonly writes = new Map<string, Promise<SaveOutcome>>();
    private readonly known = new Map<string, KnownFile>();
    private readonly deleted = new Set<string>();
    private indexWrite: Promise<void> = Promise.resolve();

    constructor(
        private readonly dir: string,
        private readonly log: Logger,
    ) {}

    /**
     * Summaries of every readable conversation, newest first. Damaged files are set aside; entries
     * that are not plain files are skipped; one entry never stops the others from being listed.
     */
    async list(): Promise<ConversationSummary[]> {
        let names: string[];
        try {
            names = await fs.readdir(this.dir);
        } catch (error) {
            if (isNotFound(error)) return [];
            throw error;
        }
        const summaries: ConversationSummary[] = [];
        for (const name of names) {
            const id = await this.conversationIdOf(name);
            if (id === undefined) continue;
            try {
                const read = await this.read(id);
                if (read.kind === 'conversation') summaries.push(summarize(read.conversation));
                else if (read.kind === 'newer') summaries.push(read.summary);
            } catch (error) {
                this.log.error(`Conversation file ${name} could not be listed; skipped it.`);
                this.log.error(asError(error));
            }
        }
        return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
    }

    /**
     * The summaries for the history at activation, without parsing every conversation. When the folder
     * is as it was when the index was last checked against its files (no file added, removed, renamed
     * or replaced since: each of those changes the folder's modification time), the index is the list.
     * Otherwise the folder is listed: each conversation the index has is taken from there, the others
     * (new files, or all of them when the index is missing or damaged) from their files, and the index
     * is rewritten when it was not up to date. `indexWrittenAt` says when the index used was written
     * (a file modified later, in place, may be newer).
     */
    async listIndexed(): Promise<IndexedListing> {
        // Taken before the folder is listed: a change made while it is listed leaves a newer signature.
        let folder: string | undefined;
        try {
            folder = await this.folderSignature();
        } catch (error) {
            if (isNotFound(error)) return { summaries: [] };
            throw error;
        }
        const read = await this.readIndex();
        if (read.kind === 'current' && folder !== undefined && read.head.folder === folder) {
            // Stale temporary files and locks are cleaned up by the next listing that lists the folder.
            const { head } = read;
            if (head.firstPage !== undefined && head.hasMore) {
                return {
                    summaries: [...head.firstPage],
                    indexWrittenAt: head.writtenAt,
                    whole: () => this.wholeListing(head, folder),
                };
            }
            const index = head.whole();
            if (index.complete) return { summaries: [...index.newestFirst], indexWrittenAt: index.writtenAt };
            return this.listFolder(index, folder);
        }
        const index =
            read.kind === 'current' ? read.head.whole() : read.kind === 'old' ? read.index : undefined;
        return this.listFolder(index, folder, read.kind === 'old');
    }

    /** The whole list after a first page from `head`: the rest of the index, or the folder if that is damaged. */
    private async wholeListing(head: IndexHead, folder: string): Promise<ConversationSummary[]> {
        const index = head.whole();
        if (index.complete) return [...index.newestFirst];
        return (await this.listFolder(index, folder)).summaries;
    }

    /** The index file: this version's (parsed as far as its first page), else version 1's. */
    private async readIndex(): Promise<IndexRead> {
        const current = await readEntry(this.dir, path.join(this.dir, INDEX_FILE));
        let entry = current;
        if (current.kind === 'file') {
            const head = parseIndexHead(current.text);
            if (head !== undefined) return { kind: 'current', head };
        } else if (current.kind === 'missing') {
            entry = await readEntry(this.dir, path.join(this.dir, OLD_INDEX_FILE));
            const index = entry.kind === 'file' ? parseOldIndex(entry.text) : undefined;
            if (index !== undefined) return { kind: 'old', index };
        }
        if (entry.kind !== 'missing') {
            this.log.warn('The history index is damaged; rebuilding it from the conversation files.');
        }
        return { kind: 'none' };
    }

    /**
     * Lists the folder, taking each conversation `index` has from it and the others from their files,
     * and rewrites the index when it was not up to date (always when it is version 1's, which then goes).
     */
    private async listFolder(
        index: HistoryIndex | undefined,
        folder: string | undefined,
        oldVersion = false,
    ): Promise<IndexedListing> {
        let names: string[];
        try {
            names = await fs.readdir(this.dir);
        } catch (error) {
            if (isNotFound(error)) return { summaries: [] };
            throw error;
        }
        const summaries: ConversationSummary[] = [];
        let upToDate = index?.complete === true && !oldVersion;
        for (const name of names) {
            const id = await this.conversationIdOf(name);
            if (id === undefined) continue;
            const indexed = index?.entries.get(id);
            if (indexed !== undefined) {
                summaries.push(indexed);
                continue;
            }
            upToDate = false;
            try {
                const summary = await this.summary(id);
                if (summary !== undefined) summaries.push(summary);
            } catch (error) {
                this.log.error(`Conversation file ${name} could not be listed; skipped it.`);
                this.log.error(asError(error));
            }
        }
        // Entries of conversations whose files are gone (deleted while no window ran).
        if (index !== undefined && index.entries.size !== summaries.length) upToDate = false;
        summaries.sort((a, b) => b.updatedAt - a.updatedAt);
        // Also when only the folder's signature is new, so the next listing need not list the folder.
        const rewrite = !upToDate || index?.folder !== folder;
        if (rewrite && (summaries.length > 0 || index !== undefined)) {
            // It keeps the old index's time: the entries taken from that are only as current as it was,
            // and a file replaced since then must still be read again after listing (`modifiedSince`).
            await this.writeIndexFile(serializeIndex(summaries, index?.writtenAt ?? Date.now(), folder));
        }
        if (oldVersion) await fs.rm(path.join(this.dir, OLD_INDEX_FILE), { force: true });
        return index === undefined ? { summaries } : { summaries, indexWrittenAt: index.writtenAt };
    }

    /**
     * Rewrites the history index with `summaries` (writes of one store land in call order). The next
     * listing lists the folder before it trusts this index: `summaries` may lack a change of another
     * window not heard of yet.
     */
    writeIndex(summaries: readonly ConversationSummary[]): Promise<void> {
        return this.writeIndexFile(serializeIndex(summaries, Date.now()));
    }

    private writeIndexFile(data: string): Promise<void> {
        this.indexWrite = this.indexWrite
            .catch(() => undefined)
            .then(async () => {
                await writeAtomically(path.join(this.dir, INDEX_FILE), data);
            });
        return this.indexWrite;
    }

    /**
     * The conversations folder's signature (its inode and modification time), or undefined while it is
     * too freshly modified to vouch for its listing.
     */
    private async folderSignature(): Promise<string | undefined> {
        const stats = await fs.stat(this.dir);
        if (Date.now() - stats.mtimeMs < RACY_FOLDER_MS) return undefined;
        return `${stats.ino}:${stats.mtimeMs}`;
    }

    /** Ids of the conversation files modified after `time` (epoch ms). */
    async modifiedSince(time: number): Promise<string[]> {
        let names: string[];
        try {
            names = await fs.readdir(this.dir);
        } catch (error) {
            if (isNotFound(error)) return [];
            throw error;
        }
        const ids: string[] = [];
        for (const name of names) {
            const id = name.endsWith(EXTENSION) ? name.slice(0, -EXTENSION.length) : undefined;
            if (id === undefined || !SAFE_ID.test(id)) continue;
            try {
                if ((await fs.lstat(path.join(this.dir, name))).mtimeMs > time) ids.push(id);
            } catch {
                // Gone meanwhile: the watcher tells the history.
            }
        }
        return ids;
    }

    /**
     * The conversation, or undefined when there is none, its file was damaged and set aside, it was
     * written by a newer version of the extension, or it is not a plain file.
     */
    async load(id: string): Promise<Conversation | undefined> {
        const read = await this.read(id, true);
        return read.kind === 'conversation' ? read.conversation : undefined;
    }

    /** The summary of one conversation as its file is now (for a change another window made). */
    async summary(id: string): Promise<ConversationSummary | undefined> {
        const read = await this.read(id);
        if (read.kind === 'newer') return read.summary;
        return read.kind === 'conversation' ? summarize(read.conversation) : undefined;
    }

    /** Whether the file of `id` is, right now, the one this store last wrote or read. */
    async isUnchanged(id: string): Promise<boolean> {
        const known = this.known.get(id);
        return known !== undefined && (await currentSignature(this.fileOf(id))) === known.signature;
    }

    /**
     * Writes the conversation atomically; concurrent saves of one id land in call order. The
     * conversation is serialized during the call, so later changes to it do not reach this write.
     */
    save(conversation: Conversation): Promise<SaveOutcome> {
        const { id } = conversation;
        if (!SAFE_ID.test(id)) return Promise.reject(new Error(`invalid conversation id '${id}'`));
        const data = JSON.stringify(conversation);
        if (
            data.length > MAX_CONVERSATION_FILE_BYTES / 3 &&
            Buffer.byteLength(data) > MAX_CONVERSATION_FILE_BYTES
        ) {
            // Written, it would be set aside when next read: the file on disk stays as it was instead.
            return Promise.reject(
                new Error(
                    `conversation ${id} is past the ${MAX_CONVERSATION_FILE_BYTES / MIB} MiB a file may have; not saved`,
                ),
            );
        }
        const previous = this.writes.get(id) ?? Promise.resolve();
        const next = previous.catch(() => undefined).then(() => this.writeShared(id, data));
        this.writes.set(id, next);
        void next
            .catch(() => undefined)
            .then(() => {
                if (this.writes.get(id) === next) this.writes.delete(id);
            });
        return next;
    }

    /** Removes the conversation's file; no later save of this store brings it back. */
    async delete(id: string): Promise<void> {
        if (!SAFE_ID.test(id)) return;
        this.deleted.add(id);
        await (this.writes.get(id) ?? Promise.resolve()).catch(() => undefined);
        await fs.mkdir(this.dir, { recursive: true });
        await withFileLock(this.fileOf(id) + LOCK_SUFFIX, async () => {
            await fs.rm(this.fileOf(id), { force: true });
        });
        this.known.delete(id);
    }

    /** One save, under the folder-wide lock of this conversation, merged with another window's changes. */
    private async writeShared(id: string, data: string): Promise<SaveOutcome> {
        if (this.deleted.has(id)) return 'deleted';
        const file = this.fileOf(id);
        await fs.mkdir(this.dir, { recursive: true });
        return withFileLock(file + LOCK_SUFFIX, async (held) => {
            if (!held) this.log.warn(`Saving ${id}${EXTENSION} without its lock (another window holds it).`);
            const known = this.known.get(id);
            const signature = await currentSignature(file);
            if (signature === undefined && known !== undefined) {
                // It was on disk when this store last saw it: another window deleted it since, and
                // neither this save nor a later one may bring it back.
                this.known.delete(id);
                this.deleted.add(id);
                return 'deleted';
            }
            let text = data;
            let foreign = false;
            if (signature !== undefined && (signature !== known?.signature || known.foreign)) {
                const theirs = await this.read(id);
                if (theirs.kind === 'newer') return 'newer';
                if (theirs.kind === 'conversation') {
                    const base = known === undefined ? undefined : (JSON.parse(known.base) as Conversation);
                    const merged = mergeConversations(
                        JSON.parse(data) as Conversation,
                        base,
                        theirs.conversation,
                    );
                    if (merged.foreign) text = JSON.stringify(merged.conversation);
                    foreign = merged.foreign;
                }
            }
            this.known.set(id, { signature: await writeAtomically(file, text), base: data, foreign });
            return 'saved';
        });
    }

    /**
     * The id a folder entry is the conversation file of, or undefined; cleans up, on the way, the
     * temporary files and locks a process that died left behind.
     */
    private async conversationIdOf(name: string): Promise<string | undefined> {
        if (name.includes(TEMP_MARKER) || name.endsWith(LOCK_SUFFIX)) {
            await this.removeStaleTemp(name);
            return undefined;
        }
        if (!name.endsWith(EXTENSION)) return undefined;
        const id = name.slice(0, -EXTENSION.length);
        return SAFE_ID.test(id) ? id : undefined;
    }

    private fileOf(id: string): string {
        return path.join(this.dir, id + EXTENSION);
    }

    /** Reads the file of `id`; `remember` makes what it holds the base of this store's next save. */
    private async read(id: string, remember = false): Promise<ReadResult> {
        if (!SAFE_ID.test(id)) return { kind: 'none' };
        const entry = await readEntry(this.dir, this.fileOf(id));
        if (entry.kind === 'missing') return { kind: 'none' };
        if (entry.kind === 'skipped') {
            this.log.warn(`Skipped ${id}${EXTENSION} in the conversations folder: it is ${entry.reason}.`);
            return { kind: 'none' };
        }
        if (entry.kind === 'tooLarge') {
            const size = `${Math.ceil(entry.bytes / MIB)} MiB`;
            await this.setAside(
                id,
                `${size}, past the ${MAX_CONVERSATION_FILE_BYTES / MIB} MiB a file may have`,
            );
            return { kind: 'none' };
        }
        let problem: string | undefined;
        let conversation: Conversation | undefined;
        try {
            const parsed: unknown = JSON.parse(entry.text);
            const newer = newerSummary(parsed, id);
            if (newer !== undefined) return { kind: 'newer', summary: newer };
            problem = describeProblem(parsed, id);
            if (problem === undefined) {
                conversation = repairConversation(parsed as Conversation, (dropped) =>
                    this.log.warn(`Conversation file ${id}${EXTENSION}: dropped malformed parts: ${dropped}`),
                );
            }
        } catch (error) {
            // V8 quotes the text it choked on, which is the person's conversation: keep only the position.
            const position = /position \d+/.exec(asError(error).message)?.[0];
            problem = position === undefined ? 'not valid JSON' : `not valid JSON (at ${position})`;
        }
        if (conversation === undefined) {
            await this.setAside(id, problem ?? 'unreadable');
            return { kind: 'none' };
        }
        const revived = reviveInterrupted(conversation);
        if (remember) {
            this.known.set(id, { signature: entry.signature, base: JSON.stringify(revived), foreign: false });
        }
        return { kind: 'conversation', conversation: revived };
    }

    /**
     * A temporary file left by a write interrupted before its rename (the real file is intact).
     * Only old ones go: another window sharing this directory may be writing a fresh one.
     */
    private async removeStaleTemp(name: string): Promise<void> {
        const file = path.join(this.dir, name);
        try {
            const { mtimeMs } = await fs.lstat(file);
            if (Date.now() - mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
        } catch {
            // Renamed or removed meanwhile: nothing to clean.
        }
    }

    private async setAside(id: string, problem: string): Promise<void> {
        const file = this.fileOf(id);
        let target = file + DAMAGED_SUFFIX;
        if (await exists(target)) target = `${target}-${Date.now()}`;
        try {
            await fs.rename(file, target);
            this.log.error(
                `Conversation file ${id}${EXTENSION} is ${problem}; moved it to ${path.basename(target)}.`,
            );
        } catch (error) {
            this.log.error(`Conversation file ${id}${EXTENSION} is ${problem} and could not be moved aside.`);
            this.log.error(asError(error));
        }
    }
}

/**
 * The summary of a file written by a newer version of the extension (a higher schema version), from
 * what it says of itself; undefined when `value` is not one. Its format may have changed in any way
 * but the version number, so every other field is read only if it has the expected type.
 */
function newerSummary(value: unknown, id: string): ConversationSummary | undefined {
    if (!isRecord(value)) return undefined;
    const version = value['schemaVersion'];
    if (typeof version !== 'number' || !(version > CONVERSATION_SCHEMA_VERSION)) return undefined;
    const { title, updatedAt, turns } = value;
    return {
        id,
        title: typeof title === 'string' ? title : id,
        updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
        turnCount: Array.isArray(turns) ? turns.length : 0,
        newerVersion: version,
    };
}

/** What the history list needs of a conversation. */
export function summarize(conversation: Conversation): ConversationSummary {
    return {
        id: conversation.id,
        title: conversation.title,
        updatedAt: conversation.updatedAt,
        turnCount: conversation.turns.length,
    };
}

/**
 * A turn still `streaming` in a file was cut off by a closed window: it is shown as stopped, and a
 * tool call it was running as cancelled (Retry runs it again).
 */
function reviveInterrupted(conversation: Conversation): Conversation {
    for (const turn of conversation.turns) {
        if (turn.status === 'streaming') {
            turn.status = 'stopped';
            turn.endedAt ??= conversation.updatedAt;
        }
        for (const call of (turn.steps ?? []).flatMap((step) => step.calls)) {
            if (call.status === 'running') call.status = 'cancelled';
        }
    }
    return conversation;
}

/** Why `value` is not a conversation this version can use, or undefined when it is one. */
function describeProblem(value: unknown, id: string): string | undefined {
    if (!isRecord(value)) return 'not a JSON object';
    const version = value['schemaVersion'];
    if (version !== CONVERSATION_SCHEMA_VERSION) {
        return typeof version === 'number' && version > CONVERSATION_SCHEMA_VERSION
            ? `of a newer format (version ${version}) than this extension reads`
            : `of an unknown format version (${String(version)})`;
    }
    if (value['id'] !== id) return 'for a different id than its file name';
    if (typeof value['title'] !== 'string') return 'missing its title';
    if (typeof value['createdAt'] !== 'number' || typeof value['updatedAt'] !== 'number') {
        return 'missing its timestamps';
    }
    const turns = value['turns'];
    if (!Array.isArray(turns)) return 'missing its turns';
    const badTurn = turns.findIndex((turn) => !isTurn(turn));
    return badTurn === -1 ? undefined : `damaged at turn ${badTurn}`;
}

const STATUSES: readonly Turn['status'][] = ['streaming', 'complete', 'stopped', 'failed'];

function isTurn(value: unknown): boolean {
    if (!isRecord(value)) return false;
    const reply = value['reply'];
    const request = value['request'];
    return (
        typeof value['id'] === 'string' &&
        typeof value['prompt'] === 'string' &&
        typeof value['createdAt'] === 'number' &&
        STATUSES.includes(value['status'] as Turn['status']) &&
        isRecord(request) &&
        typeof request['model'] === 'string' &&
        isRecord(reply) &&
        Array.isArray(reply['content']) &&
        reply['content'].every(isBlock) &&
        Array.isArray(reply['citations'])
    );
}

function isBlock(value: unknown): boolean {
    if (!isRecord(value)) return false;
    if (value['type'] === 'text') return typeof value['text'] === 'string';
    if (value['type'] === 'thinking') return typeof value['thinking'] === 'string';
    return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function exists(file: string): Promise<boolean> {
    try {
        await fs.access(file);
        return true;
    } catch {
        return false;
    }
}
