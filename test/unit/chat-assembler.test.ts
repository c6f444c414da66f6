import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplyAssembler } from '../../src/chat/assembler';
import type { ReplyChange } from '../../src/chat/assembler';
import type { Reply } from '../../src/chat/model';
import type { ChatResponse, ChatStreamEvent, Citation } from '../../src/cohere/types';

const CITATION: Citation = {
    start: 6,
    end: 11,
    text: 'world',
    content_index: 1,
    type: 'TEXT_CONTENT',
    sources: [{ type: 'document', id: 'doc:0', document: { id: 'doc:0', title: 'Earth' } }],
};

/** A reasoning reply as a stream: thinking in block 0, text in block 1, a citation at the end. */
const EVENTS: ChatStreamEvent[] = [
    { type: 'message-start', id: 'gen-1', delta: { message: { role: 'assistant' } } },
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'thinking', thinking: '' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'Let me ' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'think.' } } } },
    { type: 'content-end', index: 0 },
    { type: 'content-start', index: 1, delta: { message: { content: { type: 'text', text: '' } } } },
    { type: 'content-delta', index: 1, delta: { message: { content: { text: 'Hello ' } } } },
    { type: 'content-delta', index: 1, delta: { message: { content: { text: 'world' } } } },
    { type: 'content-end', index: 1 },
    { type: 'citation-start', index: 0, delta: { message: { citations: CITATION } } },
    { type: 'citation-end', index: 0 },
    { type: 'message-end', delta: { finish_reason: 'COMPLETE' } },
];

const RESPONSE: ChatResponse = {
    id: 'gen-1',
    finish_reason: 'COMPLETE',
    message: {
        role: 'assistant',
        content: [
            { type: 'thinking', thinking: 'Let me think.' },
            { type: 'text', text: 'Hello world' },
        ],
        citations: [CITATION],
    },
};

function emptyReply(): Reply {
    return { content: [], citations: [] };
}

void describe('ReplyAssembler', () => {
    void test('builds the reply from stream events and reports each piece as it is added', () => {
        const reply = emptyReply();
        const changes: ReplyChange[] = [];
        const assembler = new ReplyAssembler(reply, false);
        for (const event of EVENTS) assembler.apply(event, (change) => changes.push(change));
        assert.deepEqual(reply, {
            id: 'gen-1',
            content: [
                { type: 'thinking', thinking: 'Let me think.' },
                { type: 'text', text: 'Hello world' },
            ],
            citations: [CITATION],
        });
        assert.deepEqual(changes, [
            { kind: 'delta', index: 0, blockKind: 'thinking', text: 'Let me ' },
            { kind: 'delta', index: 0, blockKind: 'thinking', text: 'think.' },
            { kind: 'delta', index: 1, blockKind: 'text', text: 'Hello ' },
            { kind: 'delta', index: 1, blockKind: 'text', text: 'world' },
            { kind: 'citation', citation: CITATION },
        ]);
    });

    void test('builds the same reply from a complete response as from its stream', () => {
        const streamed = emptyReply();
        const streamAssembler = new ReplyAssembler(streamed, false);
        for (const event of EVENTS) streamAssembler.apply(event, () => undefined);
        const whole = emptyReply();
        new ReplyAssembler(whole, false).applyResponse(RESPONSE);
        assert.deepEqual(whole, streamed);
    });

    void test('appends a continuation to the last text block and shifts its citations', () => {
        const reply: Reply = {
            id: 'first',
            content: [{ type: 'text', text: 'Part one. ' }],
            citations: [{ start: 0, end: 4, text: 'Part', content_index: 0 }],
        };
        const changes: ReplyChange[] = [];
        const assembler = new ReplyAssembler(reply, true);
        const continuation: ChatStreamEvent[] = [
            { type: 'message-start', id: 'second' },
            { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
            { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Part two.' } } } },
            {
                type: 'citation-start',
                index: 0,
                delta: { message: { citations: { start: 5, end: 8, text: 'two', content_index: 0 } } },
            },
        ];
        for (const event of continuation) assembler.apply(event, (change) => changes.push(change));
        assert.deepEqual(reply.content, [{ type: 'text', text: 'Part one. Part two.' }]);
        assert.equal(reply.id, 'first', 'the reply keeps its first generation id');
        const shifted = reply.citations[1];
        assert.deepEqual(shifted, { start: 15, end: 18, text: 'two', content_index: 0 });
        assert.equal(reply.content[0]?.type === 'text' && reply.content[0].text.slice(15, 18), 'two');
        assert.deepEqual(changes[0], { kind: 'delta', index: 0, blockKind: 'text', text: 'Part two.' });
    });

    void test('puts the thinking of a continuation in a new block and its text after the old text', () => {
        const reply: Reply = { content: [{ type: 'text', text: 'Cut here' }], citations: [] };
        const assembler = new ReplyAssembler(reply, true);
        assembler.applyResponse({
            id: 'x',
            finish_reason: 'COMPLETE',
            message: {
                role: 'assistant',
                content: [
                    { type: 'thinking', thinking: 'Where was I?' },
                    { type: 'text', text: ' and on.' },
                ],
            },
        });
        assert.deepEqual(reply.content, [
            { type: 'text', text: 'Cut here and on.' },
            { type: 'thinking', thinking: 'Where was I?' },
        ]);
    });

    void test('a citation without a content index goes to the block of its type, not to the thinking', () => {
        const { content_index: _dropped, ...textCitation } = CITATION;
        const thinkingCitation: Citation = { start: 0, end: 3, text: 'Let', type: 'THINKING_CONTENT' };
        const streamed = emptyReply();
        const assembler = new ReplyAssembler(streamed, false);
        const events = EVENTS.map((event) =>
            event.type === 'citation-start'
                ? { ...event, delta: { message: { citations: textCitation } } }
                : event,
        );
        events.splice(-1, 0, {
            type: 'citation-start',
            index: 1,
            delta: { message: { citations: thinkingCitation } },
        });
        for (const event of events) assembler.apply(event, () => undefined);
        assert.deepEqual(
            streamed.citations.map((citation) => citation.content_index),
            [1, 0],
        );
        const complete = emptyReply();
        new ReplyAssembler(complete, false).applyResponse({
            ...RESPONSE,
            message: { ...RESPONSE.message, citations: [textCitation, thinkingCitation] },
        });
        assert.deepEqual(complete.citations, streamed.citations);
    });

    void test('accepts deltas that arrive without a content-start', () => {
        const reply = emptyReply();
        const assembler = new ReplyAssembler(reply, false);
        assembler.apply(
            { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hi' } } } },
            () => undefined,
        );
        assert.deepEqual(reply.content, [{ type: 'text', text: 'Hi' }]);
    });

    void test('assembles a tool plan and tool calls from fragments', () => {
        const reply = emptyReply();
        const assembler = new ReplyAssembler(reply, false);
        const events: ChatStreamEvent[] = [
            { type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will ' } } },
            { type: 'tool-plan-delta', delta: { message: { tool_plan: 'search.' } } },
            {
                type: 'tool-call-start',
                index: 0,
                delta: {
                    message: {
                        tool_calls: {
                            id: 'search_1',
                            type: 'function',
                            function: { name: 'search', arguments: '' },
                        },
                    },
                },
            },
            {
                type: 'tool-call-delta',
                index: 0,
                delta: { message: { tool_calls: { function: { arguments: '{"q":' } } } },
            },
            {
                type: 'tool-call-delta',
                index: 0,
                delta: { message: { tool_calls: { function: { arguments: '"x"}' } } } },
            },
        ];
        for (const event of events) assembler.apply(event, () => undefined);
        assert.equal(reply.toolPlan, 'I will search.');
        assert.deepEqual(reply.toolCalls, [
            { id: 'search_1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
        ]);
    });
});
