// One HTTP exchange over undici: send the request, wait for the head within the timeout, and hand
// back the body - with one place that knows why a request ended (the caller aborted, our head timer
// fired, or the transport failed) and turns it into the right CohereError.
import { decodedBody, readBodyText } from './body';
import { Agent } from './undici';
import type { Dispatcher } from 'undici';
import { CohereError } from './errors';
import { errorFromResponse, errorFromTransport } from './failures';
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
    /**
     * Bounds the wait for the response head and each silence between body chunks. Undefined leaves
     * the dispatcher's own timeouts in place (the client's Agent is built with the same value), which
     * saves undici per-request timer work on the hot path.
     */
    timeoutMs: number | undefined;
    /** The timeout in force, for messages. */
    effectiveTimeoutMs: number;
}

export type ResponseBody = Dispatcher.ResponseData['body'];

/** A response whose head has arrived. `close()` must be called once the body is done with. */
export class Exchange {
    private closed = false;

    constructor(
        readonly status: number,
        readonly headers: Record<string, HeaderValue>,
        readonly body: ResponseBody,
        private readonly request: ExchangeRequest,
    ) {
        // A late failure of a body must never become an uncaught exception.
        body.on('error', noop);
    }

    /** The timeout in force for this exchange (for the idle gap between events of a stream). */
    get timeoutMs(): number {
        return this.request.effectiveTimeoutMs;
    }

    /** Whether the caller's signal has aborted. */
    get aborted(): boolean {
        return this.request.signal?.aborted === true;
    }

    /** Maps any failure while reading the body to a CohereError (aborted, timeout or network). */
    failure(error: unknown): CohereError {
        return failureOf(this.request, error);
    }

    /** Ends the exchange: destroys an unfinished body, which frees (closes) its socket. */
    close(): void {
        if (this.closed) return;
        this.closed = true;
        if (!this.body.readableEnded) this.body.destroy();
    }
}

/** An abort is told apart from a transport failure by the signal's state. */
function failureOf(request: ExchangeRequest, error: unknown): CohereError {
    if (request.signal?.aborted) return abortedError(request.signal);
    return errorFromTransport(error, request.origin, request.effectiveTimeoutMs);
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
    const signal = request.signal;
    if (signal?.aborted) throw abortedError(signal);
    // The caller's signal goes to undici as it is: no controller or timer of our own per request.
    // undici bounds connect (`connect.timeout`), head (`headersTimeout`, which starts once the request
    // is written) and body gaps (`bodyTimeout`) each separately. One deadline over connect + head would
    // need a timer and an AbortController of our own per request, on the round-trip hot path.
    const options: Dispatcher.RequestOptions = {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
    };
    if (signal !== undefined) options.signal = signal;
    if (request.timeoutMs !== undefined) {
        options.headersTimeout = request.timeoutMs;
        options.bodyTimeout = request.timeoutMs;
    }
    let response: Dispatcher.ResponseData;
    try {
        const pending = request.dispatcher.request(options);
        response = await (signal === undefined ? pending : untilAborted(pending, signal));
    } catch (error) {
        throw failureOf(request, error);
    }
    return new Exchange(response.statusCode, response.headers, response.body, request);
}

function noop(): void {}

/**
 * The response, or `aborted` as soon as `signal` aborts. undici notices an abort only once the
 * request has a connection, so an abort while a connection is still opening would otherwise wait
 * for the connect to succeed or time out.
 */
function untilAborted(
    pending: Promise<Dispatcher.ResponseData>,
    signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
    return new Promise((resolve, reject) => {
        const onAbort = (): void => {
            reject(abortedError(signal));
            // undici ends the request itself once connected; a response that still comes is thrown away.
            pending.then((late) => late.body.destroy(), noop);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then(
            (response) => {
                signal.removeEventListener('abort', onAbort);
                resolve(response);
            },
            (error: unknown) => {
                signal.removeEventListener('abort', onAbort);
                reject(error);
            },
        );
    });
}

/** Reads a whole (successful) body as text, decoded and capped (body.ts); failures become CohereErrors. */
export function readText(exchange: Exchange, what = 'reply'): Promise<string> {
    return readBodyText(exchange, what);
}

/** Reads at most MAX_ERROR_BODY_BYTES of an error body, then builds the error from it. */
export async function readErrorResponse(exchange: Exchange): Promise<CohereError> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        // A proxy's or gateway's error page may come compressed too.
        for await (const chunk of decodedBody(exchange)) {
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
