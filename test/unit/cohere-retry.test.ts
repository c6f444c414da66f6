// Errors and retries against the fake Cohere server over loopback HTTP: each error code, each retry
// path and what it waited, and what is never retried.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CohereClient, CohereError } from '../../src/cohere/index';
import type { ChatRequest, CohereClientOptions, RetryInfo } from '../../src/cohere/index';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { chatReply, sendJson, startTestServer } from './cohere-test-server';

const BASE_DELAY = 20;
let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());
beforeEach(() => fake.reset());

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
    return { model: 'command-a-03-2025', messages: [{ role: 'user', content: text }], ...extra };
}

function client(options: CohereClientOptions = {}): { client: CohereClient; retries: RetryInfo[] } {
    const retries: RetryInfo[] = [];
    const c = new CohereClient({
        baseUrl: fake.url,
        apiKey: 'test-key',
        retryBaseDelayMs: BASE_DELAY,
        onRetry: (info) => retries.push(info),
        ...options,
    });
    return { client: c, retries };
}

function chatCount(): number {
    return fake.requests.filter((r) => r.path.endsWith('/v2/chat')).length;
}

function isCode(code: string, status?: number) {
    return (error: unknown): boolean => {
        assert.ok(error instanceof CohereError, `a CohereError, got ${String(error)}`);
        assert.equal(error.code, code, error.message);
        if (status !== undefined) assert.equal(error.status, status);
        return true;
    };
}

void describe('retried failures', () => {
    for (const fault of ['500', '503', '504', '502-html']) {
        void test(`a ${fault} is retried once with the base backoff, and the retry succeeds`, async () => {
            const { client: c, retries } = client();
            const response = await c.chat(request(`hello [[fake:${fault}]]`));
            await c.close();
            assert.equal(response.finish_reason, 'COMPLETE');
            assert.equal(chatCount(), 2);
            assert.equal(retries.length, 1);
            assert.equal(retries[0]?.attempt, 2);
            assert.equal(retries[0]?.error.code, 'server');
            const delay = retries[0]?.delayMs ?? -1;
            assert.ok(delay >= BASE_DELAY * 0.9 && delay <= BASE_DELAY * 1.1, `waited ${delay}`);
        });
    }

    void test('a failure that persists is tried 1 + maxRetries times with doubling waits, then rejects', async () => {
        const { client: c, retries } = client();
        await assert.rejects(c.chat(request('hello [[fake:503?times=inf]]')), isCode('server', 503));
        await c.close();
        assert.equal(chatCount(), 3);
        assert.deepEqual(
            retries.map((r) => r.attempt),
            [2, 3],
        );
        const [first, second] = retries.map((r) => r.delayMs);
        assert.ok(first !== undefined && first >= 18 && first <= 22, `first wait ${first}`);
        assert.ok(second !== undefined && second >= 36 && second <= 44, `second wait ${second}`);
    });

    void test('maxRetries per call overrides the client: 0 means one attempt', async () => {
        const { client: c, retries } = client({ maxRetries: 5 });
        await assert.rejects(
            c.chat(request('x [[fake:500?times=inf]]'), { maxRetries: 0 }),
            isCode('server', 500),
        );
        await c.close();
        assert.equal(chatCount(), 1);
        assert.equal(retries.length, 0);
    });

    void test('429 waits what Retry-After says (1 s), reports it, and the retry succeeds', async () => {
        const perCall: RetryInfo[] = [];
        const { client: c, retries } = client();
        const response = await c.chat(request('hi [[fake:429-retry-after]]'), {
            onRetry: (i) => perCall.push(i),
        });
        await c.close();
        assert.equal(response.finish_reason, 'COMPLETE');
        assert.equal(chatCount(), 2);
        assert.equal(retries[0]?.delayMs, 1000);
        assert.equal(retries[0]?.error.code, 'rate_limited');
        assert.equal(retries[0]?.error.retryAfterMs, 1000);
        assert.deepEqual(perCall, retries, 'the per-call onRetry hears the same');
    });

    void test('the wait Retry-After asks for is capped by maxRetryDelayMs', async () => {
        const { client: c, retries } = client({ maxRetryDelayMs: 30 });
        await c.chat(request('hi [[fake:429-retry-after?seconds=5]]'));
        await c.close();
        assert.equal(retries[0]?.error.retryAfterMs, 5000);
        assert.equal(retries[0]?.delayMs, 30);
    });

    void test('by default every wait is capped at 60 s, including one the server asked for', async () => {
        const controller = new AbortController();
        const { client: c, retries } = client();
        await assert.rejects(
            c.chat(request('hi [[fake:429-retry-after?seconds=120]]'), {
                signal: controller.signal,
                onRetry: () => controller.abort(),
            }),
            isCode('aborted'),
        );
        await c.close();
        assert.equal(retries[0]?.error.retryAfterMs, 120_000);
        assert.equal(retries[0]?.delayMs, 60_000);
    });

    void test('a rate limit that persists rejects rate_limited with the wait the server asked for', async () => {
        const { client: c, retries } = client({ maxRetryDelayMs: 5 });
        await assert.rejects(
            c.chat(request('hi [[fake:429-retry-after?times=inf&seconds=7]]')),
            (error: unknown) => {
                isCode('rate_limited', 429)(error);
                assert.equal((error as CohereError).retryAfterMs, 7000);
                assert.equal((error as CohereError).retryable, true);
                return true;
            },
        );
        await c.close();
        assert.equal(retries.length, 2);
        assert.equal(chatCount(), 3);
    });

    void test('429 with X-RateLimit-Reset waits until that time', async () => {
        const { client: c, retries } = client();
        await c.chat(request('hi [[fake:429-reset]]'));
        await c.close();
        assert.equal(chatCount(), 2);
        const delay = retries[0]?.delayMs ?? -1;
        assert.ok(retries[0]?.error.retryAfterMs !== undefined, 'the reset time was read');
        assert.ok(delay > 0 && delay <= 2000, `waited ${delay}`);
        assert.notEqual(delay, BASE_DELAY, 'not the backoff');
    });

    void test('Retry-After as an HTTP date is honoured, and a 408 is retried too', async () => {
        let calls = 0;
        const server = await startTestServer((_req, res) => {
            calls++;
            if (calls === 1) {
                const date = new Date(Date.now() + 3000).toUTCString();
                sendJson(res, 503, { message: 'overloaded' }, { 'retry-after': date });
            } else if (calls === 2) {
                sendJson(res, 408, { message: 'request timeout' });
            } else {
                sendJson(res, 200, chatReply('third time'));
            }
        });
        const retries: RetryInfo[] = [];
        const c = new CohereClient({
            baseUrl: server.url,
            apiKey: 'k',
            retryBaseDelayMs: BASE_DELAY,
            maxRetryDelayMs: 50,
            onRetry: (info) => retries.push(info),
        });
        const response = await c.chat(request('hi'));
        await c.close();
        await server.close();
        assert.deepEqual(response.message.content, [{ type: 'text', text: 'third time' }]);
        const asked = retries[0]?.error.retryAfterMs ?? 0;
        assert.ok(asked > 1000 && asked <= 3000, `the date asked for ${asked} ms`);
        assert.equal(retries[0]?.delayMs, 50, 'capped');
        assert.equal(retries[1]?.error.code, 'timeout');
        assert.equal(retries[1]?.error.status, 408);
        const backoff = retries[1]?.delayMs ?? -1;
        assert.ok(backoff >= 36 && backoff <= 44, `second retry backs off 2x base: ${backoff}`);
    });

    void test('a stream is retried on a status error before it starts', async () => {
        const { client: c, retries } = client({ maxRetryDelayMs: 10 });
        const response = await c.chatStream(request('hi [[fake:429-retry-after]]')).response;
        await c.close();
        assert.equal(chatCount(), 2);
        assert.equal(retries.length, 1);
        assert.ok((response.message.content?.length ?? 0) > 0);
    });

    void test('a refused connection is retried, then rejects network', async () => {
        const port = await closedPort();
        const { client: c, retries } = client({ baseUrl: `http://127.0.0.1:${port}`, retryBaseDelayMs: 1 });
        await assert.rejects(c.chat(request('hi')), isCode('network'));
        await c.close();
        assert.equal(retries.length, 2);
        assert.equal(retries[0]?.error.code, 'network');
    });

    // The wait asked for is 30 s; the test's 10 s limit fails it if the abort does not end the wait.
    void test(
        'an abort during the wait before a retry rejects aborted at once',
        { timeout: 10_000 },
        async () => {
            const controller = new AbortController();
            // Aborted once the wait has begun (the retry is announced just before it).
            const { client: c } = client({ onRetry: () => setImmediate(() => controller.abort()) });
            await assert.rejects(
                c.chat(request('hi [[fake:429-retry-after?seconds=30]]'), { signal: controller.signal }),
                isCode('aborted'),
            );
            const streamController = new AbortController();
            const stream = c.chatStream(request('a stream [[fake:429-retry-after?seconds=30]]'), {
                signal: streamController.signal,
                onRetry: () => setImmediate(() => streamController.abort()),
            });
            await assert.rejects(stream.response, isCode('aborted'));
            await c.close();
            assert.equal(chatCount(), 2);
        },
    );
});

void describe('failures that are never retried', () => {
    const cases: [string, ChatRequest, string, number, RegExp][] = [
        ['400 (temperature)', request('hi', { temperature: 2 }), 'bad_request', 400, /temperature/],
        ['400 (no messages)', { model: 'command-a-03-2025' } as ChatRequest, 'bad_request', 400, /./],
        [
            '422 (unknown field)',
            { ...request('hi'), requires_confirmation: true } as ChatRequest,
            'bad_request',
            422,
            /unknown field: parameter 'requires_confirmation'/,
        ],
        [
            '404 (unknown model)',
            request('hi', { model: 'no-such-model' }),
            'not_found',
            404,
            /model 'no-such-model' not found/,
        ],
        ['498', request('hi [[fake:498?times=inf]]'), 'invalid_token', 498, /./],
        ['499', request('hi [[fake:499?times=inf]]'), 'aborted', 499, /./],
    ];
    for (const [name, body, code, status, words] of cases) {
        void test(`${name} rejects ${code} with the server's words after one attempt`, async () => {
            const { client: c, retries } = client();
            await assert.rejects(c.chat(body), (error: unknown) => {
                isCode(code, status)(error);
                assert.match((error as Error).message, words);
                assert.equal((error as CohereError).retryable, false);
                return true;
            });
            await c.close();
            assert.equal(chatCount(), 1);
            assert.equal(retries.length, 0);
        });
    }

    void test('401 with a wrong key rejects unauthorized with the server words, once', async () => {
        const { client: c, retries } = client({ apiKey: 'wrong-key' });
        await assert.rejects(c.chat(request('hi')), (error: unknown) => {
            isCode('unauthorized', 401)(error);
            assert.equal((error as Error).message, 'invalid api token');
            return true;
        });
        await c.close();
        assert.equal(chatCount(), 1);
        assert.equal(retries.length, 0);
    });

    void test('403 rejects forbidden, once', async () => {
        const server = await startTestServer((_req, res) =>
            sendJson(res, 403, { message: 'not allowed here' }),
        );
        const c = new CohereClient({ baseUrl: server.url, apiKey: 'k', retryBaseDelayMs: 1 });
        await assert.rejects(c.chat(request('hi')), (error: unknown) => {
            isCode('forbidden', 403)(error);
            assert.equal((error as Error).message, 'not allowed here');
            return true;
        });
        await c.close();
        await server.close();
        assert.equal(server.requests.length, 1);
    });

    void test('a stream cut after events were delivered is not retried', async () => {
        const { client: c, retries } = client();
        const stream = c.chatStream(request('hi [[fake:cut-before-end]]'));
        let events = 0;
        await assert.rejects(
            (async () => {
                for await (const _event of stream) events++;
            })(),
            isCode('interrupted'),
        );
        await assert.rejects(stream.response, isCode('interrupted'));
        await c.close();
        assert.ok(events > 0);
        assert.equal(chatCount(), 1);
        assert.equal(retries.length, 0);
    });
});

void describe('error messages', () => {
    void test("a proxy's HTML 502 page gives its status and title, the whole page kept as the detail", async () => {
        const { client: c } = client();
        await assert.rejects(
            c.chat(request('hi [[fake:502-html?times=inf]]'), { maxRetries: 0 }),
            (error: unknown) => {
                isCode('server', 502)(error);
                assert.equal((error as Error).message, 'HTTP 502: Bad Gateway');
                assert.match((error as CohereError).detail ?? '', /<title>502 Bad Gateway<\/title>.*nginx/s);
                return true;
            },
        );
        await c.close();
    });

    void test('a slow first byte fails with timeout when it is slower than timeoutMs', async () => {
        const { client: c } = client({ timeoutMs: 100 });
        await assert.rejects(c.chat(request('hi [[fake:slow-first-byte?ms=1000]]')), isCode('timeout'));
        await c.close();
    });

    void test('a stall mid-stream fails with timeout', async () => {
        const { client: c } = client({ timeoutMs: 150 });
        const stream = c.chatStream(request('hi [[fake:stall?ms=3000&after=3]]'));
        await assert.rejects(stream.response, isCode('timeout'));
        await c.close();
        assert.ok((stream.snapshot().id ?? '') !== '', 'the events before the stall were kept');
    });

    void test('message-end with an error rejects generation with the server words', async () => {
        const { client: c } = client();
        const stream = c.chatStream(request('hi [[fake:generation-error]]'));
        await assert.rejects(stream.response, (error: unknown) => {
            isCode('generation')(error);
            assert.ok((error as Error).message.length > 0);
            return true;
        });
        await c.close();
    });
});

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}
