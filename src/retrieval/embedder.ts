// Embedding the chunks that have no vector yet: 96 texts a call, paced to an inputs-per-minute limit
// (a trial key allows 2,000), stopping cleanly when cancelled. What was embedded stays embedded, so an
// interrupted run resumes where it stopped. A rate limit that outlasts the client's own retries (a
// build of thousands of chunks meets it on a trial key) waits as long as the server asks, then sends the
// same batch again: the build slows down instead of failing.
import { setTimeout as sleep } from 'node:timers/promises';
import { isCohereError } from '../cohere/errors';

export const EMBED_BATCH = 96;
/** Times one batch waits out a 429 before the build gives up (the error then reaches the caller). */
export const MAX_RATE_LIMIT_WAITS = 5;
/** The wait when a 429 does not say how long: the rate limit's window. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export interface EmbedPlan {
    /** Chunk ids still without a vector, in the order to embed them. */
    ids: readonly number[];
    /** The text of a chunk (read when its batch is sent). */
    text: (id: number) => Promise<string>;
    /** Embeds one batch as `search_document`, answering packed bits per text. */
    embed: (texts: string[], signal?: AbortSignal) => Promise<ArrayLike<number>[]>;
    /** Stores one vector. */
    store: (id: number, bits: ArrayLike<number>) => void;
    /** Default 2000 (a trial key's limit). */
    inputsPerMinute?: number;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
    /** Told before waiting out a rate limit (Retry-After), e.g. to show the wait. */
    onRateLimited?: (waitMs: number) => void;
    /** For tests: the clock and the wait. */
    now?: () => number;
    wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Embeds every id of the plan; resolves with how many were embedded (fewer when cancelled). */
export async function embedMissing(plan: EmbedPlan): Promise<number> {
    const now = plan.now ?? Date.now;
    const wait = plan.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    const perMinute = plan.inputsPerMinute ?? 2000;
    const sent: { at: number; count: number }[] = [];
    let done = 0;
    for (let start = 0; start < plan.ids.length; start += EMBED_BATCH) {
        if (plan.signal?.aborted) break;
        const ids = plan.ids.slice(start, start + EMBED_BATCH);
        // Wait until the last minute's inputs leave room for this batch.
        for (;;) {
            const cutoff = now() - 60_000;
            while (sent.length > 0 && (sent[0]?.at ?? 0) <= cutoff) sent.shift();
            const used = sent.reduce((sum, entry) => sum + entry.count, 0);
            if (used + ids.length <= perMinute || sent.length === 0) break;
            await wait((sent[0]?.at ?? 0) + 60_000 - now(), plan.signal);
            if (plan.signal?.aborted) return done;
        }
        const texts = await Promise.all(ids.map((id) => plan.text(id)));
        // The API refuses empty texts; a chunk of whitespace still needs a vector.
        const batch = texts.map((text) => (text.trim() === '' ? '(empty)' : text));
        let vectors: ArrayLike<number>[];
        for (let waits = 0; ; waits++) {
            try {
                vectors = await plan.embed(batch, plan.signal);
                break;
            } catch (error) {
                const waitMs = rateLimitWait(error);
                if (waitMs === undefined || waits >= MAX_RATE_LIMIT_WAITS || plan.signal?.aborted)
                    throw error;
                plan.onRateLimited?.(waitMs);
                await wait(waitMs, plan.signal);
                if (plan.signal?.aborted) return done;
            }
        }
        sent.push({ at: now(), count: ids.length });
        ids.forEach((id, index) => {
            const vector = vectors[index];
            if (vector !== undefined) plan.store(id, vector);
        });
        done += ids.length;
        plan.onProgress?.(done, plan.ids.length);
    }
    return done;
}

/** How long a rate-limited call asks to wait (Retry-After / X-RateLimit-Reset, else a minute), or undefined for other errors. */
function rateLimitWait(error: unknown): number | undefined {
    if (!isCohereError(error) || error.code !== 'rate_limited') return undefined;
    return Math.max(0, error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
}
