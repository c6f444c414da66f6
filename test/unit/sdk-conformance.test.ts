// The official `cohere-ai` SDK (CohereClientV2) as a real client of the fake Cohere server: for every
// normal scenario, `chat` and `chatStream` must parse the reply fully. The SDK camelCases fields.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { CohereClientV2 } from 'cohere-ai';
import type { Cohere } from 'cohere-ai';
import { chatBody, eventsOf } from '../fake-cohere/checks';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { exchange } from '../fake-cohere/wire';

let fake: FakeCohere;
let sdk: CohereClientV2;
before(async () => {
    fake = await startFakeCohere({ apiKey: 'sdk-key' });
    sdk = new CohereClientV2({ token: 'sdk-key', environment: fake.url });
});
after(() => fake.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MODEL = 'command-a-03-2025';

const DOCUMENTS: Cohere.V2ChatRequestDocumentsItem[] = [
    {
        id: 'penguins',
        data: { title: 'Emperor penguins', snippet: 'Emperor penguins are the tallest penguins.' },
    },
    'Little penguins are the smallest species.',
];

const TOOLS: Cohere.ToolV2[] = [
    {
        type: 'function',
        function: {
            name: 'get_weather',
            description: 'Weather in a city',
            parameters: {
                type: 'object',
                properties: { location: { type: 'string' } },
                required: ['location'],
            },
        },
    },
    {
        type: 'function',
        function: {
            name: 'get_time',
            parameters: { type: 'object', properties: { zone: { type: 'string' } } },
        },
    },
];

interface ScenarioCase {
    name: string;
    request: Omit<Cohere.V2ChatRequest, 'model' | 'messages'>;
    finishReason: string;
    blocks: string[];
    citations: boolean;
    toolCalls: boolean;
}

const SCENARIOS: ScenarioCase[] = [
    {
        name: 'text',
        request: {},
        finishReason: 'COMPLETE',
        blocks: ['text'],
        citations: false,
        toolCalls: false,
    },
    {
        name: 'reasoning',
        request: {},
        finishReason: 'COMPLETE',
        blocks: ['thinking', 'text'],
        citations: false,
        toolCalls: false,
    },
    {
        name: 'rag',
        request: { documents: DOCUMENTS },
        finishReason: 'COMPLETE',
        blocks: ['text'],
        citations: true,
        toolCalls: false,
    },
    {
        name: 'rag-inline',
        request: { documents: DOCUMENTS, citationOptions: { mode: 'FAST' } },
        finishReason: 'COMPLETE',
        blocks: ['text'],
        citations: true,
        toolCalls: false,
    },
    {
        name: 'tools',
        request: { tools: TOOLS },
        finishReason: 'TOOL_CALL',
        blocks: [],
        citations: false,
        toolCalls: true,
    },
    {
        name: 'max-tokens',
        request: {},
        finishReason: 'MAX_TOKENS',
        blocks: ['text'],
        citations: false,
        toolCalls: false,
    },
    {
        name: 'markdown',
        request: {},
        finishReason: 'COMPLETE',
        blocks: ['text'],
        citations: false,
        toolCalls: false,
    },
];

function messagesFor(name: string): Cohere.ChatMessageV2[] {
    return [{ role: 'user', content: `Tell me about penguins 🐧 [[fake:${name}]]` }];
}

function assertUsage(usage: Cohere.Usage | undefined): void {
    for (const value of [
        usage?.billedUnits?.inputTokens,
        usage?.billedUnits?.outputTokens,
        usage?.tokens?.inputTokens,
        usage?.tokens?.outputTokens,
        usage?.cachedTokens,
    ]) {
        assert.equal(typeof value, 'number', JSON.stringify(usage));
    }
}

function assertCitation(citation: Cohere.Citation, texts: string[]): void {
    assert.equal(typeof citation.start, 'number');
    assert.equal(typeof citation.end, 'number');
    // Like the live API the fake leaves content_index out where it is implied (the first text block).
    assert.ok(
        citation.contentIndex === undefined || citation.contentIndex === 0,
        'content_index arrives as contentIndex',
    );
    assert.equal(citation.type, 'TEXT_CONTENT');
    assert.equal(texts[citation.contentIndex ?? 0]?.slice(citation.start, citation.end), citation.text);
    assert.ok((citation.sources ?? []).length > 0);
    for (const source of citation.sources ?? []) {
        assert.equal(source.type, 'document');
        if (source.type === 'document') {
            assert.equal(typeof source.id, 'string');
            assert.equal(source.document?.['id'], source.id);
        }
    }
}

function blockText(block: Cohere.AssistantMessageResponseContentItem): string {
    return block.type === 'text' ? block.text : block.type === 'thinking' ? block.thinking : '';
}

/** What the SDK's stream adds up to. */
interface StreamResult {
    types: Set<string>;
    id: string | undefined;
    blocks: { type: string; text: string }[];
    citations: Cohere.Citation[];
    toolPlan: string;
    toolCalls: { id?: string; type?: string; name?: string; arguments: string }[];
    finishReason: string | undefined;
    usage: Cohere.Usage | undefined;
}

async function readStream(name: string, request: ScenarioCase['request']): Promise<StreamResult> {
    const stream = await sdk.chatStream({ model: MODEL, messages: messagesFor(name), ...request });
    const result: StreamResult = {
        types: new Set(),
        id: undefined,
        blocks: [],
        citations: [],
        toolPlan: '',
        toolCalls: [],
        finishReason: undefined,
        usage: undefined,
    };
    for await (const event of stream) {
        result.types.add(event.type);
        switch (event.type) {
            case 'message-start':
                result.id = event.id;
                assert.equal(event.delta?.message?.role, 'assistant');
                break;
            case 'content-start': {
                const type = event.delta?.message?.content?.type ?? '';
                assert.equal(event.index, result.blocks.length);
                result.blocks.push({ type, text: '' });
                break;
            }
            case 'content-delta': {
                const block = result.blocks[event.index ?? -1];
                assert.ok(block !== undefined, 'a delta names its block');
                const content = event.delta?.message?.content;
                const piece = block.type === 'thinking' ? content?.thinking : content?.text;
                assert.equal(typeof piece, 'string', `a ${block.type} delta carries its ${block.type}`);
                block.text += piece;
                break;
            }
            case 'content-end':
                assert.equal(typeof event.index, 'number');
                break;
            case 'tool-plan-delta':
                assert.equal(typeof event.delta?.message?.toolPlan, 'string');
                result.toolPlan += event.delta?.message?.toolPlan;
                break;
            case 'tool-call-start': {
                const call = event.delta?.message?.toolCalls;
                assert.equal(event.index, result.toolCalls.length);
                assert.equal(call?.function?.arguments, '');
                const started: StreamResult['toolCalls'][number] = { arguments: '' };
                if (call?.id !== undefined) started.id = call.id;
                if (call?.type !== undefined) started.type = call.type;
                if (call?.function?.name !== undefined) started.name = call.function.name;
                result.toolCalls.push(started);
                break;
            }
            case 'tool-call-delta': {
                const call = result.toolCalls[event.index ?? -1];
                assert.ok(call !== undefined, 'a tool-call delta names its call');
                call.arguments += event.delta?.message?.toolCalls?.function?.arguments ?? '';
                break;
            }
            case 'tool-call-end':
                assert.equal(typeof event.index, 'number');
                break;
            case 'citation-start': {
                const citation = event.delta?.message?.citations;
                assert.ok(citation !== undefined, 'citation-start carries its citation');
                assert.equal(event.index, result.citations.length);
                result.citations.push(citation);
                break;
            }
            case 'citation-end':
                assert.equal(event.index, result.citations.length - 1);
                break;
            case 'message-end':
                result.finishReason = event.delta?.finishReason;
                result.usage = event.delta?.usage;
                break;
            case 'debug':
                break;
        }
    }
    return result;
}

void describe('cohere-ai CohereClientV2 against the fake server', () => {
    for (const scenario of SCENARIOS) {
        void test(`chat parses the ${scenario.name} reply fully`, async () => {
            const response = await sdk.chat({
                model: MODEL,
                messages: messagesFor(scenario.name),
                ...scenario.request,
            });
            assert.match(response.id, UUID);
            assert.equal(response.finishReason, scenario.finishReason);
            assert.equal(response.message.role, 'assistant');
            assert.deepEqual(
                (response.message.content ?? []).map((block) => block.type),
                scenario.blocks,
            );
            for (const block of response.message.content ?? []) assert.ok(blockText(block).length > 0);
            const texts = (response.message.content ?? []).map(blockText);
            assert.equal((response.message.citations ?? []).length > 0, scenario.citations);
            for (const citation of response.message.citations ?? []) assertCitation(citation, texts);
            assert.equal((response.message.toolCalls ?? []).length > 0, scenario.toolCalls);
            if (scenario.toolCalls) {
                assert.ok((response.message.toolPlan ?? '').length > 0, 'tool_plan arrives as toolPlan');
                assert.deepEqual(
                    response.message.toolCalls?.map((call) => call.function?.name),
                    ['get_weather', 'get_time'],
                );
                for (const call of response.message.toolCalls ?? []) {
                    assert.equal(call.type, 'function');
                    assert.match(call.id, /^[a-z_]+_[a-z0-9]{12}$/);
                    assert.equal(typeof JSON.parse(call.function?.arguments ?? ''), 'object');
                }
            }
            assertUsage(response.usage);
        });

        void test(`chatStream parses the ${scenario.name} stream fully and it adds up to the chat reply`, async () => {
            const streamed = await readStream(scenario.name, scenario.request);
            const response = await sdk.chat({
                model: MODEL,
                messages: messagesFor(scenario.name),
                ...scenario.request,
            });
            const expected = new Set(['message-start', 'message-end']);
            if (scenario.blocks.length > 0)
                ['content-start', 'content-delta', 'content-end'].forEach((t) => expected.add(t));
            if (scenario.citations) ['citation-start', 'citation-end'].forEach((t) => expected.add(t));
            if (scenario.toolCalls) {
                ['tool-plan-delta', 'tool-call-start', 'tool-call-delta', 'tool-call-end'].forEach((t) =>
                    expected.add(t),
                );
            }
            assert.deepEqual([...streamed.types].sort(), [...expected].sort());
            assert.match(streamed.id ?? '', UUID);
            assert.equal(streamed.finishReason, scenario.finishReason);
            assertUsage(streamed.usage);
            assert.deepEqual(
                streamed.blocks,
                (response.message.content ?? []).map((block) => ({
                    type: block.type,
                    text: blockText(block),
                })),
                'the concatenated deltas equal the non-streamed content',
            );
            const texts = streamed.blocks.map((block) => block.text);
            for (const citation of streamed.citations) assertCitation(citation, texts);
            assert.deepEqual(streamed.citations, response.message.citations ?? []);
            assert.equal(streamed.toolPlan, response.message.toolPlan ?? '');
            assert.deepEqual(
                streamed.toolCalls.map((call) => ({
                    name: call.name,
                    arguments: JSON.parse(call.arguments) as unknown,
                })),
                (response.message.toolCalls ?? []).map((call) => ({
                    name: call.function?.name,
                    arguments: JSON.parse(call.function?.arguments ?? '') as unknown,
                })),
                'tool-call arguments are complete JSON',
            );
            for (const call of streamed.toolCalls) {
                assert.equal(call.type, 'function');
                assert.match(call.id ?? '', /^[a-z_]+_[a-z0-9]{12}$/);
            }
        });
    }

    void test('the scenario header reaches the fake through the SDK request options', async () => {
        const response = await sdk.chat(
            { model: MODEL, messages: [{ role: 'user', content: 'plain words' }] },
            { headers: { 'x-fake-scenario': 'reasoning' } },
        );
        assert.deepEqual(
            response.message.content?.map((block) => block.type),
            ['thinking', 'text'],
        );
    });

    void test('the SDK surfaces the fake server errors with their status codes', async () => {
        await assert.rejects(
            sdk.chat({ model: 'command-nope', messages: [{ role: 'user', content: 'hi' }] }),
            (error: unknown) => (error as { statusCode?: number }).statusCode === 404,
        );
        const wrongKey = new CohereClientV2({ token: 'wrong', environment: fake.url });
        await assert.rejects(
            wrongKey.chat({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
            (error: unknown) => (error as { statusCode?: number }).statusCode === 401,
        );
    });
});

// The SDK parses responses with validation switched off, so a lenient parse proves little. Its own
// generated schemas (not exported, so reached by file path) check every field's name and type.
const sdkRequire = createRequire(__filename);
interface Schema {
    parse(raw: unknown, options: Record<string, unknown>): { ok: boolean; errors?: unknown[] };
}
const serializers = sdkRequire(
    sdkRequire.resolve('cohere-ai').replace(/index\.js$/, 'serialization/index.js'),
) as {
    V2ChatResponse: Schema;
    V2ChatStreamResponse: Schema;
};

/** message-start carries these keys beyond the schema, as the real API does (API doc 4.1). */
const MESSAGE_START_EXTRAS = ['citations', 'content', 'tool_calls', 'tool_plan'];

void describe("the wire format against the SDK's strict schemas", () => {
    for (const scenario of SCENARIOS) {
        void test(`every field of the ${scenario.name} reply and stream is known to the schema and well typed`, async () => {
            const body = {
                ...chatBody(`Tell me about penguins [[fake:${scenario.name}]]`),
                ...(scenario.request.documents === undefined
                    ? {}
                    : { documents: scenario.request.documents }),
                ...(scenario.request.tools === undefined ? {} : { tools: scenario.request.tools }),
                logprobs: true,
            };
            const json = await exchange(fake.url, { path: '/v2/chat', body, apiKey: 'sdk-key' });
            const parsed = serializers.V2ChatResponse.parse(JSON.parse(json.text), {
                unrecognizedObjectKeys: 'fail',
                skipValidation: false,
            });
            assert.ok(parsed.ok, JSON.stringify(parsed.errors));
            const answer = await exchange(fake.url, {
                path: '/v2/chat',
                body: { ...body, stream: true },
                apiKey: 'sdk-key',
            });
            for (const event of eventsOf(answer)) {
                const strict = event.type !== 'message-start';
                const result = serializers.V2ChatStreamResponse.parse(event, {
                    unrecognizedObjectKeys: strict ? 'fail' : 'passthrough',
                    skipValidation: false,
                });
                assert.ok(result.ok, `${event.type}: ${JSON.stringify(result.errors)}`);
                if (event.type === 'message-start') {
                    const keys = Object.keys(event.delta?.message ?? {}).filter((key) => key !== 'role');
                    assert.deepEqual(keys.sort(), MESSAGE_START_EXTRAS);
                }
            }
        });
    }
});
