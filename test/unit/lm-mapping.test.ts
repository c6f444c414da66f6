// The language-model provider's mapping, in plain Node against the fake Cohere server over loopback HTTP:
// VS Code's messages, tools, tool calls and tool results become a request the server accepts, its stream
// becomes text and complete tool calls, a tool round trip ends in an answer, and failures keep the server's
// words with the right LanguageModelError kind.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CohereClient } from '../../src/cohere/index';
import type { ChatRequest, ChatStreamEvent } from '../../src/cohere/index';
import { mapLanguageModelError } from '../../src/lm/errors';
import {
    maxTokensFrom,
    ROLE_ASSISTANT,
    ROLE_SYSTEM,
    ROLE_USER,
    toChatRequest,
    TOOL_MODE_REQUIRED,
} from '../../src/lm/messages';
import type { PlainMessage, PlainTool } from '../../src/lm/messages';
import { ReplyPartMapper } from '../../src/lm/replyParts';
import type { ReplyPart } from '../../src/lm/replyParts';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';

let fake: FakeCohere;
let client: CohereClient;
before(async () => {
    fake = await startFakeCohere({ apiKey: 'lm-key' });
    client = new CohereClient({ baseUrl: fake.url, apiKey: 'lm-key', maxRetries: 0 });
});
after(async () => {
    await client.close();
    await fake.close();
});
beforeEach(() => fake.reset());

const TOOLS: PlainTool[] = [
    {
        name: 'read_file',
        description: 'Read a file of the workspace',
        inputSchema: { type: 'object', properties: { filePath: { type: 'string' } }, required: ['filePath'] },
    },
    { name: 'get_errors', description: 'The problems of the workspace' },
];

function user(text: string): PlainMessage {
    return { role: ROLE_USER, content: [{ kind: 'text', value: text }] };
}

/** Streams `body` and maps every event as the provider does. */
async function streamParts(body: ChatRequest): Promise<{ parts: ReplyPart[]; mapper: ReplyPartMapper }> {
    const mapper = new ReplyPartMapper();
    const parts: ReplyPart[] = [];
    const events: ChatStreamEvent[] = [];
    for await (const event of client.chatStream(body)) {
        events.push(event);
        parts.push(...mapper.map(event));
    }
    return { parts, mapper };
}

/** The body the fake server received last. */
function lastBody(): ChatRequest {
    const request = fake.requests.filter((r) => r.path.endsWith('/v2/chat')).at(-1);
    assert.ok(request, 'the fake server received a chat request');
    return request.body as ChatRequest;
}

void describe('VS Code language-model requests as Cohere requests', () => {
    void test('role 3 becomes the system message, unknown roles and unknown parts do no harm', async () => {
        const body = toChatRequest({
            model: 'command-a-03-2025',
            messages: [
                { role: ROLE_SYSTEM, content: [{ kind: 'text', value: 'You are the agent.' }] },
                { role: ROLE_USER, content: [{ kind: 'text', value: 'Hello' }, { kind: 'unknown' }] },
                { role: 7, content: [{ kind: 'text', value: 'from an unknown role' }] },
            ],
            imageInput: false,
        });
        const { parts } = await streamParts(body);
        assert.deepEqual(lastBody().messages, [
            { role: 'system', content: 'You are the agent.' },
            { role: 'user', content: 'Hello' },
            { role: 'user', content: 'from an unknown role' },
        ]);
        const text = parts.map((part) => (part.kind === 'text' ? part.value : '')).join('');
        assert.match(text, /from an unknown role/, 'the reply streams as text parts');
    });

    void test('tools go as Cohere function tools, Required mode as tool_choice REQUIRED', async () => {
        const body = toChatRequest({
            model: 'command-a-03-2025',
            messages: [user('What is in README.md?')],
            tools: TOOLS,
            toolMode: TOOL_MODE_REQUIRED,
            imageInput: false,
        });
        await streamParts(body);
        const sent = lastBody();
        assert.equal(sent.tool_choice, 'REQUIRED');
        assert.deepEqual(sent.tools, [
            {
                type: 'function',
                function: {
                    name: 'read_file',
                    description: 'Read a file of the workspace',
                    parameters: TOOLS[0]!.inputSchema,
                },
            },
            {
                type: 'function',
                function: {
                    name: 'get_errors',
                    description: 'The problems of the workspace',
                    parameters: { type: 'object', properties: {} },
                },
            },
        ]);
    });

    void test('tool calls arrive whole (arguments sent in fragments), and their results get an answer', async () => {
        const question = user('What is in README.md?');
        const first = await streamParts(
            toChatRequest({
                model: 'command-a-03-2025',
                messages: [question],
                tools: TOOLS,
                imageInput: false,
            }),
        );
        const calls = first.parts.filter((part) => part.kind === 'toolCall');
        assert.equal(calls.length, 2, 'the fake server calls the first two tools');
        assert.equal(first.mapper.finishReason, 'TOOL_CALL');
        // The same calls, from the non-streamed reply (the fake server's ids hash the body, `stream` included,
        // so only names and arguments compare): the joined fragments must equal its complete arguments.
        const whole = await client.chat(lastBody());
        assert.deepEqual(
            calls.map((call) => [call.name, call.input]),
            (whole.message.tool_calls ?? []).map((call) => [
                call.function?.name,
                JSON.parse(call.function?.arguments ?? 'null'),
            ]),
        );
        assert.deepEqual(
            calls.map((call) => (call.kind === 'toolCall' ? call.callId.replace(/_[a-z0-9]+$/, '') : '')),
            ['read_file', 'get_errors'],
            "each call keeps the server's call id",
        );
        const plan = first.parts.filter((part) => part.kind === 'text').map((part) => part.value);
        const assistant: PlainMessage = {
            role: ROLE_ASSISTANT,
            content: [
                { kind: 'text', value: plan.join('') },
                ...calls.map((call) => ({ ...call, kind: 'toolCall' as const })),
            ],
        };
        const results: PlainMessage = {
            role: ROLE_USER,
            content: calls.map((call, index) => ({
                kind: 'toolResult' as const,
                callId: call.kind === 'toolCall' ? call.callId : '',
                content: [{ kind: 'text' as const, value: `result ${index}: # Sample project` }],
            })),
        };
        const second = await streamParts(
            toChatRequest({
                model: 'command-a-03-2025',
                messages: [question, assistant, results],
                tools: TOOLS,
                imageInput: false,
            }),
        );
        const sent = lastBody().messages;
        const sentAssistant = sent[1] as {
            content?: unknown;
            tool_calls?: { function?: { arguments?: string } }[];
            tool_plan?: string;
        };
        assert.equal(sentAssistant.content, undefined, 'no text content next to tool calls');
        assert.equal(sentAssistant.tool_plan, plan.join(''), 'the text before the calls is the tool plan');
        assert.equal(
            sentAssistant.tool_calls?.[0]?.function?.arguments,
            JSON.stringify(calls[0]?.kind === 'toolCall' ? calls[0].input : undefined),
            'complete argument strings',
        );
        assert.deepEqual(
            sent.slice(2).map((m) => [m.role, (m as { tool_call_id?: string }).tool_call_id]),
            calls.map((call) => ['tool', call.kind === 'toolCall' ? call.callId : '']),
        );
        assert.equal(second.mapper.finishReason, 'COMPLETE');
        assert.ok(
            second.parts.some((part) => part.kind === 'text' && part.value !== ''),
            'an answer in text',
        );
        assert.equal(second.parts.filter((part) => part.kind === 'toolCall').length, 0);
    });

    void test('images go as image_url data URLs to a vision model, and are left out for others', () => {
        const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
        const messages: PlainMessage[] = [
            {
                role: ROLE_USER,
                content: [
                    { kind: 'text', value: 'What is this?' },
                    { kind: 'data', mimeType: 'image/png', data: png },
                ],
            },
        ];
        const vision = toChatRequest({ model: 'command-a-vision-07-2025', messages, imageInput: true });
        assert.deepEqual(vision.messages[0], {
            role: 'user',
            content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
            ],
        });
        const text = toChatRequest({ model: 'command-a-03-2025', messages, imageInput: false });
        assert.deepEqual(text.messages[0], { role: 'user', content: 'What is this?' });
    });

    void test("the agent's private _ options never reach Cohere; max_tokens does", () => {
        assert.equal(maxTokensFrom({ _conversationId: 'x', _enableThinking: true }), undefined);
        assert.equal(maxTokensFrom({ max_tokens: 256 }), 256);
        const body = toChatRequest({ model: 'm', messages: [user('hi')], imageInput: false, maxTokens: 256 });
        assert.deepEqual(Object.keys(body).sort(), ['max_tokens', 'messages', 'model']);
    });
});

void describe("failures as LanguageModelErrors, in the server's words", () => {
    void test('a rejected key is NoPermissions and sends the person to the key setup', async () => {
        const wrong = new CohereClient({ baseUrl: fake.url, apiKey: 'not-the-key', maxRetries: 0 });
        const body = toChatRequest({ model: 'command-a-03-2025', messages: [user('hi')], imageInput: false });
        try {
            const stream = wrong.chatStream(body);
            await assert.rejects(stream.response, (error: unknown) => {
                assert.deepEqual(mapLanguageModelError(error), {
                    kind: 'NoPermissions',
                    message: 'invalid api token',
                    needsKey: true,
                });
                return true;
            });
        } finally {
            await wrong.close();
        }
    });

    void test('an unknown model is NotFound with the server message', async () => {
        const body = toChatRequest({ model: 'command-x', messages: [user('hi')], imageInput: false });
        await assert.rejects(streamParts(body), (error: unknown) => {
            const mapped = mapLanguageModelError(error);
            assert.equal(mapped.kind, 'NotFound');
            assert.match(mapped.message, /^model 'command-x' not found/);
            return true;
        });
    });

    void test('a server error keeps its words', async () => {
        const body = toChatRequest({
            model: 'command-a-03-2025',
            messages: [user('hi [[fake:500]]')],
            imageInput: false,
        });
        await assert.rejects(streamParts(body), (error: unknown) => {
            const mapped = mapLanguageModelError(error);
            assert.equal(mapped.kind, 'Other');
            assert.ok(mapped.message.length > 0);
            assert.equal(mapped.needsKey, false);
            return true;
        });
    });
});
