// Each normal scenario of the fake Cohere server: its event sequence (API doc 4.1, 4.4), its
// non-streamed twin, citations on exact spans, tool calls, usage, and how a scenario is chosen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatResponse, ChatStreamEvent, Citation, DocumentSource } from '../../src/cohere/types';
import { assembleChecked, chatBody, eventsOf, ofType } from '../fake-cohere/checks';
import type { Assembled } from '../fake-cohere/checks';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { exchange } from '../fake-cohere/wire';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

interface Both {
    events: ChatStreamEvent[];
    streamed: Assembled;
    response: ChatResponse;
}

/** Sends the same body streamed and not, checks the stream's ordering, returns both. */
async function both(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Both> {
    const streamAnswer = await exchange(fake.url, {
        path: '/v2/chat',
        body: { ...body, stream: true },
        headers,
    });
    const events = eventsOf(streamAnswer);
    const streamed = assembleChecked(events);
    const jsonAnswer = await exchange(fake.url, { path: '/v2/chat', body, headers });
    assert.equal(jsonAnswer.status, 200, jsonAnswer.text);
    const response = JSON.parse(jsonAnswer.text) as ChatResponse;
    assert.deepEqual(
        streamed.blocks.map((block) => ({ type: block.type, text: block.text })),
        (response.message.content ?? []).map((block) =>
            block.type === 'text'
                ? { type: 'text', text: block.text }
                : { type: 'thinking', text: block.thinking },
        ),
        'the stream adds up to the non-streamed content',
    );
    assert.equal(streamed.finishReason, response.finish_reason);
    assert.deepEqual(streamed.citations, response.message.citations ?? []);
    assert.deepEqual(
        ofType(events, 'message-end')[0]?.delta?.usage,
        response.usage,
        'the same usage both ways',
    );
    return { events, streamed, response };
}

function textOf(response: ChatResponse, index = 0): string {
    const block = response.message.content?.[index];
    assert.equal(block?.type, 'text');
    return block.type === 'text' ? block.text : '';
}

/** Every citation's text is the exact UTF-16 slice of its block. */
function assertExactSpans(response: ChatResponse): void {
    for (const citation of response.message.citations ?? []) {
        const text = textOf(response, citation.content_index ?? 0);
        assert.equal(text.slice(citation.start, citation.end), citation.text, JSON.stringify(citation));
    }
}

const DOCUMENTS = [
    {
        id: 'penguins',
        data: { title: 'Emperor penguins', snippet: 'Emperor penguins are the tallest penguins.' },
    },
    { data: { text: 'Penguins live in the Southern Hemisphere.', year: 2020 } },
    'Little penguins are the smallest species.',
];

void describe('normal scenarios', () => {
    void test('text: one text block quoting the user words, finish COMPLETE', async () => {
        const { events, response } = await both(chatBody('Tell me about “quotes” and 日本語 [[fake:text]]'));
        assert.deepEqual(
            events.map((event) => event.type).filter((type, i, all) => type !== all[i - 1]),
            ['message-start', 'content-start', 'content-delta', 'content-end', 'message-end'],
        );
        assert.ok(ofType(events, 'content-delta').length > 5, 'the text arrives in several deltas');
        assert.equal(response.finish_reason, 'COMPLETE');
        assert.ok(textOf(response).includes('Tell me about “quotes” and 日本語'), textOf(response));
        assert.ok(!textOf(response).includes('[[fake:'), 'the marker is not quoted');
    });

    void test('a marker in a markdown comment is read, and the comment is not quoted', async () => {
        const { response } = await both(chatBody('Tell me about krill\n\n[//]: # "[[fake:max-tokens]]"'));
        assert.equal(response.finish_reason, 'MAX_TOKENS');
        assert.ok(textOf(response).includes('Tell me about krill”'), textOf(response));
        assert.ok(!textOf(response).includes('[//]'), 'the comment is not quoted');
    });

    void test('reasoning: thinking block 0 then text block 1', async () => {
        const { streamed, response } = await both(chatBody('Why is the sky blue? [[fake:reasoning]]'));
        assert.deepEqual(
            streamed.blocks.map((block) => block.type),
            ['thinking', 'text'],
        );
        assert.ok(streamed.blocks[0]!.text.length > 0 && streamed.blocks[1]!.text.length > 0);
        assert.equal(response.message.content?.[0]?.type, 'thinking');
    });

    void test('rag: citations after the last delta (ACCURATE), on exact spans in bold, a list item, a link and plain text', async () => {
        const { events, response } = await both({
            ...chatBody('What about penguins?'),
            documents: DOCUMENTS,
        });
        const types = events.map((event) => event.type);
        const lastDelta = types.lastIndexOf('content-delta');
        const firstCitation = types.indexOf('citation-start');
        assert.ok(firstCitation > lastDelta, 'citations come after the text');
        assert.ok(types.lastIndexOf('citation-end') < types.indexOf('content-end'));
        assertExactSpans(response);
        const text = textOf(response);
        const citations = response.message.citations ?? [];
        const around = (citation: Citation): { before: string; after: string } => ({
            before: text.slice(0, citation.start),
            after: text.slice(citation.end),
        });
        assert.ok(
            citations.some((c) => around(c).before.endsWith('**') && around(c).after.startsWith('**')),
            'bold',
        );
        assert.ok(
            citations.some((c) => around(c).before.endsWith('\n- ')),
            'list item',
        );
        assert.ok(
            citations.some(
                (c) => around(c).before.endsWith('[') && around(c).after.startsWith('](https://example.com)'),
            ),
            'link',
        );
        assert.ok(
            citations.some((c) => /[a-z], $/.test(around(c).before)),
            'plain',
        );
        assert.ok(text.includes('📚'), 'an astral character before the spans makes UTF-16 offsets matter');
    });

    void test('rag: sources are the request documents, as {id, ...data}, doc:N for missing ids, a string as a snippet', async () => {
        const { response } = await both({ ...chatBody('penguins'), documents: DOCUMENTS });
        const sources = new Map<string, DocumentSource>();
        for (const citation of response.message.citations ?? []) {
            for (const source of citation.sources ?? []) {
                assert.equal(source.type, 'document');
                if (source.type === 'document') sources.set(source.id ?? '', source);
            }
        }
        assert.deepEqual(sources.get('penguins')?.document, {
            id: 'penguins',
            title: 'Emperor penguins',
            snippet: 'Emperor penguins are the tallest penguins.',
        });
        assert.deepEqual(sources.get('doc:1')?.document, {
            id: 'doc:1',
            text: 'Penguins live in the Southern Hemisphere.',
            year: 2020,
        });
        assert.deepEqual(sources.get('doc:2')?.document, {
            id: 'doc:2',
            snippet: 'Little penguins are the smallest species.',
        });
        const text = textOf(response);
        assert.ok(text.includes('Emperor penguins'), 'the reply quotes the documents');
        assert.ok(
            (response.message.citations ?? []).some(
                (citation) => (citation.sources ?? []).length === DOCUMENTS.length,
            ),
            'one citation names every source',
        );
    });

    void test('rag-inline: each citation arrives right after the delta that completes its span (FAST)', async () => {
        const { events, response } = await both({
            ...chatBody('penguins [[fake:rag-inline]]'),
            documents: DOCUMENTS,
        });
        assertExactSpans(response);
        let emitted = 0;
        let previousEmitted = 0;
        let lastWasDelta = false;
        for (const event of events) {
            if (event.type === 'content-delta') {
                previousEmitted = emitted;
                emitted += event.delta?.message?.content?.text?.length ?? 0;
                lastWasDelta = true;
            } else if (event.type === 'citation-start') {
                const end = event.delta?.message?.citations?.end ?? -1;
                assert.ok(end <= emitted, 'the cited span has arrived');
                if (lastWasDelta)
                    assert.ok(end > previousEmitted, 'and it arrived with the delta just before');
                lastWasDelta = false;
            } else if (event.type !== 'citation-end') {
                lastWasDelta = false;
            }
        }
        const types = events.map((event) => event.type);
        assert.ok(
            types.indexOf('citation-start') < types.lastIndexOf('content-delta'),
            'citations are between deltas',
        );
    });

    void test('citation_options.mode picks the placement: FAST is inline, ACCURATE at the end, lower case too', async () => {
        const placement = async (mode: string): Promise<'inline' | 'end'> => {
            const { events } = await both({
                ...chatBody('penguins'),
                documents: DOCUMENTS,
                citation_options: { mode },
            });
            const types = events.map((event) => event.type);
            return types.indexOf('citation-start') < types.lastIndexOf('content-delta') ? 'inline' : 'end';
        };
        assert.equal(await placement('FAST'), 'inline');
        assert.equal(await placement('fast'), 'inline');
        assert.equal(await placement('ACCURATE'), 'end');
    });

    void test('citation_options.mode OFF gives the RAG text without citations', async () => {
        const { events, response } = await both({
            ...chatBody('penguins'),
            documents: DOCUMENTS,
            citation_options: { mode: 'OFF' },
        });
        assert.equal(ofType(events, 'citation-start').length, 0);
        assert.equal(response.message.citations, undefined);
        assert.ok(textOf(response).includes('Emperor penguins'));
    });

    void test('tools: a tool plan, then 2 tool calls with fragmented JSON arguments, finish TOOL_CALL', async () => {
        const tools = [
            {
                type: 'function',
                function: {
                    name: 'get_weather',
                    parameters: {
                        type: 'object',
                        properties: {
                            location: { type: 'string' },
                            unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
                        },
                    },
                },
            },
            {
                type: 'function',
                function: {
                    name: 'get_time',
                    parameters: { type: 'object', properties: { utc: { type: 'boolean' } } },
                },
            },
        ];
        const { events, streamed, response } = await both({ ...chatBody('Weather in Zürich?'), tools });
        const types = events.map((event) => event.type);
        assert.ok(types.lastIndexOf('tool-plan-delta') < types.indexOf('tool-call-start'));
        assert.equal(response.finish_reason, 'TOOL_CALL');
        assert.equal(response.message.content, undefined, 'a tool-call turn has no content');
        assert.ok((response.message.tool_plan ?? '').length > 0);
        assert.equal(streamed.toolPlan, response.message.tool_plan);
        assert.equal(streamed.toolCalls.length, 2);
        assert.deepEqual(
            response.message.tool_calls?.map((call) => call.function?.name),
            ['get_weather', 'get_time'],
        );
        for (const [index, call] of streamed.toolCalls.entries()) {
            const deltas = ofType(events, 'tool-call-delta').filter((event) => event.index === index);
            assert.ok(deltas.length > 2, 'the arguments arrive in fragments');
            assert.ok(
                deltas.every(
                    (delta) => (delta.delta?.message?.tool_calls?.function?.arguments ?? '').length < 8,
                ),
            );
            assert.match(call.id ?? '', new RegExp(`^${call.function?.name}_[a-z0-9]{12}$`));
            assert.equal(call.type, 'function');
            const args = JSON.parse(call.function?.arguments ?? '') as Record<string, unknown>;
            assert.ok(Object.keys(args).length > 0);
        }
        const weather = JSON.parse(response.message.tool_calls?.[0]?.function?.arguments ?? '') as Record<
            string,
            unknown
        >;
        assert.equal(weather['location'], 'Weather in Zürich?');
        assert.equal(weather['unit'], 'celsius');
    });

    void test('tools: after the tool results come back, the reply is text citing the tool outputs', async () => {
        const body = {
            model: 'command-a-03-2025',
            tools: [
                {
                    type: 'function',
                    function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
                },
            ],
            messages: [
                { role: 'user', content: 'Weather in Madrid?' },
                {
                    role: 'assistant',
                    tool_plan: 'I will check.',
                    tool_calls: [
                        {
                            id: 'get_weather_abc',
                            type: 'function',
                            function: { name: 'get_weather', arguments: '{}' },
                        },
                    ],
                },
                {
                    role: 'tool',
                    tool_call_id: 'get_weather_abc',
                    content: '{"temperature":"24°C","sky":"sunny"}',
                },
            ],
        };
        const { response } = await both(body);
        assert.equal(response.finish_reason, 'COMPLETE');
        assertExactSpans(response);
        const source = response.message.citations?.[0]?.sources?.[0];
        assert.deepEqual(source, {
            type: 'tool',
            id: 'get_weather_abc:0',
            tool_output: { temperature: '24°C', sky: 'sunny' },
        });
        assert.ok(textOf(response).includes('24°C'));
    });

    void test('max-tokens: finish MAX_TOKENS, and max_tokens bounds the deltas', async () => {
        const { response } = await both(chatBody('go on [[fake:max-tokens]]'));
        assert.equal(response.finish_reason, 'MAX_TOKENS');
        const { events } = await both({ ...chatBody('go on [[fake:max-tokens]]'), max_tokens: 3 });
        assert.equal(ofType(events, 'content-delta').length, 3);
        assert.equal(ofType(events, 'message-end')[0]?.delta?.finish_reason, 'MAX_TOKENS');
    });

    void test('markdown: headings, bold, a list, a link and nested code fences', async () => {
        const text = textOf((await both(chatBody('format it [[fake:markdown]]'))).response);
        assert.match(text, /^## /m);
        assert.match(text, /\*\*[^*]+\*\*/);
        assert.match(text, /^- /m);
        assert.match(text, /\[[^\]]+\]\(https:\/\/example\.com\)/);
        assert.match(text, /^````markdown\n[\s\S]*^```ts\n[\s\S]*^```\n````$/m);
    });

    void test('long?events=N sends N content deltas; 20,000 of them are about 2 MB', async () => {
        const { events } = await both(chatBody('[[fake:long?events=50]] long'));
        assert.equal(ofType(events, 'content-delta').length, 50);
        const big = await exchange(fake.url, {
            path: '/v2/chat',
            body: chatBody('x', { stream: true }),
            headers: { 'x-fake-scenario': 'long?events=20000' },
        });
        const bigEvents = eventsOf(big);
        assert.equal(ofType(bigEvents, 'content-delta').length, 20000);
        assert.ok(big.body.length > 1.8e6 && big.body.length < 2.6e6, `${big.body.length} bytes`);
    });

    void test('logprobs: requested, every text delta and the response carry them', async () => {
        const { events, response } = await both({ ...chatBody('hi'), logprobs: true });
        const deltas = ofType(events, 'content-delta');
        assert.ok(deltas.every((delta) => delta.logprobs?.text === delta.delta?.message?.content?.text));
        assert.equal(response.logprobs?.length, deltas.length);
    });
});

void describe('scenario choice', () => {
    const scenarioOf = async (
        body: Record<string, unknown>,
        headers: Record<string, string> = {},
    ): Promise<string> => {
        const answer = await exchange(fake.url, { path: '/v2/chat', body, headers });
        assert.equal(answer.status, 200, answer.text);
        return answer.headers['x-fake-scenario'] ?? '';
    };

    void test('without a scenario: rag with documents, tools with tools, else text', async () => {
        assert.equal(await scenarioOf(chatBody('hi')), 'text');
        assert.equal(await scenarioOf({ ...chatBody('hi'), documents: ['d'] }), 'rag');
        assert.equal(
            await scenarioOf({ ...chatBody('hi'), documents: ['d'], citation_options: { mode: 'FAST' } }),
            'rag-inline',
        );
        const tools = [{ type: 'function', function: { name: 'f', parameters: {} } }];
        assert.equal(await scenarioOf({ ...chatBody('hi'), tools }), 'tools');
        assert.equal(await scenarioOf({ ...chatBody('hi'), citation_options: { mode: 'FAST' } }), 'text');
    });

    void test('the marker is read from the last user message only, and the header wins over it', async () => {
        assert.equal(await scenarioOf(chatBody('a [[fake:markdown]] b')), 'markdown');
        const earlier = {
            model: 'command-a-03-2025',
            messages: [
                { role: 'user', content: 'first [[fake:markdown]]' },
                { role: 'assistant', content: 'ok' },
                { role: 'user', content: [{ type: 'text', text: 'second' }] },
            ],
        };
        assert.equal(await scenarioOf(earlier), 'text');
        assert.equal(
            await scenarioOf(chatBody('a [[fake:markdown]]'), { 'x-fake-scenario': 'reasoning' }),
            'reasoning',
        );
    });

    void test('an unknown scenario is a 400 that names it', async () => {
        const answer = await exchange(fake.url, { path: '/v2/chat', body: chatBody('[[fake:telepathy]]') });
        assert.equal(answer.status, 400);
        assert.deepEqual(JSON.parse(answer.text), { message: "fake server: unknown scenario 'telepathy'" });
    });
});

void describe('usage', () => {
    void test('usage is derived from the request: more words in, more input tokens; history is cached', async () => {
        const short = (await both(chatBody('one two'))).response.usage;
        const long = (await both(chatBody('one two three four five six'))).response.usage;
        assert.equal(long?.billed_units?.input_tokens, (short?.billed_units?.input_tokens ?? 0) + 4);
        assert.ok(
            (short?.tokens?.input_tokens ?? 0) > (short?.billed_units?.input_tokens ?? 0),
            'the template adds tokens',
        );
        const history = {
            model: 'command-a-03-2025',
            messages: [
                { role: 'user', content: 'one two three' },
                { role: 'assistant', content: 'four five' },
                { role: 'user', content: 'six' },
            ],
        };
        const withHistory = (await both(history)).response.usage;
        assert.equal(
            (withHistory?.cached_tokens ?? 0) - (short?.cached_tokens ?? 0),
            5,
            'earlier turns are cached',
        );
        assert.ok((withHistory?.cached_tokens ?? 0) < (withHistory?.tokens?.input_tokens ?? 0));
    });
});
