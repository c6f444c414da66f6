// Applies a reply as it arrives (stream events, or one complete response) to a Turn's Reply,
// and says what changed so the runner can tell the view. Each event costs time in proportion to
// its own size only, never to the length of the reply so far.
import type { ChatResponse, ChatStreamEvent, Citation, ToolCall } from '../cohere/types';
import { checkCitation, checkEvent, checkResponse } from '../cohere/validate';
import type { ReportProblem } from '../cohere/validate';
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

    /**
     * `report` hears of each malformed piece of the reply that was dropped. The client has already
     * checked what it hands on; this checks again because any client (or a test's) may feed it.
     */
    constructor(
        private readonly reply: Reply,
        append: boolean,
        private readonly report: ReportProblem = ignoreProblem,
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
    apply(raw: ChatStreamEvent, onChange: (change: ReplyChange) => void): void {
        const event = checkEvent(raw, this.report);
        if (typeof event === 'string') {
            this.report(event);
            return;
        }
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
            case 'citation-start':
                this.addCitation(event.delta?.message?.citations, onChange);
                break;
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
    applyResponse(raw: ChatResponse): void {
        const ignore = (): void => undefined;
        const response = checkResponse(raw, this.report);
        if (response === undefined) {
            this.report(`a reply without a message (${typeof raw})`);
            return;
        }
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

    /** Adds a citation once checked against the text it points into (a bad one is reported, not added). */
    private addCitation(raw: unknown, onChange: (change: ReplyChange) => void): void {
        const citation = checkCitation(raw, (index, type) => this.citedLength(index, type));
        if (typeof citation === 'string') {
            this.report(citation);
            return;
        }
        const placed: Citation = { ...citation };
        // A plan citation points into the tool plan, which has no block to move it to.
        const place =
            citation.type === 'PLAN'
                ? undefined
                : this.places.get(citation.content_index ?? this.defaultStreamIndex(citation.type));
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
    private defaultStreamIndex(type: string | undefined): number {
        const kind = type === 'THINKING_CONTENT' ? 'thinking' : 'text';
        for (const [streamIndex, place] of this.places) {
            if (this.reply.content[place.index]?.type === kind) return streamIndex;
        }
        return 0;
    }

    /** The length of this stream's own text in the block a citation points into (see validate.ts). */
    private citedLength(index: number | undefined, type: string | undefined): number | undefined {
        if (type === 'PLAN') return (this.reply.toolPlan ?? '').length;
        const place = this.places.get(index ?? this.defaultStreamIndex(type));
        const block = place === undefined ? undefined : this.reply.content[place.index];
        if (place === undefined || block === undefined) return undefined;
        return (block.type === 'text' ? block.text.length : block.thinking.length) - place.offset;
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

function ignoreProblem(): void {
    // Nobody asked to hear about dropped data.
}
