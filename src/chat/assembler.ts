// Applies a reply as it arrives (stream events, or one complete response) to a Turn's Reply,
// and says what changed so the runner can tell the view. Each event costs time in proportion to
// its own size only, never to the length of the reply so far.
import type { ChatResponse, ChatStreamEvent, Citation, ToolCall } from '../cohere/types';
import type { Reply, ReplyBlock } from './model';

/** What an event added, in reply coordinates (block index of the Reply, not of the stream). */
export type ReplyChange =
    | { kind: 'delta'; index: number; blockKind: 'text' | 'thinking'; text: string }
    | { kind: 'citation'; citation: Citation };

interface BlockPlace {
    /** Index in reply.content. */
    index: number;
    /** Where this stream's text starts within that block (non-zero only when appending). */
    offset: number;
}

/**
 * Builds a Reply from the server's content blocks. With `append` (continuing a cut reply) the
 * first text block of the new answer is appended to the reply's last text block and its
 * citations are shifted to match, so the person sees one reply, not two.
 */
export class ReplyAssembler {
    private readonly places = new Map<number, BlockPlace>();
    private appendTo: number | undefined;

    constructor(
        private readonly reply: Reply,
        append: boolean,
    ) {
        if (!append) return;
        for (let i = reply.content.length - 1; i >= 0; i--) {
            if (reply.content[i]?.type === 'text') {
                this.appendTo = i;
                break;
            }
        }
    }

    /** Applies one stream event; `onChange` hears of every piece of text and citation added. */
    apply(event: ChatStreamEvent, onChange: (change: ReplyChange) => void): void {
        switch (event.type) {
            case 'message-start':
                if (this.appendTo === undefined && event.id !== undefined) this.reply.id = event.id;
                break;
            case 'content-start': {
                const content = event.delta?.message?.content;
                const kind = content?.type === 'thinking' ? 'thinking' : 'text';
                const place = this.placeOf(event.index ?? 0, kind);
                const initial = kind === 'thinking' ? content?.thinking : content?.text;
                if (initial) this.append(place, initial, onChange);
                break;
            }
            case 'content-delta': {
                const content = event.delta?.message?.content;
                const piece = content?.text ?? content?.thinking;
                if (!piece) break;
                const kind = content?.text === undefined ? 'thinking' : 'text';
                this.append(this.placeOf(event.index ?? 0, kind), piece, onChange);
                break;
            }
            case 'citation-start': {
                const citation = event.delta?.message?.citations;
                if (citation !== undefined) this.addCitation(citation, onChange);
                break;
            }
            case 'tool-plan-delta': {
                const plan = event.delta?.message?.tool_plan;
                if (plan) this.reply.toolPlan = (this.reply.toolPlan ?? '') + plan;
                break;
            }
            case 'tool-call-start': {
                const call = event.delta?.message?.tool_calls;
                if (call !== undefined) this.toolCallAt(event.index ?? 0, call);
                break;
            }
            case 'tool-call-delta': {
                const fragment = event.delta?.message?.tool_calls?.function?.arguments;
                if (!fragment) break;
                const call = this.toolCallAt(event.index ?? 0, {});
                call.function = { ...call.function, arguments: (call.function?.arguments ?? '') + fragment };
                break;
            }
            case 'content-end':
            case 'tool-call-end':
            case 'citation-end':
            case 'message-end':
            case 'debug':
                // Nothing to add: the end of the message (finish reason, usage) comes from the response.
                break;
        }
    }

    /** Applies a complete (non-streamed) response, exactly as its stream would have been applied. */
    applyResponse(response: ChatResponse): void {
        const ignore = (): void => undefined;
        if (this.appendTo === undefined) this.reply.id = response.id;
        const message = response.message;
        (message.content ?? []).forEach((block, index) => {
            const kind = block.type === 'thinking' ? 'thinking' : 'text';
            const text = block.type === 'thinking' ? block.thinking : block.text;
            const place = this.placeOf(index, kind);
            if (text) this.append(place, text, ignore);
        });
        for (const citation of message.citations ?? []) this.addCitation(citation, ignore);
        if (message.tool_plan) this.reply.toolPlan = (this.reply.toolPlan ?? '') + message.tool_plan;
        if (message.tool_calls?.length)
            this.reply.toolCalls = [...(this.reply.toolCalls ?? []), ...message.tool_calls];
    }

    private placeOf(streamIndex: number, kind: 'text' | 'thinking'): BlockPlace {
        const known = this.places.get(streamIndex);
        if (known !== undefined) return known;
        let place: BlockPlace;
        const target = this.appendTo === undefined ? undefined : this.reply.content[this.appendTo];
        if (kind === 'text' && target?.type === 'text' && this.appendTo !== undefined) {
            place = { index: this.appendTo, offset: target.text.length };
            this.appendTo = undefined;
        } else {
            const block: ReplyBlock =
                kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' };
            place = { index: this.reply.content.push(block) - 1, offset: 0 };
        }
        this.places.set(streamIndex, place);
        return place;
    }

    private append(place: BlockPlace, piece: string, onChange: (change: ReplyChange) => void): void {
        const block = this.reply.content[place.index];
        if (block === undefined) return;
        if (block.type === 'text') block.text += piece;
        else block.thinking += piece;
        onChange({ kind: 'delta', index: place.index, blockKind: block.type, text: piece });
    }

    private addCitation(citation: Citation, onChange: (change: ReplyChange) => void): void {
        const place = this.places.get(citation.content_index ?? this.defaultStreamIndex(citation));
        const placed: Citation = { ...citation };
        if (place !== undefined) {
            placed.content_index = place.index;
            if (placed.start !== undefined) placed.start += place.offset;
            if (placed.end !== undefined) placed.end += place.offset;
        }
        this.reply.citations.push(placed);
        onChange({ kind: 'citation', citation: placed });
    }

    /**
     * The block a citation without `content_index` belongs to. The API doc says to default to 0, but in a
     * reasoning reply block 0 is the thinking: the citation's `type` tells which kind of block it cites.
     */
    private defaultStreamIndex(citation: Citation): number {
        const kind = citation.type === 'THINKING_CONTENT' ? 'thinking' : 'text';
        for (const [streamIndex, place] of this.places) {
            if (this.reply.content[place.index]?.type === kind) return streamIndex;
        }
        return 0;
    }

    private toolCallAt(index: number, start: ToolCall): ToolCall {
        const calls = (this.reply.toolCalls ??= []);
        const existing = calls[index];
        if (existing !== undefined) return existing;
        const call: ToolCall = { ...start, function: { ...start.function } };
        calls[index] = call;
        return call;
    }
}
