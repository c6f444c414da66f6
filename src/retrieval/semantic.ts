// Binary embeddings, searched by Hamming distance: one bit per dimension (embed-v4.0 at 1024
// dimensions is 128 bytes a chunk), packed in one growing Uint8Array, scanned 32 bits at a time.
// No native dependency; 100,000 chunks are 12.8 MB.

export interface SemanticHit {
    chunk: number;
    /** 1 - Hamming distance / dimensions: 1 is identical, 0.5 unrelated. */
    score: number;
}

export class BinaryVectors {
    private data: Uint8Array<ArrayBuffer>;
    private present: Uint8Array<ArrayBuffer>;
    private capacity: number;
    readonly bytesPerVector: number;

    constructor(
        readonly dimensions: number,
        capacity = 1024,
    ) {
        if (dimensions % 32 !== 0) throw new RangeError('dimensions must be a multiple of 32');
        this.bytesPerVector = dimensions / 8;
        this.capacity = capacity;
        this.data = new Uint8Array(capacity * this.bytesPerVector);
        this.present = new Uint8Array(capacity);
    }

    /** Stores the packed bits (`ubinary`, 0..255 per byte) of chunk `id`. */
    set(id: number, bits: ArrayLike<number>): void {
        if (bits.length !== this.bytesPerVector) {
            throw new RangeError(`expected ${this.bytesPerVector} bytes, got ${bits.length}`);
        }
        this.ensure(id + 1);
        this.data.set(bits, id * this.bytesPerVector);
        this.present[id] = 1;
    }

    has(id: number): boolean {
        return this.present[id] === 1;
    }

    delete(id: number): void {
        if (id < this.capacity) this.present[id] = 0;
    }

    /**
     * The best `limit` chunks among the live ones (`alive[id] === 1`), best first. Keeps the best
     * distances sorted and stops counting a vector's bits once it cannot beat the worst of them.
     */
    search(query: ArrayLike<number>, limit: number, alive: Uint8Array, count: number): SemanticHit[] {
        const words = this.bytesPerVector >>> 2;
        const q = new Uint32Array(new Uint8Array(Array.from(query)).buffer);
        const all = new Uint32Array(this.data.buffer, 0, this.data.byteLength >>> 2);
        const present = this.present;
        const bestIds = new Int32Array(limit);
        const bestDistances = new Int32Array(limit);
        let filled = 0;
        let worst = this.dimensions + 1;
        for (let id = 0; id < count; id++) {
            if (present[id] !== 1 || alive[id] !== 1) continue;
            let distance = 0;
            const base = id * words;
            for (let w = 0; w < words; w++) {
                let v = (all[base + w]! ^ q[w]!) >>> 0;
                v -= (v >>> 1) & 0x55555555;
                v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
                distance += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
                if (distance >= worst) break;
            }
            if (distance >= worst) continue;
            // Insert into the sorted best list (limit is small).
            let at = filled < limit ? filled++ : limit - 1;
            while (at > 0 && bestDistances[at - 1]! > distance) {
                bestDistances[at] = bestDistances[at - 1]!;
                bestIds[at] = bestIds[at - 1]!;
                at--;
            }
            bestDistances[at] = distance;
            bestIds[at] = id;
            if (filled === limit) worst = bestDistances[limit - 1]!;
        }
        const hits: SemanticHit[] = [];
        for (let k = 0; k < filled; k++)
            hits.push({ chunk: bestIds[k]!, score: 1 - bestDistances[k]! / this.dimensions });
        return hits;
    }

    /** Moves vectors to their new ids after a compaction (`remap[old]` is the new id or -1). */
    compact(remap: Int32Array, count: number): void {
        const next = new BinaryVectors(this.dimensions, Math.max(1024, count));
        for (let id = 0; id < remap.length; id++) {
            const to = remap[id] ?? -1;
            if (to < 0 || this.present[id] !== 1) continue;
            next.set(to, this.data.subarray(id * this.bytesPerVector, (id + 1) * this.bytesPerVector));
        }
        this.data = next.data;
        this.present = next.present;
        this.capacity = next.capacity;
    }

    /** The first `count` vectors and their presence flags, for saving. */
    export(count: number): { bits: Uint8Array; present: Uint8Array } {
        this.ensure(count);
        return {
            bits: this.data.subarray(0, count * this.bytesPerVector),
            present: this.present.subarray(0, count),
        };
    }

    static load(dimensions: number, bits: Uint8Array, present: Uint8Array): BinaryVectors {
        const vectors = new BinaryVectors(dimensions, Math.max(1024, present.length));
        vectors.data.set(bits);
        vectors.present.set(present);
        return vectors;
    }

    bytes(): number {
        return this.data.byteLength + this.present.byteLength;
    }

    private ensure(count: number): void {
        if (count <= this.capacity) return;
        let capacity = this.capacity;
        while (capacity < count) capacity *= 2;
        const data = new Uint8Array(capacity * this.bytesPerVector);
        data.set(this.data);
        const present = new Uint8Array(capacity);
        present.set(this.present);
        this.data = data;
        this.present = present;
        this.capacity = capacity;
    }
}

/** Reciprocal rank fusion of ranked lists (k = 60, as in the original paper): ids best first. */
export function fuseRanks(lists: readonly (readonly number[])[], k = 60): { chunk: number; score: number }[] {
    const scores = new Map<number, number>();
    for (const list of lists) {
        list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
    }
    return [...scores.entries()]
        .map(([chunk, score]) => ({ chunk, score }))
        .sort((a, b) => b.score - a.score || a.chunk - b.chunk);
}
