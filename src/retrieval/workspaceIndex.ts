// The workspace index: files in (through a small interface, so it runs on any tree in plain Node),
// chunks out. It keeps per file its size, mtime and chunk ids; a sync reads only new or changed files,
// and one changed file updates in place. Lexical search always; semantic search over binary
// embeddings when they were made; both fused when both are there. Saved with a format version.
import { chunkText, splitLines } from '../context/chunk';
import { DEFAULT_MAX_FILE_BYTES, looksBinary } from '../context/fileRules';
import { fuseRanks } from './semantic';
import { BinaryVectors } from './semantic';
import { LexicalIndex } from './lexical';

/** Bumped whenever the saved layout changes; an index saved with another version is rebuilt. */
export const INDEX_FORMAT_VERSION = 1;
const MAGIC = 0x58494343; // 'CCIX'

/** A file the tree lists: its path relative to the root, with `/` separators. */
export interface ListedFile {
    path: string;
    size: number;
    mtime: number;
}

/** Where the files come from: a folder on disk, VS Code's file system, a test's map. */
export interface FileSource {
    list(signal?: AbortSignal): Promise<ListedFile[]>;
    read(path: string): Promise<Uint8Array>;
}

export interface IndexOptions {
    /** Files over this are skipped (default 1 MB). */
    maxFileBytes?: number;
    /** Lines a chunk has at most (default 60). */
    maxLines?: number;
    /** Embedding dimensions for the semantic part (default 1024, binary: 128 bytes a chunk). */
    dimensions?: number;
}

interface FileEntry {
    size: number;
    mtime: number;
    chunks: number[];
    /** Why it is not indexed, when it is not. */
    skipped?: 'binary' | 'large' | 'generated';
}

export interface ChunkRef {
    id: number;
    path: string;
    startLine: number;
    endLine: number;
}

export interface SyncReport {
    added: number;
    changed: number;
    removed: number;
    skipped: number;
    files: number;
    chunks: number;
    cancelled: boolean;
}

export interface SearchHit extends ChunkRef {
    score: number;
}

/** Minified or generated text: very long lines, or a name that says so. */
export function looksGenerated(path: string, text: string): boolean {
    if (/(\.min\.(js|css)|\.map|\.lock|-lock\.json|\.bundle\.js)$/.test(path)) return true;
    if (text.length === 0) return false;
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    return text.length / lines > 300;
}

export class WorkspaceIndex {
    private files = new Map<string, FileEntry>();
    private lexical = new LexicalIndex();
    private vectors: BinaryVectors;
    private chunkPath: string[] = [];
    private chunkStart: number[] = [];
    private chunkEnd: number[] = [];
    private readonly maxFileBytes: number;
    private readonly maxLines: number;
    readonly dimensions: number;

    constructor(options: IndexOptions = {}) {
        this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
        this.maxLines = options.maxLines ?? 60;
        this.dimensions = options.dimensions ?? 1024;
        this.vectors = new BinaryVectors(this.dimensions);
    }

    get fileCount(): number {
        return [...this.files.values()].filter((file) => file.skipped === undefined).length;
    }

    get chunkCount(): number {
        return this.lexical.liveChunks;
    }

    /** Brings the index in line with the tree: new and changed files read and chunked, removed ones dropped. */
    async sync(
        source: FileSource,
        options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
    ): Promise<SyncReport> {
        const listed = await source.list(options.signal);
        const report: SyncReport = {
            added: 0,
            changed: 0,
            removed: 0,
            skipped: 0,
            files: 0,
            chunks: 0,
            cancelled: false,
        };
        const seen = new Set<string>();
        let done = 0;
        for (const file of listed) {
            if (options.signal?.aborted) {
                report.cancelled = true;
                break;
            }
            seen.add(file.path);
            const known = this.files.get(file.path);
            if (known !== undefined && known.size === file.size && known.mtime === file.mtime) continue;
            const outcome = await this.indexFile(source, file);
            if (outcome === 'skipped') report.skipped++;
            else if (known === undefined) report.added++;
            else report.changed++;
            done++;
            if (done % 200 === 0) options.onProgress?.(done, listed.length);
        }
        if (!report.cancelled) {
            for (const path of [...this.files.keys()]) {
                if (seen.has(path)) continue;
                this.removeFile(path);
                report.removed++;
            }
        }
        report.files = this.fileCount;
        report.chunks = this.chunkCount;
        return report;
    }

    /** (Re)indexes one file, e.g. from a file watcher. */
    async indexFile(source: FileSource, file: ListedFile): Promise<'indexed' | 'skipped'> {
        this.removeFile(file.path);
        if (file.size > this.maxFileBytes) {
            this.files.set(file.path, { size: file.size, mtime: file.mtime, chunks: [], skipped: 'large' });
            return 'skipped';
        }
        let bytes: Uint8Array;
        try {
            bytes = await source.read(file.path);
        } catch {
            // Gone between listing and reading: the next sync sees it removed.
            return 'skipped';
        }
        if (looksBinary(bytes)) {
            this.files.set(file.path, { size: file.size, mtime: file.mtime, chunks: [], skipped: 'binary' });
            return 'skipped';
        }
        const text = new TextDecoder().decode(bytes);
        if (looksGenerated(file.path, text)) {
            this.files.set(file.path, {
                size: file.size,
                mtime: file.mtime,
                chunks: [],
                skipped: 'generated',
            });
            return 'skipped';
        }
        const ids: number[] = [];
        for (const chunk of chunkText(text, { maxLines: this.maxLines, maxChars: 3000, minLines: 15 })) {
            // The path is indexed with the chunk: questions often name the file.
            const id = this.lexical.add(`${file.path}\n${chunk.text}`);
            this.chunkPath[id] = file.path;
            this.chunkStart[id] = chunk.startLine;
            this.chunkEnd[id] = chunk.endLine;
            ids.push(id);
        }
        this.files.set(file.path, { size: file.size, mtime: file.mtime, chunks: ids });
        return 'indexed';
    }

    removeFile(path: string): void {
        const entry = this.files.get(path);
        if (entry === undefined) return;
        for (const id of entry.chunks) {
            this.lexical.remove(id);
            this.vectors.delete(id);
        }
        this.files.delete(path);
        // Tombstones past a third of the ids are compacted away.
        if (this.lexical.size > 1024 && this.lexical.liveChunks < (this.lexical.size * 2) / 3) this.compact();
    }

    chunk(id: number): ChunkRef | undefined {
        const path = this.chunkPath[id];
        if (path === undefined || !this.lexical.isAlive(id)) return undefined;
        return { id, path, startLine: this.chunkStart[id] ?? 1, endLine: this.chunkEnd[id] ?? 1 };
    }

    /** Lexical candidates, best first. */
    searchLexical(query: string, limit = 50): SearchHit[] {
        return this.lexical.search(query, limit).flatMap((hit) => this.hit(hit.chunk, hit.score));
    }

    /** Semantic candidates for a query's packed bits, best first. */
    searchSemantic(queryBits: ArrayLike<number>, limit = 50): SearchHit[] {
        return this.vectors
            .search(queryBits, limit, this.lexical.aliveFlags(), this.lexical.size)
            .flatMap((hit) => this.hit(hit.chunk, hit.score));
    }

    /** Both, fused by reciprocal rank; lexical alone when there is no query vector. */
    searchHybrid(query: string, queryBits: ArrayLike<number> | undefined, limit = 50): SearchHit[] {
        const lexical = this.searchLexical(query, limit);
        if (queryBits === undefined) return lexical;
        const semantic = this.searchSemantic(queryBits, limit);
        return fuseRanks([lexical.map((hit) => hit.id), semantic.map((hit) => hit.id)])
            .slice(0, limit)
            .flatMap((hit) => this.hit(hit.chunk, hit.score));
    }

    /** Chunk ids that have no vector yet (the embedding backlog). */
    unembedded(): number[] {
        const ids: number[] = [];
        for (const entry of this.files.values())
            for (const id of entry.chunks) if (!this.vectors.has(id)) ids.push(id);
        return ids.sort((a, b) => a - b);
    }

    get embeddedCount(): number {
        return this.chunkCount - this.unembedded().length;
    }

    setVector(id: number, bits: ArrayLike<number>): void {
        if (this.lexical.isAlive(id)) this.vectors.set(id, bits);
    }

    /** The text of a chunk, read again from the source (the index keeps no text). */
    async chunkText(source: FileSource, id: number): Promise<string | undefined> {
        const ref = this.chunk(id);
        if (ref === undefined) return undefined;
        const text = new TextDecoder().decode(await source.read(ref.path));
        return splitLines(text)
            .slice(ref.startLine - 1, ref.endLine)
            .join('\n');
    }

    /** Bytes the index holds in typed arrays (postings, lengths, vectors), plus its chunk table. */
    memoryBytes(): number {
        return this.lexical.bytes() + this.vectors.bytes() + this.chunkPath.length * 16;
    }

    bytesPerVector(): number {
        return this.vectors.bytesPerVector;
    }

    /** Renumbers chunks densely, dropping removed ones. */
    compact(): void {
        const remap = new Int32Array(this.lexical.size).fill(-1);
        let next = 0;
        const paths: string[] = [];
        const starts: number[] = [];
        const ends: number[] = [];
        for (const entry of this.files.values()) {
            entry.chunks = entry.chunks.map((id) => {
                const to = next++;
                remap[id] = to;
                paths[to] = this.chunkPath[id] ?? '';
                starts[to] = this.chunkStart[id] ?? 1;
                ends[to] = this.chunkEnd[id] ?? 1;
                return to;
            });
        }
        this.lexical.compact(remap);
        this.vectors.compact(remap, next);
        this.chunkPath = paths;
        this.chunkStart = starts;
        this.chunkEnd = ends;
    }

    /** The index as bytes: magic, version, a JSON header, then the typed arrays. */
    save(): Uint8Array {
        this.compact();
        const count = this.lexical.size;
        const terms: string[] = [];
        const offsets: number[] = [0];
        const postings: Uint32Array[] = [];
        let total = 0;
        for (const [term, data] of this.lexical.entries()) {
            terms.push(term);
            postings.push(data);
            total += data.length;
            offsets.push(total);
        }
        const flat = new Uint32Array(total);
        let at = 0;
        for (const data of postings) {
            flat.set(data, at);
            at += data.length;
        }
        const lengths = new Float32Array(count);
        for (let id = 0; id < count; id++) lengths[id] = this.lexical.lengthOf(id);
        const { bits, present } = this.vectors.export(count);
        const header = {
            dimensions: this.dimensions,
            count,
            files: [...this.files.entries()].map(([path, entry]) => [
                path,
                entry.size,
                entry.mtime,
                entry.skipped ?? '',
                entry.chunks.length,
            ]),
            ranges: Array.from({ length: count }, (_, id) => [
                this.chunkStart[id] ?? 1,
                this.chunkEnd[id] ?? 1,
            ]).flat(),
            terms: terms.join('\n'),
        };
        const sections = [
            new TextEncoder().encode(JSON.stringify(header)),
            new Uint8Array(new Uint32Array(offsets).buffer),
            new Uint8Array(flat.buffer),
            new Uint8Array(lengths.buffer),
            bits,
            present,
        ];
        const size = 8 + sections.reduce((sum, section) => sum + 4 + align(section.byteLength), 0);
        const out = new Uint8Array(size);
        const view = new DataView(out.buffer);
        view.setUint32(0, MAGIC, true);
        view.setUint32(4, INDEX_FORMAT_VERSION, true);
        let offset = 8;
        for (const section of sections) {
            view.setUint32(offset, section.byteLength, true);
            out.set(section, offset + 4);
            offset += 4 + align(section.byteLength);
        }
        return out;
    }

    /** A saved index, or undefined when the bytes are not one of this format version. */
    static load(bytes: Uint8Array, options: IndexOptions = {}): WorkspaceIndex | undefined {
        try {
            const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== INDEX_FORMAT_VERSION)
                return undefined;
            const sections: Uint8Array[] = [];
            let offset = 8;
            while (offset < bytes.byteLength) {
                const length = view.getUint32(offset, true);
                // Copied out so each typed view starts aligned.
                sections.push(bytes.slice(offset + 4, offset + 4 + length));
                offset += 4 + align(length);
            }
            const [headerBytes, offsetBytes, flatBytes, lengthBytes, bits, present] = sections;
            if (
                present === undefined ||
                headerBytes === undefined ||
                offsetBytes === undefined ||
                flatBytes === undefined ||
                lengthBytes === undefined ||
                bits === undefined
            )
                return undefined;
            const header = JSON.parse(new TextDecoder().decode(headerBytes)) as {
                dimensions: number;
                count: number;
                files: [string, number, number, string, number][];
                ranges: number[];
                terms: string;
            };
            if (options.dimensions !== undefined && options.dimensions !== header.dimensions)
                return undefined;
            const index = new WorkspaceIndex({ ...options, dimensions: header.dimensions });
            const offsets = new Uint32Array(offsetBytes.buffer);
            const flat = new Uint32Array(flatBytes.buffer);
            const terms = header.terms === '' ? [] : header.terms.split('\n');
            index.lexical = LexicalIndex.fromSaved(
                terms.map(
                    (term, i) =>
                        [term, flat.subarray(offsets[i] ?? 0, offsets[i + 1] ?? 0)] as [string, Uint32Array],
                ),
                new Float32Array(lengthBytes.buffer),
            );
            index.vectors = BinaryVectors.load(header.dimensions, bits, present);
            let next = 0;
            for (const [path, size, mtime, skipped, chunkCount] of header.files) {
                const chunks = Array.from({ length: chunkCount }, () => next++);
                for (const id of chunks) {
                    index.chunkPath[id] = path;
                    index.chunkStart[id] = header.ranges[id * 2] ?? 1;
                    index.chunkEnd[id] = header.ranges[id * 2 + 1] ?? 1;
                }
                index.files.set(path, {
                    size,
                    mtime,
                    chunks,
                    ...(skipped === '' ? {} : { skipped: skipped as FileEntry['skipped'] & string }),
                });
            }
            return next === header.count ? index : undefined;
        } catch {
            return undefined;
        }
    }

    private hit(id: number, score: number): SearchHit[] {
        const ref = this.chunk(id);
        return ref === undefined ? [] : [{ ...ref, score }];
    }
}

function align(length: number): number {
    return (length + 3) & ~3;
}
