// Binds ONE webview (the editor-tab panel or the sidebar view) to the ChatService: it forwards the events of
// the conversation it shows, answers every message the webview sends, and rebuilds the view from a full
// `state` whenever it may have missed something (first load, shown again after streaming while hidden).
import * as vscode from 'vscode';
import type { Attachment, Conversation } from '../chat/model';
import { asError } from '../chat/logger';
import type { Logger } from '../chat/logger';
import type { HistoryChange } from '../chat/history';
import type { ChatService } from '../chat/service';
import type { ChatContext, HostToWebviewMessage, WebviewToHostMessage } from '../protocol';
import { Disposable } from './dispose';
import { copyToClipboard, insertAtCursor, openWebLink, type LastEditorTracker } from './hostActions';
import { DeltaCoalescer } from './deltaCoalescer';
import type { DraftStore } from './drafts';
import { parseWebviewMessage } from './messageGuard';
import { writeModelSetting } from '../settingsReader';
import { ViewAttachments } from '../workspace/attachments';
import type { AttachedItem } from '../workspace/files';
import { revealCitedSource } from '../workspace/reveal';
import { TOOL_MESSAGE_COMMAND } from '../workspace/toolsCommands';
import { toolDocumentAttachment } from '../workspace/toolsReveal';

/** Where a session's webview lives. */
export type ChatSurface = 'panel' | 'sidebar';

/** What every session shares. */
export interface ChatSessionDeps {
    readonly service: ChatService;
    readonly context: () => Promise<ChatContext>;
    readonly log: Logger;
    readonly editors: LastEditorTracker;
    /** Tells the other sessions a conversation is gone, so none keeps showing it. */
    readonly conversationDeleted: (conversationId: string) => void;
    /** The session received a message: the person is using it, so selection commands go there. */
    readonly touched: (session: ChatSession) => void;
    /** Where each surface's composer draft is kept across reloads. */
    readonly drafts?: Pick<DraftStore, 'get' | 'set'>;
    /** Whether a model takes images (from /v1/models), so an image chip can say it will not be sent. */
    readonly takesImages?: (model: string) => boolean;
}

/** One webview bound to the chat. Create it when the webview is created; dispose it with the webview. */
export class ChatSession extends Disposable {
    private currentId: string;
    // A conversation made by newConversation() that the service may not list until its first turn is saved.
    private unsaved: Conversation | undefined;
    private visible: boolean;
    // Set when an event was not posted because the view was hidden: the next show sends a full state.
    private missedEvents = false;
    /** Streamed text, at most one message per frame and block (see deltaCoalescer.ts). */
    private readonly deltas = new DeltaCoalescer((message) => this.deliver(message));

    private readonly _onDidShowConversation = this._register(new vscode.EventEmitter<Conversation>());
    /** Fires after a `state` was posted, with the conversation it showed. */
    readonly onDidShowConversation = this._onDidShowConversation.event;

    private readonly _onDidChangeTitle = this._register(new vscode.EventEmitter<string>());
    /** Fires when the conversation this view shows gets a new title (its first prompt, or a rename). */
    readonly onDidChangeTitle = this._onDidChangeTitle.event;
    private shownTitle: string | undefined;
    /** The chips above the composer and the documents the next message carries. */
    readonly attachments: ViewAttachments;

    constructor(
        private readonly webview: vscode.Webview,
        readonly surface: ChatSurface,
        private readonly deps: ChatSessionDeps,
        conversationId: string | undefined,
        visible: boolean,
    ) {
        super();
        this.attachments = new ViewAttachments({
            post: (message) => this.post(message),
            conversation: () => this.conversation(),
            context: () => this.deps.context(),
            lastEditor: () => vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0],
            retire: (id, ids) => this.deps.service.retireDocuments(id, ids),
            ...(deps.takesImages === undefined ? {} : { takesImages: deps.takesImages }),
        });
        this.visible = visible;
        this.currentId = conversationId ?? this.startConversation();
        this._register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
        this._register({ dispose: () => this.deltas.discard() });
        this._register(
            deps.service.onEvent((event) => {
                if (event.conversationId !== this.currentId) return;
                this.post(event);
                // What later messages carry changes once a turn with documents has a reply.
                if (event.type === 'turnEnded' || event.type === 'turnFailed')
                    void this.attachments.refresh();
            }),
        );
    }

    /** The conversation this view shows. */
    get conversationId(): string {
        return this.currentId;
    }

    get isVisible(): boolean {
        return this.visible;
    }

    /** The view was hidden or shown. Shown again after missing events: rebuild it from a full state. */
    setVisible(visible: boolean): void {
        this.visible = visible;
        if (visible && this.missedEvents) void this.sendState();
    }

    /** Shows another conversation (or a fresh one when `conversationId` is undefined). */
    async showConversation(conversationId: string | undefined): Promise<void> {
        this.currentId = conversationId ?? this.startConversation();
        await this.sendState();
    }

    /** Sends a prompt in the conversation this view shows; resolves when the reply has ended. */
    async sendPrompt(text: string, attachments?: Attachment[]): Promise<void> {
        await this.deps.service.send(this.currentId, text, attachments);
    }

    /** Adds attached items (Explorer, drops, commands) as chips for the next message. */
    attach(items: readonly AttachedItem[]): Promise<void> {
        return this.attachments.add(items);
    }

    /** The conversation this view shows, as the service has it now. */
    async conversation(): Promise<Conversation> {
        const found = await this.deps.service.get(this.currentId);
        if (found) return found;
        if (this.unsaved?.id === this.currentId) return this.unsaved;
        // It was deleted elsewhere or its file is gone: show a fresh one rather than nothing.
        this.currentId = this.startConversation();
        return this.unsaved ?? this.deps.service.newConversation();
    }

    /** Posts the context alone (model, key changed), without the history list: the view keeps its own. */
    async sendContext(): Promise<void> {
        const { history: _kept, ...context } = await this.deps.context();
        if (this.isDisposed) return;
        this.post({ type: 'context', context });
        // Another model may refuse (or take) the images waiting above the composer.
        void this.attachments.refresh();
    }

    /** Posts what changed in the history list (the view changes those items only). */
    sendHistoryChanges(changes: readonly HistoryChange[]): void {
        this.post({ type: 'historyChanged', changes });
        this.noticeTitle();
    }

    /** Posts the whole picture, copied in the tick that posts it so no delta can slip between copy and post. */
    async sendState(): Promise<void> {
        const context = await this.deps.context();
        const loaded = await this.conversation();
        if (this.isDisposed) return;
        // Stream events may have changed the conversation while the awaits above resolved: copy it again in
        // the tick that posts it, so no delta falls between the copy and the post.
        const conversation = this.deps.service.snapshot(loaded.id) ?? loaded;
        this.missedEvents = false;
        const draft = this.deps.drafts?.get(this.surface);
        // The whole history as it is in this tick: later changes reach the view as `historyChanged`.
        this.post({
            type: 'state',
            conversation,
            context: { ...context, history: this.deps.service.history() },
            ...(draft === undefined ? {} : { draft: draft.text, draftRevision: draft.revision }),
        });
        void this.attachments.refresh();
        this.shownTitle = conversation.title;
        this._onDidShowConversation.fire(conversation);
    }

    private noticeTitle(): void {
        const title = this.deps.service.history().find((summary) => summary.id === this.currentId)?.title;
        if (title === undefined || title === this.shownTitle) return;
        this.shownTitle = title;
        this._onDidChangeTitle.fire(title);
    }

    /** Another session deleted a conversation: if this one showed it, move to a fresh one. */
    async conversationDeleted(conversationId: string): Promise<void> {
        if (conversationId === this.currentId) await this.showConversation(undefined);
    }

    /** Opens the history in this view. */
    showHistory(): void {
        this.post({ type: 'showHistory' });
    }

    /** Puts text in the input box and focuses it. */
    setDraft(text: string): void {
        this.post({ type: 'setDraft', text });
    }

    private startConversation(): string {
        this.unsaved = this.deps.service.newConversation();
        return this.unsaved.id;
    }

    private post(message: HostToWebviewMessage): void {
        if (this.isDisposed) return;
        if (!this.visible) {
            // A hidden webview may have been torn down; it gets a full state when it shows again.
            this.missedEvents = true;
            this.deltas.discard();
            return;
        }
        this.deltas.post(message);
    }

    private deliver(message: HostToWebviewMessage): void {
        if (this.isDisposed) return;
        if (!this.visible) {
            this.missedEvents = true;
            return;
        }
        this.webview.postMessage(message).then(
            (delivered) => {
                if (!delivered) this.missedEvents = true;
            },
            () => {
                this.missedEvents = true;
            },
        );
    }

    private receive(raw: unknown): void {
        const message = parseWebviewMessage(raw);
        if (!message) {
            this.deps.log.warn(`dropped a malformed message from the ${this.surface} chat webview`);
            return;
        }
        // A webview that posts is live, whatever the last view-state event said (those can come late):
        // without this, events for it would be held back as if it were hidden.
        if (!this.visible) this.setVisible(true);
        // Loading (or typing a draft) is not using: after a reload both views say `ready` in no particular order.
        if (message.type !== 'ready' && message.type !== 'saveDraft') this.deps.touched(this);
        this.handle(message).catch((error: unknown) => this.reportFailure(message.type, error));
    }

    private async handle(message: WebviewToHostMessage): Promise<void> {
        const service = this.deps.service;
        switch (message.type) {
            case 'ready':
                return this.sendState();
            case 'send':
                // The view may have switched conversations in the same instant: follow what it showed.
                this.currentId = message.conversationId;
                return service.send(
                    message.conversationId,
                    message.text,
                    await this.attachments.takeForSend(message.text),
                );
            case 'stop':
                return service.stop(message.conversationId, message.turnId);
            case 'retry':
                return service.retry(message.conversationId, message.turnId);
            case 'regenerate':
                return service.regenerate(message.conversationId, message.turnId);
            case 'edit':
                return service.edit(message.conversationId, message.turnId, message.text);
            case 'continue':
                return service.continueTurn(message.conversationId, message.turnId);
            case 'newChat':
                return this.showConversation(undefined);
            case 'openConversation':
                return this.showConversation(message.conversationId);
            case 'renameConversation':
                return service.rename(message.conversationId, message.title);
            case 'deleteConversation':
                if (!(await confirmDelete(service, message.conversationId))) return;
                await service.delete(message.conversationId);
                this.deps.conversationDeleted(message.conversationId);
                return;
            case 'openLink':
                if (!(await openWebLink(message.url)))
                    this.deps.log.warn(
                        'refused to open a link that is not http(s) or mailto, or has control characters',
                    );
                return;
            case 'copyCode':
                return copyToClipboard(message.code);
            case 'insertCode':
                if (!(await insertAtCursor(this.deps.editors, message.code))) {
                    void vscode.window.showInformationMessage(
                        vscode.l10n.t('Open a file to insert the code into.'),
                    );
                }
                return;
            case 'revealSource':
                return this.revealSource(
                    message.conversationId,
                    message.turnId,
                    message.documentId,
                    message.citedText,
                );
            case 'setModel':
                await writeModelSetting(message.model);
                this.deps.log.info(`model set to ${message.model} from the composer`);
                return;
            case 'saveDraft':
                this.deps.drafts?.set(this.surface, message.text, message.revision);
                return;
            case 'attach':
                return this.attachments.attach(message.kind);
            case 'attachImage':
                return this.attachments.attachImage({
                    name: message.name,
                    dataUrl: message.dataUrl,
                    width: message.width,
                    height: message.height,
                    thumbnail: message.thumbnail,
                });
            case 'dropUris':
                return this.attachments.drop(message.uris);
            case 'removeAttachment':
                return this.attachments.remove(message.id);
            case 'retireDocument':
                return this.attachments.retire(message.documentId);
            case 'showToolChange':
            case 'undoToolChange':
            case 'applyCode':
                // src/workspace/toolsCommands.ts handles these (diffs and edits live there).
                await vscode.commands.executeCommand(TOOL_MESSAGE_COMMAND, message);
                return;
            case 'command':
                await vscode.commands.executeCommand(`cohere.${message.command}`, this.currentId);
                return;
            default:
                return assertNever(message);
        }
    }

    private async revealSource(
        conversationId: string,
        turnId: string,
        documentId: string,
        citedText?: string,
    ): Promise<void> {
        const conversation = await this.deps.service.get(conversationId);
        const turn = conversation?.turns.find((candidate) => candidate.id === turnId);
        // A later turn may cite a document an earlier turn attached (documents are carried).
        const attachment =
            turn?.attachments?.find((candidate) => candidate.id === documentId) ??
            conversation?.turns
                .flatMap((candidate) => candidate.attachments ?? [])
                .find((candidate) => candidate.id === documentId) ??
            (conversation === undefined ? undefined : toolDocumentAttachment(conversation, documentId));
        if (!attachment || !(await revealCitedSource(attachment, citedText))) {
            void vscode.window.showInformationMessage(
                vscode.l10n.t('The source of this citation is not a file.'),
            );
        }
    }

    private reportFailure(action: string, error: unknown): void {
        this.deps.log.error(asError(error));
        const showLogs = vscode.l10n.t('Show Logs');
        const text = error instanceof Error ? error.message : String(error);
        void vscode.window
            .showErrorMessage(vscode.l10n.t('Cohere Chat: "{0}" failed: {1}', action, text), showLogs)
            .then((choice) => {
                if (choice === showLogs) void vscode.commands.executeCommand('cohere.showLogs');
            });
    }
}

function assertNever(value: never): never {
    throw new Error(`unhandled webview message ${JSON.stringify(value)}`);
}

/** Deleting cannot be undone, and the history list deletes with one click: ask first. */
async function confirmDelete(service: ChatService, conversationId: string): Promise<boolean> {
    const title = service.history().find((summary) => summary.id === conversationId)?.title;
    const remove = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
        title === undefined
            ? vscode.l10n.t('Delete this conversation?')
            : vscode.l10n.t('Delete the conversation "{0}"?', title),
        { modal: true, detail: vscode.l10n.t('It cannot be restored.') },
        remove,
    );
    return answer === remove;
}
