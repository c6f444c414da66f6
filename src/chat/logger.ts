// The logging seam of the host-side chat code. The extension passes an adapter over its
// LogOutputChannel; tests pass a capturing logger, so what is logged can be checked.

/**
 * Where src/chat writes what it does. Implementations decide the level filtering.
 * Rules for callers: never log the API key or request headers; message texts only at `trace`.
 */
export interface Logger {
    trace(message: string): void;
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string | Error): void;
}

// Belt and braces: nothing should ever hand a key to the log, but if a header line or an error message
// quoting one slips through, the secret part is cut before it is written.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
    [/(authorization\s*[:=]\s*)("?)(bearer\s+|token\s+|basic\s+)?[^\s",}]+/gi, '$1$2$3***'],
    [/\bbearer\s+[^\s"',;}]{8,}/gi, 'Bearer ***'],
    // URL-encoded, as in a query string or a quoted URL: `bearer%20<key>`, `bearer+<key>`.
    [/\bbearer(%20|\+)[^\s"',;&}]{8,}/gi, 'Bearer$1***'],
    // `token <key>` (GitHub-style headers, some gateways); a long value with a digit, so prose is left alone.
    [/\b(token\s+)(?=[^\s"',;}]*\d)[^\s"',;}]{16,}/gi, '$1***'],
    // `x-api-key: <key>`, `api_key=<key>`, `apikey: "<key>"`, `api-key=…` in headers, queries and JSON.
    [/\b((?:x-)?api[_-]?key("?)\s*[:=]\s*)("?)[^\s"',&}]+/gi, '$1$3***'],
    // Credentials in a URL (`https://user:pass@host`, `https://token@host`): base URL or proxy settings.
    [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]+@/gi, '$1***@'],
];

/** `text` with anything that looks like a bearer token or an Authorization header value cut out. */
export function redactSecrets(text: string): string {
    return SECRET_PATTERNS.reduce(
        (result, [pattern, replacement]) => result.replace(pattern, replacement),
        text,
    );
}

/** A thrown value as an Error, for `Logger.error` (anything can be thrown; only an Error has a stack). */
export function asError(value: unknown): Error {
    return value instanceof Error ? value : new Error(String(value));
}

function ignore(): void {
    // Deliberately empty: the null logger drops everything.
}

/** A logger that drops everything (the default in tests that do not look at logs). */
export const nullLogger: Logger = {
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
};
