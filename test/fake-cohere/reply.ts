// One reply, described once and rendered two ways: as the JSON of a non-streamed chat, and as the
// event list of a stream. Both come from the same pieces, so the streamed text always equals the
// non-streamed text.
import type {
    AssistantContent,
    ChatResponse,
    ChatStreamEvent,
    Citation,
    FinishReason,
    LogprobItem,
    ToolCall,
    Usage,
} from '../../src/cohere/types';

/** A content block as the pieces its deltas carry. */
export interface ReplyBlock {
    type: 'text' | 'thinking';
    pieces: string[];
}

/** A tool call as its start and its argument fragments. */
export interface ReplyToolCall {
    id: string;
    name: string;
    argumentPieces: string[];
}

/** Everything a scenario decides about a reply. */
export interface Reply {
    id: string;
    blocks: ReplyBlock[];
    /** Each with `content_index` set; `start`/`end` are UTF-16 offsets into that block's text. */
    citations: Citation[];
    /** `end`: after the last delta (ACCURATE); `inline`: right after the delta that completes the span (FAST). */
    citationPlacement: 'end' | 'inline';
    toolPlanPieces: string[];
    toolCalls: ReplyToolCall[];
    finishReason: FinishReason;
    usage: Usage;
    /** Set for a generation that failed: message-end carries it in `delta.error`. */
    error?: string;
    /** The kind of that failure, in `delta.error_type` (recorded: `INVALID_TOOL_GENERATION`). */
    errorType?: string;
    /**
     * Send `content_index` on citations. The live API mostly leaves it out (the block is then the first
     * of the citation's type); a citation into any other block keeps it regardless.
     */
    sendContentIndex?: boolean;
    /** The index of a block the failure interrupted: it gets no content-end. */
    interruptedBlock?: number;
    logprobs: boolean;
}

/** A citation as it goes on the wire: without `content_index` where the live API leaves it out. */
function wireCitation(citation: Citation, reply: Reply): Citation {
    if (reply.sendContentIndex === true || citation.content_index === undefined) return citation;
    const kind = citation.type === 'THINKING_CONTENT' ? 'thinking' : 'text';
    const first = reply.blocks.findIndex((block) => block.type === kind);
    if (citation.content_index !== first) return citation;
    const { content_index: _implied, ...rest } = citation;
    return rest;
}

/** The non-streamed response (`POST /v2/chat` with `stream: false`), keys in the live API's order. */
export function toChatResponse(reply: Reply): ChatResponse {
    const message: ChatResponse['message'] = { role: 'assistant' };
    if (reply.blocks.length > 0) {
        message.content = reply.blocks.map((block): AssistantContent => {
            const text = block.pieces.join('');
            return block.type === 'text' ? { type: 'text', text } : { type: 'thinking', thinking: text };
        });
    }
    if (reply.toolPlanPieces.length > 0) message.tool_plan = reply.toolPlanPieces.join('');
    if (reply.toolCalls.length > 0) message.tool_calls = reply.toolCalls.map(toToolCall);
    if (reply.citations.length > 0) message.citations = reply.citations.map((c) => wireCitation(c, reply));
    // Recorded replies: id, message, finish_reason, usage (a client must not depend on it, the SDK does not).
    const response = {
        id: reply.id,
        message,
        finish_reason: reply.finishReason,
        usage: reply.usage,
    } as ChatResponse;
    if (reply.logprobs) {
        response.logprobs = reply.blocks.flatMap((block) =>
            block.type === 'text' ? block.pieces.map(logprobOf) : [],
        );
    }
    return response;
}

function toToolCall(call: ReplyToolCall): ToolCall {
    return {
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.argumentPieces.join('') },
    };
}

/** The stream's events in wire order (API doc 4.4), from message-start to message-end. */
export function toStreamEvents(reply: Reply): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [
        {
            id: reply.id,
            type: 'message-start',
            delta: {
                message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
            },
        } as ChatStreamEvent,
    ];
    for (const piece of reply.toolPlanPieces) {
        events.push({ type: 'tool-plan-delta', delta: { message: { tool_plan: piece } } });
    }
    let citationCount = 0;
    const pushCitation = (citation: Citation): void => {
        const index = citationCount++;
        events.push({
            type: 'citation-start',
            index,
            delta: { message: { citations: wireCitation(citation, reply) } },
        });
        events.push({ type: 'citation-end', index });
    };
    const lastTextBlock = reply.blocks.findLastIndex((block) => block.type === 'text');
    reply.blocks.forEach((block, index) => {
        const start = block.type === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' };
        events.push({ type: 'content-start', index, delta: { message: { content: start } } });
        const inline =
            reply.citationPlacement === 'inline'
                ? reply.citations.filter((citation) => (citation.content_index ?? 0) === index)
                : [];
        let emitted = 0;
        let next = 0;
        for (const piece of block.pieces) {
            const content = block.type === 'text' ? { text: piece } : { thinking: piece };
            const delta: ChatStreamEvent = { type: 'content-delta', index, delta: { message: { content } } };
            if (reply.logprobs && block.type === 'text') delta.logprobs = logprobOf(piece);
            events.push(delta);
            emitted += piece.length;
            while (next < inline.length && (inline[next]?.end ?? 0) <= emitted) pushCitation(inline[next++]!);
        }
        while (next < inline.length) pushCitation(inline[next++]!);
        if (reply.citationPlacement === 'end' && index === lastTextBlock)
            reply.citations.forEach(pushCitation);
        if (index !== reply.interruptedBlock) events.push({ type: 'content-end', index });
    });
    reply.toolCalls.forEach((call, index) => {
        events.push({
            type: 'tool-call-start',
            index,
            delta: {
                message: {
                    tool_calls: {
                        id: call.id,
                        type: 'function',
                        function: { name: call.name, arguments: '' },
                    },
                },
            },
        });
        for (const piece of call.argumentPieces) {
            events.push({
                type: 'tool-call-delta',
                index,
                delta: { message: { tool_calls: { function: { arguments: piece } } } },
            });
        }
        events.push({ type: 'tool-call-end', index });
    });
    const end: ChatStreamEvent = {
        type: 'message-end',
        delta: { finish_reason: reply.finishReason, usage: reply.usage },
    };
    if (reply.error !== undefined) end.delta = { ...end.delta, error: reply.error };
    if (reply.errorType !== undefined) end.delta = { ...end.delta, error_type: reply.errorType };
    events.push(end);
    return events;
}

/** The SSE frame of one event: `event:` line, one compact `data:` line, blank line. */
export function frameEvent(event: ChatStreamEvent): string {
    return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The stream's terminator: a bare data line, no event line (as recorded from the live API). */
export const DONE_FRAME = 'data: [DONE]\n\n';

/** A made-up but deterministic logprob for a piece: token ids from its characters. */
function logprobOf(piece: string): LogprobItem {
    let hash = 0;
    for (let i = 0; i < piece.length; i++) hash = (hash * 31 + piece.charCodeAt(i)) % 100_000;
    return { text: piece, token_ids: [hash], logprobs: [-((hash % 1000) / 1000)] };
}
