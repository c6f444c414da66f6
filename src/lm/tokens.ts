// Token counts for VS Code's context indicator: the model's own count from POST /v1/tokenize where the
// client can ask for it, kept per model and text (VS Code asks again for the same messages on every
// request), and a local estimate when it cannot (no key yet, the call failed).

/** The remote count: `countTokens(client, text, model)` of src/cohere. */
export type RemoteCount = (text: string, model: string, signal: AbortSignal) => Promise<number>;

/**
 * A local estimate: English prose and code run at about 4 characters per token with Cohere's tokenizers;
 * every word is at least one token. Used only when the server cannot be asked.
 */
export function estimateTokens(text: string): number {
    if (text === '') return 0;
    const words = text.split(/\s+/).filter((word) => word !== '').length;
    return Math.max(words, Math.ceil(text.length / 4));
}

/** How many counts are kept; VS Code's agent sends tens of messages per request. */
const CACHE_SIZE = 2_000;

/**
 * How the server is spared. VS Code's agent asks for a count of every message and of every part of every
 * tool's schema ("name", "description"…): 359 texts for one request on 1.139, while a trial key may call
 * tokenize 100 times a minute (and each call counts against a trial key's 1,000 calls a month). Short texts
 * are estimated (a few tokens off at most), the server is asked at most `remoteCallsPerMinute` times a
 * minute, and not at all for a while after it answered 429.
 */
export interface TokenCounterLimits {
    /** Texts shorter than this are estimated locally. */
    readonly minRemoteChars: number;
    readonly remoteCallsPerMinute: number;
    /** How long to estimate after a 429 that gave no Retry-After. */
    readonly pauseAfterRateLimitMs: number;
    readonly now: () => number;
}

export const DEFAULT_TOKEN_COUNTER_LIMITS: TokenCounterLimits = {
    minRemoteChars: 200,
    remoteCallsPerMinute: 50,
    pauseAfterRateLimitMs: 60_000,
    now: () => Date.now(),
};

const MINUTE_MS = 60_000;

/** The status of a failed remote count, when it has one (a CohereError's). */
function statusOf(error: unknown): number | undefined {
    const status = (error as { status?: unknown } | null)?.status;
    return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
    const after = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
    return typeof after === 'number' && after > 0 ? after : undefined;
}

/** Counts tokens, remotely where possible and affordable, caching each remote count by model and text. */
export class TokenCounter {
    private readonly cache = new Map<string, number>();
    /** When the remote calls of the last minute started, oldest first. */
    private readonly recentCalls: number[] = [];
    private pausedUntil = 0;
    private readonly limits: TokenCounterLimits;

    constructor(
        private readonly remote: RemoteCount | undefined,
        private readonly onRemoteFailure: (error: unknown) => void = () => undefined,
        limits: Partial<TokenCounterLimits> = {},
    ) {
        this.limits = { ...DEFAULT_TOKEN_COUNTER_LIMITS, ...limits };
    }

    async count(text: string, model: string, signal: AbortSignal): Promise<number> {
        if (text === '') return 0;
        const key = `${model}\u0000${text}`;
        const cached = this.cache.get(key);
        if (cached !== undefined) {
            // Refresh its place: the least recently used count goes first.
            this.cache.delete(key);
            this.cache.set(key, cached);
            return cached;
        }
        if (!this.remote || !this.mayAskServer(text)) return estimateTokens(text);
        let counted: number;
        try {
            counted = await this.remote(text, model, signal);
        } catch (error) {
            if (statusOf(error) === 429)
                this.pausedUntil =
                    this.limits.now() + (retryAfterOf(error) ?? this.limits.pauseAfterRateLimitMs);
            this.onRemoteFailure(error);
            // Not cached: the next call asks the server again (a key may have been set since).
            return estimateTokens(text);
        }
        this.cache.set(key, counted);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
        return counted;
    }

    /** Whether this text is worth a remote call, and one fits in the minute's budget (which it then takes). */
    private mayAskServer(text: string): boolean {
        if (text.length < this.limits.minRemoteChars) return false;
        const now = this.limits.now();
        if (now < this.pausedUntil) return false;
        while (this.recentCalls.length > 0 && this.recentCalls[0]! <= now - MINUTE_MS)
            this.recentCalls.shift();
        if (this.recentCalls.length >= this.limits.remoteCallsPerMinute) return false;
        this.recentCalls.push(now);
        return true;
    }

    /** Forgets every count (the endpoint changed). */
    clear(): void {
        this.cache.clear();
    }
}
