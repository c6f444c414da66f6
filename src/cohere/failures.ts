// Turning what went wrong into a CohereError: an HTTP error response (with the server's own words),
// or a failure of the transport (undici and socket errors).
import { CohereError, codeForStatus, isRetryableStatus } from './errors';
import { serverRequestedDelay } from './retry';
import type { HeaderValue } from './retry';

/** How much of a non-JSON error body ends up in a message. */
const MAX_MESSAGE_CHARS = 300;

/**
 * The server's own words from an error body: the JSON `message` when there is one, else the start of
 * the text (tags stripped from an HTML page, so a proxy's "502 Bad Gateway" reads as such).
 */
export function messageFromBody(body: string, contentType: string | undefined): string | undefined {
    const trimmed = body.trim();
    if (trimmed === '') return undefined;
    if (trimmed.startsWith('{')) {
        try {
            const parsed: unknown = JSON.parse(trimmed);
            if (typeof parsed === 'object' && parsed !== null) {
                const message = (parsed as { message?: unknown }).message;
                if (typeof message === 'string' && message !== '') return message;
            }
        } catch {
            // Not JSON after all: fall through to the raw text.
        }
    }
    const looksLikeHtml = (contentType ?? '').includes('html') || /^<(!doctype|html)/i.test(trimmed);
    const text = looksLikeHtml ? htmlToText(trimmed) : trimmed.replace(/\s+/g, ' ');
    return text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) + '…' : text;
}

/**
 * An HTML error page (a proxy's or gateway's) as its status and title, e.g. `HTTP 502: Bad Gateway`
 * rather than the page's text run together ("502 Bad Gateway 502 Bad Gateway nginx"). Undefined when
 * the body is not HTML.
 */
function htmlPageSummary(body: string, contentType: string | undefined, status: number): string | undefined {
    const trimmed = body.trim();
    if (trimmed === '' || trimmed.startsWith('{')) return undefined;
    if (!(contentType ?? '').includes('html') && !/^<(!doctype|html)/i.test(trimmed)) return undefined;
    const heading =
        /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(trimmed);
    const title = heading === null ? '' : htmlToText(heading[1] ?? '');
    const shortTitle = title.length > 120 ? `${title.slice(0, 120)}…` : title;
    // "502 Bad Gateway" already says its status; "Bad Gateway" gets it in front.
    const withoutStatus = shortTitle.replace(new RegExp(`^${status}\\b\\s*[-:]?\\s*`), '');
    return withoutStatus === '' ? `HTTP ${status} (an HTML page)` : `HTTP ${status}: ${withoutStatus}`;
}

function htmlToText(html: string): string {
    return html
        .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/\s+/g, ' ')
        .trim();
}

/** A CohereError for a non-2xx response: its code by status, the server's words, and any wait it asked for. */
export function errorFromResponse(
    status: number,
    headers: Record<string, HeaderValue>,
    body: string,
    nowMs: number = Date.now(),
): CohereError {
    const header = headers['content-type'];
    const contentType = Array.isArray(header) ? header[0] : header;
    const page = htmlPageSummary(body, contentType, status);
    const words = page ?? messageFromBody(body, contentType);
    const retryable = isRetryableStatus(status);
    const retryAfterMs = retryable ? serverRequestedDelay(headers, nowMs) : undefined;
    return new CohereError(codeForStatus(status), words ?? `The server answered with HTTP ${status}.`, {
        status,
        retryable,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        // The message shows only the page's title: the page itself goes to the log.
        ...(page === undefined ? {} : { detail: body.trim() }),
    });
}

/** The code src/proxy.ts gives a CONNECT the proxy did not answer in time. */
export const PROXY_TIMEOUT_CODE = 'COHERE_PROXY_CONNECT_TIMEOUT';

function proxyTimeoutMessage(error: unknown): string | undefined {
    for (let current = error; typeof current === 'object' && current !== null;) {
        if ((current as { code?: unknown }).code === PROXY_TIMEOUT_CODE && current instanceof Error) {
            return current.message;
        }
        current = (current as { cause?: unknown }).cause;
    }
    return undefined;
}

/** Socket and DNS failures that a new attempt may well not hit. */
const TRANSIENT_NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // undici wraps connection failures: the system error is the cause.
    return errorCode((error as { cause?: unknown }).cause);
}

function describe(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return String(error);
}

/**
 * A CohereError for a failure below HTTP: `timeout` for undici's connect/head/body timeouts,
 * `network` for everything else (retryable when it is a known transient socket failure).
 */
export function errorFromTransport(error: unknown, origin: string, timeoutMs: number): CohereError {
    if (error instanceof CohereError) return error;
    const code = errorCode(error);
    if (code === PROXY_TIMEOUT_CODE) {
        // The proxy's own words (proxy.ts): the tunnel was never opened, so Cohere was not reached.
        return new CohereError('timeout', proxyTimeoutMessage(error) ?? describe(error), {
            retryable: true,
            cause: error,
        });
    }
    if (code !== undefined && TIMEOUT_CODES.has(code)) return timeoutError(timeoutMs, code, error);
    if (code === 'UND_ERR_INVALID_ARG') {
        // undici refused the request before sending it, e.g. a custom header value with a line break.
        return new CohereError('bad_request', `The request is not valid: ${describe(error)}`, {
            cause: error,
        });
    }
    if (code === 'UND_ERR_DESTROYED') {
        return new CohereError('aborted', 'The client was closed.', { cause: error });
    }
    const retryable = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
    const suffix = code === undefined ? '' : ` (${code})`;
    return new CohereError('network', `Could not talk to ${origin}: ${describe(error)}${suffix}`, {
        retryable,
        cause: error,
    });
}

/** The error of a request that waited longer than `timeoutMs` for a connection, the head, or the next chunk. */
export function timeoutError(timeoutMs: number, phase: string, cause?: unknown): CohereError {
    if (phase === 'event') {
        return new CohereError(
            'timeout',
            `No complete event from the server for ${timeoutMs} ms in the middle of the reply (keep-alive comments and partial data do not count).`,
            { retryable: true, cause },
        );
    }
    const what =
        phase === 'UND_ERR_BODY_TIMEOUT' || phase === 'body'
            ? 'between two parts of the response'
            : 'for the response to start';
    return new CohereError('timeout', `No answer from the server ${what} within ${timeoutMs} ms.`, {
        retryable: true,
        cause,
    });
}
