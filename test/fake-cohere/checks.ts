// Checks shared by the fake server's tests: the ordering rules of a V2 stream (API doc 4.1, 4.4)
// and the reply a stream adds up to.
import assert from 'node:assert/strict';
import type { ChatRequest, ChatStreamEvent, Citation, ToolCall } from '../../src/cohere/types';
import type { Exchange } from './wire';
import { parseFrames } from './wire';

/** A chat body for `command-a-03-2025` with one user message. */
export function chatBody(
    text: string,
    extra: Partial<ChatRequest> & { stream?: boolean } = {},
): Record<string, unknown> {
    return { model: 'command-a-03-2025', messages: [{ role: 'user', content: text }], ...extra };
}

/** The events of a complete SSE answer; checks the framing, `event:` = `type`, and the final [DONE]. */
export function eventsOf(answer: Exchange, options: { done?: boolean } = {}): ChatStreamEvent[] {
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.headers['content-type'] ?? '', /^text\/event-stream/);
    const frames = parseFrames(answer.text);
    if (options.done ?? true) {
        assert.deepEqual(frames.at(-1), { event: undefined, data: '[DONE]' });
        frames.pop();
    }
    return frames.map((frame) => {
        const event = JSON.parse(frame.data) as ChatStreamEvent;
        assert.equal(frame.event, event.type, 'the event: line names the JSON type');
        assert.equal(frame.data, JSON.stringify(event), 'data is compact JSON on one line');
        return event;
    });
}

/** What a stream adds up to. */
export interface Assembled {
    id: string | undefined;
    blocks: { type: string; text: string }[];
    citations: Citation[];
    toolPlan: string;
    toolCalls: ToolCall[];
    finishReason: string | undefined;
    error: string | undefined;
}

/**
 * Asserts the ordering rules: message-start first and message-end last; content-start(i),
 * content-delta(i)…, content-end(i) with nothing else of block i outside; citations numbered
 * 0, 1, … each start followed by its end; tool calls started, filled and ended in order.
 * Returns the assembled reply.
 */
export function assembleChecked(
    events: readonly ChatStreamEvent[],
    options: { interrupted?: boolean } = {},
): Assembled {
    assert.ok(events.length >= 2, 'a stream has at least message-start and message-end');
    assert.equal(events[0]?.type, 'message-start');
    assert.equal(events.at(-1)?.type, 'message-end');
    const result: Assembled = {
        id: undefined,
        blocks: [],
        citations: [],
        toolPlan: '',
        toolCalls: [],
        finishReason: undefined,
        error: undefined,
    };
    let openBlock: number | undefined;
    let openCall: number | undefined;
    let openCitation: number | undefined;
    events.forEach((event, position) => {
        if (position > 0) assert.notEqual(event.type, 'message-start', 'only one message-start');
        if (position < events.length - 1) assert.notEqual(event.type, 'message-end', 'message-end is last');
        if (openCitation !== undefined)
            assert.equal(event.type, 'citation-end', 'citation-start is followed by its end');
        switch (event.type) {
            case 'message-start':
                result.id = event.id;
                break;
            case 'content-start': {
                assert.equal(openBlock, undefined, 'the previous block ended before a new one starts');
                assert.equal(event.index, result.blocks.length, 'blocks are numbered in order');
                const content = event.delta?.message?.content;
                const type = content?.type ?? '';
                assert.equal(
                    type === 'text' ? content?.text : content?.thinking,
                    '',
                    `${type} block starts empty`,
                );
                result.blocks.push({ type, text: '' });
                openBlock = event.index;
                break;
            }
            case 'content-delta': {
                assert.equal(event.index, openBlock, 'a delta belongs to the open block');
                const block = result.blocks[event.index ?? -1]!;
                const content = event.delta?.message?.content ?? {};
                const piece = block.type === 'text' ? content.text : content.thinking;
                assert.equal(typeof piece, 'string', `a ${block.type} delta carries ${block.type}`);
                block.text += piece;
                break;
            }
            case 'content-end':
                assert.equal(event.index, openBlock, 'content-end closes the open block');
                openBlock = undefined;
                break;
            case 'citation-start':
                assert.equal(event.index, result.citations.length, 'citations are numbered 0, 1, …');
                assert.ok(
                    event.delta?.message?.citations !== undefined,
                    'citation-start carries one citation',
                );
                result.citations.push(event.delta.message.citations);
                openCitation = event.index;
                break;
            case 'citation-end':
                assert.equal(event.index, openCitation, 'citation-end closes the citation just started');
                openCitation = undefined;
                break;
            case 'tool-plan-delta':
                assert.equal(result.toolCalls.length, 0, 'the plan comes before the tool calls');
                result.toolPlan += event.delta?.message?.tool_plan ?? '';
                break;
            case 'tool-call-start': {
                assert.equal(openCall, undefined);
                assert.equal(event.index, result.toolCalls.length, 'tool calls are numbered in order');
                const call = event.delta?.message?.tool_calls;
                assert.equal(call?.function?.arguments, '', 'a tool call starts with empty arguments');
                result.toolCalls.push({ ...call, function: { ...call?.function } });
                openCall = event.index;
                break;
            }
            case 'tool-call-delta': {
                assert.equal(event.index, openCall, 'a tool-call delta belongs to the open call');
                const fn = result.toolCalls[event.index ?? -1]!.function!;
                fn.arguments =
                    (fn.arguments ?? '') + (event.delta?.message?.tool_calls?.function?.arguments ?? '');
                break;
            }
            case 'tool-call-end':
                assert.equal(event.index, openCall, 'tool-call-end closes the open call');
                openCall = undefined;
                break;
            case 'message-end':
                result.finishReason = event.delta?.finish_reason;
                result.error = event.delta?.error;
                break;
            case 'debug':
                break;
        }
    });
    if (!(options.interrupted ?? false)) assert.equal(openBlock, undefined, 'every block ended');
    assert.equal(openCall, undefined, 'every tool call ended');
    return result;
}

/** The events of one type, in order. */
export function ofType<T extends ChatStreamEvent['type']>(
    events: readonly ChatStreamEvent[],
    type: T,
): Extract<ChatStreamEvent, { type: T }>[] {
    return events.filter((event): event is Extract<ChatStreamEvent, { type: T }> => event.type === type);
}
