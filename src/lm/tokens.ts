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

/** Counts tokens, remotely where possible, caching each count by model and text. */
export class TokenCounter {
    private readonly cache = new Map<string, number>();

    constructor(
        private readonly remote: RemoteCount | undefined,
        private readonly onRemoteFailure: (error: unknown) => void = () => undefined,
    ) {}

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
        if (!this.remote) return estimateTokens(text);
        let counted: number;
        try {
            counted = await this.remote(text, model, signal);
        } catch (error) {
            this.onRemoteFailure(error);
            // Not cached: the next call asks the server again (a key may have been set since).
            return estimateTokens(text);
        }
        this.cache.set(key, counted);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
        return counted;
    }

    /** Forgets every count (the endpoint changed). */
    clear(): void {
        this.cache.clear();
    }
}
