// A faithful local Cohere server for tests, benchmarks and the offline demo (API doc section 9).
// Node's `http` only. Routes match the end of the path, so a base URL with a path prefix works too.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultCounter, statusFaultError } from './faults';
import { ReplyCache, handleChat } from './chat';
import { handleEmbed } from './embed';
import { handleRerank } from './rerank';
import { handleCheckApiKey, handleGetModel, handleListModels, handleTokenize } from './routes';
import { selectionOrError, sendError } from './respond';
import { numberParam } from './spec';
import type { ApiError } from './validate';

/** How to start the fake server. */
export interface FakeCohereOptions {
    /** Default 0: a free port. The server always listens on 127.0.0.1. */
    port?: number;
    /** The one accepted bearer key, default 'test-key'. */
    apiKey?: string;
    /** Demo mode: any non-empty bearer key is accepted. */
    acceptAnyKey?: boolean;
    /**
     * Page size of `GET /v1/models` when the request names none (default 20). When given, it also
     * caps the page size a request asks for, so paging can be seen with few models.
     */
    modelsPageSize?: number;
}

/** One request as the server received it. */
export interface RecordedRequest {
    method: string;
    /** The path with its query. */
    path: string;
    headers: IncomingHttpHeaders;
    /** The parsed JSON body, or undefined when there was none (or it was not JSON). */
    body: unknown;
    /** When the request arrived and when the first byte of the answer was written (epoch ms, sub-ms). */
    receivedAt: number;
    firstByteAt?: number;
}

/** A running fake server. */
export interface FakeCohere {
    /** E.g. `http://127.0.0.1:40123` (no trailing slash). */
    url: string;
    /** Every request received, in order. */
    requests: RecordedRequest[];
    /** Clears the recorded requests and the fault counters. */
    reset(): void;
    /** Stops listening and destroys open sockets. */
    close(): Promise<void>;
}

/** What a route handler gets. */
export interface RouteContext {
    req: IncomingMessage;
    res: ServerResponse;
    /** The path without its query. */
    pathname: string;
    query: URLSearchParams;
    rawBody: Buffer;
    body: unknown;
    /** The `x-fake-scenario` header, if any. */
    headerScenario: string | undefined;
    faults: FaultCounter;
    cache: ReplyCache;
    options: Required<Pick<FakeCohereOptions, 'modelsPageSize'>> & { maxPageSize: number };
    /** Aborts when the client goes away or the server closes. */
    signal: AbortSignal;
}

type Handler = (context: RouteContext, match: RegExpExecArray) => Promise<void> | void;

const ROUTES: { method: string; pattern: RegExp; handler: Handler }[] = [
    { method: 'POST', pattern: /\/v2\/chat$/, handler: handleChat },
    { method: 'GET', pattern: /\/v1\/models$/, handler: handleListModels },
    { method: 'GET', pattern: /\/v1\/models\/([^/]+)$/, handler: handleGetModel },
    { method: 'POST', pattern: /\/v1\/check-api-key$/, handler: handleCheckApiKey },
    { method: 'POST', pattern: /\/v1\/tokenize$/, handler: handleTokenize },
    { method: 'POST', pattern: /\/v2\/embed$/, handler: handleEmbed },
    { method: 'POST', pattern: /\/v2\/rerank$/, handler: handleRerank },
];

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startFakeCohere(options: FakeCohereOptions = {}): Promise<FakeCohere> {
    const apiKey = options.apiKey ?? 'test-key';
    const requests: RecordedRequest[] = [];
    const faults = new FaultCounter();
    const cache = new ReplyCache();
    const inFlight = new Set<RequestLifetime>();
    const routeOptions = {
        modelsPageSize: options.modelsPageSize ?? 20,
        maxPageSize: options.modelsPageSize ?? 1000,
    };

    const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => {
        const receivedAt = performance.timeOrigin + performance.now();
        const lifetime = new RequestLifetime();
        inFlight.add(lifetime);
        res.on('close', () => {
            lifetime.end();
            inFlight.delete(lifetime);
        });
        req.on('error', () => lifetime.end());
        // A client that goes away mid-write is normal here (Stop, timeouts): never an uncaught error.
        res.on('error', () => lifetime.end());
        handle(req, res, lifetime, receivedAt).catch((error: unknown) => {
            if (res.headersSent) {
                res.destroy();
            } else {
                sendError(res, { status: 500, message: `fake server error: ${String(error)}` });
            }
        });
    });

    async function handle(
        req: IncomingMessage,
        res: ServerResponse,
        lifetime: RequestLifetime,
        receivedAt: number,
    ): Promise<void> {
        const rawBody = await readBody(req);
        const body = parseJson(rawBody);
        const path = req.url ?? '/';
        const recorded: RecordedRequest = {
            method: req.method ?? 'GET',
            path,
            headers: req.headers,
            body: body.value,
            receivedAt,
        };
        requests.push(recorded);
        // The server's own time to first byte (bench/first-paint.ts): when the answer's first write starts.
        const stamp = (): void => {
            recorded.firstByteAt ??= performance.timeOrigin + performance.now();
        };
        const { write, end } = res;
        res.write = ((...args: Parameters<typeof write>) => {
            stamp();
            return write.apply(res, args);
        }) as typeof write;
        res.end = ((...args: Parameters<typeof end>) => {
            stamp();
            return end.apply(res, args);
        }) as typeof end;
        const url = new URL(path, 'http://fake');
        const route = findRoute(req.method ?? 'GET', url.pathname);
        if (route === undefined) {
            sendError(res, { status: 404, message: `route not found: ${req.method} ${url.pathname}` });
            return;
        }
        const authError = checkAuth(req.headers.authorization, apiKey, options.acceptAnyKey === true);
        if (authError !== undefined) {
            sendError(res, authError);
            return;
        }
        if (body.error) {
            sendError(res, { status: 400, message: 'invalid request: the body is not valid JSON.' });
            return;
        }
        const headerScenario = headerValue(req.headers['x-fake-scenario']);
        const context: RouteContext = {
            req,
            res,
            pathname: url.pathname,
            query: url.searchParams,
            rawBody,
            body: body.value,
            headerScenario,
            faults,
            cache,
            options: routeOptions,
            get signal() {
                return lifetime.signal;
            },
        };
        if (route.handler !== handleChat) {
            // Other routes take faults from the header only; they have no user message.
            const selection = selectionOrError(res, headerScenario);
            if (selection === undefined) return;
            const fault = faults.takeStatusFault(selection.statusFaults, url.pathname);
            if (fault !== undefined) {
                sendError(res, statusFaultError(fault));
                return;
            }
            const slow = selection.deliveryFaults.find((spec) => spec.name === 'slow-first-byte');
            if (slow !== undefined && faults.take(slow, url.pathname)) {
                const waited = await sleep(numberParam(slow, 'ms', 2000), true, {
                    signal: lifetime.signal,
                }).catch(() => false);
                if (!waited) return;
            }
        }
        await route.handler(context, route.match);
    }

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;

    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        reset() {
            requests.length = 0;
            faults.clear();
        },
        async close() {
            for (const lifetime of inFlight) lifetime.end();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        },
    };
}

function findRoute(
    method: string,
    pathname: string,
): { handler: Handler; match: RegExpExecArray } | undefined {
    for (const route of ROUTES) {
        const match = route.pattern.exec(pathname);
        if (match !== null && route.method === method) return { handler: route.handler, match };
    }
    return undefined;
}

function checkAuth(header: string | undefined, apiKey: string, acceptAnyKey: boolean): ApiError | undefined {
    const match = /^bearer\s+(.*)$/i.exec(header ?? '');
    const key = match?.[1]?.trim() ?? '';
    if (key === '') return { status: 401, message: 'no api key supplied' };
    if (!acceptAnyKey && key !== apiKey) return { status: 401, message: 'invalid api token' };
    return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Aborts its signal when the client goes away or the server closes. The controller is made only
 * when a handler asks for the signal (to wait or to write a long body): most requests never do, and
 * an abort's DOMException per request was a visible cost in profiles.
 */
class RequestLifetime {
    private controller: AbortController | undefined;
    private ended = false;

    get signal(): AbortSignal {
        if (this.controller === undefined) {
            this.controller = new AbortController();
            if (this.ended) this.controller.abort();
        }
        return this.controller.signal;
    }

    end(): void {
        if (this.ended) return;
        this.ended = true;
        this.controller?.abort();
    }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
    // Plain events: an async iterator per request costs more than the rest of a small request.
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
        req.on('error', reject);
    });
}

function parseJson(raw: Buffer): { value: unknown; error: boolean } {
    if (raw.length === 0) return { value: undefined, error: false };
    try {
        return { value: JSON.parse(raw.toString('utf8')) as unknown, error: false };
    } catch {
        return { value: undefined, error: true };
    }
}
