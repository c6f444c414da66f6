// The retry policy, as pure functions: what to retry, and how long to wait first.
// Cohere's SDKs retry 408, 429 and 5xx; they wait `Retry-After` (seconds or an HTTP date), else
// `X-RateLimit-Reset` (unix seconds), else 1 s * 2^n with +-10 % jitter, each capped at 60 s.
import { CohereError } from './errors';

/** Parameters of the backoff; the defaults are the SDKs'. */
export interface BackoffOptions {
    /** The first backoff step in milliseconds (default 1000). */
    baseDelayMs: number;
    /** The cap on every wait, including one the server asked for (default 60000). */
    maxDelayMs: number;
    /** A number in [0, 1); injectable so tests are exact. */
    random?: () => number;
}

export const DEFAULT_RETRY_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
const JITTER = 0.1;

/** A header value as undici gives it: one string, several, or none. */
export type HeaderValue = string | string[] | undefined;

function firstValue(value: HeaderValue): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a `Retry-After` value asks for, in milliseconds: delay-seconds or an HTTP date.
 * Undefined when absent, unparsable, or not in the future.
 */
export function parseRetryAfter(value: HeaderValue, nowMs: number): number | undefined {
    const text = firstValue(value)?.trim();
    if (text === undefined || text === '') return undefined;
    if (/^\d+(\.\d+)?$/.test(text)) {
        const ms = Number(text) * 1000;
        return ms > 0 ? ms : undefined;
    }
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    const ms = date - nowMs;
    return ms > 0 ? ms : undefined;
}

/** The wait until an `X-RateLimit-Reset` time (unix seconds), in milliseconds; undefined if absent or past. */
export function parseRateLimitReset(value: HeaderValue, nowMs: number): number | undefined {
    const text = firstValue(value)?.trim();
    if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
    const ms = Number(text) * 1000 - nowMs;
    return ms > 0 ? ms : undefined;
}

/** How long the server asked us to wait: `Retry-After` first, then `X-RateLimit-Reset`. */
export function serverRequestedDelay(
    headers: Record<string, HeaderValue>,
    nowMs: number,
): number | undefined {
    return (
        parseRetryAfter(headers['retry-after'], nowMs) ??
        parseRateLimitReset(headers['x-ratelimit-reset'], nowMs)
    );
}

/** Exponential backoff for retry number `retryIndex` (0 = the first retry), with +-10 % jitter, capped. */
export function backoffDelay(retryIndex: number, options: BackoffOptions): number {
    const random = options.random ?? Math.random;
    const exponential = Math.min(options.baseDelayMs * 2 ** retryIndex, options.maxDelayMs);
    const jittered = exponential * (1 + (random() - 0.5) * 2 * JITTER);
    return Math.max(0, Math.min(Math.round(jittered), options.maxDelayMs));
}

/** The wait before retry number `retryIndex`: what the server asked for if it did, else the backoff; capped. */
export function retryDelay(error: CohereError, retryIndex: number, options: BackoffOptions): number {
    if (error.retryAfterMs !== undefined) return Math.min(Math.round(error.retryAfterMs), options.maxDelayMs);
    return backoffDelay(retryIndex, options);
}

/**
 * Whether the client may send the request again by itself: a retryable HTTP status (408, 429, 5xx)
 * or a connection failure. Our own timeouts are not retried (the full wait has already been spent),
 * nor is anything once a byte of the body was handed on - the caller checks that.
 */
export function isAutoRetryable(error: CohereError): boolean {
    if (!error.retryable) return false;
    if (error.status !== undefined) return true;
    return error.code === 'network';
}

/** Resolves after `ms`, or rejects with `aborted` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(abortedError(signal));
            return;
        }
        const onAbort = (): void => {
            clearTimeout(timer);
            reject(abortedError(signal));
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/** The error every abort by the caller turns into. */
export function abortedError(signal: AbortSignal | undefined): CohereError {
    return new CohereError('aborted', 'The request was cancelled.', { cause: signal?.reason });
}
