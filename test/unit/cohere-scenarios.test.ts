// Replies against the fake Cohere server: every normal scenario streamed and assembled, the same
// reply as a non-streaming call, byte-split streams, models paging and the key check.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CohereClient } from '../../src/cohere/index';
import type { ChatRequest, ChatResponse, ChatStreamEvent, Document } from '../../src/cohere/index';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';

let fake: FakeCohere;
let client: CohereClient;
before(async () => {
    fake = await startFakeCohere({ modelsPageSize: 4 });
    client = new CohereClient({ baseUrl: fake.url, apiKey: 'test-key', retryBaseDelayMs: 1 });
});
after(async () => {
    await client.close();
    await fake.close();
});
beforeEach(() => fake.reset());

const DOCUMENTS: Document[] = [
    {
        id: 'penguins',
        data: { title: 'Tall penguins', snippet: 'Emperor penguins are the tallest penguins.' },
    },
    { data: { title: 'Habitats', snippet: 'Emperor penguins only live in Antarctica.' } },
];

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
    return { model: 'command-a-03-2025', messages: [{ role: 'user', content: text }], ...extra };
}

async function collect(body: ChatRequest): Promise<{ events: ChatStreamEvent[]; response: ChatResponse }> {
    const stream = client.chatStream(body);
    const events: ChatStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return { events, response: await stream.response };
}

/** The reply without its ids (derived from the request, which differs in `stream`). */
function withoutId(response: ChatResponse): Omit<ChatResponse, 'id'> {
    const { id: _id, ...rest } = response;
    const calls = rest.message.tool_calls?.map(({ id: _callId, ...call }) => call);
    return calls === undefined ? rest : { ...rest, message: { ...rest.message, tool_calls: calls } };
}

function assertCitationsMatchText(response: ChatResponse): void {
    const citations = response.message.citations ?? [];
    assert.ok(citations.length > 0, 'there are citations');
    for (const citation of citations) {
        const block = response.message.content?.[citation.content_index ?? 0];
        assert.ok(block?.type === 'text');
        assert.equal(block.text.slice(citation.start, citation.end), citation.text);
        assert.ok((citation.sources?.length ?? 0) > 0);
    }
}

void describe('streamed replies are assembled like chat() returns them', () => {
    const scenarios: [string, Partial<ChatRequest>][] = [
        ['text', {}],
        ['reasoning', {}],
        ['markdown', {}],
        ['max-tokens', {}],
        ['tools', {}],
        ['rag', { documents: DOCUMENTS }],
        ['rag-inline', { documents: DOCUMENTS }],
    ];
    for (const [scenario, extra] of scenarios) {
        void test(`the ${scenario} scenario`, async () => {
            const body = request(`Tell me about penguins [[fake:${scenario}]]`, extra);
            const complete = await client.chat(body);
            const { events, response } = await collect(body);
            assert.deepEqual(withoutId(response), withoutId(complete));
            assert.equal(events[0]?.type, 'message-start');
            assert.equal(events.at(-1)?.type, 'message-end');
            assert.ok(response.id.length > 0);
        });
    }

    void test('reasoning gives a thinking block, then a text block', async () => {
        const { response } = await collect(request('why [[fake:reasoning]]'));
        assert.deepEqual(
            response.message.content?.map((c) => c.type),
            ['thinking', 'text'],
        );
    });

    void test('tool calls come with their plan and complete JSON arguments', async () => {
        const { events, response } = await collect(request('weather [[fake:tools]]'));
        assert.equal(response.finish_reason, 'TOOL_CALL');
        assert.ok((response.message.tool_plan ?? '').length > 0);
        const calls = response.message.tool_calls ?? [];
        assert.equal(calls.length, 2);
        for (const call of calls) {
            assert.ok(call.id);
            assert.equal(call.type, 'function');
            assert.ok(call.function?.name);
            assert.doesNotThrow(() => JSON.parse(call.function?.arguments ?? ''));
        }
        const types = new Set(events.map((e) => e.type));
        for (const type of ['tool-plan-delta', 'tool-call-start', 'tool-call-delta', 'tool-call-end']) {
            assert.ok(types.has(type as ChatStreamEvent['type']), type);
        }
        assert.ok(
            events.filter((e) => e.type === 'tool-call-delta').length > 2,
            'the arguments came in pieces',
        );
    });

    void test('citations at the end and inline both cite the exact words of the text', async () => {
        for (const scenario of ['rag', 'rag-inline']) {
            const { events, response } = await collect(
                request(`penguins [[fake:${scenario}]]`, { documents: DOCUMENTS }),
            );
            assertCitationsMatchText(response);
            const types = events.map((e) => e.type);
            assert.ok(types.includes('citation-start') && types.includes('citation-end'));
            const firstCitation = types.indexOf('citation-start');
            const lastDelta = types.lastIndexOf('content-delta');
            if (scenario === 'rag-inline')
                assert.ok(firstCitation < lastDelta, 'inline citations come between deltas');
            else assert.ok(firstCitation > lastDelta, 'accurate citations come after the text');
        }
    });

    void test('MAX_TOKENS is the finish reason of a cut reply', async () => {
        const { response } = await collect(request('long story [[fake:max-tokens]]'));
        assert.equal(response.finish_reason, 'MAX_TOKENS');
    });

    void test('usage carries billed units, tokens and cached tokens', async () => {
        const { response } = await collect(request('count [[fake:text]]'));
        assert.ok((response.usage?.billed_units?.output_tokens ?? 0) > 0);
        assert.ok((response.usage?.tokens?.input_tokens ?? 0) > 0);
        assert.equal(typeof response.usage?.cached_tokens, 'number');
    });
});

void describe('streams the fake server splits and ends oddly', () => {
    for (const split of ['split-bytes', 'split-utf8']) {
        void test(`${split}: the same reply as an unsplit stream, no broken characters`, async () => {
            const text = 'Ünïcödé 日本語 🐧 [[fake:reasoning,';
            const { response: whole } = await collect(request(`${text}no-done]]`));
            const { response: split1 } = await collect(request(`${text}${split}]]`));
            assert.deepEqual(withoutId(split1).message, withoutId(whole).message);
            assert.ok(!JSON.stringify(split1).includes('\uFFFD'));
        });
    }

    void test('no [DONE] and a cut after message-end are both normal ends', async () => {
        for (const scenario of ['no-done', 'cut-after-end']) {
            const { response } = await collect(request(`hi [[fake:${scenario}]]`));
            assert.equal(response.finish_reason, 'COMPLETE', scenario);
        }
    });
});

void describe('models and key check', () => {
    void test('listModels follows next_page_token to the last page', async () => {
        const models = await client.listModels();
        const pages = fake.requests.filter((r) => r.path.startsWith('/v1/models'));
        assert.ok(pages.length > 1, `several pages (${pages.length})`);
        assert.ok(pages.slice(1).every((r) => r.path.includes('page_token=')));
        const names = models.map((m) => m.name);
        assert.equal(new Set(names).size, names.length, 'no model twice');
        assert.ok(names.includes('command-a-03-2025'));
        assert.equal(models.find((m) => m.name === 'command-a-03-2025')?.context_length, 256000);
    });

    void test('listModels passes the endpoint filter', async () => {
        const models = await client.listModels({ endpoint: 'chat', pageSize: 2 });
        assert.ok(models.length > 0);
        assert.ok(models.every((m) => m.endpoints?.includes('chat')));
        assert.ok(fake.requests.every((r) => r.path.includes('endpoint=chat')));
    });

    void test('checkApiKey says valid for the right key and rejects unauthorized for a wrong one', async () => {
        assert.equal((await client.checkApiKey()).valid, true);
        const wrong = new CohereClient({ baseUrl: fake.url, apiKey: 'nope' });
        await assert.rejects(wrong.checkApiKey(), { code: 'unauthorized', status: 401 });
        await wrong.close();
    });
});
