// The chat itself, in plain Node: conversations and their turns, sending, stopping, retrying,
// editing and continuing, persistence and export. Views listen to its events and send intents;
// they never change a conversation themselves.
//
// Concurrency: operations that send (send, retry, regenerate, edit, continue) run one after another
// per conversation. A send while a reply is streaming is queued, not refused, so a typed message
// is never lost; it starts when the running turn ends. Stop is never queued: it aborts at once.
import { randomUUID } from 'node:crypto';
import type { ChatSettings } from '../config';
import type { CohereClient } from '../cohere/index';
import { Emitter } from './emitter';
import type { Subscription } from './emitter';
import { conversationToMarkdown } from './exportMarkdown';
import type { FolderWatcher } from './folderWatcher';
import { ConversationHistory } from './history';
import type { HistoryChange } from './history';
import { asError } from './logger';
import type { Logger } from './logger';
import { CONVERSATION_SCHEMA_VERSION } from './model';
import type { Attachment, Conversation, ConversationSummary, Turn, TurnStatus } from './model';
import { buildChatRequest, replyText, turnRequestOf } from './request';
import { runTurn } from './runner';
import { runToolLoop } from './toolLoop';
import type { ToolSession } from './toolLoop';
import type { ConversationEvent } from './runner';
import type { ConversationStore } from './store';
import { cleanTitle, titleFromPrompt, UNTITLED } from './title';

export type { ConversationEvent } from './runner';

/** The message of a turn that failed because no key is set anywhere (nothing was sent). */
export const NO_API_KEY_MESSAGE =
    'No Cohere API key is set. Set one with "Cohere: Set API Key" (or the CO_API_KEY environment variable); this message is sent as soon as there is a key.';

export interface ChatServiceDeps {
    client: Pick<CohereClient, 'chat' | 'chatStream'>;
    store: ConversationStore;
    /** Read at the start of every turn, so a changed setting applies to the next message. */
    settings: () => ChatSettings;
    log: Logger;
    hasApiKey: () => Promise<boolean>;
    now?: () => number;
    newId?: () => string;
    /** Changes of the conversations folder made by other windows, so the history lists them. */
    watcher?: FolderWatcher;
    /** How often a streaming reply is saved, so a killed extension host loses at most this much of it. */
    checkpointMs?: number;
    /** The tools a new reply may use, read at the start of every turn; undefined: none. */
    tools?: () => ToolSession | undefined;
    /** Whether a model takes images (from /v1/models); without it images are always sent. */
    takesImages?: (model: string) => boolean;
}

const DEFAULT_CHECKPOINT_MS = 3000;

/** Conversations, their turns and everything a person can do with them. */
export class ChatService {
    private readonly conversations = new Map<string, Conversation>();
    private readonly running = new Map<string, { turnId: string; controller: AbortController }>();
    private readonly queues = new Map<string, Promise<void>>();
    private readonly deleted = new Set<string>();
    // A throwing listener is logged; the others still hear the event.
    private readonly _onEvent = new Emitter<ConversationEvent>((error) => this.logListenerError(error));
    private readonly _onDidDeleteElsewhere = new Emitter<string>((error) => this.logListenerError(error));
    private readonly now: () => number;
    private readonly newId: () => string;
    private readonly historyList: ConversationHistory;
    private disposed = false;

    private constructor(private readonly deps: ChatServiceDeps) {
        this.now = deps.now ?? Date.now;
        this.newId = deps.newId ?? randomUUID;
        this.historyList = new ConversationHistory(
            deps.store,
            deps.log,
            (id) => this.deleted.has(id),
            deps.watcher,
        );
        this.historyList.onDidRemoveElsewhere((id) => this.forgetDeletedElsewhere(id));
    }

    /**
     * A service, at once: the history list is read from the store in the background (every file is parsed
     * to be checked, which activation need not wait for), and `onHistoryChanged` fires when it is in.
     */
    static create(deps: ChatServiceDeps): Promise<ChatService> {
        return Promise.resolve(new ChatService(deps));
    }

    /** Resolves once the saved conversations are listed in `history()`. */
    whenHistoryLoaded(): Promise<void> {
        return this.historyList.loaded;
    }

    onEvent(listener: (event: ConversationEvent) => void): Subscription {
        return this._onEvent.event(listener);
    }

    /** Fires with the history's changes: a conversation listed, renamed, moved to the top, or removed. */
    onHistoryChanged(listener: (changes: readonly HistoryChange[]) => void): Subscription {
        return this.historyList.onDidChange(listener);
    }

    /** Fires when another window deleted a conversation: views showing it should move to another. */
    onDidDeleteElsewhere(listener: (conversationId: string) => void): Subscription {
        return this._onDidDeleteElsewhere.event(listener);
    }

    /** Saved conversations, newest first. */
    history(): ConversationSummary[] {
        return this.historyList.list();
    }

    /** A fresh conversation, kept in memory; it is saved (and listed) with its first turn. */
    newConversation(): Conversation {
        const now = this.now();
        const conversation: Conversation = {
            schemaVersion: CONVERSATION_SCHEMA_VERSION,
            id: this.newId(),
            title: UNTITLED,
            createdAt: now,
            updatedAt: now,
            turns: [],
        };
        this.conversations.set(conversation.id, conversation);
        return structuredClone(conversation);
    }

    /** A copy of the conversation as it is now (changing it changes nothing here). */
    async get(conversationId: string): Promise<Conversation | undefined> {
        const conversation = await this.find(conversationId);
        return conversation === undefined ? undefined : structuredClone(conversation);
    }

    /**
     * A copy of the conversation as it is at this instant, when it is in memory (else undefined). Being
     * synchronous, a view that posts it in the same tick cannot miss an event applied in between.
     */
    snapshot(conversationId: string): Conversation | undefined {
        if (this.deleted.has(conversationId)) return undefined;
        const conversation = this.conversations.get(conversationId);
        return conversation === undefined ? undefined : structuredClone(conversation);
    }

    /** Sends a new message; resolves when its reply has ended. API failures end up in the turn, not thrown. */
    send(conversationId: string, text: string, attachments?: Attachment[]): Promise<void> {
        return this.enqueue(conversationId, async (conversation) => {
            const turn: Turn = {
                id: this.newId(),
                prompt: text,
                request: turnRequestOf(this.deps.settings()),
                reply: { content: [], citations: [] },
                status: 'streaming',
                createdAt: this.now(),
            };
            if (attachments !== undefined && attachments.length > 0)
                turn.attachments = structuredClone(attachments);
            conversation.turns.push(turn);
            if (conversation.turns.length === 1 && conversation.title === UNTITLED) {
                conversation.title = titleFromPrompt(text);
            }
            await this.runAt(conversation, conversation.turns.length - 1, false);
        });
    }

    /** Aborts the turn at once if it is running; it keeps what arrived and ends `stopped`. */
    stop(conversationId: string, turnId: string): void {
        const running = this.running.get(conversationId);
        if (running?.turnId === turnId) running.controller.abort();
    }

    /** Sends a failed or stopped turn again, in place: same turn id, reply reset, no second user message. */
    retry(conversationId: string, turnId: string): Promise<void> {
        return this.enqueue(conversationId, async (conversation) => {
            const index = this.indexOf(conversation, turnId, 'retry');
            const status = conversation.turns[index]?.status;
            if (status !== 'failed' && status !== 'stopped') {
                this.deps.log.warn(`Retry ignored: turn ${turnId} is ${status}, not failed or stopped.`);
                return;
            }
            // A turn stopped or failed mid tool loop goes on from its last complete step.
            await this.runAt(conversation, index, false, true);
        });
    }

    /** A new reply to the last turn's prompt, replacing its reply. */
    regenerate(conversationId: string, turnId: string): Promise<void> {
        return this.enqueue(conversationId, async (conversation) => {
            const index = this.indexOf(conversation, turnId, 'regenerate');
            if (index !== conversation.turns.length - 1) {
                this.deps.log.warn(`Regenerate ignored: turn ${turnId} is not the last turn.`);
                return;
            }
            await this.runAt(conversation, index, false);
        });
    }

    /**
     * Replaces a turn's prompt, drops every later turn and sends it again (same turn id). Views
     * showing the conversation should be rebuilt from a full state: later turns are gone.
     */
    edit(conversationId: string, turnId: string, text: string): Promise<void> {
        return this.enqueue(conversationId, async (conversation) => {
            const index = this.indexOf(conversation, turnId, 'edit');
            const turn = conversation.turns[index];
            if (turn === undefined) return;
            const autoTitled = index === 0 && conversation.title === titleFromPrompt(turn.prompt);
            turn.prompt = text;
            if (autoTitled) conversation.title = titleFromPrompt(text);
            conversation.turns.splice(index + 1);
            await this.runAt(conversation, index, false);
        });
    }

    /**
     * Continues a reply cut by MAX_TOKENS (or stopped): the partial reply is sent back as the
     * assistant's message, followed by a short instruction to go on, and the answer is appended to the
     * same reply (same turn, same text block), so the person reads one reply. Usage adds up.
     */
    continueTurn(conversationId: string, turnId: string): Promise<void> {
        return this.enqueue(conversationId, async (conversation) => {
            const index = this.indexOf(conversation, turnId, 'continue');
            const turn = conversation.turns[index];
            if (turn === undefined) return;
            const cut = turn.status === 'complete' && turn.finishReason === 'MAX_TOKENS';
            if (
                index !== conversation.turns.length - 1 ||
                !(cut || turn.status === 'stopped') ||
                replyText(turn.reply) === ''
            ) {
                this.deps.log.warn(`Continue ignored: turn ${turnId} is not the last, cut reply.`);
                return;
            }
            await this.runAt(conversation, index, true);
        });
    }

    async rename(conversationId: string, title: string): Promise<void> {
        const conversation = await this.find(conversationId);
        const clean = cleanTitle(title);
        if (conversation === undefined || clean === undefined) return;
        conversation.title = clean;
        conversation.updatedAt = this.now();
        await this.save(conversation);
    }

    /**
     * Records that a tool call's applied change was undone (the file is back as before): saved, and
     * the turn shown again so its step says so.
     */
    async markChangeUndone(conversationId: string, turnId: string, callId: string): Promise<void> {
        const conversation = await this.find(conversationId);
        const turn = conversation?.turns.find((candidate) => candidate.id === turnId);
        const change = turn?.steps?.flatMap((step) => step.calls).find((call) => call.id === callId)?.change;
        if (conversation === undefined || turn === undefined || change?.outcome !== 'applied') return;
        change.outcome = 'undone';
        conversation.updatedAt = this.now();
        this.emitTurnStarted(conversation, turn);
        await this.save(conversation);
    }

    /** Stops sending these documents with later messages (each is still sent with its own turn on a retry). */
    async retireDocuments(conversationId: string, documentIds: ReadonlySet<string>): Promise<void> {
        const conversation = await this.find(conversationId);
        if (conversation === undefined) return;
        let changed = false;
        for (const turn of conversation.turns) {
            for (const attachment of turn.attachments ?? []) {
                if (!documentIds.has(attachment.id) || attachment.retired === true) continue;
                attachment.retired = true;
                changed = true;
            }
        }
        if (changed) await this.save(conversation);
    }

    async delete(conversationId: string): Promise<void> {
        this.deleted.add(conversationId);
        this.running.get(conversationId)?.controller.abort();
        this.conversations.delete(conversationId);
        this.historyList.removed(conversationId);
        await this.deps.store.delete(conversationId);
    }

    /**
     * Sends again, in order, the turns of the open conversations that failed `no_api_key` or `unauthorized` (no key, or a
     * rejected one): called once there is a key. Read from the turns themselves, so a message typed before
     * a key was set is still sent after a window reload.
     */
    async retryTurnsWaitingForKey(): Promise<void> {
        const sends: Promise<void>[] = [];
        for (const conversation of this.conversations.values()) {
            for (const { id: turnId } of conversation.turns.filter(isWaitingForKey)) {
                sends.push(
                    this.enqueue(conversation.id, async (current) => {
                        const index = current.turns.findIndex((turn) => turn.id === turnId);
                        const turn = current.turns[index];
                        if (turn === undefined || !isWaitingForKey(turn)) return;
                        await this.runAt(current, index, false);
                    }),
                );
            }
        }
        await Promise.all(sends);
    }

    /** The conversation as Markdown: citations as footnotes, usage per reply. */
    async exportMarkdown(conversationId: string): Promise<string> {
        const conversation = await this.find(conversationId);
        if (conversation === undefined) throw new Error(`Unknown conversation ${conversationId}`);
        return conversationToMarkdown(conversation);
    }

    /**
     * Resolves when the history is loaded, every queued and running operation has finished (and been
     * saved), and the history index writes started so far have ended.
     */
    async whenIdle(): Promise<void> {
        await this.historyList.loaded;
        while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
        await this.historyList.whenIndexWritten();
    }

    /** Aborts running turns (they are saved as stopped) and stops telling anyone anything. */
    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        for (const { controller } of this.running.values()) controller.abort();
        this._onEvent.dispose();
        this._onDidDeleteElsewhere.dispose();
        this.historyList.dispose();
    }

    /** Runs `operation` after the ones already queued for this conversation. */
    private enqueue(
        conversationId: string,
        operation: (conversation: Conversation) => Promise<void>,
    ): Promise<void> {
        const previous = this.queues.get(conversationId) ?? Promise.resolve();
        const next = previous.then(async () => {
            if (this.disposed || this.deleted.has(conversationId)) return;
            const conversation = await this.find(conversationId);
            if (conversation === undefined) throw new Error(`Unknown conversation ${conversationId}`);
            await operation(conversation);
        });
        const settled = next.catch(() => undefined);
        this.queues.set(conversationId, settled);
        void settled.then(() => {
            if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
        });
        return next;
    }

    private emitTurnStarted(conversation: Conversation, turn: Turn): void {
        this.emit({
            type: 'turnStarted',
            conversationId: conversation.id,
            turn: structuredClone(turn),
            turnIds: conversation.turns.map((candidate) => candidate.id),
        });
    }

    /** Sends `turns[index]` (afresh, or continuing its reply), emitting and saving as it goes. */
    private async runAt(
        conversation: Conversation,
        index: number,
        append: boolean,
        resumeSteps = false,
    ): Promise<void> {
        const turn = conversation.turns[index];
        if (turn === undefined) return;
        const settings = this.deps.settings();
        turn.request = turnRequestOf(settings);
        const tools = append ? undefined : this.deps.tools?.();
        if (!append) {
            turn.reply = { content: [], citations: [] };
            if (!resumeSteps || tools === undefined) delete turn.steps;
            if (turn.steps === undefined) delete turn.usage;
            delete turn.finishReason;
        }
        delete turn.error;
        delete turn.endedAt;
        delete turn.attempts;
        turn.status = 'streaming';
        if (settings.systemPrompt === undefined) delete conversation.systemPrompt;
        else conversation.systemPrompt = settings.systemPrompt;
        conversation.updatedAt = this.now();

        if (!(await this.deps.hasApiKey())) {
            turn.status = 'failed';
            turn.error = { code: 'no_api_key', message: NO_API_KEY_MESSAGE };
            turn.endedAt = this.now();
            this.deps.log.warn(`Turn ${turn.id}: not sent, no API key is set.`);
            this.emitTurnStarted(conversation, turn);
            this.emit({ type: 'turnFailed', conversationId: conversation.id, turn: structuredClone(turn) });
            await this.save(conversation);
            return;
        }

        const controller = new AbortController();
        if (this.disposed) controller.abort();
        this.running.set(conversation.id, { turnId: turn.id, controller });
        let startSaved: Promise<void> = Promise.resolve();
        // Saves the reply as it streams, when something arrived since the last save.
        let arrived = false;
        const checkpoint = setInterval(() => {
            if (!arrived) return;
            arrived = false;
            void this.save(conversation);
        }, this.deps.checkpointMs ?? DEFAULT_CHECKPOINT_MS);
        try {
            this.emitTurnStarted(conversation, turn);
            // The snapshot is taken now (the store serializes synchronously); the request need not wait for the disk.
            startSaved = this.save(conversation);
            const imageInput = this.deps.takesImages?.(settings.model) ?? true;
            const request = buildChatRequest(conversation, settings, {
                turnIndex: index,
                continuing: append,
                imageInput,
            });
            const common = {
                client: this.deps.client,
                conversationId: conversation.id,
                turn,
                settings,
                signal: controller.signal,
                emit: (event: ConversationEvent) => {
                    arrived = true;
                    this.emit(event);
                },
                log: this.deps.log,
                now: this.now,
            };
            if (tools === undefined) {
                await runTurn({ ...common, request, append });
            } else {
                await runToolLoop({
                    ...common,
                    tools,
                    buildRequest: () =>
                        buildChatRequest(conversation, settings, { turnIndex: index, imageInput }),
                    changed: () => {
                        conversation.updatedAt = this.now();
                        this.emitTurnStarted(conversation, turn);
                        void this.save(conversation);
                    },
                });
            }
        } finally {
            clearInterval(checkpoint);
            this.running.delete(conversation.id);
            await startSaved;
        }
        // runTurn changed the status; the compiler still believes the 'streaming' set above.
        const outcome: TurnStatus = (turn as Turn).status;
        conversation.updatedAt = this.now();
        const type = outcome === 'failed' ? 'turnFailed' : 'turnEnded';
        this.emit({ type, conversationId: conversation.id, turn: structuredClone(turn) });
        await this.save(conversation);
    }

    private async find(conversationId: string): Promise<Conversation | undefined> {
        if (this.deleted.has(conversationId)) return undefined;
        const known = this.conversations.get(conversationId);
        if (known !== undefined) return known;
        const loaded = await this.deps.store.load(conversationId);
        if (loaded === undefined || this.deleted.has(conversationId)) return undefined;
        // Another caller may have loaded it meanwhile: keep one object per conversation.
        const winner = this.conversations.get(conversationId) ?? loaded;
        this.conversations.set(conversationId, winner);
        return winner;
    }

    private indexOf(conversation: Conversation, turnId: string, action: string): number {
        const index = conversation.turns.findIndex((turn) => turn.id === turnId);
        if (index === -1)
            throw new Error(`Cannot ${action}: no turn ${turnId} in conversation ${conversation.id}`);
        return index;
    }

    /** Saves and updates the history list. A failed save is logged; the conversation stays in memory. */
    private async save(conversation: Conversation): Promise<void> {
        if (this.deleted.has(conversation.id)) return;
        try {
            const outcome = await this.deps.store.save(conversation);
            if (outcome === 'deleted') {
                // Another window deleted it since this one read it: the delete wins.
                this.forgetDeletedElsewhere(conversation.id);
                return;
            }
            if (outcome === 'newer') {
                this.deps.log.warn(
                    `Conversation ${conversation.id} was not saved: a newer version wrote it.`,
                );
                return;
            }
        } catch (error) {
            this.deps.log.error(`Could not save conversation ${conversation.id}.`);
            this.deps.log.error(asError(error));
            return;
        }
        if (this.deleted.has(conversation.id)) {
            // Deleted while the write was in flight: the write must not bring it back.
            await this.deps.store.delete(conversation.id);
            return;
        }
        this.historyList.saved(conversation);
    }

    /** Another window deleted the conversation: stop its turn and forget it here too. */
    private forgetDeletedElsewhere(conversationId: string): void {
        if (this.deleted.has(conversationId)) return;
        this.deleted.add(conversationId);
        this.running.get(conversationId)?.controller.abort();
        this.conversations.delete(conversationId);
        this.historyList.removed(conversationId);
        this.deps.log.info(`Conversation ${conversationId} was deleted in another window.`);
        this._onDidDeleteElsewhere.fire(conversationId);
    }

    private emit(event: ConversationEvent): void {
        this._onEvent.fire(event);
    }

    private logListenerError(error: unknown): void {
        this.deps.log.error(asError(error));
    }
}

/** A turn that failed for want of a (valid) key: it is sent again once a key is set. */
function isWaitingForKey(turn: Turn): boolean {
    return (
        turn.status === 'failed' && (turn.error?.code === 'unauthorized' || turn.error?.code === 'no_api_key')
    );
}
