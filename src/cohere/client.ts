// CohereClient: the Chat API V2 over undici - headers, retries, and the
// four calls the extension makes (chat, chatStream, listModels, checkApiKey).
import type { Dispatcher } from 'undici';
import { CohereError } from './errors';
import {
    DEFAULT_BASE_URL,
    DEFAULT_CLIENT_NAME,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_MS,
    keyOrFail,
    mergeHeaders,
    nonEmpty,
    parseBaseUrl,
    serializeBody,
    serializeChat,
    toCohereError,
} from './options';
import type {
    ApiKeySource,
    CohereClientOptions,
    ListModelsOptions,
    RequestOptions,
    RetryInfo,
} from './options';
import {
    DEFAULT_MAX_RETRY_DELAY_MS,
    DEFAULT_RETRY_BASE_DELAY_MS,
    isAutoRetryable,
    retryDelay,
    sleep,
} from './retry';
import { ChatStreamState, pipeEventStream } from './stream';
import type { ChatStream } from './stream';
import { createAgent, openExchange, parseJsonBody, readErrorResponse, readText } from './transport';
import type { Exchange } from './transport';
import type { ChatRequest, ChatResponse, CheckApiKeyResponse, ListModelsResponse, ModelInfo } from './types';
import { scrubError } from './scrub';
import { checkResponse } from './validate';
import { CLIENT_VERSION } from './version';

/** A guard against a server whose page tokens never end. */
const MAX_MODEL_PAGES = 1000;

/** The Cohere Chat API V2 client. Never imports vscode; everything it needs comes in through options. */
export class CohereClient {
    private readonly origin: string;
    private readonly pathPrefix: string;
    private readonly dispatcher: Dispatcher;
    private readonly ownsDispatcher: boolean;
    private readonly apiKey: ApiKeySource | undefined;
    private readonly timeoutMs: number;
    private readonly maxRetries: number;
    private readonly onRetry: ((info: RetryInfo) => void) | undefined;
    private readonly backoff: { baseDelayMs: number; maxDelayMs: number };
    /** Lower-cased name -> value, without Authorization. */
    private readonly baseHeaders: Map<string, string>;
    /** Flat header lists without Authorization, by Accept value, for calls without per-call headers. */
    private readonly flatWithBody = new Map<string, string[]>();
    private readonly flatWithoutBody = new Map<string, string[]>();

    constructor(options: CohereClientOptions = {}) {
        const base = parseBaseUrl(options.baseUrl ?? nonEmpty(process.env['CO_API_URL']) ?? DEFAULT_BASE_URL);
        this.origin = base.origin;
        this.pathPrefix = base.pathPrefix;
        this.apiKey = options.apiKey;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
        this.onRetry = options.onRetry;
        this.backoff = {
            baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
            maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
        };
        this.ownsDispatcher = options.dispatcher === undefined;
        this.dispatcher = options.dispatcher ?? createAgent(this.timeoutMs);
        this.baseHeaders = new Map([
            ['user-agent', options.userAgent ?? `cohere-chat-vscode/${CLIENT_VERSION}`],
            ['x-client-name', options.clientName ?? DEFAULT_CLIENT_NAME],
        ]);
        mergeHeaders(this.baseHeaders, options.headers);
    }

    /** The base URL requests go to (origin plus any path prefix). */
    get baseUrl(): string {
        return this.origin + this.pathPrefix;
    }

    /** `POST /v2/chat` with `"stream": false`. */
    chat(body: ChatRequest, options: RequestOptions = {}): Promise<ChatResponse> {
        let payload: string;
        try {
            payload = serializeChat(body, false);
        } catch (error) {
            return Promise.reject(error);
        }
        const report = options.onInvalidData ?? noop;
        return this.requestJson<unknown>('POST', '/v2/chat', payload, options, 'a reply').then((value) => {
            const response = checkResponse(value, report);
            if (response === undefined) {
                throw new CohereError('protocol', 'The server sent a reply without a message.');
            }
            return response;
        });
    }

    /** `POST /v2/chat` with `"stream": true`: the events as they arrive, and the assembled reply. */
    chatStream(body: ChatRequest, options: RequestOptions = {}): ChatStream {
        const controller = new AbortController();
        const userSignal = options.signal;
        const forwardAbort = (): void => controller.abort(userSignal?.reason);
        if (userSignal?.aborted) controller.abort(userSignal.reason);
        else userSignal?.addEventListener('abort', forwardAbort, { once: true });
        const stream = new ChatStreamState(() => controller.abort(), options.onInvalidData);
        let payload: string | undefined;
        const run = async (): Promise<void> => {
            payload ??= serializeChat(body, true);
            const key = await this.resolveKey();
            // Whatever the stream fails with (an error body, a generation error) is scrubbed of the key.
            stream.scrub = (error) => scrubError(error, key);
            try {
                const exchange = await this.open(
                    'POST',
                    '/v2/chat',
                    payload,
                    'text/event-stream',
                    { ...options, signal: controller.signal },
                    key,
                );
                const contentType = String(exchange.headers['content-type'] ?? '');
                if (contentType !== '' && !contentType.includes('text/event-stream')) {
                    const text = await readText(exchange);
                    throw new CohereError(
                        'protocol',
                        `Expected an event stream, got ${contentType}: ${text.slice(0, 200)}`,
                    );
                }
                await pipeEventStream(exchange, stream);
            } catch (error) {
                throw scrubError(toCohereError(error), key);
            }
        };
        this.withRetries(options, controller.signal, run, () => stream.delivered > 0).then(
            () => userSignal?.removeEventListener('abort', forwardAbort),
            (error: unknown) => {
                userSignal?.removeEventListener('abort', forwardAbort);
                stream.fail(toCohereError(error));
            },
        );
        return stream;
    }

    /** `GET /v1/models`, following `next_page_token` to the last page. */
    async listModels(options: ListModelsOptions = {}): Promise<ModelInfo[]> {
        const models: ModelInfo[] = [];
        const seen = new Set<string>();
        let pageToken: string | undefined;
        for (let page = 0; page < MAX_MODEL_PAGES; page++) {
            const query = new URLSearchParams({ page_size: String(options.pageSize ?? 1000) });
            if (options.endpoint !== undefined) query.set('endpoint', options.endpoint);
            if (pageToken !== undefined) query.set('page_token', pageToken);
            const path = `/v1/models?${query}`;
            const result = await this.requestJson<ListModelsResponse>(
                'GET',
                path,
                undefined,
                options,
                'a model list',
            );
            models.push(...(result.models ?? []));
            pageToken = result.next_page_token || undefined;
            if (pageToken === undefined) return models;
            if (seen.has(pageToken)) break;
            seen.add(pageToken);
        }
        throw new CohereError('protocol', 'The model list does not end: its page tokens repeat.');
    }

    /** `POST /v1/check-api-key`: whether the key is valid (a rejected key rejects `unauthorized`). */
    checkApiKey(options: RequestOptions = {}): Promise<CheckApiKeyResponse> {
        return this.requestJson<CheckApiKeyResponse>(
            'POST',
            '/v1/check-api-key',
            undefined,
            options,
            'a key check',
        );
    }

    /**
     * `POST <path>` with a JSON body, with the client's headers, retries and errors. The calls beyond
     * chat (embed, rerank, tokenize in their own files) go through here.
     */
    postJson<T>(path: string, body: unknown, options: RequestOptions, what: string): Promise<T> {
        let payload: string;
        try {
            payload = serializeBody(body);
        } catch (error) {
            return Promise.reject(error);
        }
        return this.requestJson<T>('POST', path, payload, options, what);
    }

    /** Releases the connections of the client's own pool (a dispatcher passed in is left to its owner). */
    async close(): Promise<void> {
        if (this.ownsDispatcher) await this.dispatcher.destroy();
    }

    /** A JSON call with retries: every attempt sends the request and reads the whole body. */
    private requestJson<T>(
        method: 'GET' | 'POST',
        path: string,
        payload: string | undefined,
        options: RequestOptions,
        what: string,
    ): Promise<T> {
        return this.withRetries(options, options.signal, () =>
            this.jsonAttempt<T>(method, path, payload, options, what),
        );
    }

    /** One JSON attempt, in one async frame (the round-trip hot path). */
    private async jsonAttempt<T>(
        method: 'GET' | 'POST',
        path: string,
        payload: string | undefined,
        options: RequestOptions,
        what: string,
    ): Promise<T> {
        const key = typeof this.apiKey === 'function' ? await this.resolveKey() : this.resolveKeySync();
        try {
            const exchange = await this.open(method, path, payload, 'application/json', options, key);
            const text = await readText(exchange, what);
            return parseJsonBody<T>(text, what);
        } catch (error) {
            // Error bodies and quoted replies are the server's words: the key never leaves through them.
            throw scrubError(toCohereError(error), key);
        }
    }

    /** One attempt: resolves with a 2xx exchange, rejects with the HTTP or transport error. */
    private async open(
        method: 'GET' | 'POST',
        path: string,
        body: string | undefined,
        accept: string,
        options: RequestOptions,
        key: string,
    ): Promise<Exchange> {
        const exchange = await openExchange({
            dispatcher: this.dispatcher,
            origin: this.origin,
            path: this.pathPrefix + path,
            method,
            headers: this.headerList(accept, body !== undefined, options.headers, key),
            body,
            signal: options.signal,
            // Our own Agent already carries the client's timeout; a per-call one or a foreign dispatcher needs it per request.
            timeoutMs: options.timeoutMs ?? (this.ownsDispatcher ? undefined : this.timeoutMs),
            effectiveTimeoutMs: options.timeoutMs ?? this.timeoutMs,
        });
        if (exchange.status >= 200 && exchange.status < 300) return exchange;
        throw await readErrorResponse(exchange);
    }

    /** The request headers as undici's flat list; Authorization last, so nothing can replace it. */
    private headerList(
        accept: string,
        hasBody: boolean,
        extra: Record<string, string> | undefined,
        key: string,
    ): string[] {
        if (extra === undefined) {
            const cached = hasBody ? this.flatWithBody.get(accept) : this.flatWithoutBody.get(accept);
            if (cached !== undefined) return cached.concat('authorization', `Bearer ${key}`);
        }
        const headers = new Map(this.baseHeaders);
        // No Accept-Encoding: replies are decoded when a server compresses anyway (body.ts), but asking
        // for it does not pay. `npm run bench:client` (2026-12-02) showed the client's cost on loopback
        // is in parsing, not bytes; a non-streamed reply is a few KB, and a compressed event stream holds
        // each event in the compressor until it flushes, while every event must reach the view at once.
        headers.set('accept', accept);
        if (hasBody) headers.set('content-type', 'application/json');
        mergeHeaders(headers, extra);
        headers.set('authorization', `Bearer ${key}`);
        const flat: string[] = [];
        for (const [name, value] of headers) flat.push(name, value);
        if (extra === undefined) {
            (hasBody ? this.flatWithBody : this.flatWithoutBody).set(accept, flat.slice(0, -2));
        }
        return flat;
    }

    private async resolveKey(): Promise<string> {
        const source = this.apiKey;
        if (typeof source !== 'function') return keyOrFail(source);
        let given: string | undefined;
        try {
            given = await source();
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new CohereError('no_api_key', `The API key could not be read: ${reason}`, {
                cause: error,
            });
        }
        return keyOrFail(given);
    }

    private resolveKeySync(): string {
        return keyOrFail(this.apiKey as string | undefined);
    }

    /** Runs `attempt` until it succeeds, or fails in a way (or as often) that must not be retried. */
    private async withRetries<T>(
        options: RequestOptions,
        signal: AbortSignal | undefined,
        attempt: () => Promise<T>,
        delivered?: () => boolean,
    ): Promise<T> {
        const maxRetries = options.maxRetries ?? this.maxRetries;
        for (let retryIndex = 0; ; retryIndex++) {
            try {
                return await attempt();
            } catch (thrown) {
                const error = toCohereError(thrown);
                const mayRetry =
                    retryIndex < maxRetries && isAutoRetryable(error) && !(delivered?.() ?? false);
                if (!mayRetry || signal?.aborted) throw error;
                const info: RetryInfo = {
                    attempt: retryIndex + 2,
                    delayMs: retryDelay(error, retryIndex, this.backoff),
                    error,
                };
                this.onRetry?.(info);
                options.onRetry?.(info);
                await sleep(info.delayMs, signal);
            }
        }
    }
}

function noop(): void {
    // Nobody asked to hear about dropped data.
}
