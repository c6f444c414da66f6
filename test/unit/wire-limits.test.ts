// Sizes: one SSE line or event, and a non-streamed reply, each have a cap past which the result is a
// clear `protocol` error. The server sends a little more than the cap and then ends the reply, so without
// the cap the test fails at once on the wrong outcome (a reply, or a cut stream) instead of waiting.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { CohereClient, CohereError } from '../../src/cohere/index';
import { MAX_REPLY_BODY_BYTES } from '../../src/cohere/body';
import { MAX_SSE_EVENT_CHARS, MAX_SSE_LINE_CHARS } from '../../src/cohere/sse';
import { MESSAGE_START, startTestServer, USER_HELLO } from './cohere-test-server';
import type { TestServer } from './cohere-test-server';

const MIB = 1024 * 1024;

/** Writes `total` bytes of `piece` repeated, respecting back-pressure, then `tail`, and ends the response. */
function writeThenEnd(res: NodeJS.WritableStream, piece: Buffer, total: number, tail = ''): void {
    let sent = 0;
    const pump = (): void => {
        while (sent < total) {
            sent += piece.length;
            if (!res.write(piece)) {
                res.once('drain', pump);
                return;
            }
        }
        res.end(tail);
    };
    pump();
}

async function withClient(server: TestServer, run: (client: CohereClient) => Promise<void>): Promise<void> {
    const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
    try {
        await run(client);
    } finally {
        await client.close();
        await server.close();
    }
}

function isProtocol(pattern: RegExp): (error: unknown) => boolean {
    return (error: unknown) => {
        assert.ok(error instanceof CohereError, String(error));
        assert.equal(error.code, 'protocol');
        assert.match(error.message, pattern);
        return true;
    };
}

void describe('size caps', { timeout: 60_000 }, () => {
    void test('a data line longer than the SSE line cap ends the stream with protocol', async () => {
        const server = await startTestServer((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write(MESSAGE_START + 'data: {"type":"content-delta","text":"');
            writeThenEnd(res, Buffer.alloc(64 * 1024, 'x'), MAX_SSE_LINE_CHARS + MIB, '"}\n\n');
        });
        await withClient(server, async (client) => {
            await assert.rejects(
                client.chatStream(USER_HELLO).response,
                isProtocol(/line .* longer than 16777216/),
            );
        });
    });

    void test('an event whose data lines add up past the event cap ends the stream with protocol', async () => {
        const line = Buffer.from(`data: ${'y'.repeat(64 * 1024 - 7)}\n`);
        const server = await startTestServer((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write(MESSAGE_START);
            writeThenEnd(res, line, MAX_SSE_EVENT_CHARS + MIB, '\n');
        });
        await withClient(server, async (client) => {
            await assert.rejects(
                client.chatStream(USER_HELLO).response,
                isProtocol(/event .* more than 16777216/),
            );
        });
    });

    void test('a non-streamed reply larger than the body cap fails with protocol', async () => {
        const server = await startTestServer((_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"id":"x","message":{"role":"assistant","content":[{"type":"text","text":"');
            writeThenEnd(
                res,
                Buffer.alloc(64 * 1024, 'z'),
                MAX_REPLY_BODY_BYTES + MIB,
                '"}]},"finish_reason":"COMPLETE"}',
            );
        });
        await withClient(server, async (client) => {
            await assert.rejects(client.chat(USER_HELLO), isProtocol(/reply is larger than 32 MiB/));
        });
    });

    void test('a small gzip body that inflates past the body cap fails with protocol', async () => {
        const bomb = gzipSync(Buffer.alloc(MAX_REPLY_BODY_BYTES + MIB, ' '));
        const server = await startTestServer((_req, res) => {
            res.writeHead(200, {
                'content-type': 'application/json',
                'content-encoding': 'gzip',
                'content-length': bomb.length,
            });
            res.end(bomb);
        });
        await withClient(server, async (client) => {
            await assert.rejects(client.chat(USER_HELLO), isProtocol(/larger than 32 MiB/));
        });
    });
});
