// Builds the reply a non-streaming call would have returned from the events of a stream:
// content blocks by index, citations in arrival order, tool calls with their argument fragments
// joined, the tool plan, usage and finish reason. Every event is checked first (validate.ts): what is
// malformed is dropped, never applied.
import type {
    AssistantContent,
    AssistantMessageResponse,
    ChatResponse,
    ChatStreamEvent,
    Citation,
    FinishReason,
    LogprobItem,
    ToolCall,
    Usage,
} from './types';
import { checkCitation, checkEvent } from './validate';
import type { ReportProblem } from './validate';

interface BlockDraft {
    type: 'text' | 'thinking';
    text: string;
}

interface ToolCallDraft {
    id: string | undefined;
    name: string | undefined;
    arguments: string;
}

/** Accumulates stream events; `response()` gives the assembled reply at any time. */
export class ResponseAssembler {
    private id = '';
    private readonly blocks: (BlockDraft | undefined)[] = [];
    private readonly citations: Citation[] = [];
    private readonly toolCalls: (ToolCallDraft | undefined)[] = [];
    private lastToolCall = -1;
    private toolPlan = '';
    private logprobs: LogprobItem[] | undefined;
    private usage: Usage | undefined;
    private finishReason: FinishReason | undefined;
    /** `delta.error` of message-end, when the generation failed. */
    error: string | undefined;
    /** `delta.error_type` of message-end (e.g. `INVALID_TOOL_GENERATION`). */
    errorType: string | undefined;
    /** Characters of text and thinking received so far (for saying where a cut stream stopped). */
    characters = 0;
    /** message-end has been applied. */
    ended = false;

    /**
     * Checks and applies one event. Returns the event to hand on (a cleaned copy where a field was
     * fixed), or undefined when it was dropped; `report` hears why.
     */
    accept(event: ChatStreamEvent, report: ReportProblem): ChatStreamEvent | undefined {
        const checked = checkEvent(event, report);
        if (typeof checked === 'string') {
            report(checked);
            return undefined;
        }
        if (checked.type === 'citation-start') {
            const citation = checkCitation(checked.delta?.message?.citations, (index, type) =>
                this.citedLength(index, type),
            );
            if (typeof citation === 'string') {
                report(citation);
                return undefined;
            }
            const cleaned: ChatStreamEvent = { ...checked, delta: { message: { citations: citation } } };
            this.apply(cleaned);
            return cleaned;
        }
        this.apply(checked);
        return checked;
    }

    /** The text a citation points into, in stream block numbers (see validate.ts). */
    private citedLength(index: number | undefined, type: string | undefined): number | undefined {
        if (type === 'PLAN') return this.toolPlan.length;
        if (index !== undefined) return this.blocks[index]?.text.length;
        const kind = type === 'THINKING_CONTENT' ? 'thinking' : 'text';
        return this.blocks.find((block) => block?.type === kind)?.text.length;
    }

    /** Applies an event already checked by `accept`. */
    private apply(event: ChatStreamEvent): void {
        switch (event.type) {
            case 'content-delta': {
                const content = event.delta?.message?.content;
                if (content === undefined) break;
                const piece = content.text ?? content.thinking;
                if (piece === undefined) break;
                const block = this.block(event.index ?? 0, content.text === undefined ? 'thinking' : 'text');
                block.text += piece;
                this.characters += piece.length;
                if (event.logprobs !== undefined) (this.logprobs ??= []).push(event.logprobs);
                break;
            }
            case 'message-start':
                if (event.id !== undefined) this.id = event.id;
                break;
            case 'content-start': {
                const content = event.delta?.message?.content;
                const type = content?.type === 'thinking' ? 'thinking' : 'text';
                const block = this.block(event.index ?? 0, type);
                block.type = type;
                const initial = type === 'thinking' ? content?.thinking : content?.text;
                if (initial) {
                    block.text += initial;
                    this.characters += initial.length;
                }
                break;
            }
            case 'tool-plan-delta':
                this.toolPlan += event.delta?.message?.tool_plan ?? '';
                break;
            case 'tool-call-start': {
                const call = event.delta?.message?.tool_calls;
                const index = event.index ?? this.toolCalls.length;
                this.toolCalls[index] = {
                    id: call?.id,
                    name: call?.function?.name,
                    arguments: call?.function?.arguments ?? '',
                };
                this.lastToolCall = index;
                break;
            }
            case 'tool-call-delta': {
                // Some streams leave out `index` on tool-call events: it is then the last started call.
                const index = event.index ?? this.lastToolCall;
                if (index < 0) break;
                const draft = (this.toolCalls[index] ??= { id: undefined, name: undefined, arguments: '' });
                draft.arguments += event.delta?.message?.tool_calls?.function?.arguments ?? '';
                break;
            }
            case 'citation-start': {
                const citation = event.delta?.message?.citations;
                if (citation !== undefined) this.citations.push(citation);
                break;
            }
            case 'message-end':
                this.ended = true;
                if (event.id !== undefined && this.id === '') this.id = event.id;
                this.finishReason = event.delta?.finish_reason;
                this.usage = event.delta?.usage;
                this.error = event.delta?.error ?? undefined;
                this.errorType = event.delta?.error_type ?? undefined;
                break;
            case 'content-end':
            case 'tool-call-end':
            case 'citation-end':
            case 'debug':
                break;
            default:
                // New event types pass through to the iterator untouched.
                break;
        }
    }

    private block(index: number, type: 'text' | 'thinking'): BlockDraft {
        let block = this.blocks[index];
        if (block === undefined) {
            block = { type, text: '' };
            this.blocks[index] = block;
        }
        return block;
    }

    /** The reply as assembled so far, in the shape `chat()` returns. */
    response(): ChatResponse {
        const message: AssistantMessageResponse = { role: 'assistant' };
        const content: AssistantContent[] = [];
        for (const block of this.blocks) {
            if (block === undefined) continue;
            content.push(
                block.type === 'thinking'
                    ? { type: 'thinking', thinking: block.text }
                    : { type: 'text', text: block.text },
            );
        }
        if (content.length > 0) message.content = content;
        if (this.toolPlan !== '') message.tool_plan = this.toolPlan;
        const toolCalls: ToolCall[] = [];
        for (const draft of this.toolCalls) {
            if (draft === undefined) continue;
            const call: ToolCall = { type: 'function', function: { arguments: draft.arguments } };
            if (draft.id !== undefined) call.id = draft.id;
            if (draft.name !== undefined) call.function = { name: draft.name, arguments: draft.arguments };
            toolCalls.push(call);
        }
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        if (this.citations.length > 0) message.citations = this.citations.slice();
        const response: ChatResponse = {
            id: this.id,
            finish_reason: this.finishReason ?? 'COMPLETE',
            message,
        };
        if (this.usage !== undefined) response.usage = this.usage;
        if (this.logprobs !== undefined) response.logprobs = this.logprobs.slice();
        return response;
    }
}
