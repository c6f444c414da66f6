// Conversations on disk: one JSON file per conversation, written atomically (temporary file,
// fsync, rename) with a schema version. A file that cannot be read as a conversation of this
// version is reported and renamed aside; it never takes the other conversations down.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONVERSATION_SCHEMA_VERSION } from './model';
import type { Conversation, ConversationSummary, Turn } from './model';
import { asError } from './logger';
import type { Logger } from './logger';
import { repairConversation } from './validate';

const EXTENSION = '.json';
const DAMAGED_SUFFIX = '.damaged';
const TEMP_MARKER = '.tmp-';
const STALE_TEMP_MS = 10 * 60_000;
// Ids become file names: this keeps them from naming anything outside `dir`.
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Reads and writes conversations in one directory. */
export class ConversationStore {
    // Saves of one conversation run one after another, so the last save always wins on disk.
    private readonly writes = new Map<string, Promise<void>>();

    constructor(
        private readonly dir: string,
        private readonly log: Logger,
    ) {}

    /** Summaries of every readable conversation, newest first. Damaged files are set aside. */
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
            const conversation = await this.load(name.slice(0, -EXTENSION.length));
            if (conversation !== undefined) summaries.push(summarize(conversation));
        }
        return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
    }

    /** The conversation, or undefined when there is none (or its file was damaged and set aside). */
    async load(id: string): Promise<Conversation | undefined> {
        if (!SAFE_ID.test(id)) return undefined;
        const file = this.fileOf(id);
        let text: string;
        try {
            text = await fs.readFile(file, 'utf8');
        } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
        }
        let problem: string | undefined;
        let conversation: Conversation | undefined;
        try {
            const parsed: unknown = JSON.parse(text);
            problem = describeProblem(parsed, id);
            if (problem === undefined) {
                const dropped: string[] = [];
                conversation = repairConversation(parsed as Conversation, (part) => dropped.push(part));
                if (dropped.length > 0) {
                    this.log.warn(
                        `Conversation file ${id}${EXTENSION}: dropped malformed parts: ${dropped.join('; ')}`,
                    );
                }
            }
        } catch (error) {
            // V8 quotes the text it choked on, which is the person's conversation: keep only the position.
            const position = /position \d+/.exec(asError(error).message)?.[0];
            problem = position === undefined ? 'not valid JSON' : `not valid JSON (at ${position})`;
        }
        if (conversation === undefined) {
            await this.setAside(id, problem ?? 'unreadable');
            return undefined;
        }
        return reviveInterrupted(conversation);
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
        const next = previous.catch(() => undefined).then(() => this.writeAtomically(id, data));
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

    private async writeAtomically(id: string, data: string): Promise<void> {
        await fs.mkdir(this.dir, { recursive: true });
        const temp = `${this.fileOf(id)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
        try {
            const handle = await fs.open(temp, 'w', 0o600);
            try {
                await handle.writeFile(data, 'utf8');
                // Without fsync a crash after the rename can leave an empty file in place of both versions.
                await handle.sync();
            } finally {
                await handle.close();
            }
            await fs.rename(temp, this.fileOf(id));
        } catch (error) {
            await fs.rm(temp, { force: true });
            throw error;
        }
    }

    /**
     * A temporary file left by a write interrupted before its rename (the real file is intact).
     * Only old ones go: another window sharing this directory may be writing a fresh one.
     */
    private async removeStaleTemp(name: string): Promise<void> {
        const file = path.join(this.dir, name);
        try {
            const { mtimeMs } = await fs.stat(file);
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

function isNotFound(error: unknown): boolean {
    return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
    try {
        await fs.access(file);
        return true;
    } catch {
        return false;
    }
}
