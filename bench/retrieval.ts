// `npm run bench:retrieval`: the workspace index on a real tree nobody here wrote, the project's own
// node_modules. Build time against a floor (listing and reading the same files), size on disk and in
// memory, the update after one file changes, query latency at 10k and 100k chunks (lexical,
// semantic on the fake server's binary embeddings, hybrid) against minisearch for the lexical part,
// and recall@10 / MRR on questions about undici's source. Prints a table; keeps bench/results/retrieval.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { CohereClient, embed, rerank } from '../src/cohere/index';
import { DiskSource, LexicalIndex, WorkspaceIndex, askWorkspace } from '../src/retrieval/index';
import type { FileSource, ListedFile } from '../src/retrieval/index';
import { startFakeCohere } from '../test/fake-cohere/server';
import { UNDICI_QUESTIONS } from './retrieval-questions';

const ROOT = join(__dirname, '..');
const NODE_MODULES = join(ROOT, 'node_modules');
const QUERY_ROUNDS = 5;
const TARGETS = { buildToFloor: 2, p95Ms: 30, bytesPerChunkBinary: 300 };

function gc(): void {
    (globalThis as { gc?: () => void }).gc?.();
}

function usedBytes(): number {
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function timeQueries(
    run: (query: string, i: number) => unknown,
    queries: readonly string[],
): { p50: number; p95: number } {
    for (const query of queries.slice(0, 5)) run(query, 0); // warm up
    const times: number[] = [];
    for (let round = 0; round < QUERY_ROUNDS; round++) {
        queries.forEach((query, i) => {
            const start = performance.now();
            run(query, i);
            times.push(performance.now() - start);
        });
    }
    return { p50: round2(percentile(times, 50)), p95: round2(percentile(times, 95)) };
}

function round2(value: number): number {
    return Math.round(value * 100) / 100;
}

/** The same tree listed `copies` times under `copyN/` prefixes: a bigger index from real text. */
class TiledSource implements FileSource {
    constructor(
        private readonly inner: FileSource,
        private readonly listed: ListedFile[],
        private readonly copies: number,
    ) {}
    list(): Promise<ListedFile[]> {
        const all: ListedFile[] = [];
        for (let copy = 0; copy < this.copies; copy++) {
            for (const file of this.listed) all.push({ ...file, path: `copy${copy}/${file.path}` });
        }
        return Promise.resolve(all);
    }
    read(path: string): Promise<Uint8Array> {
        return this.inner.read(path.replace(/^copy\d+\//, ''));
    }
}

/** The first files of a listing, enough for about `chunks` chunks. */
class PrefixSource implements FileSource {
    constructor(
        private readonly inner: FileSource,
        private readonly listed: ListedFile[],
    ) {}
    list(): Promise<ListedFile[]> {
        return Promise.resolve(this.listed);
    }
    read(path: string): Promise<Uint8Array> {
        return this.inner.read(path);
    }
}

async function main(): Promise<void> {
    const source = new DiskSource(NODE_MODULES, { gitignore: false, skipFolders: ['.git', '.cache'] });

    // Warm the file cache once, so neither the floor nor the build pays for cold reads.
    for (const file of await source.list()) await source.read(file.path);
    // The floor: list the tree and read every file, as the build must.
    let start = performance.now();
    const listed = await source.list();
    let floorBytes = 0;
    for (const file of listed) floorBytes += (await source.read(file.path)).length;
    const floorMs = performance.now() - start;

    // The build, from nothing.
    const before = usedBytes();
    start = performance.now();
    const full = new WorkspaceIndex();
    const report = await full.sync(source);
    const buildMs = performance.now() - start;
    const memoryBytes = usedBytes() - before;
    const saved = full.save();

    // One changed file: the time to re-read, re-chunk and re-index it.
    const changedPath = 'undici/lib/dispatcher/pool.js';
    const original = await source.read(changedPath);
    const changing: FileSource = {
        list: () => source.list(),
        read: (path) =>
            path === changedPath
                ? Promise.resolve(Buffer.concat([original, Buffer.from('\n// changed\n')]))
                : source.read(path),
    };
    const updates: number[] = [];
    for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await full.indexFile(changing, {
            path: changedPath,
            size: original.length + 12 + i,
            mtime: Date.now() + i,
        });
        updates.push(performance.now() - t);
    }
    const updateMs = round2(percentile(updates, 50));

    // Indexes of 10k and 100k chunks from the same real text.
    const index10k = new WorkspaceIndex();
    for (let files = 400; index10k.chunkCount < 10_000 && files < listed.length * 2; files += 400) {
        await index10k.sync(new PrefixSource(source, listed.slice(0, files)));
    }
    let index100k = full;
    if (full.chunkCount < 100_000) {
        index100k = new WorkspaceIndex();
        await index100k.sync(new TiledSource(source, listed, Math.ceil(100_000 / full.chunkCount)));
    }
    const queries = UNDICI_QUESTIONS.map((q) => q.question);

    // Semantic: chunks embedded by the fake server (binary, 1024 dimensions); the bench embeds 960
    // real chunks and reuses their vectors (bits flipped per copy) across the larger index.
    const fake = await startFakeCohere();
    const client = new CohereClient({ apiKey: 'test-key', baseUrl: fake.url, maxRetries: 0 });
    const bits = async (
        texts: string[],
        inputType: 'search_document' | 'search_query',
    ): Promise<number[][]> =>
        (
            await embed(client, {
                model: 'embed-v4.0',
                input_type: inputType,
                texts,
                embedding_types: ['ubinary'],
                output_dimension: 1024,
            })
        ).embeddings.ubinary ?? [];
    const sampleIds = index10k.unembedded().slice(0, 960);
    const sampleTexts = await Promise.all(
        sampleIds.map(async (id) => (await index10k.chunkText(source, id)) ?? ' '),
    );
    const sampleVectors: number[][] = [];
    for (let i = 0; i < sampleTexts.length; i += 96) {
        sampleVectors.push(
            ...(await bits(
                sampleTexts.slice(i, i + 96).map((t) => (t.trim() === '' ? '(empty)' : t)),
                'search_document',
            )),
        );
    }
    const fill = (index: WorkspaceIndex): void => {
        index.unembedded().forEach((id, n) => {
            const vector = sampleVectors[n % sampleVectors.length] ?? [];
            const copy = Math.floor(n / sampleVectors.length);
            index.setVector(
                id,
                vector.map((byte, b) => (b === copy % vector.length ? byte ^ 0xff : byte)),
            );
        });
    };
    fill(index10k);
    fill(index100k);
    const queryBits = await bits(queries, 'search_query');

    const latency = (index: WorkspaceIndex) => ({
        chunks: index.chunkCount,
        lexical: timeQueries((q) => index.searchLexical(q, 50), queries),
        semantic: timeQueries((_, i) => index.searchSemantic(queryBits[i] ?? [], 50), queries),
        hybrid: timeQueries((q, i) => index.searchHybrid(q, queryBits[i], 50), queries),
    });
    const at10k = latency(index10k);
    const at100k = latency(index100k);

    // minisearch on the same chunk texts, for the lexical choice.
    const minisearchRun = async (index: WorkspaceIndex) => {
        const docs: { id: number; text: string }[] = [];
        const byPath = new Map<string, number[]>();
        for (let id = 0; id < index.chunkCount * 2; id++) {
            const ref = index.chunk(id);
            if (ref === undefined) continue;
            const list = byPath.get(ref.path) ?? [];
            list.push(id);
            byPath.set(ref.path, list);
        }
        const startRead = performance.now();
        for (const [path, ids] of byPath) {
            const lines = new TextDecoder()
                .decode(await new TiledSource(source, [], 0).read(path))
                .split(/\r?\n/);
            for (const id of ids) {
                const ref = index.chunk(id)!;
                docs.push({ id, text: `${path}\n${lines.slice(ref.startLine - 1, ref.endLine).join('\n')}` });
            }
        }
        void startRead;
        const mem0 = usedBytes();
        const t = performance.now();
        const mini = new MiniSearch({ fields: ['text'], storeFields: [] });
        mini.addAll(docs);
        const buildIndexMs = round2(performance.now() - t);
        const memory = usedBytes() - mem0 - 0;
        const query = timeQueries((q) => mini.search(q).slice(0, 50), queries);
        return { chunks: docs.length, buildIndexMs, memoryMB: round2(memory / 1e6), query };
    };
    // Ours, building the postings from the same in-memory texts, for a like-for-like build time.
    const oursInMemory = async (index: WorkspaceIndex) => {
        const texts: string[] = [];
        for (let id = 0; id < index.chunkCount * 2 && texts.length < index.chunkCount; id++) {
            const text =
                index.chunk(id) === undefined
                    ? undefined
                    : await index.chunkText(new TiledSource(source, [], 0), id);
            if (text !== undefined) texts.push(text);
        }
        const t = performance.now();
        const lexical = new LexicalIndex();
        for (const text of texts) lexical.add(text);
        return round2(performance.now() - t);
    };
    const mini10k = await minisearchRun(index10k);
    const ours10kBuild = await oursInMemory(index10k);

    // Quality on undici: the local stage (lexical, hybrid), and with the fake Rerank after it.
    const undiciSource = new DiskSource(join(NODE_MODULES, 'undici'), { gitignore: false });
    const undici = new WorkspaceIndex();
    await undici.sync(undiciSource);
    const undiciIds = undici.unembedded();
    for (let i = 0; i < undiciIds.length; i += 96) {
        const ids = undiciIds.slice(i, i + 96);
        const texts = await Promise.all(
            ids.map(async (id) => (await undici.chunkText(undiciSource, id)) ?? ''),
        );
        const vectors = await bits(
            texts.map((t) => (t.trim() === '' ? '(empty)' : t)),
            'search_document',
        );
        ids.forEach((id, n) => undici.setVector(id, vectors[n] ?? []));
    }
    const quality = async (rank: (question: string, i: number) => Promise<string[]>) => {
        let found = 0;
        let reciprocal = 0;
        for (const [i, { question, answer }] of UNDICI_QUESTIONS.entries()) {
            const paths = (await rank(question, i)).slice(0, 10);
            const at = paths.indexOf(answer);
            if (at >= 0) {
                found++;
                reciprocal += 1 / (at + 1);
            }
        }
        return {
            recallAt10: round2(found / UNDICI_QUESTIONS.length),
            mrr: round2(reciprocal / UNDICI_QUESTIONS.length),
        };
    };
    const dedupe = (paths: string[]): string[] => [...new Set(paths)];
    const qualityLexical = await quality(async (q) => dedupe(undici.searchLexical(q, 50).map((h) => h.path)));
    const qualityHybrid = await quality(async (q, i) =>
        dedupe(undici.searchHybrid(q, queryBits[i], 50).map((h) => h.path)),
    );
    const qualityReranked = await quality(async (q) =>
        dedupe(
            (
                await askWorkspace({
                    index: undici,
                    source: undiciSource,
                    question: q,
                    uriOf: (p) => p,
                    rerank: async (query, documents) =>
                        (await rerank(client, { model: 'rerank-v4.0-fast', query, documents })).results,
                    candidates: 40,
                    topN: 40,
                })
            ).attachments.map((a) => a.title.replace(/:\d+(-\d+)?$/, '')),
        ),
    );
    await client.close();
    await fake.close();

    const results = {
        tree: {
            root: 'node_modules',
            files: listed.length,
            indexedFiles: report.files,
            skipped: report.skipped,
            chunks: report.chunks,
            megabytesRead: round2(floorBytes / 1e6),
        },
        build: {
            floorMs: Math.round(floorMs),
            buildMs: Math.round(buildMs),
            ratioToFloor: round2(buildMs / floorMs),
            filesPerSecond: Math.round(listed.length / (buildMs / 1000)),
            floorFilesPerSecond: Math.round(listed.length / (floorMs / 1000)),
        },
        size: {
            diskMB: round2(saved.byteLength / 1e6),
            memoryMB: round2(memoryBytes / 1e6),
            bytesPerChunkDisk: Math.round(saved.byteLength / full.chunkCount),
            binaryBytesPerChunk: full.bytesPerVector(),
        },
        updateOneFileMs: updateMs,
        latencyMs: { at10k, at100k },
        lexicalChoice: {
            ours10k: { buildIndexMs: ours10kBuild, query: at10k.lexical },
            minisearch10k: mini10k,
        },
        quality: {
            questions: UNDICI_QUESTIONS.length,
            undiciChunks: undici.chunkCount,
            lexical: qualityLexical,
            hybrid: qualityHybrid,
            reranked: qualityReranked,
        },
        targets: {
            buildWithin2xFloor: buildMs / floorMs <= TARGETS.buildToFloor,
            p95Within30msAt100k:
                Math.max(at100k.lexical.p95, at100k.semantic.p95, at100k.hybrid.p95) <= TARGETS.p95Ms,
            binaryWithin300BytesPerChunk: full.bytesPerVector() <= TARGETS.bytesPerChunkBinary,
        },
        machine: {
            node: process.version,
            cpus: cpus().length,
            note: '2 cores shared by 7 engineers: figures vary between runs',
        },
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/retrieval.json'), `${JSON.stringify(results, null, 2)}\n`);

    const rows: [string, string, string][] = [
        ['files listed / indexed / chunks', `${listed.length} / ${report.files} / ${report.chunks}`, ''],
        [
            'floor (list + read)',
            `${results.build.floorMs} ms (${results.build.floorFilesPerSecond} files/s)`,
            '',
        ],
        [
            'index build',
            `${results.build.buildMs} ms (${results.build.filesPerSecond} files/s)`,
            `${results.build.ratioToFloor}x floor (target <= 2x)`,
        ],
        [
            'index on disk / in memory',
            `${results.size.diskMB} MB / ${results.size.memoryMB} MB`,
            `${results.size.bytesPerChunkDisk} B/chunk on disk`,
        ],
        ['binary vector per chunk', `${results.size.binaryBytesPerChunk} B`, 'target <= 300 B'],
        ['update after one file changes', `${updateMs} ms (median of 20)`, ''],
        ...(['lexical', 'semantic', 'hybrid'] as const).flatMap((kind): [string, string, string][] => [
            [`${kind} p50/p95 @ ${at10k.chunks} chunks`, `${at10k[kind].p50} / ${at10k[kind].p95} ms`, ''],
            [
                `${kind} p50/p95 @ ${at100k.chunks} chunks`,
                `${at100k[kind].p50} / ${at100k[kind].p95} ms`,
                'target p95 <= 30 ms',
            ],
        ]),
        [
            'minisearch @10k: build / p50 / p95',
            `${mini10k.buildIndexMs} ms / ${mini10k.query.p50} / ${mini10k.query.p95} ms`,
            `ours: ${ours10kBuild} ms / ${at10k.lexical.p50} / ${at10k.lexical.p95} ms`,
        ],
        [
            'recall@10 / MRR lexical',
            `${qualityLexical.recallAt10} / ${qualityLexical.mrr}`,
            `${UNDICI_QUESTIONS.length} undici questions`,
        ],
        ['recall@10 / MRR hybrid', `${qualityHybrid.recallAt10} / ${qualityHybrid.mrr}`, 'fake embeddings'],
        ['recall@10 / MRR + rerank', `${qualityReranked.recallAt10} / ${qualityReranked.mrr}`, 'fake rerank'],
    ];
    const width = Math.max(...rows.map((row) => row[0].length));
    const valueWidth = Math.max(...rows.map((row) => row[1].length));
    for (const [name, value, note] of rows)
        console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${note}`);
    console.log(`targets: ${JSON.stringify(results.targets)}`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
