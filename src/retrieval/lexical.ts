// A BM25 index over chunks, written for this job: terms map to compact postings (chunk id and term
// frequency packed in one 32-bit word, in typed arrays that grow by doubling), chunk lengths in a
// Float32Array, scores accumulated in one reused Float32Array. Chunks can be removed (tombstoned,
// compacted away later) and added, so one changed file updates in place. Chosen over minisearch
// by `npm run bench:retrieval` (build time, memory, p95 latency at 100k chunks: bench/results/).
import { forEachTerm } from './terms';

const K1 = 1.2;
const B = 0.75;
/** Chunk ids fit in 24 bits, term frequencies (capped) in 8. */
const MAX_CHUNKS = 1 << 24;
const MAX_TF = 255;

interface Postings {
    data: Uint32Array;
    length: number;
}

export interface LexicalHit {
    chunk: number;
    score: number;
}

export class LexicalIndex {
    private readonly terms = new Map<string, Postings>();
    private lengths = new Float32Array(1024);
    private alive = new Uint8Array(1024);
    private chunkCount = 0;
    private liveCount = 0;
    private totalLength = 0;
    private scores = new Float32Array(0);

    /** Chunk ids handed out so far (live or removed). */
    get size(): number {
        return this.chunkCount;
    }

    get liveChunks(): number {
        return this.liveCount;
    }

    /** Indexes a chunk's text; returns its id. */
    add(text: string): number {
        const id = this.chunkCount++;
        if (id >= MAX_CHUNKS) throw new RangeError('the index holds at most 16M chunks');
        if (id >= this.lengths.length) {
            this.lengths = growF32(this.lengths, this.lengths.length * 2);
            this.alive = growU8(this.alive, this.alive.length * 2);
        }
        const counts = new Map<string, number>();
        let length = 0;
        forEachTerm(text, (term) => {
            counts.set(term, (counts.get(term) ?? 0) + 1);
            length++;
        });
        for (const [term, count] of counts) this.push(term, (id << 8) | Math.min(count, MAX_TF));
        this.lengths[id] = length;
        this.alive[id] = 1;
        this.liveCount++;
        this.totalLength += length;
        return id;
    }

    /** Adds a chunk from stored postings (loading a saved index): terms with their counts. */
    addCounted(counts: ReadonlyMap<string, number>, length: number): number {
        const id = this.chunkCount++;
        if (id >= this.lengths.length) {
            this.lengths = growF32(this.lengths, this.lengths.length * 2);
            this.alive = growU8(this.alive, this.alive.length * 2);
        }
        for (const [term, count] of counts) this.push(term, (id << 8) | Math.min(count, MAX_TF));
        this.lengths[id] = length;
        this.alive[id] = 1;
        this.liveCount++;
        this.totalLength += length;
        return id;
    }

    /** Removes a chunk from results at once; its postings go at the next compaction. */
    remove(id: number): void {
        if (this.alive[id] !== 1) return;
        this.alive[id] = 0;
        this.liveCount--;
        this.totalLength -= this.lengths[id] ?? 0;
    }

    /** 1 for each live chunk id (read-only view, for other scans). */
    aliveFlags(): Uint8Array {
        return this.alive;
    }

    isAlive(id: number): boolean {
        return this.alive[id] === 1;
    }

    /** The best `limit` live chunks for a query, best first (ties by chunk id). */
    search(query: string, limit = 50): LexicalHit[] {
        if (this.liveCount === 0) return [];
        const unique = new Set<string>();
        forEachTerm(query, (term) => unique.add(term));
        if (this.scores.length < this.chunkCount) this.scores = new Float32Array(this.lengths.length);
        const scores = this.scores;
        const touched: number[] = [];
        const averageLength = this.totalLength / this.liveCount || 1;
        for (const term of unique) {
            const postings = this.terms.get(term);
            if (postings === undefined) continue;
            const idf = Math.log(1 + (this.liveCount - postings.length + 0.5) / (postings.length + 0.5));
            const data = postings.data;
            for (let i = 0; i < postings.length; i++) {
                const packed = data[i] ?? 0;
                const id = packed >>> 8;
                if (this.alive[id] !== 1) continue;
                const tf = packed & 0xff;
                const norm = K1 * (1 - B + (B * (this.lengths[id] ?? 0)) / averageLength);
                if (scores[id] === 0) touched.push(id);
                scores[id] = (scores[id] ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm);
            }
        }
        const hits = topK(touched, scores, limit);
        for (const id of touched) scores[id] = 0;
        return hits;
    }

    /** Drops the postings of removed chunks; `remap` gives each live chunk its new id (or -1). */
    compact(remap: Int32Array): void {
        for (const [term, postings] of this.terms) {
            let kept = 0;
            for (let i = 0; i < postings.length; i++) {
                const packed = postings.data[i] ?? 0;
                const next = remap[packed >>> 8] ?? -1;
                if (next < 0) continue;
                postings.data[kept++] = (next << 8) | (packed & 0xff);
            }
            if (kept === 0) this.terms.delete(term);
            else postings.length = kept;
        }
        const lengths = new Float32Array(Math.max(1024, this.lengths.length));
        const alive = new Uint8Array(lengths.length);
        let count = 0;
        for (let id = 0; id < this.chunkCount; id++) {
            const next = remap[id] ?? -1;
            if (next < 0) continue;
            lengths[next] = this.lengths[id] ?? 0;
            alive[next] = 1;
            count = Math.max(count, next + 1);
        }
        this.lengths = lengths;
        this.alive = alive;
        this.chunkCount = count;
    }

    /** Every term with its postings (for saving), as `[term, packed postings]`. */
    *entries(): IterableIterator<[string, Uint32Array]> {
        for (const [term, postings] of this.terms) yield [term, postings.data.subarray(0, postings.length)];
    }

    lengthOf(id: number): number {
        return this.lengths[id] ?? 0;
    }

    /** Bytes held by postings and per-chunk arrays (the index's own memory, not the JS objects around it). */
    bytes(): number {
        let total = this.lengths.byteLength + this.alive.byteLength + this.scores.byteLength;
        for (const [term, postings] of this.terms) total += postings.data.byteLength + term.length * 2 + 48;
        return total;
    }

    /** Loads postings as saved (ids already dense); lengths come separately. */
    static fromSaved(terms: Iterable<[string, Uint32Array]>, lengths: Float32Array): LexicalIndex {
        const index = new LexicalIndex();
        index.lengths = new Float32Array(Math.max(1024, lengths.length));
        index.lengths.set(lengths);
        index.alive = new Uint8Array(index.lengths.length);
        index.alive.fill(1, 0, lengths.length);
        index.chunkCount = lengths.length;
        index.liveCount = lengths.length;
        for (const length of lengths) index.totalLength += length;
        for (const [term, data] of terms) index.terms.set(term, { data: data.slice(), length: data.length });
        return index;
    }

    private push(term: string, packed: number): void {
        let postings = this.terms.get(term);
        if (postings === undefined) {
            postings = { data: new Uint32Array(2), length: 0 };
            this.terms.set(term, postings);
        } else if (postings.length === postings.data.length) {
            postings.data = growU32(postings.data, postings.data.length * 2);
        }
        postings.data[postings.length++] = packed;
    }
}

function growF32(array: Float32Array, size: number): Float32Array<ArrayBuffer> {
    const next = new Float32Array(size);
    next.set(array);
    return next;
}

function growU8(array: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
    const next = new Uint8Array(size);
    next.set(array);
    return next;
}

function growU32(array: Uint32Array, size: number): Uint32Array<ArrayBuffer> {
    const next = new Uint32Array(size);
    next.set(array);
    return next;
}

/** The `limit` best ids by score, best first, without sorting everything. */
export function topK(ids: readonly number[], scores: ArrayLike<number>, limit: number): LexicalHit[] {
    const heap: LexicalHit[] = [];
    for (const id of ids) {
        const score = scores[id] ?? 0;
        if (heap.length < limit) {
            heap.push({ chunk: id, score });
            if (heap.length === limit) heap.sort(worseFirst);
        } else if (
            score > (heap[0]?.score ?? 0) ||
            (score === heap[0]?.score && id < (heap[0]?.chunk ?? 0))
        ) {
            heap[0] = { chunk: id, score };
            // Keep the worst at the front: one insertion pass (limit is small).
            for (let i = 0; i + 1 < heap.length && worseFirst(heap[i]!, heap[i + 1]!) > 0; i++) {
                [heap[i], heap[i + 1]] = [heap[i + 1]!, heap[i]!];
            }
        }
    }
    return heap.sort((a, b) => b.score - a.score || a.chunk - b.chunk);
}

function worseFirst(a: LexicalHit, b: LexicalHit): number {
    return a.score - b.score || b.chunk - a.chunk;
}
