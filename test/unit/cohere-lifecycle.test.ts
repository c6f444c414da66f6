// Connections: the client's own pool and its release, a dispatcher passed in, and a reply whose
// connection breaks before its body was handed on.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent, buildConnector } from 'undici';
import { CohereClient, CohereError } from '../../src/cohere/index';
import { USER_HELLO, chatReply, sendJson, startTestServer } from './cohere-test-server';
import type { TestServer } from './cohere-test-server';

let server: TestServer;
let answered = 0;
before(async () => {
    server = await startTestServer((req, res) => {
        answered++;
        if (req.headers['x-test'] === 'endless-error-body') {
            res.writeHead(500, { 'content-type': 'text/plain' });
            const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 1);
            res.on('close', () => clearInterval(timer));
            return;
        }
        if (req.headers['x-test'] === 'cut-json-body' && answered === 1) {
            const text = JSON.stringify(chatReply('never whole'));
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
            res.write(text.slice(0, 20), () => setTimeout(() => res.destroy(), 10));
            return;
        }
        if (req.headers['x-test'] === 'html-200') {
            res.writeHead(200, { 'content-type': 'text/html' });
            res.end('<html><body>Sign in to the captive portal</body></html>');
            return;
        }
        sendJson(res, 200, chatReply('ok'));
    });
});
after(() => server.close());
beforeEach(() => {
    server.requests.length = 0;
    answered = 0;
});

void describe('connections', () => {
    void test('requests reuse one keep-alive connection, and close() releases it', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k' });
        const closedBefore = server.closedSockets();
        for (let i = 0; i < 5; i++) await client.chat(USER_HELLO);
        assert.equal(server.closedSockets(), closedBefore, 'no connection was closed between requests');
        const released = server.nextSocketClose();
        await client.close();
        await released;
        assert.equal(server.closedSockets(), closedBefore + 1);
        await assert.rejects(client.chat(USER_HELLO), { code: 'aborted', message: 'The client was closed.' });
    });

    void test('a dispatcher passed in carries the requests, and close() leaves it to its owner', async () => {
        let connects = 0;
        const connector = buildConnector({});
        const dispatcher = new Agent({
            connect: (options, callback) => {
                connects++;
                connector(options, callback);
            },
        });
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', dispatcher });
        await client.chat(USER_HELLO);
        await client.close();
        assert.equal(connects, 1);
        assert.equal(dispatcher.closed, false);
        await client.chat(USER_HELLO);
        await dispatcher.close();
        assert.equal(server.requests.length, 2);
    });

    // The connection never opens: without an answer to the abort the test's 10 s limit fails it.
    void test(
        'an abort while the connection is still opening rejects aborted at once',
        { timeout: 10_000 },
        async () => {
            let abortWhileConnecting = (): void => {};
            const dispatcher = new Agent({ connect: () => setImmediate(() => abortWhileConnecting()) });
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', dispatcher });
            const forChat = new AbortController();
            abortWhileConnecting = () => forChat.abort();
            await assert.rejects(client.chat(USER_HELLO, { signal: forChat.signal }), { code: 'aborted' });
            const forStream = new AbortController();
            abortWhileConnecting = () => forStream.abort();
            const stream = client.chatStream(USER_HELLO, { signal: forStream.signal });
            await assert.rejects(stream.response, { code: 'aborted' });
            await client.close();
            await dispatcher.destroy();
            assert.equal(server.requests.length, 0);
        },
    );

    // An endless body: a client that reads it all never ends (the test's limit fails it).
    void test(
        'an endless error body is read only up to the cap, and the error still arrives',
        { timeout: 10_000 },
        async () => {
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
            const closed = server.nextSocketClose();
            await assert.rejects(
                client.chat(USER_HELLO, { headers: { 'x-test': 'endless-error-body' } }),
                (error: unknown) => {
                    assert.ok(error instanceof CohereError);
                    assert.equal(error.code, 'server');
                    assert.equal(error.status, 500);
                    assert.ok(error.message.length <= 301, 'the message is the start of the body');
                    return true;
                },
            );
            await closed;
            await client.close();
        },
    );

    void test('a 200 whose body is not JSON rejects protocol quoting its start, and is not retried', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', retryBaseDelayMs: 1 });
        const headers = { 'x-test': 'html-200' };
        for (const call of [
            () => client.chat(USER_HELLO, { headers }),
            () => client.listModels({ headers }),
        ]) {
            await assert.rejects(call(), (error: unknown) => {
                assert.ok(error instanceof CohereError);
                assert.equal(error.code, 'protocol');
                assert.match(error.message, /captive portal/);
                return true;
            });
        }
        await client.close();
        assert.equal(server.requests.length, 2);
    });

    void test('a reply whose connection breaks mid-body, before it was handed on, is retried', async () => {
        const retries: number[] = [];
        const client = new CohereClient({
            baseUrl: server.url,
            apiKey: 'k',
            retryBaseDelayMs: 1,
            onRetry: (info) => retries.push(info.attempt),
        });
        const response = await client.chat(USER_HELLO, { headers: { 'x-test': 'cut-json-body' } });
        await client.close();
        assert.deepEqual(response.message.content, [{ type: 'text', text: 'ok' }]);
        assert.deepEqual(retries, [2]);
        assert.equal(server.requests.length, 2);
    });
});
