// The one contract between the extension host and the chat webview. Both sides import these types;
// the host validates every incoming message (src/ui/messageGuard.ts) before it uses one.
//
// The webview is a view that can be rebuilt at any time from a full `state` message, then kept current
// by small messages. Each of those carries its conversation (and turn) id, so a view drops the ones
// meant for a conversation it no longer shows.
import type { Citation } from './cohere/types';
import type { Conversation, ConversationSummary, HistoryChange, Turn, TurnError } from './chat/model';

/** What a view needs to know besides the conversation itself. */
export interface ChatContext {
    /** The model new messages go to. */
    readonly model: string;
    /** The model's context length in tokens, from /v1/models, when known. */
    readonly contextLength?: number;
    /** Whether an API key is available (SecretStorage or environment). Never the key itself. */
    readonly hasApiKey: boolean;
    /** True when the extension talks to the local fake Cohere server (`npm run demo`). */
    readonly demo: boolean;
    /** Whether new replies stream (`cohere.stream`). */
    readonly stream: boolean;
    /**
     * Conversations for the history list, newest first: the whole list, sent in a `state` only. A
     * `context` message leaves it out (the view keeps its list), and `historyChanged` keeps it current.
     */
    readonly history?: readonly ConversationSummary[];
    /** The endpoint's chat models for the composer's picker, once listed (/v1/models). */
    readonly models?: readonly ChatModelChoice[];
}

/** One entry of the composer's model picker. */
export interface ChatModelChoice {
    readonly name: string;
    readonly contextLength?: number;
}

export type { AttachmentChip } from './context/pending';
import type { AttachmentChip } from './context/pending';

/** What the `#` mentions and the attach button can attach. */
export const ATTACH_KINDS = ['file', 'folder', 'selection', 'editor', 'problems', 'workspace'] as const;
export type AttachKind = (typeof ATTACH_KINDS)[number];

export namespace HostToWebview {
    /** The whole picture: rebuild the view from it. */
    export interface State {
        readonly type: 'state';
        readonly conversation: Conversation;
        readonly context: ChatContext;
        /** The draft this view had, kept by the host so a reload cannot lose it ('' once cleared). */
        readonly draft?: string;
        /** The draft's revision (SaveDraft.revision) when the host kept it. */
        readonly draftRevision?: number;
    }
    /** Only the context changed (model, key); it carries no history list. */
    export interface Context {
        readonly type: 'context';
        readonly context: ChatContext;
    }
    /** A turn was added or is being sent again (retry, regenerate, edit): replace it by id or append it. */
    export interface TurnStarted {
        readonly type: 'turnStarted';
        readonly conversationId: string;
        readonly turn: Turn;
        /**
         * The conversation's turn ids, in order, once this turn has started. A view drops the turns it
         * shows that are not listed: an edit drops the turns after the edited one, a retry keeps them.
         */
        readonly turnIds?: readonly string[];
    }
    /** Text or thinking that arrived for content block `index` of a streaming turn. */
    export interface Delta {
        readonly type: 'delta';
        readonly conversationId: string;
        readonly turnId: string;
        readonly index: number;
        readonly kind: 'text' | 'thinking';
        readonly text: string;
    }
    /** A citation that arrived during the stream. */
    export interface CitationAdded {
        readonly type: 'citation';
        readonly conversationId: string;
        readonly turnId: string;
        readonly citation: Citation;
    }
    /** The turn finished (complete or stopped): the final turn, with usage and finish reason. */
    export interface TurnEnded {
        readonly type: 'turnEnded';
        readonly conversationId: string;
        readonly turn: Turn;
    }
    /** The turn failed: the turn with its error and whatever had arrived. */
    export interface TurnFailed {
        readonly type: 'turnFailed';
        readonly conversationId: string;
        readonly turn: Turn;
    }
    /** The client is waiting to send the turn again (rate limit, server error): show the wait. */
    export interface TurnRetrying {
        readonly type: 'turnRetrying';
        readonly conversationId: string;
        readonly turnId: string;
        /** The attempt about to be made (2 = first retry). */
        readonly attempt: number;
        readonly delayMs: number;
        readonly reason: TurnError;
    }
    /**
     * Items of the history list changed: upserted (listed, renamed, moved to the top by a newer
     * `updatedAt`) or removed. Applied to the list of the last `state`; one item each, never the list.
     */
    export interface HistoryChanged {
        readonly type: 'historyChanged';
        readonly changes: readonly HistoryChange[];
    }
    /** Put text in the input box (e.g. the prompt of an edited message), and focus it. */
    export interface SetDraft {
        readonly type: 'setDraft';
        readonly text: string;
    }

    /** Open the history (the sidebar's title-bar History action). */
    export interface ShowHistory {
        readonly type: 'showHistory';
    }
    /**
     * What the next message will carry: attachments still to be sent (removable), documents earlier
     * turns keep sending (removable from later messages), and notes (left out to fit, a setting not sent).
     */
    export interface Attachments {
        readonly type: 'attachments';
        readonly conversationId: string;
        readonly pending: readonly AttachmentChip[];
        readonly carried: readonly AttachmentChip[];
        readonly notes: readonly string[];
    }

    /**
     * An image file dropped from the Explorer or an editor tab, read by the host (the webview cannot read
     * files): the webview downscales it and hands it back as it does a pasted image.
     */
    export interface ImageFileRead {
        readonly type: 'imageFileRead';
        readonly name: string;
        readonly mimeType: string;
        readonly base64: string;
    }

    export type Message =
        | ShowHistory
        | ImageFileRead
        | State
        | Attachments
        | Context
        | TurnStarted
        | Delta
        | CitationAdded
        | TurnRetrying
        | TurnEnded
        | TurnFailed
        | SetDraft
        | HistoryChanged;
}
export type HostToWebviewMessage = HostToWebview.Message;

/** Host commands the webview may ask for; anything else is refused by the guard. */
export const WEBVIEW_COMMANDS = [
    'setApiKey',
    'showLogs',
    'selectModel',
    'exportChat',
    'testConnection',
] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export namespace WebviewToHost {
    /** The view has loaded and wants a `state`. */
    export interface Ready {
        readonly type: 'ready';
    }
    export interface Send {
        readonly type: 'send';
        readonly conversationId: string;
        readonly text: string;
    }
    export interface Stop {
        readonly type: 'stop';
        readonly conversationId: string;
        readonly turnId: string;
    }
    /** Send a failed or stopped turn again, in place. */
    export interface Retry {
        readonly type: 'retry';
        readonly conversationId: string;
        readonly turnId: string;
    }
    /** Ask for a new reply to the last turn's prompt, replacing the reply. */
    export interface Regenerate {
        readonly type: 'regenerate';
        readonly conversationId: string;
        readonly turnId: string;
    }
    /** Replace a turn's prompt, drop the turns after it, and send it again. */
    export interface Edit {
        readonly type: 'edit';
        readonly conversationId: string;
        readonly turnId: string;
        readonly text: string;
    }
    /** Continue a reply cut by MAX_TOKENS. */
    export interface Continue {
        readonly type: 'continue';
        readonly conversationId: string;
        readonly turnId: string;
    }
    export interface NewChat {
        readonly type: 'newChat';
    }
    export interface OpenConversation {
        readonly type: 'openConversation';
        readonly conversationId: string;
    }
    export interface RenameConversation {
        readonly type: 'renameConversation';
        readonly conversationId: string;
        readonly title: string;
    }
    export interface DeleteConversation {
        readonly type: 'deleteConversation';
        readonly conversationId: string;
    }
    /** A link in a reply was clicked; the host opens only http(s). */
    export interface OpenLink {
        readonly type: 'openLink';
        readonly url: string;
    }
    export interface CopyCode {
        readonly type: 'copyCode';
        readonly code: string;
    }
    export interface InsertCode {
        readonly type: 'insertCode';
        readonly code: string;
    }
    /** A citation source that is an attached selection was clicked: reveal its lines in the editor. */
    export interface RevealSource {
        readonly type: 'revealSource';
        readonly conversationId: string;
        readonly turnId: string;
        readonly documentId: string;
        /** The cited words, so only their lines are selected when the chunk holds them. */
        readonly citedText?: string;
    }
    /** Show again, as a diff, the change a tool call proposed. */
    export interface ShowToolChange {
        readonly type: 'showToolChange';
        readonly conversationId: string;
        readonly turnId: string;
        readonly callId: string;
    }
    /** Put the file back as it was before a tool call's applied change. */
    export interface UndoToolChange {
        readonly type: 'undoToolChange';
        readonly conversationId: string;
        readonly turnId: string;
        readonly callId: string;
    }
    /** Apply a code block of a reply to a file, shown as a diff first. `info` is the fence's info string. */
    export interface ApplyCode {
        readonly type: 'applyCode';
        readonly conversationId: string;
        readonly turnId: string;
        readonly code: string;
        readonly info: string;
    }
    /** A `#` mention or the attach button: attach this kind of thing (the host asks which, if needed). */
    export interface Attach {
        readonly type: 'attach';
        readonly kind: AttachKind;
    }
    /** An image pasted or dropped into the composer, already downscaled by the webview. */
    export interface AttachImage {
        readonly type: 'attachImage';
        /** The file's name, or one the webview gave a pasted image. */
        readonly name: string;
        /** A base64 data URI of a PNG, JPEG, WebP or GIF image. */
        readonly dataUrl: string;
        readonly width: number;
        readonly height: number;
        /** A small preview (data URI) for the chip and the message. */
        readonly thumbnail: string;
    }
    /** Files or editor tabs dropped onto the chat (their URIs). */
    export interface DropUris {
        readonly type: 'dropUris';
        readonly uris: readonly string[];
    }
    /** Remove a chip still to be sent. */
    export interface RemoveAttachment {
        readonly type: 'removeAttachment';
        readonly id: string;
    }
    /** Stop sending an earlier turn's document with later messages. */
    export interface RetireDocument {
        readonly type: 'retireDocument';
        readonly conversationId: string;
        readonly documentId: string;
    }
    /** The model picker in the composer chose a model: it becomes `cohere.model`. */
    export interface SetModel {
        readonly type: 'setModel';
        readonly model: string;
    }
    /** The composer's text changed: the host keeps it, so a reload of the window cannot lose it. */
    export interface SaveDraft {
        readonly type: 'saveDraft';
        readonly text: string;
        /**
         * Counts the view's draft changes. After a reload the newer of the host's copy and the view's own
         * saved state wins: VS Code may have saved that state before the last keystrokes.
         */
        readonly revision: number;
    }
    export interface RunCommand {
        readonly type: 'command';
        readonly command: WebviewCommand;
    }

    export type Message =
        | Ready
        | Send
        | Stop
        | Retry
        | Regenerate
        | Edit
        | Continue
        | NewChat
        | OpenConversation
        | RenameConversation
        | DeleteConversation
        | OpenLink
        | CopyCode
        | InsertCode
        | RevealSource
        | SetModel
        | SaveDraft
        | ShowToolChange
        | UndoToolChange
        | ApplyCode
        | Attach
        | AttachImage
        | DropUris
        | RemoveAttachment
        | RetireDocument
        | RunCommand;
}
export type WebviewToHostMessage = WebviewToHost.Message;
