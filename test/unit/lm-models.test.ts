// The model picker's entries from the fake server's catalogue, the token counter's cache and fallback,
// and the version check that keeps VS Code 1.100 out of it, in plain Node.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CohereClient, countTokens } from '../../src/cohere/index';
import { documentedModels, familyOf, toChatModelList } from '../../src/lm/modelInfo';
import { estimateTokens, TokenCounter } from '../../src/lm/tokens';
import { isAtLeast, LANGUAGE_MODEL_PROVIDER_VERSION } from '../../src/lm/version';
import { startFakeCohere } from '../fake-cohere/server';
import { startTestServer } from './cohere-test-server';
import type { FakeCohere } from '../fake-cohere/server';

let fake: FakeCohere;
let client: CohereClient;
before(async () => {
    fake = await startFakeCohere({ apiKey: 'm-key' });
    client = new CohereClient({ baseUrl: fake.url, apiKey: 'm-key', maxRetries: 0 });
});
after(async () => {
    await client.close();
    await fake.close();
});

const t = (message: string, ...args: (string | number)[]): string =>
    message.replace(/\{(\d+)\}/g, (_, n: string) => String(args[Number(n)]));

void describe('Cohere models in the picker', () => {
    void test('every chat model of GET /v1/models?endpoint=chat, with its limits and capabilities', async () => {
        const catalogue = await client.listModels({ endpoint: 'chat' });
        const list = toChatModelList(catalogue, t);
        assert.deepEqual(list.map((m) => m.id).sort(), catalogue.map((m) => m.name).sort());
        const commandA = list.find((m) => m.id === 'command-a-03-2025');
        assert.deepEqual(
            [commandA?.maxInputTokens, commandA?.maxOutputTokens, commandA?.family, commandA?.capabilities],
            [248_000, 8_000, 'command-a', { imageInput: false, toolCalling: true }],
        );
        assert.match(commandA?.tooltip ?? '', /256k tokens of context, replies up to 8k/);
        const vision = list.find((m) => m.id === 'command-a-vision-07-2025');
        assert.equal(vision?.capabilities.imageInput, true);
        for (const model of list) {
            const context = catalogue.find((c) => c.name === model.id)?.context_length;
            assert.equal(
                model.maxInputTokens + model.maxOutputTokens,
                context,
                `${model.id} fills its context`,
            );
        }
    });

    void test('without a key the documented models are listed', () => {
        const list = toChatModelList(documentedModels(), t);
        assert.ok(list.some((m) => m.id === 'command-a-03-2025'));
        assert.equal(list.find((m) => m.id === 'command-a-vision-07-2025')?.capabilities.imageInput, true);
    });

    void test('the model of cohere.model comes first, so VS Code offers it before any other', () => {
        const list = toChatModelList(documentedModels(), t, 'command-r-08-2024');
        assert.equal(list[0]?.id, 'command-r-08-2024');
        assert.equal(toChatModelList(documentedModels(), t)[0]?.id, 'c4ai-aya-expanse-32b');
    });

    void test('families drop the release suffix', () => {
        assert.equal(familyOf('command-r7b-12-2024'), 'command-r7b');
        assert.equal(familyOf('north-mini-code-1-0'), 'north-mini-code');
        assert.equal(familyOf('tiny-aya-fire'), 'tiny-aya-fire');
    });
});

void describe('token counts', () => {
    void test("a count is the server's own POST /v1/tokenize count, asked once per text", async () => {
        fake.reset();
        const counter = new TokenCounter((text, model, signal) =>
            countTokens(client, text, model, { signal }),
        );
        const text = Array.from({ length: 8 }, (_, i) => `export const value${i} = 7; // line ${i}`).join(
            '\n',
        );
        const signal = new AbortController().signal;
        const counted = await counter.count(text, 'command-a-03-2025', signal);
        assert.equal(await counter.count(text, 'command-a-03-2025', signal), counted);
        const response = await fetch(`${fake.url}/v1/tokenize`, {
            method: 'POST',
            headers: { authorization: 'Bearer m-key', 'content-type': 'application/json' },
            body: JSON.stringify({ text, model: 'command-a-03-2025' }),
        });
        const { tokens } = (await response.json()) as { tokens: number[] };
        assert.equal(counted, tokens.length);
        assert.equal(
            fake.requests.filter((r) => r.path.endsWith('/v1/tokenize')).length,
            2,
            'ours once, then ours from the cache',
        );
    });

    void test('each text is counted by the server once, then from the cache', async () => {
        const calls: string[] = [];
        const counter = new TokenCounter(
            async (text) => {
                calls.push(text);
                return 42;
            },
            undefined,
            { minRemoteChars: 0 },
        );
        const signal = new AbortController().signal;
        assert.equal(await counter.count('some words here', 'm', signal), 42);
        assert.equal(await counter.count('some words here', 'm', signal), 42);
        assert.equal(await counter.count('some words here', 'other-model', signal), 42);
        assert.deepEqual(calls, ['some words here', 'some words here']);
    });

    void test('a failed count falls back to the estimate and is asked again next time', async () => {
        let fail = true;
        const failures: unknown[] = [];
        const counter = new TokenCounter(
            async () => {
                if (fail) throw new Error('no key');
                return 7;
            },
            (error) => failures.push(error),
            { minRemoteChars: 0 },
        );
        const signal = new AbortController().signal;
        const text = 'one two three four five six seven';
        assert.equal(await counter.count(text, 'm', signal), estimateTokens(text));
        fail = false;
        assert.equal(await counter.count(text, 'm', signal), 7);
        assert.equal(failures.length, 1);
    });

    void test("VS Code's agent's burst of short schema texts is estimated, and the server asked at most 50 times a minute", async () => {
        let clock = 1_000_000;
        const calls: string[] = [];
        const counter = new TokenCounter(
            async (text) => {
                calls.push(text);
                return 3;
            },
            undefined,
            { now: () => clock },
        );
        const signal = new AbortController().signal;
        // What VS Code 1.139 asked for one agent request: the parts of every tool's schema, then messages.
        for (const word of ['name', 'create_directory', 'description', 'type', 'object'])
            assert.equal(await counter.count(word, 'm', signal), estimateTokens(word));
        assert.deepEqual(calls, [], 'no short text goes to the server');
        const long = (i: number) => `message ${i} `.repeat(30);
        for (let i = 0; i < 80; i++) await counter.count(long(i), 'm', signal);
        assert.equal(calls.length, 50, 'a minute holds 50 remote counts; the rest are estimated');
        assert.equal(await counter.count(long(60), 'm', signal), estimateTokens(long(60)), 'not cached');
        clock += 60_001;
        assert.equal(await counter.count(long(60), 'm', signal), 3, 'the next minute asks again');
        assert.equal(calls.length, 51);
    });

    void test('after a 429 from /v1/tokenize the counts are estimated until its Retry-After has passed', async () => {
        let clock = 5_000_000;
        const server = await startTestServer((_req, res) => {
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
            res.end(
                JSON.stringify({
                    message: 'You are using a Trial key, which is limited to 100 API calls / minute.',
                }),
            );
        });
        const limited = new CohereClient({ baseUrl: server.url, apiKey: 'm-key', maxRetries: 0 });
        try {
            const failures: unknown[] = [];
            const counter = new TokenCounter(
                (text, model, signal) => countTokens(limited, text, model, { signal }),
                (error) => failures.push(error),
                { now: () => clock },
            );
            const signal = new AbortController().signal;
            const text = (i: number) => `line ${i} of a long message `.repeat(10);
            assert.equal(await counter.count(text(1), 'm', signal), estimateTokens(text(1)));
            for (let i = 2; i < 10; i++) await counter.count(text(i), 'm', signal);
            assert.equal(server.requests.length, 1, 'no call while Retry-After runs');
            clock += 30_001;
            await counter.count(text(10), 'm', signal);
            assert.equal(server.requests.length, 2, 'asked again once it has passed');
            assert.equal(failures.length, 2);
        } finally {
            await limited.close();
            await server.close();
        }
    });

    void test('the estimate counts at least one token per word and about one per 4 characters', () => {
        assert.equal(estimateTokens(''), 0);
        assert.equal(estimateTokens('a b c d e'), 5);
        assert.equal(estimateTokens('x'.repeat(400)), 100);
    });
});

void describe('which VS Code gets Cohere in its chat', () => {
    void test('1.104 and later; 1.100 does not', () => {
        assert.equal(isAtLeast('1.100.3', LANGUAGE_MODEL_PROVIDER_VERSION), false);
        assert.equal(isAtLeast('1.104.0', LANGUAGE_MODEL_PROVIDER_VERSION), true);
        assert.equal(isAtLeast('1.139.1', LANGUAGE_MODEL_PROVIDER_VERSION), true);
        assert.equal(isAtLeast('1.105.0-insider', LANGUAGE_MODEL_PROVIDER_VERSION), true);
        assert.equal(isAtLeast('2.0.0', LANGUAGE_MODEL_PROVIDER_VERSION), true);
    });
});
