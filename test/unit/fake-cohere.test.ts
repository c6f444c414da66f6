// The fake Cohere server's routes, auth, validation, model paging and recording, over real HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import type { ChatResponse, ListModelsResponse, ModelInfo } from '../../src/cohere/types';
import { chatBody } from '../fake-cohere/checks';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { exchange } from '../fake-cohere/wire';
import type { ExchangeOptions } from '../fake-cohere/wire';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

function call(options: ExchangeOptions): ReturnType<typeof exchange> {
    return exchange(fake.url, options);
}

function chat(body: unknown, options: Partial<ExchangeOptions> = {}): ReturnType<typeof exchange> {
    return call({ path: '/v2/chat', body, ...options });
}

function json<T>(text: string): T {
    return JSON.parse(text) as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

void describe('routes', () => {
    void test('POST /v2/chat answers a JSON V2ChatResponse that quotes the user', async () => {
        const answer = await chat(chatBody('What is a penguin?'));
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['content-type'], 'application/json');
        assert.equal(Number(answer.headers['content-length']), answer.body.length);
        const response = json<ChatResponse>(answer.text);
        assert.match(response.id, UUID);
        assert.equal(response.finish_reason, 'COMPLETE');
        assert.equal(response.message.role, 'assistant');
        assert.equal(response.message.content?.length, 1);
        const block = response.message.content?.[0];
        assert.equal(block?.type, 'text');
        assert.ok(
            block?.type === 'text' && block.text.includes('“What is a penguin?”'),
            JSON.stringify(block),
        );
        assert.equal(typeof response.usage?.billed_units?.input_tokens, 'number');
        assert.equal(typeof response.usage?.billed_units?.output_tokens, 'number');
        assert.equal(typeof response.usage?.tokens?.input_tokens, 'number');
        assert.equal(typeof response.usage?.tokens?.output_tokens, 'number');
        assert.equal(typeof response.usage?.cached_tokens, 'number');
    });

    void test('POST /v2/chat with stream true answers SSE ending in data: [DONE]', async () => {
        const answer = await chat(chatBody('hello', { stream: true }));
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['content-type'], 'text/event-stream');
        assert.equal(answer.headers['transfer-encoding'], 'chunked');
        assert.ok(answer.complete);
        assert.match(
            answer.text,
            /^event: message-start\ndata: \{"id":"[0-9a-f-]{36}","type":"message-start"/,
        );
        assert.match(answer.text, /\n\nevent: message-end\ndata: \{[^\n]*\}\n\ndata: \[DONE\]\n\n$/);
    });

    void test('a base URL with a path prefix reaches the same routes, and the path is recorded as sent', async () => {
        fake.reset();
        const answer = await chat(chatBody('hello'), { path: '/prefix/v2/chat' });
        assert.equal(answer.status, 200);
        const models = await call({ path: '/gateway/cohere/v1/models?endpoint=chat' });
        assert.equal(models.status, 200);
        assert.deepEqual(
            fake.requests.map((request) => request.path),
            ['/prefix/v2/chat', '/gateway/cohere/v1/models?endpoint=chat'],
        );
    });

    void test('GET /v1/models/:name gives one model, with the real context length', async () => {
        const answer = await call({ path: '/v1/models/command-a-03-2025' });
        assert.equal(answer.status, 200);
        const model = json<ModelInfo>(answer.text);
        assert.equal(model.name, 'command-a-03-2025');
        assert.equal(model.context_length, 256000);
        assert.deepEqual(model.endpoints, ['chat']);
        assert.equal(model.is_deprecated, false);
    });

    void test('GET /v1/models/:name of an unknown model is a 404 in the API words', async () => {
        const answer = await call({ path: '/v1/models/command-z' });
        assert.equal(answer.status, 404);
        assert.deepEqual(json(answer.text), {
            message:
                "model 'command-z' not found, make sure the correct model ID was used and that you have access to the model.",
        });
    });

    void test('POST /v1/check-api-key says the key is valid', async () => {
        const answer = await call({ method: 'POST', path: '/v1/check-api-key' });
        assert.equal(answer.status, 200);
        const body = json<{ valid: boolean; organization_id: string }>(answer.text);
        assert.equal(body.valid, true);
        assert.equal(typeof body.organization_id, 'string');
    });

    void test('POST /v1/tokenize gives one token id per token string, and the strings rebuild the text', async () => {
        const text = 'Hello, tokenizer 👋 world';
        const answer = await call({ path: '/v1/tokenize', body: { text, model: 'command-a-03-2025' } });
        assert.equal(answer.status, 200);
        const body = json<{ tokens: number[]; token_strings: string[] }>(answer.text);
        assert.equal(body.tokens.length, body.token_strings.length);
        assert.ok(body.tokens.every((token) => Number.isInteger(token)));
        assert.equal(body.token_strings.join(''), text);
    });

    void test('POST /v1/tokenize without text is a 400', async () => {
        const answer = await call({ path: '/v1/tokenize', body: { model: 'command-a-03-2025' } });
        assert.equal(answer.status, 400);
        assert.match(json<{ message: string }>(answer.text).message, /^invalid request: text/);
    });

    void test('an unknown route is a 404 with a JSON message', async () => {
        const answer = await call({ path: '/v3/nothing' });
        assert.equal(answer.status, 404);
        assert.match(json<{ message: string }>(answer.text).message, /route not found/);
    });
});

void describe('models paging', () => {
    async function allPages(path: (token: string | undefined) => string): Promise<ListModelsResponse[]> {
        const pages: ListModelsResponse[] = [];
        let token: string | undefined;
        do {
            const answer = await call({ path: path(token) });
            assert.equal(answer.status, 200, answer.text);
            const page = json<ListModelsResponse>(answer.text);
            pages.push(page);
            token = page.next_page_token;
        } while (token !== undefined);
        return pages;
    }

    void test('the first page holds 20 models by default and points to the rest', async () => {
        const first = json<ListModelsResponse>((await call({ path: '/v1/models' })).text);
        const all = (
            await allPages((token) => `/v1/models?page_size=1000${token ? `&page_token=${token}` : ''}`)
        ).flatMap((page) => page.models);
        assert.equal(first.models.length, Math.min(20, all.length));
        assert.equal(first.next_page_token === undefined, all.length <= 20);
    });

    void test('page_size pages follow next_page_token through every model once, the last page has no token', async () => {
        const pages = await allPages(
            (token) => `/v1/models?page_size=4${token ? `&page_token=${token}` : ''}`,
        );
        const whole = json<ListModelsResponse>((await call({ path: '/v1/models?page_size=1000' })).text);
        assert.ok(pages.length > 2, `${pages.length} pages`);
        assert.ok(pages.slice(0, -1).every((page) => page.models.length === 4));
        assert.equal(pages.at(-1)?.next_page_token, undefined);
        assert.deepEqual(
            pages.flatMap((page) => page.models.map((model) => model.name)),
            whole.models.map((model) => model.name),
        );
    });

    void test('endpoint=chat lists only chat models, the real names of the API doc among them', async () => {
        const models = json<ListModelsResponse>(
            (await call({ path: '/v1/models?endpoint=chat&page_size=1000' })).text,
        ).models;
        assert.ok(models.every((model) => model.endpoints?.includes('chat')));
        const names = models.map((model) => model.name);
        for (const name of [
            'command-a-03-2025',
            'command-a-plus-05-2026',
            'command-a-reasoning-08-2025',
            'command-r7b-12-2024',
        ]) {
            assert.ok(names.includes(name), name);
        }
        const everything = json<ListModelsResponse>(
            (await call({ path: '/v1/models?page_size=1000' })).text,
        ).models;
        assert.ok(everything.length > models.length, 'some models are not for chat');
    });

    void test('default_only with endpoint=chat gives the default chat model alone', async () => {
        const page = json<ListModelsResponse>(
            (await call({ path: '/v1/models?endpoint=chat&default_only=true' })).text,
        );
        assert.deepEqual(
            page.models.map((model) => model.name),
            ['command-a-03-2025'],
        );
    });

    void test('a bad page_size, page_token or endpoint is a 400', async () => {
        for (const path of [
            '/v1/models?page_size=0',
            '/v1/models?page_size=1001',
            '/v1/models?page_token=bogus',
            '/v1/models?endpoint=dance',
        ]) {
            const answer = await call({ path });
            assert.equal(answer.status, 400, path);
            assert.match(json<{ message: string }>(answer.text).message, /^invalid request: /, path);
        }
    });

    void test('modelsPageSize sets the default page size and caps larger pages', async (t) => {
        const small = await startFakeCohere({ modelsPageSize: 3 });
        t.after(() => small.close());
        for (const path of ['/v1/models', '/v1/models?page_size=1000']) {
            const page = json<ListModelsResponse>((await exchange(small.url, { path })).text);
            assert.equal(page.models.length, 3, path);
            assert.equal(typeof page.next_page_token, 'string', path);
        }
    });
});

void describe('auth', () => {
    void test('no Authorization header is a 401 "no api key supplied" on every route', async () => {
        for (const options of [
            { path: '/v2/chat', body: chatBody('hi') },
            { path: '/v1/models' },
            { path: '/v1/check-api-key', method: 'POST' },
        ]) {
            const answer = await call({ ...options, apiKey: null });
            assert.equal(answer.status, 401, options.path);
            assert.deepEqual(json(answer.text), { message: 'no api key supplied' });
        }
    });

    void test('a wrong key is a 401 "invalid api token"', async () => {
        const answer = await chat(chatBody('hi'), { apiKey: 'wrong-key' });
        assert.equal(answer.status, 401);
        assert.deepEqual(json(answer.text), { message: 'invalid api token' });
        const check = await call({ method: 'POST', path: '/v1/check-api-key', apiKey: 'wrong-key' });
        assert.equal(check.status, 401);
    });

    void test('the bearer scheme is case-insensitive, as HTTP says', async () => {
        const answer = await chat(chatBody('hi'), {
            apiKey: null,
            headers: { authorization: 'bearer test-key' },
        });
        assert.equal(answer.status, 200);
    });

    void test('apiKey sets the accepted key, and acceptAnyKey accepts any non-empty key', async (t) => {
        const custom = await startFakeCohere({ apiKey: 'sk-custom' });
        const demo = await startFakeCohere({ acceptAnyKey: true });
        t.after(() => Promise.all([custom.close(), demo.close()]));
        assert.equal((await exchange(custom.url, { path: '/v1/models', apiKey: 'sk-custom' })).status, 200);
        assert.equal((await exchange(custom.url, { path: '/v1/models' })).status, 401);
        assert.equal(
            (await exchange(demo.url, { path: '/v1/models', apiKey: 'anything-at-all' })).status,
            200,
        );
        const empty = await exchange(demo.url, {
            path: '/v1/models',
            apiKey: null,
            headers: { authorization: 'Bearer ' },
        });
        assert.equal(empty.status, 401);
        assert.deepEqual(json(empty.text), { message: 'no api key supplied' });
    });
});

void describe('validation', () => {
    async function rejects(body: unknown, status: number, message: string | RegExp): Promise<void> {
        const answer = await chat(body);
        assert.equal(answer.status, status, answer.text);
        assert.equal(answer.headers['content-type'], 'application/json');
        const actual = json<{ message: string }>(answer.text).message;
        if (typeof message === 'string') assert.equal(actual, message);
        else assert.match(actual, message);
    }

    void test('a body without model is a 400', async () => {
        await rejects({ messages: [{ role: 'user', content: 'hi' }] }, 400, /^invalid request: model/);
    });

    void test('a body without messages is a 400', async () => {
        await rejects({ model: 'command-a-03-2025' }, 400, /^invalid request: messages/);
    });

    void test('an unknown top-level field is a 422 naming it, in the real API words', async () => {
        await rejects(
            { ...chatBody('hi'), requires_confirmation: true },
            422,
            "unknown field: parameter 'requires_confirmation' is not a valid field. For proper usage, please refer to https://docs.cohere.com/reference/chat",
        );
    });

    void test('every documented V2 field is accepted', async () => {
        const answer = await chat({
            ...chatBody('hi'),
            stream: false,
            strict_tools: false,
            citation_options: { mode: 'ACCURATE' },
            safety_mode: 'CONTEXTUAL',
            max_tokens: 100,
            stop_sequences: ['END'],
            temperature: 0.3,
            seed: 7,
            frequency_penalty: 0.1,
            k: 10,
            p: 0.75,
            logprobs: false,
            thinking: { type: 'disabled' },
            priority: 0,
        });
        assert.equal(answer.status, 200, answer.text);
    });

    void test('an unknown model is a 404 in the real API words', async () => {
        await rejects(
            { ...chatBody('hi'), model: 'command-x' },
            404,
            "model 'command-x' not found, make sure the correct model ID was used and that you have access to the model.",
        );
    });

    void test('a temperature outside 0-1 is a 400; 0 and 1 are fine', async () => {
        for (const temperature of [1.5, -0.1]) {
            await rejects(
                { ...chatBody('hi'), temperature },
                400,
                'invalid request: temperature must be between 0 and 1.0 inclusive.',
            );
        }
        for (const temperature of [0, 1])
            assert.equal((await chat({ ...chatBody('hi'), temperature })).status, 200);
    });

    void test('a body that is not JSON is a 400', async () => {
        await rejects('{"model": ', 400, /^invalid request: /);
    });

    void test('the message rules of the API docs are enforced', async () => {
        await rejects({ ...chatBody('hi'), messages: [] }, 400, /^invalid request: messages/);
        await rejects(
            {
                model: 'command-a-03-2025',
                messages: [
                    { role: 'user', content: 'a' },
                    { role: 'system', content: 'b' },
                ],
            },
            400,
            'invalid request: system turn must be the first in the list',
        );
        await rejects(
            { model: 'command-a-03-2025', messages: [{ role: 'tool', content: '{}' }] },
            400,
            'invalid request: tool call id must be provided with tool message',
        );
        await rejects(
            chatBody('   '),
            400,
            'invalid request: message must be at least 1 token long or tool results must be specified.',
        );
    });

    void test('response_format with documents, duplicate document ids and a non-chat model are 400s', async () => {
        await rejects(
            { ...chatBody('hi'), documents: ['a'], response_format: { type: 'json_object' } },
            400,
            'invalid request: response_format is not supported with RAG.',
        );
        await rejects(
            {
                ...chatBody('hi'),
                documents: [
                    { id: 'x', data: {} },
                    { id: 'x', data: {} },
                ],
            },
            400,
            'invalid request: duplicate document ID x at index 1 and 0',
        );
        await rejects({ ...chatBody('hi'), model: 'embed-v4.0' }, 400, /does not support the chat endpoint/);
    });
});

void describe('recording', () => {
    void test('every request is recorded in order with method, path and query, headers and parsed body', async () => {
        fake.reset();
        const body = chatBody('record me');
        await chat(body, { headers: { 'x-client-name': 'tests' } });
        await call({ path: '/v1/models?endpoint=chat&page_size=2', apiKey: null });
        assert.equal(fake.requests.length, 2);
        const [first, second] = fake.requests;
        assert.equal(first?.method, 'POST');
        assert.equal(first?.path, '/v2/chat');
        assert.equal(first?.headers.authorization, 'Bearer test-key');
        assert.equal(first?.headers['x-client-name'], 'tests');
        assert.deepEqual(first?.body, body);
        assert.equal(second?.method, 'GET');
        assert.equal(second?.path, '/v1/models?endpoint=chat&page_size=2');
        assert.equal(second?.body, undefined);
        fake.reset();
        assert.equal(fake.requests.length, 0);
    });
});

void describe('npm run fake-cohere', () => {
    void test('prints its URL and the accepted key, serves, and stops on SIGTERM', async () => {
        const child = spawn(
            process.execPath,
            ['--import', 'tsx', 'test/fake-cohere/main.ts', '--port', '0', '--api-key', 'sk-cli'],
            {
                stdio: ['ignore', 'pipe', 'inherit'],
            },
        );
        const exited = once(child, 'exit');
        try {
            let output = '';
            for await (const chunk of child.stdout) {
                output += String(chunk);
                if (output.includes('sk-cli')) break;
            }
            const url = /Fake Cohere listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
            assert.ok(url !== undefined, output);
            assert.match(output, /Accepted API key: sk-cli/);
            assert.equal((await exchange(url, { path: '/v1/models', apiKey: 'sk-cli' })).status, 200);
            assert.equal((await exchange(url, { path: '/v1/models' })).status, 401);
        } finally {
            child.kill('SIGTERM');
        }
        const [code] = await exited;
        assert.equal(code, 0);
    });
});
