import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CohereError } from '../../src/cohere/errors';
import { errorFromResponse, errorFromTransport, messageFromBody } from '../../src/cohere/failures';
import {
    backoffDelay,
    isAutoRetryable,
    parseRateLimitReset,
    parseRetryAfter,
    retryDelay,
    serverRequestedDelay,
    sleep,
} from '../../src/cohere/retry';

const NOW = Date.parse('2026-11-29T05:00:00Z');
const defaults = { baseDelayMs: 1000, maxDelayMs: 60_000 };

void describe('Retry-After and X-RateLimit-Reset', () => {
    void test('Retry-After in seconds becomes milliseconds', () => {
        assert.equal(parseRetryAfter('3', NOW), 3000);
        assert.equal(parseRetryAfter(['2'], NOW), 2000);
        assert.equal(parseRetryAfter('0.5', NOW), 500);
    });

    void test('Retry-After as an HTTP date is the time from now to that date', () => {
        assert.equal(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW), 7000);
    });

    void test('a past, zero, empty or unparsable Retry-After asks for nothing', () => {
        assert.equal(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW), undefined);
        assert.equal(parseRetryAfter('0', NOW), undefined);
        assert.equal(parseRetryAfter('', NOW), undefined);
        assert.equal(parseRetryAfter('soon', NOW), undefined);
        assert.equal(parseRetryAfter(undefined, NOW), undefined);
    });

    void test('X-RateLimit-Reset is a unix time in seconds', () => {
        assert.equal(parseRateLimitReset(String(NOW / 1000 + 4), NOW), 4000);
        assert.equal(parseRateLimitReset(String(NOW / 1000 - 4), NOW), undefined);
        assert.equal(parseRateLimitReset('tomorrow', NOW), undefined);
    });

    void test('Retry-After wins over X-RateLimit-Reset, which is used when Retry-After is missing', () => {
        const reset = String(NOW / 1000 + 9);
        assert.equal(serverRequestedDelay({ 'retry-after': '2', 'x-ratelimit-reset': reset }, NOW), 2000);
        assert.equal(serverRequestedDelay({ 'x-ratelimit-reset': reset }, NOW), 9000);
        assert.equal(serverRequestedDelay({}, NOW), undefined);
    });
});

void describe('backoff', () => {
    void test('doubles from the base delay: 1 s, 2 s, 4 s without jitter', () => {
        const noJitter = { ...defaults, random: () => 0.5 };
        assert.deepEqual(
            [0, 1, 2].map((n) => backoffDelay(n, noJitter)),
            [1000, 2000, 4000],
        );
    });

    void test('jitter stays within plus or minus 10 percent', () => {
        assert.equal(backoffDelay(1, { ...defaults, random: () => 0 }), 1800);
        assert.equal(backoffDelay(1, { ...defaults, random: () => 0.999999 }), 2200);
    });

    void test('every wait is capped, including one the server asked for', () => {
        assert.equal(backoffDelay(20, { ...defaults, random: () => 0.999 }), 60_000);
        const asked = new CohereError('rate_limited', 'slow down', {
            status: 429,
            retryable: true,
            retryAfterMs: 90_000,
        });
        assert.equal(retryDelay(asked, 0, defaults), 60_000);
    });

    void test('jitter still spreads the waits that reach the cap, below it', () => {
        assert.equal(backoffDelay(20, { ...defaults, random: () => 0 }), 54_000);
        assert.equal(backoffDelay(6, { ...defaults, random: () => 0.5 }), 60_000);
    });

    void test('the server-requested wait replaces the backoff', () => {
        const asked = new CohereError('rate_limited', 'slow down', {
            status: 429,
            retryable: true,
            retryAfterMs: 3000,
        });
        assert.equal(retryDelay(asked, 2, defaults), 3000);
    });
});

void describe('what is retried', () => {
    const headers = {};
    void test('408, 429 and every 5xx are retried', () => {
        for (const status of [408, 429, 500, 501, 502, 503, 504]) {
            assert.equal(isAutoRetryable(errorFromResponse(status, headers, '')), true, `status ${status}`);
        }
    });

    void test('400, 401, 403, 404, 422, 498 and 499 are never retried', () => {
        for (const status of [400, 401, 403, 404, 422, 498, 499]) {
            assert.equal(isAutoRetryable(errorFromResponse(status, headers, '')), false, `status ${status}`);
        }
    });

    void test('connection failures are retried, our own timeouts and aborts are not', () => {
        const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        assert.equal(isAutoRetryable(errorFromTransport(refused, 'http://x', 1000)), true);
        const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
        assert.equal(isAutoRetryable(errorFromTransport(socket, 'http://x', 1000)), true);
        const stall = Object.assign(new Error('body timeout'), { code: 'UND_ERR_BODY_TIMEOUT' });
        const timeout = errorFromTransport(stall, 'http://x', 1000);
        assert.equal(timeout.code, 'timeout');
        assert.equal(isAutoRetryable(timeout), false);
        assert.equal(isAutoRetryable(new CohereError('aborted', 'stop')), false);
    });
});

void describe('error bodies', () => {
    void test('the message of a JSON body is the error message', () => {
        const error = errorFromResponse(
            400,
            { 'content-type': 'application/json' },
            '{"message":"invalid api token"}',
        );
        assert.equal(error.message, 'invalid api token');
        assert.equal(error.code, 'bad_request');
        assert.equal(error.status, 400);
    });

    void test('an HTML page gives the start of its words, without tags', () => {
        const html =
            '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
        assert.equal(messageFromBody(html, 'text/html'), '502 Bad Gateway 502 Bad Gateway nginx');
    });

    void test('a long plain body is cut, and a strange body never throws', () => {
        const long = messageFromBody('x'.repeat(5000), 'text/plain') ?? '';
        assert.ok(long.length <= 301);
        assert.equal(messageFromBody('{not json', undefined), '{not json');
        assert.equal(messageFromBody('{"message": 42}', 'application/json'), '{"message": 42}');
        assert.equal(messageFromBody('   ', undefined), undefined);
        assert.match(errorFromResponse(500, {}, '').message, /HTTP 500/);
    });

    void test('a 429 carries the wait the server asked for', () => {
        const error = errorFromResponse(429, { 'retry-after': '5' }, '{"message":"too many"}', NOW);
        assert.equal(error.code, 'rate_limited');
        assert.equal(error.retryAfterMs, 5000);
        assert.equal(error.retryable, true);
    });
});

void describe('sleep', () => {
    // A 60 s sleep: if the abort does not end it, the test's 10 s limit fails it.
    void test('rejects with aborted as soon as the signal aborts', { timeout: 10_000 }, async () => {
        const controller = new AbortController();
        const waiting = sleep(60_000, controller.signal);
        controller.abort();
        await assert.rejects(
            waiting,
            (error: unknown) => error instanceof CohereError && error.code === 'aborted',
        );
    });
});
