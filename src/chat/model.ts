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

/** One exchange: the person's message and the model's reply to it. */
export interface Turn {
    id: string;
    /** The user's message as typed (for a selection: the fenced block that was sent). */
    prompt: string;
    attachments?: Attachment[];
    request: TurnRequest;
    reply: Reply;
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
