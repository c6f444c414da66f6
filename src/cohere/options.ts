// The client's options and the small pure helpers behind them: where the key and the base URL come
// from, how custom headers merge, how a chat body goes on the wire.
import type { Dispatcher } from 'undici';
import { CohereError } from './errors';
import type { ChatRequest, CompatibleEndpoint } from './types';

/** What `onRetry` hears before each retry. */
export interface RetryInfo {
    /** The attempt about to be made: 2 is the first retry. */
    attempt: number;
    /** How long the client waits before making it. */
    delayMs: number;
    /** Why the previous attempt failed. */
    error: CohereError;
}

export type ApiKeySource = string | (() => string | undefined | Promise<string | undefined>);

export interface CohereClientOptions {
    /** The key, or a function called before every request (so a changed key applies at once). */
    apiKey?: ApiKeySource;
    /** Else env CO_API_URL, else https://api.cohere.com; a path prefix is kept, a trailing '/' trimmed. */
    baseUrl?: string;
    /**
     * Default 300000. Bounds three waits, each on its own: opening a new connection (with the client's
     * own pool; a dispatcher passed in keeps its own connect timeout), then the response head, counted
     * from when the request is written, then every silence between two body chunks. So connecting
     * plus the head may take up to twice this on a new connection; on a reused keep-alive connection
     * (the usual case) the head wait is the whole of it. undici times head and body waits of 1 s or
     * more on a coarse clock, so those may end up to about a second late.
     */
    timeoutMs?: number;
    /** Default 2. */
    maxRetries?: number;
    /** Extra headers on every request; they can never replace Authorization. */
    headers?: Record<string, string>;
    /** Sent as X-Client-Name (default 'cohere-chat-vscode'). */
    clientName?: string;
    /** Default 'cohere-chat-vscode/<version>'. */
    userAgent?: string;
    /** E.g. a ProxyAgent; else the client's own keep-alive undici Agent. */
    dispatcher?: Dispatcher;
    /** Told before every retry (for logs and the UI). */
    onRetry?: (info: RetryInfo) => void;
    /** Default 1000: the first backoff step (1 s * 2^n, +-10 % jitter). */
    retryBaseDelayMs?: number;
    /** Default 60000: the cap on every wait. */
    maxRetryDelayMs?: number;
}

/** Per-call options. */
export interface RequestOptions {
    signal?: AbortSignal;
    /** Replaces the client's `timeoutMs` for the head and the body gaps of this call (not for connecting). */
    timeoutMs?: number;
    maxRetries?: number;
    headers?: Record<string, string>;
    onRetry?: (info: RetryInfo) => void;
    /** Told of each malformed piece of a chat reply (a bad citation, block, index…) that was dropped. */
    onInvalidData?: (problem: string) => void;
}

export interface ListModelsOptions extends RequestOptions {
    /** Only models usable on this endpoint, e.g. 'chat'. */
    endpoint?: CompatibleEndpoint;
    /** Models per page (default 1000, the API's maximum). */
    pageSize?: number;
}

export const DEFAULT_BASE_URL = 'https://api.cohere.com';
export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_CLIENT_NAME = 'cohere-chat-vscode';

/** The wire body of a chat request; a body JSON cannot hold (a cycle, a BigInt) is a bad request. */
export function serializeChat(body: ChatRequest, stream: boolean): string {
    try {
        return JSON.stringify({ ...body, stream });
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CohereError('bad_request', `The request cannot be sent as JSON: ${reason}`, {
            cause: error,
        });
    }
}

/** The wire body of any other JSON call; a body JSON cannot hold is a bad request, as for chat. */
export function serializeBody(body: unknown): string {
    try {
        return JSON.stringify(body);
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CohereError('bad_request', `The request cannot be sent as JSON: ${reason}`, {
            cause: error,
        });
    }
}

/** The given key, else CO_API_KEY, else COHERE_API_KEY (read now, so a changed variable applies at once). */
export function keyOrFail(given: string | undefined): string {
    const key =
        nonEmpty(given) ?? nonEmpty(process.env['CO_API_KEY']) ?? nonEmpty(process.env['COHERE_API_KEY']);
    if (key === undefined) {
        // Nothing was sent, so Cohere has not refused anything: `no_api_key`, not `unauthorized`.
        throw new CohereError(
            'no_api_key',
            'No Cohere API key is set: set one, or the CO_API_KEY environment variable. Nothing was sent.',
        );
    }
    return key;
}

export function toCohereError(error: unknown): CohereError {
    if (error instanceof CohereError) return error;
    return new CohereError('network', error instanceof Error ? error.message : String(error), {
        cause: error,
    });
}

export function nonEmpty(value: string | undefined): string | undefined {
    return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Adds `extra` to `headers` by lower-cased name; Authorization is never taken from it. */
export function mergeHeaders(headers: Map<string, string>, extra: Record<string, string> | undefined): void {
    if (extra === undefined) return;
    for (const name of Object.keys(extra)) {
        const value = extra[name];
        const lower = name.toLowerCase();
        if (lower === 'authorization' || value === undefined) continue;
        headers.set(lower, String(value));
    }
}

/** Splits a base URL into its origin and a path prefix without a trailing slash. */
export function parseBaseUrl(baseUrl: string): { origin: string; pathPrefix: string } {
    let url: URL;
    try {
        url = new URL(baseUrl.trim());
    } catch (error) {
        throw new CohereError('bad_request', `Not a valid Cohere base URL: ${baseUrl}`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new CohereError('bad_request', `The Cohere base URL must be http(s): ${baseUrl}`);
    }
    return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}
