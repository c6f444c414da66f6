// The conversation as the extension host keeps it, saves it and sends it to the webview.
// Plain data (JSON-safe), no classes: the same objects are persisted, posted and rendered.
import type { CohereErrorCode } from '../cohere/errors';
import type { Citation, FinishReason, ToolCall, Usage } from '../cohere/types';

/** Version of the on-disk conversation format; bump it with a migration in store.ts. */
export const CONVERSATION_SCHEMA_VERSION = 1;

export type TurnStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

/** One content block of a reply, in the order of its stream index. */
export type ReplyBlock = { type: 'text'; text: string } | { type: 'thinking'; thinking: string };

export interface TurnError {
    code: CohereErrorCode;
    /** The server's own words, or ours when nothing came from the server. */
    message: string;
    status?: number;
    /** How long the server asked us to wait before retrying (rate limits). */
    retryAfterMs?: number;
    /** The kind of a generation error, as the server names it (e.g. `INVALID_TOOL_GENERATION`). */
    errorType?: string;
}

/**
 * A text attached to a user's message and sent as a Cohere `document`, so the reply can cite it.
 * For an editor selection it records where it came from, so a citation can lead back to those lines.
 */
export interface Attachment {
    /** The Cohere document id, unique within the conversation (e.g. `sel-1`). */
    id: string;
    /** Shown as the source title, e.g. `src/app.ts:12-30`. */
    title: string;
    text: string;
    /** `file:` (or other) URI of the document the selection came from. */
    uri?: string;
    /** 1-based, inclusive line range of the selection. */
    startLine?: number;
    endLine?: number;
    languageId?: string;
    /** What was attached: a selection (the default), a file's chunk, a problem, a workspace search hit, an image. */
    kind?: 'selection' | 'file' | 'problem' | 'workspace' | 'image';
    /** Fingerprint of `text` when sent, so a later click can tell that the file changed since. */
    contentHash?: string;
    /** Removed by the person from what later messages carry: no longer sent after its own turn. */
    retired?: boolean;
    /** For an image: sent as an `image_url` part of its turn's message (not as a document). */
    image?: AttachedImage;
}

/** An image attached to a message, as it was sent (downscaled). */
export interface AttachedImage {
    /** A base64 data URI (`data:image/png;base64,...`). */
    url: string;
    /** The size it was sent at, in pixels. */
    width: number;
    height: number;
    /** A small preview (data URI) the message shows. */
    thumbnail?: string;
}

/** The model parameters a turn was sent with (recorded so a reload shows exactly what was asked). */
export interface TurnRequest {
    model: string;
    temperature?: number;
    maxTokens?: number;
    stopSequences?: string[];
    frequencyPenalty?: number;
    presencePenalty?: number;
    safetyMode?: string;
    thinking?: { type: 'enabled' | 'disabled'; tokenBudget?: number };
    stream: boolean;
}

export interface Reply {
    /** The generation id from the server, once known. */
    id?: string;
    content: ReplyBlock[];
    citations: Citation[];
    toolPlan?: string;
    toolCalls?: ToolCall[];
}

/** A document a tool returned: what the model read, so a citation of it can open those lines. */
export interface ToolResultDocument {
    /** `<tool call id>:<n>`: the id the reply's citations name it by. */
    id: string;
    data: Record<string, string>;
    /** Workspace path as the model named it, and where it is on disk. */
    path?: string;
    absolutePath?: string;
    /** 1-based, inclusive lines it shows. */
    startLine?: number;
    endLine?: number;
    /** Fingerprint of the whole file when it was read (not sent): Retry knows what the kept steps read. */
    fileHash?: string;
}

/** A change a tool proposed and what the person did with it. */
export interface ToolChange {
    path: string;
    absolutePath: string;
    /** `undone`: applied, then put back by the chat's Undo. */
    outcome: 'applied' | 'rejected' | 'refused' | 'undone';
    /** The file before (absent for a new file) and as proposed, so the diff can be shown again (and undone). */
    before?: string;
    after?: string;
}

/** One call of a tool step, and its result once it ran. */
export interface ToolStepCall {
    id: string;
    name: string;
    /** The arguments as the model sent them (a JSON string). */
    arguments: string;
    status: 'running' | 'done' | 'error' | 'cancelled';
    /** One line for the person, e.g. "src/app.ts lines 1-40". */
    summary?: string;
    /** What went back to the model as the `tool` message. */
    documents?: ToolResultDocument[];
    truncated?: boolean;
    change?: ToolChange;
}

/** One round of tool use inside a turn: what the model said it would do, its calls and their results. */
export interface ToolStep {
    /** The tool plan of a non-reasoning model. */
    plan?: string;
    /** A reasoning model's thinking before its calls (it sends no plan; the thinking is sent back instead). */
    thinking?: string;
    calls: ToolStepCall[];
}

/** One exchange: the person's message and the model's reply to it. */
export interface Turn {
    id: string;
    /** The user's message as typed (for a selection: the fenced block that was sent). */
    prompt: string;
    attachments?: Attachment[];
    request: TurnRequest;
    reply: Reply;
    /** Tool rounds before the reply, in order (absent when no tools were used). */
    steps?: ToolStep[];
    usage?: Usage;
    finishReason?: FinishReason;
    status: TurnStatus;
    error?: TurnError;
    /** Epoch milliseconds. */
    createdAt: number;
    endedAt?: number;
    /** Attempts the client made for the last send (1 when no retry was needed). */
    attempts?: number;
}

export interface Conversation {
    schemaVersion: typeof CONVERSATION_SCHEMA_VERSION;
    id: string;
    title: string;
    createdAt: number;
    updatedAt: number;
    /** The system prompt in force when the conversation was last sent. */
    systemPrompt?: string;
    turns: Turn[];
}

/** What the history list shows of a conversation without loading all of it. */
export interface ConversationSummary {
    id: string;
    title: string;
    updatedAt: number;
    turnCount: number;
    /**
     * Set when the file was written by a newer version of the extension (this schema version): it is
     * listed, left untouched, and cannot be opened until the extension is updated.
     */
    newerVersion?: number;
}

/** One change of the history list. An upsert of a newer `updatedAt` moves the item to the top. */
export type HistoryChange =
    | { readonly kind: 'upsert'; readonly summary: ConversationSummary }
    | { readonly kind: 'remove'; readonly conversationId: string };
