// Streams on the wire: how they end, break, stall and get cancelled.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from 'undici';
import { CohereClient, CohereError } from '../../src/cohere/index';
import type { ChatStreamEvent } from '../../src/cohere/index';
import {
    CONTENT_START,
    MESSAGE_END,
    MESSAGE_START,
    USER_HELLO,
    contentDelta,
    sseEvent,
    startTestServer,
} from './cohere-test-server';
import type { TestServer } from './cohere-test-server';

type Behaviour = (res: ServerResponse, attempt: number) => void;

/**
 * All twelve event types of the API, plus a type and a field it may add one day: thinking, a tool
 * plan, a tool call whose arguments come in two pieces, text with a citation.
 */
const EVERY_TYPE: Record<string, unknown>[] = [
    { type: 'message-start', id: 'gen-every', delta: { message: { role: 'assistant' } } },
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'thinking', thinking: '' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'Look it up.' } } } },
    { type: 'content-end', index: 0 },
    { type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will search ' } } },
    { type: 'tool-plan-delta', delta: { message: { tool_plan: 'for penguins.' } } },
    {
        type: 'tool-call-start',
        index: 0,
        delta: {
            message: {
                tool_calls: { id: 'call-1', type: 'function', function: { name: 'search', arguments: '' } },
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
        delta: { message: { tool_calls: { function: { arguments: '"penguins"}' } } } },
    },
    { type: 'tool-call-end', index: 0 },
    { type: 'content-start', index: 1, delta: { message: { content: { type: 'text', text: '' } } } },
    {
        type: 'content-delta',
        index: 1,
        delta: { message: { content: { text: 'Penguins are tall.' } } },
        future_field: { kept: true },
    },
    {
        type: 'citation-start',
        index: 0,
        delta: {
            message: {
                citations: {
                    start: 0,
                    end: 8,
                    text: 'Penguins',
                    content_index: 1,
                    sources: [{ type: 'document', id: 'd1', document: { id: 'd1', snippet: 'Penguins' } }],
                },
            },
        },
    },
    { type: 'citation-end', index: 0 },
    { type: 'content-end', index: 1 },
    { type: 'debug', prompt: '<the rendered prompt>' },
    { type: 'future-event', payload: { x: 1 } },
    {
        type: 'message-end',
        delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 3, output_tokens: 5 } } },
    },
];

/** Behaviours by the `x-test` header; `attempt` counts requests with that header (1 = first). */
const behaviours: Record<string, Behaviour> = {
    'done-in-content': (res) => {
        sse(res);
        res.end(
            MESSAGE_START +
                CONTENT_START +
                contentDelta('[DONE]') +
                contentDelta(' data: [DONE]') +
                MESSAGE_END,
        );
    },
    'no-done': (res) => {
        sse(res);
        res.end(MESSAGE_START + CONTENT_START + contentDelta('all') + MESSAGE_END);
    },
    'cut-before-end': (res) => {
        sse(res);
        res.write(MESSAGE_START + CONTENT_START + contentDelta('one') + contentDelta('two'), () => {
            setTimeout(() => res.destroy(), 20);
        });
    },
    'clean-end-before-message-end': (res) => {
        sse(res);
        res.end(MESSAGE_START + CONTENT_START + contentDelta('partial'));
    },
    'done-before-message-end': (res) => {
        sse(res);
        res.end(MESSAGE_START + contentDelta('partial') + 'data: [DONE]\n\n');
    },
    'cut-after-end': (res) => {
        sse(res);
        res.write(MESSAGE_START + CONTENT_START + contentDelta('whole') + MESSAGE_END, () => {
            setTimeout(() => res.destroy(), 20);
        });
    },
    'generation-error': (res) => {
        sse(res);
        const end = {
            type: 'message-end',
            delta: { finish_reason: 'ERROR', error: 'internal: model crashed' },
        };
        res.end(MESSAGE_START + CONTENT_START + contentDelta('so far') + sseEvent(end) + 'data: [DONE]\n\n');
    },
    'cut-before-any-event': (res, attempt) => {
        sse(res);
        if (attempt === 1) res.flushHeaders();
        if (attempt === 1) setTimeout(() => res.destroy(), 20);
        else res.end(MESSAGE_START + CONTENT_START + contentDelta('second try') + MESSAGE_END);
    },
    endless: (res) => {
        sse(res);
        res.write(MESSAGE_START + CONTENT_START);
        const timer = setInterval(() => res.write(contentDelta('more ')), 10);
        res.on('close', () => clearInterval(timer));
    },
    'garbage-then-endless': (res) => {
        sse(res);
        res.write(MESSAGE_START + 'data: {broken\n\n');
        const timer = setInterval(() => res.write(': still here\n'), 10);
        res.on('close', () => clearInterval(timer));
    },
    stall: (res) => {
        sse(res);
        res.write(MESSAGE_START + CONTENT_START + contentDelta('before the silence'));
    },
    'no-head': () => {
        // Never answers: the head timeout must end the wait.
    },
    'json-instead-of-sse': (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"message":"I am not a stream"}');
    },
    'every-type': (res) => {
        sse(res);
        res.end(EVERY_TYPE.map((event) => sseEvent(event)).join('') + 'data: [DONE]\n\n');
    },
    'not-json-event': (res) => {
        sse(res);
        res.end(MESSAGE_START + 'data: {broken\n\n');
    },
};

function sse(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
}

let server: TestServer;
const attempts = new Map<string, number>();
before(async () => {
    server = await startTestServer((req, res) => {
        const name = String(req.headers['x-test']);
        const attempt = (attempts.get(name) ?? 0) + 1;
        attempts.set(name, attempt);
        const behaviour = behaviours[name];
        if (behaviour === undefined) throw new Error(`no behaviour ${name}`);
        behaviour(res, attempt);
    });
});
after(() => server.close());
beforeEach(() => {
    server.requests.length = 0;
    attempts.clear();
});

function client(options: { timeoutMs?: number } = {}): CohereClient {
    return new CohereClient({ baseUrl: server.url, apiKey: 'k', retryBaseDelayMs: 1, ...options });
}

function streamOf(c: CohereClient, name: string, signal?: AbortSignal) {
    return c.chatStream(USER_HELLO, { headers: { 'x-test': name }, ...(signal ? { signal } : {}) });
}

/** Iterates to the end; returns the events and the error the iteration ended with, if any. */
async function drain(
    stream: AsyncIterable<ChatStreamEvent>,
): Promise<{ events: ChatStreamEvent[]; error?: unknown }> {
    const events: ChatStreamEvent[] = [];
    try {
        for await (const event of stream) events.push(event);
        return { events };
    } catch (error) {
        return { events, error };
    }
}

function textOf(events: ChatStreamEvent[]): string {
    return events
        .map((e) => (e.type === 'content-delta' ? (e.delta?.message?.content?.text ?? '') : ''))
        .join('');
}

/**
 * A stream that never settles would hang the whole file; each suite fails after this instead. Every
 * test here takes well under a second.
 */
const HANG_GUARD = { timeout: 20_000 };

void describe('how a stream ends', HANG_GUARD, () => {
    void test('[DONE] inside content text is content, not the end', async () => {
        const c = client();
        const stream = streamOf(c, 'done-in-content');
        const { events, error } = await drain(stream);
        const response = await stream.response;
        await c.close();
        assert.equal(error, undefined);
        assert.equal(textOf(events), '[DONE] data: [DONE]');
        assert.deepEqual(response.message.content, [{ type: 'text', text: '[DONE] data: [DONE]' }]);
    });

    void test('a body that ends after message-end without [DONE] is a normal end', async () => {
        const c = client();
        const stream = streamOf(c, 'no-done');
        const { events, error } = await drain(stream);
        const response = await stream.response;
        await c.close();
        assert.equal(error, undefined);
        assert.equal(events.at(-1)?.type, 'message-end');
        assert.equal(response.finish_reason, 'COMPLETE');
        assert.equal(response.id, 'gen-1');
    });

    void test('a connection cut after message-end loses nothing', async () => {
        const c = client();
        const stream = streamOf(c, 'cut-after-end');
        const { error } = await drain(stream);
        const response = await stream.response;
        await c.close();
        assert.equal(error, undefined);
        assert.deepEqual(response.message.content, [{ type: 'text', text: 'whole' }]);
    });

    void test('a cut before message-end rejects interrupted, saying how far the reply got, after yielding every event that arrived, and is not retried', async () => {
        const c = client();
        const stream = streamOf(c, 'cut-before-end');
        const { events, error } = await drain(stream);
        await assert.rejects(stream.response, {
            code: 'interrupted',
            message: 'The connection was cut after 6 characters of the reply, before it was complete.',
        });
        await c.close();
        assert.ok(error instanceof CohereError && error.code === 'interrupted');
        assert.equal(textOf(events), 'onetwo');
        assert.equal(server.requests.length, 1);
        assert.deepEqual(stream.snapshot().message.content, [{ type: 'text', text: 'onetwo' }]);
    });

    void test('a reader that starts after the stream failed still gets every event that arrived, then the error', async () => {
        const c = client();
        const stream = streamOf(c, 'cut-before-end');
        await assert.rejects(stream.response, { code: 'interrupted' });
        const { events, error } = await drain(stream);
        await c.close();
        assert.deepEqual(
            events.map((e) => e.type),
            ['message-start', 'content-start', 'content-delta', 'content-delta'],
        );
        assert.equal(textOf(events), 'onetwo');
        assert.ok(error instanceof CohereError && error.code === 'interrupted', String(error));
    });

    void test('a clean end before message-end rejects protocol', async () => {
        const c = client();
        const stream = streamOf(c, 'clean-end-before-message-end');
        const { events } = await drain(stream);
        await assert.rejects(stream.response, { code: 'protocol' });
        await c.close();
        assert.equal(textOf(events), 'partial');
    });

    void test('[DONE] before message-end rejects protocol', async () => {
        const c = client();
        const stream = streamOf(c, 'done-before-message-end');
        await assert.rejects(stream.response, { code: 'protocol' });
        await c.close();
    });

    void test('message-end with an error rejects generation with its words, after the events', async () => {
        const c = client();
        const stream = streamOf(c, 'generation-error');
        const { events, error } = await drain(stream);
        await assert.rejects(stream.response, (e: unknown) => {
            return (
                e instanceof CohereError && e.code === 'generation' && e.message === 'internal: model crashed'
            );
        });
        await c.close();
        assert.ok(error instanceof CohereError && error.code === 'generation');
        assert.equal(events.at(-1)?.type, 'message-end');
        assert.equal(textOf(events), 'so far');
    });

    void test('a failure before any event was handed on is retried', async () => {
        const c = client();
        const stream = streamOf(c, 'cut-before-any-event');
        const response = await stream.response;
        await c.close();
        assert.equal(server.requests.length, 2);
        assert.deepEqual(response.message.content, [{ type: 'text', text: 'second try' }]);
    });

    void test('a 200 that is not an event stream rejects protocol', async () => {
        const c = client();
        await assert.rejects(streamOf(c, 'json-instead-of-sse').response, { code: 'protocol' });
        await c.close();
    });

    void test('an event that is not JSON rejects protocol', async () => {
        const c = client();
        await assert.rejects(streamOf(c, 'not-json-event').response, { code: 'protocol' });
        await c.close();
    });

    void test(
        'response resolves without anyone iterating, and a late reader still gets every event',
        { timeout: 10_000 },
        async () => {
            const c = client();
            const stream = streamOf(c, 'no-done');
            const response = await stream.response;
            const { events } = await drain(stream);
            await c.close();
            assert.equal(textOf(events), 'all');
            assert.deepEqual(
                events.map((e) => e.type),
                ['message-start', 'content-start', 'content-delta', 'message-end'],
            );
            assert.equal(response.usage?.billed_units?.output_tokens, 2);
        },
    );
});

void describe('what a stream yields and adds up to', HANG_GUARD, () => {
    void test('every event is yielded exactly as parsed from the wire, in order, unknown types included', async () => {
        const c = client();
        const stream = streamOf(c, 'every-type');
        const { events, error } = await drain(stream);
        await stream.response;
        await c.close();
        assert.equal(error, undefined);
        assert.deepEqual(events, EVERY_TYPE);
    });

    void test('response is the assembled reply: blocks in index order, plan, whole arguments, citations', async () => {
        const c = client();
        const response = await streamOf(c, 'every-type').response;
        await c.close();
        assert.deepEqual(response, {
            id: 'gen-every',
            finish_reason: 'COMPLETE',
            message: {
                role: 'assistant',
                content: [
                    { type: 'thinking', thinking: 'Look it up.' },
                    { type: 'text', text: 'Penguins are tall.' },
                ],
                tool_plan: 'I will search for penguins.',
                tool_calls: [
                    {
                        id: 'call-1',
                        type: 'function',
                        function: { name: 'search', arguments: '{"q":"penguins"}' },
                    },
                ],
                citations: [
                    {
                        start: 0,
                        end: 8,
                        text: 'Penguins',
                        content_index: 1,
                        sources: [
                            { type: 'document', id: 'd1', document: { id: 'd1', snippet: 'Penguins' } },
                        ],
                    },
                ],
            },
            usage: { billed_units: { input_tokens: 3, output_tokens: 5 } },
        });
    });
});

void describe('cancel and timeouts', HANG_GUARD, () => {
    // The streams here are endless: a cancel that does not work hangs, and the test's limit fails it.
    void test(
        'abort mid-stream rejects aborted at once and the server sees the socket close',
        { timeout: 10_000 },
        async () => {
            const c = client();
            const controller = new AbortController();
            const stream = streamOf(c, 'endless', controller.signal);
            let seen = 0;
            const iteration = (async () => {
                for await (const event of stream) {
                    if (event.type === 'content-delta' && ++seen === 3) controller.abort();
                }
            })();
            await assert.rejects(iteration, { code: 'aborted' });
            await assert.rejects(stream.response, { code: 'aborted' });
            assert.equal(server.requests.length, 1);
            await server.requests[0]?.socketClosed;
            await c.close();
            assert.equal(seen, 3);
        },
    );

    void test(
        'a broken event mid-stream rejects protocol and frees the socket',
        { timeout: 10_000 },
        async () => {
            const c = client();
            const stream = streamOf(c, 'garbage-then-endless');
            await assert.rejects(stream.response, { code: 'protocol' });
            assert.equal(server.requests.length, 1);
            await server.requests[0]?.socketClosed;
            await c.close();
        },
    );

    void test('an abort before the call sends nothing', async () => {
        const c = client();
        const controller = new AbortController();
        controller.abort();
        await assert.rejects(streamOf(c, 'no-done', controller.signal).response, { code: 'aborted' });
        await assert.rejects(c.chat(USER_HELLO, { signal: controller.signal }), { code: 'aborted' });
        await c.close();
        assert.equal(server.requests.length, 0);
    });

    void test(
        'leaving the loop early cancels the request and frees the socket',
        { timeout: 10_000 },
        async () => {
            const c = client();
            const stream = streamOf(c, 'endless');
            for await (const event of stream) {
                if (event.type === 'content-delta') break;
            }
            await assert.rejects(stream.response, { code: 'aborted' });
            assert.equal(server.requests.length, 1);
            await server.requests[0]?.socketClosed;
            await c.close();
        },
    );

    void test('a stream that stalls mid-body fails with timeout after the events that came', async () => {
        const c = client({ timeoutMs: 150 });
        const stream = streamOf(c, 'stall');
        const { events, error } = await drain(stream);
        await c.close();
        assert.ok(error instanceof CohereError && error.code === 'timeout', String(error));
        assert.equal(textOf(events), 'before the silence');
        assert.equal(server.requests.length, 1);
    });

    // In these two the right timeout fires in about 100 ms. A guard signal ends the call at 10 s
    // instead, as 'aborted', if the timeout that should have fired did not (the other is 60 s or more).
    void test('a per-call timeoutMs replaces the client timeout for the head', async () => {
        const c = client({ timeoutMs: 60_000 });
        const guard = AbortSignal.timeout(10_000);
        await assert.rejects(
            c.chat(USER_HELLO, { headers: { 'x-test': 'no-head' }, timeoutMs: 100, signal: guard }),
            (e: unknown) => e instanceof CohereError && e.code === 'timeout',
        );
        const stream = c.chatStream(USER_HELLO, {
            headers: { 'x-test': 'stall' },
            timeoutMs: 100,
            signal: guard,
        });
        await assert.rejects(
            stream.response,
            (e: unknown) => e instanceof CohereError && e.code === 'timeout',
        );
        await c.close();
    });

    void test("the client timeoutMs bounds the head with a dispatcher passed in, whatever that dispatcher's own timeouts", async () => {
        const dispatcher = new Agent({ headersTimeout: 300_000, bodyTimeout: 300_000 });
        const c = new CohereClient({ baseUrl: server.url, apiKey: 'k', timeoutMs: 100, dispatcher });
        const guard = AbortSignal.timeout(10_000);
        await assert.rejects(
            c.chat(USER_HELLO, { headers: { 'x-test': 'no-head' }, signal: guard }),
            (e: unknown) => e instanceof CohereError && e.code === 'timeout',
        );
        const stream = c.chatStream(USER_HELLO, { headers: { 'x-test': 'stall' }, signal: guard });
        await assert.rejects(
            stream.response,
            (e: unknown) => e instanceof CohereError && e.code === 'timeout',
        );
        await c.close();
        await dispatcher.close();
    });

    void test('a server that never sends the head fails with timeout, per call too', async () => {
        const c = client({ timeoutMs: 60_000 });
        await assert.rejects(
            c.chat(USER_HELLO, { headers: { 'x-test': 'no-head' }, timeoutMs: 100 }),
            (e: unknown) => e instanceof CohereError && e.code === 'timeout' && /start/.test(e.message),
        );
        await c.close();
        assert.equal(server.requests.length, 1, 'a timeout is not retried');
    });
});
