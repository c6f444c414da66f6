/** Stable, machine-readable error codes. The UI switches on these, never on message text. */
export type CohereErrorCode =
    | 'unauthorized'
    | 'forbidden'
    | 'not_found'
    | 'bad_request'
    | 'rate_limited'
    | 'invalid_token'
    | 'server'
    | 'timeout'
    | 'network'
    | 'aborted'
    | 'protocol'
    | 'generation'
    /** A reply was cut (the connection closed, or the stream ended) after part of it had arrived. */
    | 'interrupted'
    /** No API key is set anywhere, so nothing was sent. */
    | 'no_api_key';

export interface CohereErrorOptions {
    status?: number;
    retryable?: boolean;
    /** How long the server asked us to wait (Retry-After / X-RateLimit-Reset), when it said. */
    retryAfterMs?: number;
    /** The kind of a generation error, as the server names it (e.g. `INVALID_TOOL_GENERATION`). */
    errorType?: string;
    /** The whole error body, for the log, when the message shows only part of it (an HTML page's title). */
    detail?: string;
    cause?: unknown;
}

/** Every failure of the client, with a stable `code` and the server's own words in `message`. */
export class CohereError extends Error {
    override readonly name = 'CohereError';
    readonly code: CohereErrorCode;
    readonly status: number | undefined;
    readonly retryable: boolean;
    readonly retryAfterMs: number | undefined;
    readonly errorType: string | undefined;
    readonly detail: string | undefined;

    constructor(code: CohereErrorCode, message: string, options: CohereErrorOptions = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.code = code;
        this.status = options.status;
        this.retryable = options.retryable ?? false;
        this.retryAfterMs = options.retryAfterMs;
        this.errorType = options.errorType;
        this.detail = options.detail;
    }
}

/** Maps an HTTP status to its code. 422 is a bad request too (the server names the bad field). */
export function codeForStatus(status: number): CohereErrorCode {
    if (status === 401) return 'unauthorized';
    if (status === 403) return 'forbidden';
    if (status === 404) return 'not_found';
    if (status === 408) return 'timeout';
    if (status === 429) return 'rate_limited';
    if (status === 498) return 'invalid_token';
    if (status === 499) return 'aborted';
    if (status >= 500) return 'server';
    return 'bad_request';
}

/** Statuses worth another attempt: request timeout, rate limit and every server error. */
export function isRetryableStatus(status: number): boolean {
    return status === 408 || status === 429 || status >= 500;
}

export function isCohereError(value: unknown): value is CohereError {
    return value instanceof CohereError;
}
