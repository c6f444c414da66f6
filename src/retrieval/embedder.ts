// Embedding the chunks that have no vector yet: 96 texts a call, paced to an inputs-per-minute limit
// (a trial key allows 2,000), stopping cleanly when cancelled. What was embedded stays embedded, so an
// interrupted run resumes where it stopped.
import { setTimeout as sleep } from 'node:timers/promises';

export const EMBED_BATCH = 96;

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
        const vectors = await plan.embed(
            texts.map((text) => (text.trim() === '' ? '(empty)' : text)),
            plan.signal,
        );
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
