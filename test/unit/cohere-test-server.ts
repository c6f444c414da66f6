// A tiny scripted HTTP server for the client tests that need to see exactly what arrives on the wire
// (headers, paths, socket closes) or to answer in ways the fake Cohere server has no scenario for.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    /** The headers as sent, duplicates included (Node keeps only the first Authorization in `headers`). */
    rawHeaders: string[];
    body: string;
    /** Resolves when the connection this request came on closes. */
    socketClosed: Promise<void>;
}

export interface TestServer {
    url: string;
    requests: SeenRequest[];
    /** How many client sockets have closed so far. */
    closedSockets(): number;
    /** Resolves when the next client socket closes. */
    nextSocketClose(): Promise<void>;
    close(): Promise<void>;
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** Starts a server on 127.0.0.1:0 that records each request and answers with `handler`. */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
    const requests: SeenRequest[] = [];
    const sockets = new Set<Socket>();
    let closed = 0;
    let closeWaiters: (() => void)[] = [];
    const server = createServer((req, res) => {
        const socketClosed = new Promise<void>((resolve) => {
            if (req.socket.destroyed) resolve();
            else req.socket.once('close', () => resolve());
        });
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const seen: SeenRequest = {
                method: req.method ?? '',
                url: req.url ?? '',
                headers: req.headers,
                rawHeaders: req.rawHeaders,
                body: Buffer.concat(chunks).toString('utf8'),
                socketClosed,
            };
            requests.push(seen);
            handler(req, res, seen);
        });
    });
    server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => {
            sockets.delete(socket);
            closed++;
            const waiters = closeWaiters;
            closeWaiters = [];
            for (const wake of waiters) wake();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        closedSockets: () => closed,
        nextSocketClose: () => new Promise<void>((resolve) => closeWaiters.push(resolve)),
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}

/** Answers JSON with a status and optional headers. */
export function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...headers,
    });
    res.end(text);
}

/** A minimal valid non-streaming chat reply. */
export function chatReply(text = 'hello'): unknown {
    return {
        id: 'test-id',
        finish_reason: 'COMPLETE',
        message: { role: 'assistant', content: [{ type: 'text', text }] },
        usage: { billed_units: { input_tokens: 1, output_tokens: 1 } },
    };
}

/** One SSE event in Cohere's framing. */
export function sseEvent(data: unknown): string {
    const type = (data as { type: string }).type;
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const MESSAGE_START = sseEvent({
    type: 'message-start',
    id: 'gen-1',
    delta: { message: { role: 'assistant' } },
});
export const CONTENT_START = sseEvent({
    type: 'content-start',
    index: 0,
    delta: { message: { content: { type: 'text', text: '' } } },
});
export function contentDelta(text: string): string {
    return sseEvent({ type: 'content-delta', index: 0, delta: { message: { content: { text } } } });
}
export const MESSAGE_END = sseEvent({
    type: 'message-end',
    delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 1, output_tokens: 2 } } },
});

export const USER_HELLO = {
    model: 'command-a-03-2025',
    messages: [{ role: 'user' as const, content: 'hello' }],
};
