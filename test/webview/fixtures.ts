// Conversations, turns and contexts for the webview tests, built from the real protocol types.
import type { Conversation, Turn } from '../../src/chat/model';
import type { ChatContext, HostToWebviewMessage } from '../../src/protocol';

export const CONVERSATION_ID = 'conv-1';

let turnCount = 0;

/** A turn with sensible defaults: complete, streamed, with a one-block text reply. */
export function makeTurn(overrides: Partial<Turn> & { text?: string } = {}): Turn {
    const { text, ...rest } = overrides;
    turnCount += 1;
    return {
        id: `turn-${turnCount}`,
        prompt: 'Hello?',
        request: { model: 'command-a-03-2025', stream: true },
        reply: { content: text === undefined ? [] : [{ type: 'text', text }], citations: [] },
        status: 'complete',
        createdAt: 1_700_000_000_000,
        ...rest,
    };
}

/** A context with a key, no demo, and a known context length. */
export function makeContext(overrides: Partial<ChatContext> = {}): ChatContext {
    return {
        model: 'command-a-03-2025',
        contextLength: 256_000,
        hasApiKey: true,
        demo: false,
        stream: true,
        history: [],
        ...overrides,
    };
}

/** A `state` message for a conversation holding `turns`. */
export function stateMessage(
    turns: Turn[],
    context: Partial<ChatContext> = {},
    id = CONVERSATION_ID,
): HostToWebviewMessage {
    const conversation: Conversation = {
        schemaVersion: 1,
        id,
        title: 'Test chat',
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
        turns,
    };
    return { type: 'state', conversation, context: makeContext(context) };
}

/** A streaming turn with an empty reply, for `turnStarted`. */
export function streamingTurn(overrides: Partial<Turn> = {}): Turn {
    return makeTurn({ status: 'streaming', ...overrides });
}

/** A text delta for `turnId`. */
export function textDelta(
    turnId: string,
    text: string,
    index = 0,
    conversationId = CONVERSATION_ID,
): HostToWebviewMessage {
    return { type: 'delta', conversationId, turnId, index, kind: 'text', text };
}
