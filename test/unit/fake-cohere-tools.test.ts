// The fake server checks tool messages as the API does, and its scripted tool scenarios are shaped as
// the real API shapes them (streamed: plan deltas, call start / argument deltas / end, TOOL_CALL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatMessage, ChatResponse } from '../../src/cohere/types';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { completeFrames, exchange } from '../fake-cohere/wire';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

const CALL = {
    id: 'read_file_abcdefabcdef',
    type: 'function',
    function: { name: 'read_file', arguments: '{"path":"a"}' },
};
const TOOLS = [
    { type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: {} } } },
];

async function send(messages: unknown[], stream = false): Promise<{ status: number; text: string }> {
    const answer = await exchange(fake.url, {
        path: '/v2/chat',
        body: { model: 'command-a-03-2025', messages, tools: TOOLS, stream },
    });
    return { status: answer.status, text: answer.text };
}

const user = { role: 'user', content: 'Read a [[fake:tools-read]]' };
const result = (id: string): unknown => ({
    role: 'tool',
    tool_call_id: id,
    content: [{ type: 'document', document: { data: { text: 'x' } } }],
});

void describe('tool messages, as the API checks them', () => {
    void test('a result for the calls of the assistant message before it is accepted', async () => {
        const answer = await send([
            user,
            { role: 'assistant', tool_plan: 'p', tool_calls: [CALL] },
            result(CALL.id),
        ]);
        assert.equal(answer.status, 200, answer.text);
    });

    void test('an id that no preceding call has is a 400', async () => {
        const answer = await send([
            user,
            { role: 'assistant', tool_plan: 'p', tool_calls: [CALL] },
            result('nope_1'),
        ]);
        assert.equal(answer.status, 400);
        assert.match(answer.text, /tool call id not found in previous tool calls/);
    });

    void test('a result with no assistant call before it is a 400', async () => {
        const answer = await send([user, result(CALL.id)]);
        assert.equal(answer.status, 400);
    });

    void test('the same id answered twice is a 400', async () => {
        const assistant = { role: 'assistant', tool_plan: 'p', tool_calls: [CALL] };
        const answer = await send([user, assistant, result(CALL.id), result(CALL.id)]);
        assert.match(answer.text, /cannot have duplicate tool ids/);
    });

    void test('text content beside tool_calls is a 400 with the API words', async () => {
        const answer = await send([
            user,
            { role: 'assistant', content: 'I will read it', tool_calls: [CALL] },
            result(CALL.id),
        ]);
        assert.equal(answer.status, 400);
        assert.match(answer.text, /text content is not allowed when tool_calls are provided/);
    });

    void test('thinking content beside tool_calls is accepted', async () => {
        const answer = await send([
            user,
            { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm' }], tool_calls: [CALL] },
            result(CALL.id),
        ]);
        assert.equal(answer.status, 200, answer.text);
    });
});

void describe('scripted tool scenarios', () => {
    void test('tools-read streams a plan, one call in argument fragments, then TOOL_CALL', async () => {
        const answer = await send([user], true);
        const frames = completeFrames(answer.text).map((frame) => frame.event);
        assert.ok(frames.includes('tool-plan-delta'));
        const start = frames.indexOf('tool-call-start');
        assert.ok(start > frames.lastIndexOf('tool-plan-delta'));
        assert.ok(frames.indexOf('tool-call-delta') > start);
        assert.match(answer.text, /"finish_reason":"TOOL_CALL"/);
    });

    void test('tools-reasoning calls with thinking and no tool_plan', async () => {
        const answer = await send([{ role: 'user', content: 'Read [[fake:tools-reasoning]]' }]);
        const response = JSON.parse(answer.text) as ChatResponse;
        assert.equal(response.finish_reason, 'TOOL_CALL');
        assert.equal(response.message.tool_plan, undefined);
        assert.equal(response.message.content?.[0]?.type, 'thinking');
        assert.equal(response.message.tool_calls?.[0]?.function?.name, 'read_file');
    });

    void test('tools-bad-args sends arguments that do not match the schema', async () => {
        const answer = await send([{ role: 'user', content: 'Read [[fake:tools-bad-args]]' }]);
        const response = JSON.parse(answer.text) as ChatResponse;
        assert.equal(response.message.tool_calls?.[0]?.function?.arguments, '{"path": 42}');
    });

    void test('after the results, the answer cites them by <call id>:0', async () => {
        const first = JSON.parse(
            (await send([{ role: 'user', content: 'Read [[fake:tools-reasoning]]' }])).text,
        ) as ChatResponse;
        const call = first.message.tool_calls![0]!;
        const messages: ChatMessage[] = [
            { role: 'user', content: 'Read [[fake:tools-reasoning]]' },
            { role: 'assistant', content: first.message.content as never, tool_calls: [call] },
            {
                role: 'tool',
                tool_call_id: call.id!,
                content: [{ type: 'document', document: { data: { text: 'Hello there' } } }],
            },
        ];
        const second = JSON.parse((await send(messages)).text) as ChatResponse;
        assert.equal(second.finish_reason, 'COMPLETE');
        assert.equal(second.message.citations?.[0]?.sources?.[0]?.id, `${call.id}:0`);
    });

    void test('tools-search calls search_workspace with the query', async () => {
        const answer = await send([
            { role: 'user', content: 'Find [[fake:tools-search?query=retry%20policy]]' },
        ]);
        const response = JSON.parse(answer.text) as ChatResponse;
        assert.equal(response.finish_reason, 'TOOL_CALL');
        const call = response.message.tool_calls?.[0]?.function;
        assert.equal(call?.name, 'search_workspace');
        assert.deepEqual(JSON.parse(call?.arguments ?? ''), { query: 'retry policy' });
    });

    void test('tools-code-block answers with one fenced block naming the file, the code as given', async () => {
        const code = encodeURIComponent('export const a = [1, 2];\nexport const b = 3;');
        const answer = await send([
            {
                role: 'user',
                content: `Change it [[fake:tools-code-block?file=src/a.ts&lang=ts&code=${code}]]`,
            },
        ]);
        const response = JSON.parse(answer.text) as ChatResponse;
        assert.equal(response.finish_reason, 'COMPLETE');
        const text = response.message.content?.[0]?.type === 'text' ? response.message.content[0].text : '';
        assert.equal(
            text,
            'Here is the change:\n\n```ts src/a.ts\nexport const a = [1, 2];\nexport const b = 3;\n```\n',
        );
    });
});
