// A raw HTTP/1.1 client for the fake server's own tests: it keeps the exact bytes, the chunks of a
// chunked body as the server wrote them, and whether the body ended properly, which higher-level
// clients hide.
import { connect } from 'node:net';

/** One request to send. */
export interface ExchangeOptions {
    method?: string;
    path: string;
    /** Bearer key; null sends no Authorization header. Default 'test-key'. */
    apiKey?: string | null;
    headers?: Record<string, string>;
    /** JSON-encoded unless it is already a string. */
    body?: unknown;
    /** Stops reading (and closes the socket) when it aborts; the answer holds what arrived. */
    signal?: AbortSignal;
    /** Called with everything received so far, after every read. */
    onBytes?: (received: Buffer) => void;
}

/** What came back, as it was on the wire. */
export interface Exchange {
    status: number;
    /** Header names lower-cased; repeated headers joined with ', '. */
    headers: Record<string, string>;
    /** The body, chunk framing removed. */
    body: Buffer;
    text: string;
    /** The chunks of a chunked body as framed on the wire (empty for a Content-Length body). */
    chunks: Buffer[];
    /** True when the body ended as HTTP says (final chunk, or Content-Length bytes). */
    complete: boolean;
    /** True when the socket closed with an error or before a complete body. */
    cut: boolean;
}

/** Sends one request on its own connection and reads until the server closes it. */
export async function exchange(baseUrl: string, options: ExchangeOptions): Promise<Exchange> {
    const url = new URL(baseUrl);
    const body =
        options.body === undefined
            ? undefined
            : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    const headers: Record<string, string> = {
        host: url.host,
        connection: 'close',
        ...(options.apiKey === null ? {} : { authorization: `Bearer ${options.apiKey ?? 'test-key'}` }),
        ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(body.length) }),
        ...options.headers,
    };
    const head =
        `${options.method ?? (body === undefined ? 'GET' : 'POST')} ${options.path} HTTP/1.1\r\n` +
        Object.entries(headers)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('') +
        '\r\n';
    const received = await new Promise<{ bytes: Buffer; failed: boolean }>((resolve) => {
        const socket = connect(Number(url.port), url.hostname);
        const parts: Buffer[] = [];
        let failed = false;
        const finish = (): void => resolve({ bytes: Buffer.concat(parts), failed });
        socket.on('data', (data: Buffer) => {
            parts.push(data);
            options.onBytes?.(Buffer.concat(parts));
        });
        socket.on('error', () => {
            failed = true;
        });
        socket.on('close', finish);
        options.signal?.addEventListener('abort', () => socket.destroy(), { once: true });
        socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head), body]));
    });
    return parseResponse(received.bytes, received.failed);
}

function parseResponse(bytes: Buffer, failed: boolean): Exchange {
    const headEnd = bytes.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new Error(`no response head in ${bytes.length} bytes`);
    const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const rest = bytes.subarray(headEnd + 4);
    let body: Buffer;
    let chunks: Buffer[] = [];
    let complete: boolean;
    if (headers['transfer-encoding'] === 'chunked') {
        ({ chunks, complete } = parseChunks(rest));
        body = Buffer.concat(chunks);
    } else {
        const length = Number(headers['content-length'] ?? rest.length);
        body = rest.subarray(0, length);
        complete = rest.length >= length;
    }
    return { status, headers, body, text: body.toString('utf8'), chunks, complete, cut: failed || !complete };
}

function parseChunks(bytes: Buffer): { chunks: Buffer[]; complete: boolean } {
    const chunks: Buffer[] = [];
    let offset = 0;
    for (;;) {
        const lineEnd = bytes.indexOf('\r\n', offset);
        if (lineEnd < 0) return { chunks, complete: false };
        const size = parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
        if (size === 0) return { chunks, complete: bytes.length >= lineEnd + 4 };
        const start = lineEnd + 2;
        if (bytes.length < start + size) {
            if (start < bytes.length) chunks.push(bytes.subarray(start));
            return { chunks, complete: false };
        }
        chunks.push(bytes.subarray(start, start + size));
        offset = start + size + 2;
    }
}

/** One SSE frame as the fake server writes it. */
export interface Frame {
    event: string | undefined;
    data: string;
}

/**
 * Splits an SSE body into frames, strictly: every frame is `event: T\ndata: D` or `data: D`,
 * and the body ends with a blank line. Throws on anything else.
 */
export function parseFrames(text: string): Frame[] {
    if (text === '') return [];
    if (!text.endsWith('\n\n'))
        throw new Error(`the body does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
    return text
        .slice(0, -2)
        .split('\n\n')
        .map((block) => {
            const lines = block.split('\n');
            if (lines.length === 2 && lines[0]!.startsWith('event: ') && lines[1]!.startsWith('data: ')) {
                return { event: lines[0]!.slice(7), data: lines[1]!.slice(6) };
            }
            if (lines.length === 1 && lines[0]!.startsWith('data: '))
                return { event: undefined, data: lines[0]!.slice(6) };
            throw new Error(`not a frame: ${JSON.stringify(block)}`);
        });
}

/** The complete frames at the start of a possibly cut body (a partial last frame is dropped). */
export function completeFrames(text: string): Frame[] {
    const end = text.lastIndexOf('\n\n');
    return end < 0 ? [] : parseFrames(text.slice(0, end + 2));
}
