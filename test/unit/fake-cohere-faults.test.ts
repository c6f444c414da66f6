// The fake Cohere server's faults, fault counting, split writes and determinism, seen on the raw wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatResponse } from '../../src/cohere/types';
import { assembleChecked, chatBody, eventsOf, ofType } from '../fake-cohere/checks';
import { GENERATION_ERROR } from '../fake-cohere/scenarios';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { completeFrames, exchange, parseFrames } from '../fake-cohere/wire';
import type { Exchange, ExchangeOptions } from '../fake-cohere/wire';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

function chat(body: unknown, options: Partial<ExchangeOptions> = {}): Promise<Exchange> {
    return exchange(fake.url, { path: '/v2/chat', body, ...options });
}

function stream(text: string, extra: Record<string, unknown> = {}): Promise<Exchange> {
    return chat(chatBody(text, { stream: true, ...extra }));
}

function messageOf(answer: Exchange): string {
    return (JSON.parse(answer.text) as { message: string }).message;
}

void describe('status faults', () => {
    const cases: [string, number, RegExp][] = [
        ['429-retry-after', 429, /per minute request limit/],
        ['429-reset', 429, /per minute request limit/],
        ['500', 500, /internal server error/],
        ['503', 503, /unavailable/],
        ['504', 504, /gateway timeout/],
        ['498', 498, /blocked/],
        ['499', 499, /request cancelled/],
    ];
    for (const [fault, status, words] of cases) {
        void test(`${fault} answers ${status} with a JSON message once, then the same request succeeds`, async () => {
            const body = chatBody(`status case [[fake:${fault}]]`);
            const failed = await chat(body);
            assert.equal(failed.status, status);
            assert.equal(failed.headers['content-type'], 'application/json');
            assert.match(messageOf(failed), words);
            const retried = await chat(body);
            assert.equal(retried.status, 200, retried.text);
        });
    }

    void test('429-retry-after sends Retry-After: 1, or the seconds asked for', async () => {
        assert.equal((await chat(chatBody('ra [[fake:429-retry-after]]'))).headers['retry-after'], '1');
        assert.equal(
            (await chat(chatBody('ra [[fake:429-retry-after?seconds=7]]'))).headers['retry-after'],
            '7',
        );
    });

    void test('429-reset sends X-RateLimit-Reset as unix seconds one second ahead', async () => {
        const before = Math.floor(Date.now() / 1000);
        const answer = await chat(chatBody('reset [[fake:429-reset]]'));
        const reset = Number(answer.headers['x-ratelimit-reset']);
        assert.ok(Number.isInteger(reset), answer.headers['x-ratelimit-reset']);
        assert.ok(reset >= before + 1 && reset <= Math.floor(Date.now() / 1000) + 1, `${reset} vs ${before}`);
        assert.equal(answer.headers['retry-after'], undefined);
    });

    void test('502-html answers a proxy HTML page as text/html', async () => {
        const answer = await chat(chatBody('proxy [[fake:502-html]]'));
        assert.equal(answer.status, 502);
        assert.equal(answer.headers['content-type'], 'text/html');
        assert.match(answer.text, /^<html>[\s\S]*502 Bad Gateway[\s\S]*<\/html>\s*$/);
    });

    void test('slow-first-byte in the header withholds the head on the other routes too', async () => {
        const signal = AbortSignal.timeout(300);
        await assert.rejects(
            exchange(fake.url, {
                path: '/v1/models',
                headers: { 'x-fake-scenario': 'slow-first-byte?ms=60000' },
                signal,
            }),
            /no response head/,
        );
        const short = await exchange(fake.url, {
            path: '/v1/models/command-a-03-2025',
            headers: { 'x-fake-scenario': 'slow-first-byte?ms=10' },
        });
        assert.equal(short.status, 200);
    });

    void test('a header fault applies to the other routes too', async () => {
        const answer = await exchange(fake.url, {
            path: '/v1/models',
            headers: { 'x-fake-scenario': '503' },
        });
        assert.equal(answer.status, 503);
        const next = await exchange(fake.url, { path: '/v1/models', headers: { 'x-fake-scenario': '503' } });
        assert.equal(next.status, 200);
    });
});

void describe('fault counting', () => {
    void test('times=N fails N times, then the same request succeeds', async () => {
        const body = chatBody('twice [[fake:500?times=2]]');
        assert.deepEqual(
            [(await chat(body)).status, (await chat(body)).status, (await chat(body)).status],
            [500, 500, 200],
        );
    });

    void test('times=inf always fails', async () => {
        const body = chatBody('always [[fake:503?times=inf]]');
        for (let i = 0; i < 4; i++) assert.equal((await chat(body)).status, 503);
    });

    void test('faults are counted per last user message: another message fails again', async () => {
        assert.equal((await chat(chatBody('first words [[fake:500]]'))).status, 500);
        assert.equal((await chat(chatBody('other words [[fake:500]]'))).status, 500);
        assert.equal((await chat(chatBody('first words [[fake:500]]'))).status, 200);
    });

    void test('a header fault is counted per last user message as well', async () => {
        const headers = { 'x-fake-scenario': '504' };
        assert.equal((await chat(chatBody('header counted'), { headers })).status, 504);
        assert.equal((await chat(chatBody('header counted'), { headers })).status, 200);
        assert.equal((await chat(chatBody('header counted again'), { headers })).status, 504);
    });

    void test('reset() clears the counters, so the fault applies again', async () => {
        const body = chatBody('resettable [[fake:500]]');
        assert.equal((await chat(body)).status, 500);
        fake.reset();
        assert.equal((await chat(body)).status, 500);
        assert.equal((await chat(body)).status, 200);
    });

    void test('several faults in one spec apply in turn: a 500, then a cut stream, then the reply', async () => {
        const body = chatBody('in turn [[fake:500,cut-before-end]]', { stream: true });
        assert.equal((await chat(body)).status, 500);
        const cut = await chat(body);
        assert.equal(cut.status, 200);
        assert.ok(cut.cut);
        const whole = await chat(body);
        assert.ok(whole.complete);
        assembleChecked(eventsOf(whole));
    });
});

void describe('delivery faults', () => {
    void test('cut-before-end drops the connection after some deltas, before message-end', async () => {
        const answer = await stream('cut me [[fake:cut-before-end]]');
        assert.equal(answer.status, 200);
        assert.ok(answer.cut && !answer.complete);
        const events = completeFrames(answer.text).map((frame) => JSON.parse(frame.data) as { type: string });
        assert.equal(events[0]?.type, 'message-start');
        assert.ok(events.filter((event) => event.type === 'content-delta').length >= 2);
        assert.ok(!events.some((event) => event.type === 'message-end'));
        assert.ok(
            (await stream('cut me [[fake:cut-before-end]]')).complete,
            'the retry gets the whole stream',
        );
    });

    void test('cut-before-end on a non-streamed chat sends half the body, then drops the connection', async () => {
        const answer = await chat(chatBody('cut json [[fake:cut-before-end]]'));
        assert.ok(answer.cut);
        assert.ok(answer.body.length < Number(answer.headers['content-length']));
        assert.throws(() => JSON.parse(answer.text) as unknown);
    });

    void test('cut-after-end sends message-end, then drops the connection before [DONE]', async () => {
        const answer = await stream('late cut [[fake:cut-after-end]]');
        assert.ok(!answer.complete, 'the chunked body never ends');
        const events = eventsOf(answer, { done: false });
        assert.equal(events.at(-1)?.type, 'message-end');
        assert.ok(!answer.text.includes('[DONE]'));
    });

    void test('no-done ends cleanly after message-end without [DONE]', async () => {
        const answer = await stream('no done [[fake:no-done]]');
        assert.ok(answer.complete);
        const events = eventsOf(answer, { done: false });
        assert.equal(events.at(-1)?.type, 'message-end');
        assert.ok(!answer.text.includes('[DONE]'));
    });

    void test('generation-error ends with message-end ERROR, delta.error, error_type and usage {} (as recorded), mid-block, then [DONE]', async () => {
        const answer = await stream('fail [[fake:generation-error]]');
        const events = eventsOf(answer);
        const assembled = assembleChecked(events, { interrupted: true });
        assert.equal(assembled.finishReason, 'ERROR');
        assert.equal(assembled.error, GENERATION_ERROR);
        assert.deepEqual(ofType(events, 'message-end')[0]?.delta, {
            finish_reason: 'ERROR',
            usage: {},
            error: GENERATION_ERROR,
            error_type: 'INVALID_TOOL_GENERATION',
        });
        assert.equal(ofType(events, 'content-end').length, 0, 'the interrupted block never ends');
        assert.ok(ofType(events, 'content-delta').length > 0, 'some text arrived first');
        const json = JSON.parse(
            (await chat(chatBody('fail json [[fake:generation-error]]'))).text,
        ) as ChatResponse;
        assert.equal(json.finish_reason, 'ERROR');
    });

    void test('slow-first-byte withholds the response head', async () => {
        const signal = AbortSignal.timeout(300);
        await assert.rejects(
            chat(chatBody('slow head [[fake:slow-first-byte?ms=60000]]'), { signal }),
            /no response head/,
        );
    });

    void test('slow-first-byte with a short wait still gives the same bytes as the normal reply', async () => {
        const body = chatBody('short wait [[fake:slow-first-byte?ms=20]]', { stream: true });
        const slow = await chat(body);
        const normal = await chat(body);
        assert.ok(slow.complete);
        assert.deepEqual(slow.body, normal.body);
    });

    void test('stall sends K events, then goes silent', async () => {
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const answer = await chat(chatBody('stall [[fake:stall?ms=60000&after=3]]', { stream: true }), {
            signal: controller.signal,
            onBytes: (received) => {
                const text = received.toString('utf8');
                // Once 3 events are in, give the server time to send a fourth it should not send.
                if (timer === undefined && (text.match(/\n\n/g)?.length ?? 0) >= 3) {
                    timer = setTimeout(() => controller.abort(), 300);
                }
            },
        });
        clearTimeout(timer);
        assert.ok(!answer.complete);
        assert.equal(completeFrames(answer.text).length, 3);
    });

    void test('stall with a short silence delivers the whole normal stream', async () => {
        const body = chatBody('short stall [[fake:stall?ms=20&after=2]]', { stream: true });
        const stalled = await chat(body);
        assert.ok(stalled.complete);
        assert.deepEqual(stalled.body, (await chat(body)).body);
    });

    void test('slow writes every event on its own (one HTTP chunk each), with the normal bytes', async () => {
        const body = chatBody('slow [[fake:slow?ms=2]]', { stream: true });
        const slow = await chat(body);
        const normal = await chat(body);
        assert.deepEqual(slow.body, normal.body);
        const frames = parseFrames(slow.text);
        assert.equal(slow.chunks.length, frames.length);
        assert.deepEqual(
            slow.chunks.map((chunk) => chunk.toString('utf8')),
            frames.map(
                (frame) =>
                    (frame.event === undefined ? '' : `event: ${frame.event}\n`) + `data: ${frame.data}\n\n`,
            ),
        );
    });

    void test('close() ends a slow stream and resolves', async (t) => {
        const own = await startFakeCohere();
        t.after(() => own.close());
        const pending = exchange(own.url, {
            path: '/v2/chat',
            body: chatBody('[[fake:slow?ms=60000]]', { stream: true }),
        });
        while (own.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await own.close();
        const answer = await pending;
        assert.ok(answer.cut);
    });
});

void describe('split writes', () => {
    void test('split-bytes writes every byte separately; the bytes equal the normal stream', async () => {
        const body = chatBody('bytes 🐧 [[fake:rag-inline,split-bytes]]', {
            stream: true,
            documents: ['Penguins swim.'],
        });
        const split = await chat(body);
        const normal = await chat(body);
        assert.ok(split.complete);
        assert.ok(split.chunks.length > 100);
        assert.ok(split.chunks.every((chunk) => chunk.length === 1));
        assert.deepEqual(split.body, normal.body);
        assert.ok(normal.chunks.length < 5, 'the normal stream goes out in a few large writes');
    });

    void test('split-utf8 cuts the body inside multi-byte characters; the bytes equal the normal stream', async () => {
        const body = chatBody('utf8 日本語 [[fake:split-utf8]]', { stream: true });
        const split = await chat(body);
        const normal = await chat(body);
        assert.deepEqual(split.body, normal.body);
        assert.ok(split.chunks.length > 3);
        for (const chunk of split.chunks.slice(1)) {
            assert.equal(
                chunk[0]! & 0xc0,
                0x80,
                'each chunk after the first starts with a continuation byte',
            );
        }
        const decoder = new TextDecoder('utf-8', { fatal: true });
        assert.throws(() => decoder.decode(split.chunks[0]), 'a chunk alone is not valid UTF-8');
    });

    void test('split-bytes on a non-streamed chat gives the same JSON', async () => {
        const body = chatBody('json bytes [[fake:split-bytes]]');
        const split = await chat(body);
        assert.ok(split.complete);
        assert.deepEqual(split.body, (await chat(body)).body);
    });
});

void describe('determinism', () => {
    void test('the same request gives the same bytes, streamed or not, even from another server', async (t) => {
        const other = await startFakeCohere();
        t.after(() => other.close());
        for (const extra of [{ stream: true }, { stream: false }]) {
            const body = chatBody('same bytes please', { ...extra, documents: ['A document.'] });
            const first = await chat(body);
            const second = await chat(body);
            const third = await exchange(other.url, { path: '/v2/chat', body });
            assert.ok(first.body.length > 0);
            assert.deepEqual(second.body, first.body);
            assert.deepEqual(third.body, first.body);
        }
    });

    void test('ids are UUID-shaped and differ between different requests', async () => {
        const idOf = async (text: string): Promise<string> =>
            (JSON.parse((await chat(chatBody(text))).text) as ChatResponse).id;
        const one = await idOf('one');
        const two = await idOf('two');
        assert.match(one, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.notEqual(one, two);
        const streamed = eventsOf(await stream('one'));
        assert.match((streamed[0] as { id?: string }).id ?? '', /^[0-9a-f-]{36}$/);
    });
});

void describe('clients that go away', () => {
    for (const spec of ['split-bytes', 'slow?ms=1', 'long?events=5000', 'stall?ms=60000&after=2']) {
        void test(`a client leaving in the middle of ${spec} leaves the server serving`, async () => {
            const controller = new AbortController();
            const answer = await chat(chatBody(`leaving ${spec}`, { stream: true }), {
                headers: { 'x-fake-scenario': spec },
                signal: controller.signal,
                onBytes: (received) => {
                    // Leave once some of the body (framing included) has arrived.
                    const head = received.indexOf('\r\n\r\n');
                    if (head > 0 && received.length > head + 200) controller.abort();
                },
            });
            assert.ok(answer.cut || !answer.complete);
            const next = await stream('still serving');
            assert.ok(next.complete);
            assembleChecked(eventsOf(next));
        });
    }
});
