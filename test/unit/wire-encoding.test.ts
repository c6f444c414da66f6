// Replies sent with Content-Encoding gzip, deflate or br are decoded, streamed or not, and so are error
// bodies (real recorded replies are gzip); a coding the client cannot undo is a clear protocol error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
    brotliCompressSync,
    constants,
    createBrotliCompress,
    createDeflate,
    createGzip,
    deflateSync,
    gzipSync,
} from 'node:zlib';
import type { Transform } from 'node:stream';
import { CohereClient, CohereError } from '../../src/cohere/index';
import {
    chatReply,
    contentDelta,
    CONTENT_START,
    MESSAGE_END,
    MESSAGE_START,
    startTestServer,
    USER_HELLO,
} from './cohere-test-server';

const CODINGS: Record<string, { whole: (data: Buffer) => Buffer; stream: () => Transform }> = {
    gzip: { whole: (data) => gzipSync(data), stream: () => createGzip() },
    deflate: { whole: (data) => deflateSync(data), stream: () => createDeflate() },
    br: { whole: (data) => brotliCompressSync(data), stream: () => createBrotliCompress() },
};

/** Flushes a compressor so that what was written so far reaches the client at once, as a live stream. */
function flush(compressor: Transform, coding: string): Promise<void> {
    return new Promise((resolve) => {
        const withFlush = compressor as Transform & { flush(kind: number, callback: () => void): void };
        withFlush.flush(coding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH, resolve);
    });
}

for (const [coding, compress] of Object.entries(CODINGS)) {
    void describe(`Content-Encoding: ${coding}`, () => {
        void test('a non-streamed reply is decoded', async (t) => {
            const server = await startTestServer((_req, res) => {
                const body = compress.whole(Buffer.from(JSON.stringify(chatReply('squeezed hello'))));
                res.writeHead(200, {
                    'content-type': 'application/json',
                    'content-encoding': coding,
                    'content-length': body.length,
                });
                res.end(body);
            });
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
            t.after(async () => {
                await client.close();
                await server.close();
            });
            const reply = await client.chat(USER_HELLO);
            assert.deepEqual(reply.message.content, [{ type: 'text', text: 'squeezed hello' }]);
        });

        void test('a streamed reply is decoded event by event as it arrives', async (t) => {
            const server = await startTestServer(async (_req, res) => {
                res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': coding });
                const compressor = compress.stream();
                compressor.pipe(res);
                for (const frame of [
                    MESSAGE_START,
                    CONTENT_START,
                    contentDelta('one '),
                    contentDelta('two'),
                    MESSAGE_END,
                ]) {
                    compressor.write(frame);
                    await flush(compressor, coding);
                }
                compressor.end('data: [DONE]\n\n');
            });
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
            t.after(async () => {
                await client.close();
                await server.close();
            });
            const stream = client.chatStream(USER_HELLO);
            const types: string[] = [];
            for await (const event of stream) types.push(event.type);
            const reply = await stream.response;
            assert.deepEqual(types, [
                'message-start',
                'content-start',
                'content-delta',
                'content-delta',
                'message-end',
            ]);
            assert.deepEqual(reply.message.content, [{ type: 'text', text: 'one two' }]);
        });

        void test("an error body is decoded, so the error has the server's words", async (t) => {
            const server = await startTestServer((_req, res) => {
                const body = compress.whole(
                    Buffer.from(JSON.stringify({ message: 'invalid request: squeezed' })),
                );
                res.writeHead(400, { 'content-type': 'application/json', 'content-encoding': coding });
                res.end(body);
            });
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
            t.after(async () => {
                await client.close();
                await server.close();
            });
            await assert.rejects(client.chat(USER_HELLO), {
                code: 'bad_request',
                message: 'invalid request: squeezed',
            });
        });
    });
}

void describe('a coding the client cannot decode', () => {
    void test('fails with protocol naming it, and a corrupt gzip body fails with protocol too', async (t) => {
        let corrupt = false;
        const server = await startTestServer((_req, res) => {
            res.writeHead(200, {
                'content-type': 'application/json',
                'content-encoding': corrupt ? 'gzip' : 'zstd',
            });
            res.end(corrupt ? Buffer.from('definitely not gzip') : 'whatever');
        });
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
        t.after(async () => {
            await client.close();
            await server.close();
        });
        await assert.rejects(client.chat(USER_HELLO), (error: unknown) => {
            assert.ok(error instanceof CohereError);
            assert.equal(error.code, 'protocol');
            assert.match(error.message, /"zstd"/);
            return true;
        });
        corrupt = true;
        await assert.rejects(client.chat(USER_HELLO), (error: unknown) => {
            assert.ok(error instanceof CohereError);
            assert.equal(error.code, 'protocol');
            assert.match(error.message, /could not be decoded \(gzip\)/);
            return true;
        });
    });
});
