// Sizes: one SSE line or event, and a non-streamed reply, each have a cap past which the result is a
// clear `protocol` error (the server is then left hanging, so without the cap the request would wait
// and fill memory for ever).
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { CohereClient, CohereError } from '../../src/cohere/index';
import { MAX_REPLY_BODY_BYTES } from '../../src/cohere/body';
import { MAX_SSE_EVENT_CHARS, MAX_SSE_LINE_CHARS } from '../../src/cohere/sse';
import { MESSAGE_START, startTestServer, USER_HELLO } from './cohere-test-server';
import type { TestServer } from './cohere-test-server';

const MIB = 1024 * 1024;

/** Writes `total` bytes of `piece` repeated, respecting back-pressure, then keeps the response open. */
function writeForever(res: NodeJS.WritableStream, piece: Buffer, total: number): void {
    let sent = 0;
    const pump = (): void => {
        while (sent < total) {
            sent += piece.length;
            if (!res.write(piece)) {
                res.once('drain', pump);
                return;
            }
        }
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
            writeForever(res, Buffer.alloc(64 * 1024, 'x'), MAX_SSE_LINE_CHARS + MIB);
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
            writeForever(res, line, MAX_SSE_EVENT_CHARS + MIB);
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
            writeForever(res, Buffer.alloc(64 * 1024, 'z'), MAX_REPLY_BODY_BYTES + MIB);
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
