// The workspace index in plain Node: ignore rules, chunks and skips, search, one-file updates,
// save and load, semantic search on the fake server's binary embeddings, rerank, batching and pacing,
// and consent.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CohereClient } from '../../src/cohere/index';
import { embed, rerank } from '../../src/cohere/index';
import { CohereError } from '../../src/cohere/errors';
import { MAX_RATE_LIMIT_WAITS } from '../../src/retrieval/embedder';
import {
    DiskSource,
    GitignoreSet,
    WorkspaceIndex,
    askWorkspace,
    consentFor,
    embedMissing,
    termsOf,
} from '../../src/retrieval/index';
import type { FileSource, ListedFile } from '../../src/retrieval/index';
import type { FakeCohere } from '../fake-cohere/server';
import { useFakeCohereClient } from './fake-cohere-client';

/** An in-memory tree; `touch` changes a file's text and mtime. */
class MapSource implements FileSource {
    readonly files = new Map<string, { text: string | Uint8Array; mtime: number }>();
    reads = 0;
    set(path: string, text: string | Uint8Array, mtime = 1): void {
        this.files.set(path, { text, mtime });
    }
    list(): Promise<ListedFile[]> {
        return Promise.resolve(
            [...this.files].map(([path, file]) => ({
                path,
                size: typeof file.text === 'string' ? Buffer.byteLength(file.text) : file.text.length,
                mtime: file.mtime,
            })),
        );
    }
    read(path: string): Promise<Uint8Array> {
        this.reads++;
        const file = this.files.get(path);
        if (file === undefined) return Promise.reject(new Error('gone'));
        return Promise.resolve(typeof file.text === 'string' ? Buffer.from(file.text) : file.text);
    }
}

function tree(): MapSource {
    const source = new MapSource();
    source.set(
        'src/headers.ts',
        'export function parseHeaders(raw: string) {\n    return raw.split("\\r\\n");\n}\n',
    );
    source.set(
        'src/body.ts',
        'export async function readBody(stream) {\n    for await (const chunk of stream) yield chunk;\n}\n',
    );
    source.set('src/pool.ts', 'export class ConnectionPool {\n    keepAliveTimeout = 4000;\n}\n');
    source.set('logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    source.set('dist/app.min.js', `var a=1;${'x'.repeat(2000)}`);
    return source;
}

void describe('terms and ignore rules', () => {
    void test('identifiers are kept whole and split at camelCase and snake_case; stop words and numbers go', () => {
        assert.deepEqual(termsOf('readFileSync the max_tokens 42 HTTPServer'), [
            'readfilesync',
            'read',
            'file',
            'sync',
            'maxtokens',
            'max',
            'tokens',
            'httpserver',
            'http',
            'server',
        ]);
    });

    void test('.gitignore: globs, folders only, anchors, negation, nested files', () => {
        const ignore = new GitignoreSet();
        ignore.add('', '# build\nnode_modules/\n*.log\n/out\n!keep.log\ndocs/**/*.tmp\n');
        ignore.add('pkg', 'secret.txt\n');
        assert.equal(ignore.ignores('node_modules/a/index.js'), true);
        assert.equal(ignore.ignores('src/node_modules/x.js'), true);
        assert.equal(ignore.ignores('a/debug.log'), true);
        assert.equal(ignore.ignores('keep.log'), false);
        assert.equal(ignore.ignores('out/main.js'), true);
        assert.equal(ignore.ignores('src/out/main.js'), false);
        assert.equal(ignore.ignores('docs/a/b/c.tmp'), true);
        assert.equal(ignore.ignores('pkg/secret.txt'), true);
        assert.equal(ignore.ignores('secret.txt'), false);
        assert.equal(ignore.ignores('src/app.ts'), false);
    });

    void test('a folder on disk is listed with its .gitignore and the extra excludes applied', async (t) => {
        const root = await mkdtemp(join(tmpdir(), 'cohere-index-'));
        t.after(() => rm(root, { recursive: true, force: true }));
        await mkdir(join(root, 'src'), { recursive: true });
        await mkdir(join(root, 'build'), { recursive: true });
        await writeFile(join(root, '.gitignore'), 'build/\n');
        await writeFile(join(root, 'src/a.ts'), 'export const a = 1;\n');
        await writeFile(join(root, 'src/b.gen.ts'), 'generated\n');
        await writeFile(join(root, 'build/out.js'), 'x\n');
        const listed = await new DiskSource(root, { exclude: ['*.gen.ts'] }).list();
        assert.deepEqual(listed.map((file) => file.path).sort(), ['.gitignore', 'src/a.ts']);
    });
});

void describe('the index', () => {
    void test('indexes text files in chunks, skipping binaries, minified and large files', async () => {
        const index = new WorkspaceIndex({ maxFileBytes: 1000 });
        const source = tree();
        source.set('big.txt', 'word '.repeat(1000));
        const report = await index.sync(source);
        assert.equal(report.added, 3);
        assert.equal(report.skipped, 3);
        assert.equal(index.fileCount, 3);
        assert.equal(index.searchLexical('parse headers')[0]?.path, 'src/headers.ts');
        assert.equal(index.searchLexical('keepAliveTimeout')[0]?.path, 'src/pool.ts');
        assert.deepEqual(index.searchLexical('nothing matches zebra'), []);
    });

    void test('a sync reads only changed files; a change and a removal update in place', async () => {
        const index = new WorkspaceIndex();
        const source = tree();
        await index.sync(source);
        source.reads = 0;
        const again = await index.sync(source);
        assert.deepEqual([again.added, again.changed, again.removed, source.reads], [0, 0, 0, 0]);
        source.set('src/pool.ts', 'export class SocketPool {\n    maxSockets = 8;\n}\n', 2);
        source.files.delete('src/body.ts');
        const changed = await index.sync(source);
        assert.deepEqual([changed.changed, changed.removed, source.reads], [1, 1, 1]);
        assert.equal(index.searchLexical('keepAliveTimeout').length, 0);
        assert.equal(index.searchLexical('maxSockets')[0]?.path, 'src/pool.ts');
        assert.equal(index.searchLexical('readBody').length, 0);
    });

    void test('a cancelled sync stops, keeps what it did and removes nothing', async () => {
        const index = new WorkspaceIndex();
        const source = tree();
        await index.sync(source);
        source.files.delete('src/body.ts');
        const controller = new AbortController();
        controller.abort();
        const report = await index.sync(source, { signal: controller.signal });
        assert.equal(report.cancelled, true);
        assert.equal(index.searchLexical('readBody').length, 1);
    });

    void test('save and load give the same answers; another format version is refused', async () => {
        const index = new WorkspaceIndex();
        const source = tree();
        for (let i = 0; i < 50; i++)
            source.set(`gen/file${i}.ts`, `export const value${i} = ${i};\n// filler ${i}\n`);
        await index.sync(source);
        index.setVector(0, new Uint8Array(128).fill(7));
        const saved = index.save();
        const loaded = WorkspaceIndex.load(saved);
        assert.ok(loaded !== undefined);
        assert.deepEqual(loaded.searchLexical('value17'), index.searchLexical('value17'));
        assert.equal(loaded.chunkCount, index.chunkCount);
        assert.equal(loaded.embeddedCount, 1);
        // Loaded files are known: nothing is read again.
        source.reads = 0;
        const report = await loaded.sync(source);
        assert.deepEqual([report.added, report.changed, source.reads], [0, 0, 0]);
        const other = saved.slice();
        new DataView(other.buffer).setUint32(4, 999, true);
        assert.equal(WorkspaceIndex.load(other), undefined);
        assert.equal(WorkspaceIndex.load(new Uint8Array([1, 2, 3])), undefined);
    });
});

void describe('semantic search and rerank against the fake server', () => {
    let fake: FakeCohere;
    let client: CohereClient;
    useFakeCohereClient((running) => ({ fake, client } = running));

    const embedBits = async (texts: string[], inputType: 'search_document' | 'search_query') => {
        const response = await embed(client, {
            model: 'embed-v4.0',
            input_type: inputType,
            texts,
            embedding_types: ['ubinary'],
            output_dimension: 1024,
        });
        return response.embeddings.ubinary ?? [];
    };

    void test('chunks embedded in batches of 96 as search_document; the question finds its chunk', async () => {
        const index = new WorkspaceIndex();
        const source = tree();
        for (let i = 0; i < 150; i++)
            source.set(`noise/n${i}.ts`, `export const unrelated${i} = "penguin ${i}";\n`);
        await index.sync(source);
        fake.reset();
        const done = await embedMissing({
            ids: index.unembedded(),
            text: async (id) => (await index.chunkText(source, id)) ?? '',
            embed: (texts) => embedBits(texts, 'search_document'),
            store: (id, bits) => index.setVector(id, bits),
        });
        assert.equal(done, 153);
        assert.equal(index.unembedded().length, 0);
        const calls = fake.requests.filter((request) => request.path === '/v2/embed');
        assert.deepEqual(
            calls.map((call) => (call.body as { texts: string[] }).texts.length),
            [96, 57],
        );
        assert.ok(
            calls.every((call) => (call.body as { input_type: string }).input_type === 'search_document'),
        );
        const [query] = await embedBits(['split the raw headers'], 'search_query');
        assert.equal(index.searchSemantic(query!, 5)[0]?.path, 'src/headers.ts');
        assert.equal(index.searchHybrid('split raw headers', query, 5)[0]?.path, 'src/headers.ts');
        assert.equal(index.bytesPerVector(), 128);
    });

    void test('a 429 while embedding waits as long as Retry-After says, then sends the same batch again', async () => {
        fake.reset();
        const waits: number[] = [];
        const told: number[] = [];
        const stored: number[] = [];
        const done = await embedMissing({
            ids: Array.from({ length: 100 }, (_, i) => i),
            text: (id) => Promise.resolve(`chunk number ${id}`),
            // The server rate-limits the first two calls, asking for 7 s each time (the client itself does not retry).
            embed: async (texts) =>
                (
                    await embed(
                        client,
                        {
                            model: 'embed-v4.0',
                            input_type: 'search_document',
                            texts,
                            embedding_types: ['ubinary'],
                            output_dimension: 1024,
                        },
                        { headers: { 'x-fake-scenario': '429-retry-after?seconds=7&times=2' } },
                    )
                ).embeddings.ubinary ?? [],
            store: (id) => stored.push(id),
            onRateLimited: (ms) => told.push(ms),
            wait: (ms) => {
                waits.push(ms);
                return Promise.resolve();
            },
        });
        assert.deepEqual(waits, [7000, 7000]);
        assert.deepEqual(told, [7000, 7000]);
        assert.equal(done, 100);
        assert.equal(stored.length, 100);
        const calls = fake.requests.filter((request) => request.path === '/v2/embed');
        assert.deepEqual(
            calls.map((call) => (call.body as { texts: string[] }).texts.length),
            [96, 96, 96, 4],
        );
    });

    void test('a rate limit that does not end, or another error, stops the build with that error', async () => {
        fake.reset();
        let waits = 0;
        await assert.rejects(
            embedMissing({
                ids: [1, 2],
                text: () => Promise.resolve('text'),
                embed: (texts) =>
                    embed(
                        client,
                        { model: 'embed-v4.0', input_type: 'search_document', texts },
                        { headers: { 'x-fake-scenario': '429-retry-after?seconds=1&times=inf' } },
                    ).then((response) => response.embeddings.float ?? []),
                store: () => undefined,
                wait: () => {
                    waits++;
                    return Promise.resolve();
                },
            }),
            (error: unknown) => (error as { code?: string }).code === 'rate_limited',
        );
        assert.equal(waits, MAX_RATE_LIMIT_WAITS);
        await assert.rejects(
            embedMissing({
                ids: [1],
                text: () => Promise.resolve('text'),
                embed: () => Promise.reject(new CohereError('unauthorized', 'invalid api token')),
                store: () => undefined,
                wait: () => assert.fail('an error other than a rate limit is not waited out'),
            }),
            /invalid api token/,
        );
    });

    void test('@workspace: candidates reranked by Cohere become documents with lines and titles', async () => {
        const index = new WorkspaceIndex();
        const source = tree();
        await index.sync(source);
        fake.reset();
        const result = await askWorkspace({
            index,
            source,
            question: 'where is the keepAliveTimeout of the ConnectionPool',
            uriOf: (path) => `file:///w/${path}`,
            rerank: async (query, documents) =>
                (await rerank(client, { model: 'rerank-v4.0-fast', query, documents, top_n: 3 })).results,
            topN: 2,
        });
        assert.equal(result.method, 'reranked');
        assert.equal(result.attachments[0]?.title, 'src/pool.ts:1-3');
        assert.equal(result.attachments[0]?.uri, 'file:///w/src/pool.ts');
        assert.equal(result.attachments[0]?.kind, 'workspace');
        assert.match(result.attachments[0]?.text ?? '', /keepAliveTimeout = 4000/);
        const sent = fake.requests.find((request) => request.path === '/v2/rerank');
        assert.equal((sent?.body as { model: string }).model, 'rerank-v4.0-fast');
    });
});

void describe('pacing and consent', () => {
    void test('embedding waits when the inputs of the last minute would pass the limit, and stops when cancelled', async () => {
        let clock = 0;
        const waits: number[] = [];
        const controller = new AbortController();
        const stored: number[] = [];
        const done = await embedMissing({
            ids: Array.from({ length: 300 }, (_, i) => i),
            text: (id) => Promise.resolve(`t${id}`),
            embed: (texts) => Promise.resolve(texts.map(() => [1])),
            store: (id) => stored.push(id),
            inputsPerMinute: 150,
            now: () => clock,
            wait: (ms) => {
                waits.push(ms);
                clock += ms;
                if (waits.length === 2) controller.abort();
                return Promise.resolve();
            },
            signal: controller.signal,
        });
        // 96 fits in 150, 96 more do not: the second batch waits a minute, the third waits again and is cancelled.
        assert.deepEqual(waits, [60_000, 60_000]);
        assert.equal(done, 192);
        assert.equal(stored.length, 192);
    });

    void test('code goes to Cohere only with consent, never in an untrusted workspace', () => {
        assert.equal(consentFor('allow', false, true), 'no');
        assert.equal(consentFor('deny', true, true), 'no');
        assert.equal(consentFor('allow', true, undefined), 'yes');
        assert.equal(consentFor('ask', true, undefined), 'ask');
        assert.equal(consentFor('ask', true, false), 'no');
        assert.equal(consentFor('ask', true, true), 'yes');
    });
});
