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
import { isNotFound, readEntry, TEMP_MARKER, writeAtomically } from './storeFiles';

const EXTENSION = '.json';
const DAMAGED_SUFFIX = '.damaged';
const STALE_TEMP_MS = 10 * 60_000;
// Ids become file names: this keeps them from naming anything outside `dir`.
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** What reading one conversation's file gave. */
type ReadResult =
    | { readonly kind: 'conversation'; readonly conversation: Conversation }
    /** Written by a newer version: listed from what it says of itself, never changed. */
    | { readonly kind: 'newer'; readonly summary: ConversationSummary }
    | { readonly kind: 'none' };

/** Reads and writes conversations in one directory. */
export class ConversationStore {
    // Saves of one conversation run one after another, so the last save always wins on disk.
    private readonly writes = new Map<string, Promise<void>>();

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
            if (name.includes(TEMP_MARKER)) {
                await this.removeStaleTemp(name);
                continue;
            }
            if (!name.endsWith(EXTENSION)) continue;
            const id = name.slice(0, -EXTENSION.length);
            if (!SAFE_ID.test(id)) continue;
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
     * The conversation, or undefined when there is none, its file was damaged and set aside, it was
     * written by a newer version of the extension, or it is not a plain file.
     */
    async load(id: string): Promise<Conversation | undefined> {
        const read = await this.read(id);
        return read.kind === 'conversation' ? read.conversation : undefined;
    }

    /**
     * Writes the conversation atomically; concurrent saves of one id land in call order. The
     * conversation is serialized during the call, so later changes to it do not reach this write.
     */
    save(conversation: Conversation): Promise<void> {
        const { id } = conversation;
        if (!SAFE_ID.test(id)) return Promise.reject(new Error(`invalid conversation id '${id}'`));
        const data = JSON.stringify(conversation);
        const previous = this.writes.get(id) ?? Promise.resolve();
        const next = previous
            .catch(() => undefined)
            .then(async () => {
                await writeAtomically(this.fileOf(id), data);
            });
        this.writes.set(id, next);
        void next
            .catch(() => undefined)
            .then(() => {
                if (this.writes.get(id) === next) this.writes.delete(id);
            });
        return next;
    }

    async delete(id: string): Promise<void> {
        if (!SAFE_ID.test(id)) return;
        await (this.writes.get(id) ?? Promise.resolve()).catch(() => undefined);
        await fs.rm(this.fileOf(id), { force: true });
    }

    private fileOf(id: string): string {
        return path.join(this.dir, id + EXTENSION);
    }

    private async read(id: string): Promise<ReadResult> {
        if (!SAFE_ID.test(id)) return { kind: 'none' };
        const entry = await readEntry(this.dir, this.fileOf(id));
        if (entry.kind === 'missing') return { kind: 'none' };
        if (entry.kind === 'skipped') {
            this.log.warn(`Skipped ${id}${EXTENSION} in the conversations folder: it is ${entry.reason}.`);
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
        return { kind: 'conversation', conversation: reviveInterrupted(conversation) };
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

/** A turn still `streaming` in a file was cut off by a closed window: it is shown as stopped. */
function reviveInterrupted(conversation: Conversation): Conversation {
    for (const turn of conversation.turns) {
        if (turn.status === 'streaming') {
            turn.status = 'stopped';
            turn.endedAt ??= conversation.updatedAt;
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
