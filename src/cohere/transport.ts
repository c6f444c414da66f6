// One HTTP exchange over undici: send the request, wait for the head within the timeout, and hand
// back the body - with one place that knows why a request ended (the caller aborted, our head timer
// fired, or the transport failed) and turns it into the right CohereError.
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { CohereError } from './errors';
import { errorFromResponse, errorFromTransport, timeoutError } from './failures';
import { abortedError } from './retry';
import type { HeaderValue } from './retry';

/** How much of an error response body is read before the rest is thrown away. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface ExchangeRequest {
    dispatcher: Dispatcher;
    origin: string;
    path: string;
    method: 'GET' | 'POST';
    /** Flat `[name, value, name, value, ...]` list, names in lower case. */
    headers: string[];
    body?: string;
    /** The caller's signal: aborting it ends the exchange at once with `aborted`. */
    signal: AbortSignal | undefined;
    /** Bounds connect + response head, and separately each silence between body chunks. */
    timeoutMs: number;
}

export type ResponseBody = Dispatcher.ResponseData['body'];

/** A response whose head has arrived. `close()` must be called once the body is done with. */
export interface Exchange {
    readonly status: number;
    readonly headers: Record<string, HeaderValue>;
    readonly body: ResponseBody;
    /** Maps any failure while reading the body to a CohereError (aborted, timeout or network). */
    failure(error: unknown): CohereError;
    /** Whether the caller's signal has aborted. */
    readonly aborted: boolean;
    /** Ends the exchange: destroys an unfinished body (freeing the socket) and detaches listeners. */
    close(): void;
}

/** The keep-alive pool the client uses when it is given no dispatcher. */
export function createAgent(timeoutMs: number): Agent {
    return new Agent({
        keepAliveTimeout: 30_000,
        pipelining: 1,
        connect: { timeout: timeoutMs },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
    });
}

/** Sends the request and resolves once the response head is in; rejects with a CohereError. */
export async function openExchange(request: ExchangeRequest): Promise<Exchange> {
    const { signal, timeoutMs, origin } = request;
    if (signal?.aborted) throw abortedError(signal);
    const controller = new AbortController();
    let userAborted = false;
    let headTimedOut = false;
    const onUserAbort = (): void => {
        userAborted = true;
        controller.abort(abortedError(signal));
    };
    signal?.addEventListener('abort', onUserAbort, { once: true });
    // undici's headersTimeout starts after the request is written; this timer also covers connecting.
    const headTimer = setTimeout(() => {
        headTimedOut = true;
        controller.abort(timeoutError(timeoutMs, 'head'));
    }, timeoutMs);

    const failure = (error: unknown): CohereError => {
        if (userAborted) return abortedError(signal);
        if (headTimedOut) return timeoutError(timeoutMs, 'head', error);
        return errorFromTransport(error, origin, timeoutMs);
    };

    let response: Dispatcher.ResponseData;
    try {
        response = await request.dispatcher.request({
            origin,
            path: request.path,
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
            signal: controller.signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
        });
    } catch (error) {
        clearTimeout(headTimer);
        signal?.removeEventListener('abort', onUserAbort);
        throw failure(error);
    }
    clearTimeout(headTimer);
    const body = response.body;
    // A body nobody reads any more must not keep the socket: an error listener also keeps a late
    // failure from becoming an uncaught exception.
    body.on('error', noop);
    let closed = false;
    return {
        status: response.statusCode,
        headers: response.headers,
        body,
        failure,
        get aborted() {
            return userAborted;
        },
        close() {
            if (closed) return;
            closed = true;
            signal?.removeEventListener('abort', onUserAbort);
            if (!body.readableEnded) body.destroy();
        },
    };
}

function noop(): void {}

/** Reads a whole (successful) body as text; failures become CohereErrors. */
export async function readText(exchange: Exchange): Promise<string> {
    try {
        return await exchange.body.text();
    } catch (error) {
        throw exchange.failure(error);
    } finally {
        exchange.close();
    }
}

/** Reads at most MAX_ERROR_BODY_BYTES of an error body, then builds the error from it. */
export async function readErrorResponse(exchange: Exchange): Promise<CohereError> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        for await (const chunk of exchange.body) {
            const buffer = chunk as Buffer;
            chunks.push(buffer);
            size += buffer.length;
            if (size >= MAX_ERROR_BODY_BYTES) break;
        }
    } catch (error) {
        // The status already says what failed; a broken error body only loses the details.
        // A caller's abort, though, must stay an abort.
        if (exchange.aborted) throw exchange.failure(error);
    } finally {
        exchange.close();
    }
    const text = Buffer.concat(chunks, size).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
    return errorFromResponse(exchange.status, exchange.headers, text);
}

/** Parses a JSON body, or fails with `protocol` quoting its start. */
export function parseJsonBody<T>(text: string, what: string): T {
    try {
        return JSON.parse(text) as T;
    } catch (error) {
        const start = text.slice(0, 200).replace(/\s+/g, ' ');
        throw new CohereError('protocol', `The server sent ${what} that is not JSON: ${start}`, {
            cause: error,
        });
    }
}
