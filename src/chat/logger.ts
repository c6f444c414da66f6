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
