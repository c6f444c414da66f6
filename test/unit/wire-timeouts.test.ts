// Timeouts hold everywhere: a proxy that accepts CONNECT and never answers, and a server that keeps
// the stream alive with comments or single bytes without ever completing an event, both fail with
// `timeout` after cohere.timeoutSeconds instead of holding the request open.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { CohereClient, CohereError } from '../../src/cohere/index';
import { createDispatcher } from '../../src/proxy';
import { sseEvent, startTestServer, USER_HELLO } from './cohere-test-server';

const TIMEOUT_MS = 400;

/** A server that writes the stream's head and first event, then only `tick()`s, never another event. */
async function tricklingServer(tick: (write: (text: string) => void, count: number) => void) {
    const timers = new Set<NodeJS.Timeout>();
    const server = await startTestServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sseEvent({ type: 'message-start', id: 'g', delta: { message: { role: 'assistant' } } }));
        let count = 0;
        const timer = setInterval(() => tick((text) => res.write(text), count++), TIMEOUT_MS / 8);
        timers.add(timer);
        res.on('close', () => clearInterval(timer));
    });
    return {
        url: server.url,
        close: async () => {
            for (const timer of timers) clearInterval(timer);
            await server.close();
        },
    };
}

async function expectEventGapTimeout(url: string): Promise<void> {
    const client = new CohereClient({ baseUrl: url, apiKey: 'k', timeoutMs: TIMEOUT_MS, maxRetries: 0 });
    try {
        await assert.rejects(client.chatStream(USER_HELLO).response, (error: unknown) => {
            assert.ok(error instanceof CohereError);
            assert.equal(error.code, 'timeout');
            assert.match(error.message, /No complete event from the server for 400 ms/);
            return true;
        });
    } finally {
        await client.close();
    }
}

void describe('the idle gap of a stream counts complete events, not bytes', () => {
    void test(
        'keep-alive comments without an event fail with timeout after the gap',
        { timeout: 20_000 },
        async (t) => {
            const server = await tricklingServer((write) => write(': keep-alive\n\n'));
            t.after(() => server.close());
            await expectEventGapTimeout(server.url);
        },
    );

    void test(
        'an event trickled one byte at a time and never finished fails with timeout',
        { timeout: 20_000 },
        async (t) => {
            const line =
                'data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"' +
                'x'.repeat(10_000);
            const server = await tricklingServer((write, count) => write(line[count % line.length] ?? 'x'));
            t.after(() => server.close());
            await expectEventGapTimeout(server.url);
        },
    );
});

void describe('a proxy that accepts CONNECT and never answers', () => {
    void test(
        'fails with timeout after the client timeout, saying the proxy did not answer',
        { timeout: 20_000 },
        async (t) => {
            const sockets = new Set<net.Socket>();
            let connects = 0;
            const proxy = net.createServer((socket) => {
                sockets.add(socket);
                socket.on('data', (data) => {
                    if (data.toString('latin1').startsWith('CONNECT ')) connects++;
                });
                socket.on('error', () => undefined);
            });
            await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
            t.after(
                () =>
                    new Promise<void>((resolve) => {
                        for (const socket of sockets) socket.destroy();
                        proxy.close(() => resolve());
                    }),
            );
            const proxyUrl = `http://user:secret@127.0.0.1:${(proxy.address() as AddressInfo).port}`;
            const dispatcher = createDispatcher({
                proxy: proxyUrl,
                strictSSL: true,
                env: {},
                timeoutMs: TIMEOUT_MS,
            });
            const client = new CohereClient({
                baseUrl: 'https://api.cohere.example',
                apiKey: 'k',
                timeoutMs: TIMEOUT_MS,
                maxRetries: 0,
                dispatcher,
            });
            t.after(async () => {
                await client.close();
                await dispatcher.destroy();
            });
            const started = performance.now();
            await assert.rejects(client.chat(USER_HELLO), (error: unknown) => {
                assert.ok(error instanceof CohereError);
                assert.equal(error.code, 'timeout');
                assert.match(error.message, /proxy .* did not answer .*CONNECT.* within 400 ms/);
                assert.doesNotMatch(error.message, /secret/);
                return true;
            });
            t.diagnostic(`never-answering proxy failed after ${Math.round(performance.now() - started)} ms`);
            assert.equal(connects, 1);
        },
    );
});
