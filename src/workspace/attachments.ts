// The attachments of one chat view: what the `#` mentions, the attach button, drops and the Explorer
// add; the chips it posts; the budget check and the settings note before sending. The ChatSession
// hands the webview's attach messages here and takes the documents when a message is sent.
import * as vscode from 'vscode';
import type { Attachment, Conversation } from '../chat/model';
import { carriedAttachments, settingsNotSentWithDocuments } from '../chat/request';
import { estimateTokens, leftOutText, planBudget } from '../context/index';
import { PendingAttachments, carriedChips } from '../context/pending';
import type { AttachKind, ChatContext, HostToWebviewMessage } from '../protocol';
import { readChatSettings } from '../settingsReader';
import { pickFiles, pickFolder, problemsItem, readFileItem, selectionItem } from './files';
import type { AttachedItem } from './files';

/** Answers `@workspace`: the chunks that best answer a question (set by the retrieval adapter). */
export type WorkspaceSearch = (question: string, signal?: AbortSignal) => Promise<AttachedItem | undefined>;

let workspaceSearch: WorkspaceSearch | undefined;

/** Installs the `@workspace` search (src/workspace/retrieval.ts does, once its index exists). */
export function setWorkspaceSearch(search: WorkspaceSearch | undefined): void {
    workspaceSearch = search;
}

export interface AttachmentHost {
    readonly post: (message: HostToWebviewMessage) => void;
    readonly conversation: () => Promise<Conversation>;
    readonly context: () => Promise<ChatContext>;
    readonly lastEditor: () => vscode.TextEditor | undefined;
    readonly retire: (conversationId: string, ids: ReadonlySet<string>) => Promise<void>;
}

export class ViewAttachments {
    private readonly pending = new PendingAttachments();
    private selectionCount = 0;
    private leftOut = new Set<string>();

    constructor(private readonly host: AttachmentHost) {}

    /** Adds attached items and shows them. */
    async add(items: readonly AttachedItem[]): Promise<void> {
        for (const item of items) this.pending.add(item.chip, item.attachments);
        await this.refresh();
    }

    /** Attaches what a `#` mention or the attach button asked for. */
    async attach(kind: AttachKind): Promise<void> {
        switch (kind) {
            case 'file': {
                const uris = await pickFiles();
                await this.add(await Promise.all(uris.map((uri) => readFileItem(uri))));
                return;
            }
            case 'folder': {
                const folder = await pickFolder();
                if (folder !== undefined) await this.add([await readFileItem(folder)]);
                return;
            }
            case 'selection': {
                const item = selectionItem(
                    this.host.lastEditor(),
                    `sel-${Date.now().toString(36)}-${++this.selectionCount}`,
                );
                if (item === undefined) {
                    void vscode.window.showInformationMessage(
                        vscode.l10n.t('Select some text in an editor first.'),
                    );
                    return;
                }
                await this.add([item]);
                return;
            }
            case 'editor': {
                const editor = this.host.lastEditor();
                if (editor === undefined) {
                    void vscode.window.showInformationMessage(
                        vscode.l10n.t('Open a file in an editor first.'),
                    );
                    return;
                }
                await this.add([await readFileItem(editor.document.uri)]);
                return;
            }
            case 'problems': {
                const editor = this.host.lastEditor();
                await this.add([problemsItem(editor?.document.uri)]);
                return;
            }
            case 'workspace':
                this.pending.add(
                    {
                        id: 'workspace',
                        label: '@workspace',
                        kind: 'workspace',
                        detail: vscode.l10n.t(
                            'The best chunks of the workspace for the question are attached when it is sent.',
                        ),
                    },
                    [],
                );
                await this.refresh();
                return;
        }
    }

    /** Files or tabs dropped on the chat, as URIs. */
    async drop(uris: readonly string[]): Promise<void> {
        const parsed: vscode.Uri[] = [];
        for (const text of uris) {
            try {
                const uri = vscode.Uri.parse(text, true);
                if (uri.scheme === 'file' || vscode.workspace.getWorkspaceFolder(uri) !== undefined)
                    parsed.push(uri);
            } catch {
                // Not a URI: a dropped text, not a file.
            }
        }
        await this.add(await Promise.all(parsed.map((uri) => readFileItem(uri))));
    }

    async remove(chipId: string): Promise<void> {
        this.pending.remove(chipId);
        await this.refresh();
    }

    async retire(documentId: string): Promise<void> {
        const conversation = await this.host.conversation();
        const group = carriedChips(carriedAttachments(conversation)).find(
            (entry) => entry.chip.id === documentId,
        );
        await this.host.retire(conversation.id, new Set(group?.ids ?? [documentId]));
        await this.refresh();
    }

    /**
     * The documents for a message being sent (those that fit), with `@workspace` resolved for the
     * question; clears the chips. A message that starts with `@workspace` asks the workspace too.
     */
    async takeForSend(question: string): Promise<Attachment[]> {
        const wantsWorkspace =
            /^\s*@workspace\b/i.test(question) ||
            this.pending.chips().some((chip) => chip.kind === 'workspace');
        const extra: Attachment[] = [];
        if (wantsWorkspace) {
            if (workspaceSearch === undefined) {
                void vscode.window.showWarningMessage(
                    vscode.l10n.t(
                        'The workspace index is not ready yet: the message is sent without workspace sources.',
                    ),
                );
            } else {
                const found = await workspaceSearch(
                    question.replace(/^\s*@workspace\b/i, '').trim() || question,
                );
                if (found !== undefined) extra.push(...found.attachments);
            }
        }
        const taken = [...this.pending.take(), ...extra].filter(
            (attachment) => !this.leftOut.has(attachment.id),
        );
        this.leftOut.clear();
        await this.refresh();
        return taken;
    }

    /** Posts the chips, the carried documents, and what will not be sent (left out to fit, settings dropped). */
    async refresh(): Promise<void> {
        const conversation = await this.host.conversation();
        const context = await this.host.context();
        const carried = carriedAttachments(conversation);
        const pending = this.pending.attachments();
        const notes: string[] = [];
        if (context.contextLength !== undefined && pending.length > 0) {
            const settings = readChatSettings();
            const history = conversation.turns.reduce(
                (sum, turn) =>
                    sum +
                    estimateTokens(turn.prompt) +
                    estimateTokens(
                        turn.reply.content.map((block) => ('text' in block ? block.text : '')).join(''),
                    ),
                0,
            );
            const plan = await planBudget({
                contextLength: context.contextLength,
                replyTokens: settings.maxTokens ?? Math.min(8000, Math.floor(context.contextLength / 4)),
                messageTokens: history + estimateTokens(settings.systemPrompt ?? ''),
                documents: [...carried, ...pending],
            });
            this.leftOut = new Set(plan.leftOut.map((attachment) => attachment.id));
            const said = leftOutText(plan);
            if (said !== undefined) notes.push(said);
        } else {
            this.leftOut.clear();
        }
        if (carried.length + pending.length > 0) {
            for (const setting of settingsNotSentWithDocuments(readChatSettings())) {
                notes.push(
                    vscode.l10n.t(
                        '{0} is not sent while documents are attached (the API refuses both together).',
                        setting,
                    ),
                );
            }
        }
        this.host.post({
            type: 'attachments',
            conversationId: conversation.id,
            pending: this.pending.chips(),
            carried: carriedChips(carried).map((entry) => entry.chip),
            notes,
        });
    }
}
