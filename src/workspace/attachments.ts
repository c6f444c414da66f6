// The attachments of one chat view: what the `#` mentions, the attach button, drops and the Explorer
// add; the chips it posts; the budget check and the settings note before sending. The ChatSession
// hands the webview's attach messages here and takes the documents when a message is sent.
import * as vscode from 'vscode';
import type { Attachment, Conversation } from '../chat/model';
import { carriedAttachments, hasEarlierImages, settingsNotSentWithDocuments } from '../chat/request';
import { estimateTokens, leftOutText, planBudget } from '../context/index';
import {
    imageAttachment,
    imageLimitRefusal,
    imageTokens,
    imageTypeOfPath,
    MAX_IMAGE_FILE_BYTES,
    noVisionText,
} from '../context/images';
import { droppedUris } from '../context/droppedUris';
import { formatBytes } from '../context/fileRules';
import type { ImageInput } from '../context/images';
import { PendingAttachments, carriedChips } from '../context/pending';
import { fill } from '../context/strings';
import type { AttachKind, ChatContext, HostToWebviewMessage } from '../protocol';
import { readChatSettings } from '../settingsReader';
import { contextStrings } from './contextStrings';
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
    /** Whether a model takes images (from /v1/models); without it every model is taken to. */
    readonly takesImages?: (model: string) => boolean;
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

    /** The documents the chips waiting for the next message would send. */
    pendingAttachments(): Attachment[] {
        return this.pending.attachments();
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

    /**
     * An image pasted or dropped into the composer: a chip with its preview. With a model that takes no
     * images the chip says so and the image is not sent (refresh and takeForSend check the model again).
     */
    async attachImage(input: ImageInput): Promise<void> {
        const strings = contextStrings();
        const made = imageAttachment(input, strings);
        const base = {
            label: input.name,
            kind: 'image' as const,
            ...(input.thumbnail === undefined ? {} : { thumbnail: input.thumbnail }),
        };
        if ('refused' in made) {
            this.pending.add({ ...base, id: `image:${input.name}`, refused: made.refused }, []);
        } else {
            const { attachment } = made;
            const limit = imageLimitRefusal(input.name, attachment, this.pending.attachments(), strings);
            const chip = { ...base, id: `image:${attachment.id}`, detail: attachment.title };
            this.pending.add(limit === undefined ? chip : { ...chip, refused: limit }, [attachment]);
        }
        await this.refresh();
    }

    /** Files or tabs dropped on the chat, as URIs. */
    async drop(uris: readonly string[]): Promise<void> {
        const parsed: vscode.Uri[] = [];
        for (const { text, fromRemote } of droppedUris(uris)) {
            try {
                const uri = vscode.Uri.parse(text, true);
                // A remote window's item is taken inside the workspace only: its authority may be
                // another remote's, whose paths mean nothing here.
                const local = uri.scheme === 'file' && !fromRemote;
                if (local || vscode.workspace.getWorkspaceFolder(uri) !== undefined) parsed.push(uri);
            } catch {
                // Not a URI: a dropped text, not a file.
            }
        }
        const images = parsed.filter((uri) => imageTypeOfPath(uri.path) !== undefined);
        const files = parsed.filter((uri) => imageTypeOfPath(uri.path) === undefined);
        for (const uri of images) await this.readImageFile(uri);
        if (files.length > 0) await this.add(await Promise.all(files.map((uri) => readFileItem(uri))));
    }

    /**
     * An image file dropped from the Explorer or a tab goes back to the webview to be downscaled, the one
     * path every image takes (paste, desktop drop, Explorer); one that cannot be read is a refused chip.
     */
    private async readImageFile(uri: vscode.Uri): Promise<void> {
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        const refuse = async (reason: string): Promise<void> => {
            this.pending.add(
                { id: `image:${uri.toString()}`, label: name, kind: 'image', refused: reason },
                [],
            );
            await this.refresh();
        };
        try {
            const { size } = await vscode.workspace.fs.stat(uri);
            if (size > MAX_IMAGE_FILE_BYTES) {
                await refuse(
                    vscode.l10n.t(
                        '{0} was not attached: the file is {1}, over the {2} an image file may have.',
                        name,
                        formatBytes(size),
                        formatBytes(MAX_IMAGE_FILE_BYTES),
                    ),
                );
                return;
            }
            const bytes = await vscode.workspace.fs.readFile(uri);
            this.host.post({
                type: 'imageFileRead',
                name,
                mimeType: imageTypeOfPath(uri.path) ?? 'application/octet-stream',
                base64: Buffer.from(bytes).toString('base64'),
            });
        } catch (error) {
            await refuse(
                vscode.l10n.t('{0} was not attached: it could not be read ({1}).', name, String(error)),
            );
        }
    }

    async remove(chipId: string): Promise<void> {
        this.pending.remove(chipId);
        await this.refresh();
    }

    async retire(documentId: string): Promise<void> {
        const conversation = await this.host.conversation();
        const group = carriedChips(carriedAttachments(conversation), contextStrings()).find(
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
        // The model may have changed since the chips were last shown: images go only to one that takes them.
        this.refuseImagesFor((await this.host.context()).model);
        const refusedImages = this.pending
            .chips()
            .filter((chip) => chip.kind === 'image' && chip.refused !== undefined);
        // Said on the chip already; said again as the message goes without it.
        for (const chip of refusedImages.slice(0, 1))
            if (chip.refused !== undefined) void vscode.window.showWarningMessage(chip.refused);
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
        const strings = contextStrings();
        const vision = this.refuseImagesFor(context.model);
        const carried = carriedAttachments(conversation);
        const all = this.pending.attachments();
        const pending = all.filter((attachment) => attachment.image === undefined);
        const images = all.filter((attachment) => attachment.image !== undefined);
        const notes: string[] = [];
        if (!vision && hasEarlierImages(conversation))
            notes.push(fill(strings.imagesOfEarlierMessages, context.model));
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
                messageTokens:
                    history +
                    estimateTokens(settings.systemPrompt ?? '') +
                    images.reduce(
                        (sum, attachment) =>
                            sum + imageTokens(attachment.image?.width ?? 0, attachment.image?.height ?? 0),
                        0,
                    ),
                documents: [...carried, ...pending],
            });
            this.leftOut = new Set(plan.leftOut.map((attachment) => attachment.id));
            const said = leftOutText(plan, strings);
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
            carried: carriedChips(carried, strings).map((entry) => entry.chip),
            notes,
        });
    }

    /** Refuses the image chips when `model` takes no images; returns whether it takes them. */
    private refuseImagesFor(model: string): boolean {
        const vision = this.host.takesImages?.(model) ?? true;
        this.pending.refuseKind('image', vision ? undefined : noVisionText(model, contextStrings()));
        return vision;
    }
}
