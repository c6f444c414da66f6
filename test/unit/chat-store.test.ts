import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConversationStore } from '../../src/chat/store';
import { MAX_CONVERSATION_FILE_BYTES } from '../../src/chat/storeFiles';
import { CapturingLogger, conversation, turn } from './chat-fixtures';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-store-'));
    dirs.push(dir);
    return dir;
}
after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

void describe('ConversationStore', () => {
    void test('saves and loads a conversation unchanged', async () => {
        const store = new ConversationStore(await freshDir(), new CapturingLogger());
        const saved = conversation('c1', [
            turn('t1', 'Hi', 'Hello!', {
                usage: { tokens: { input_tokens: 3, output_tokens: 2 } },
                finishReason: 'COMPLETE',
            }),
        ]);
        await store.save(saved);
        assert.deepEqual(await store.load('c1'), saved);
    });

    void test('creates its directory on the first save', async () => {
        const dir = path.join(await freshDir(), 'nested', 'conversations');
        const store = new ConversationStore(dir, new CapturingLogger());
        await store.save(conversation('c1', []));
        assert.deepEqual(await readdir(dir), ['c1.json']);
    });

    void test('lists summaries newest first', async () => {
        const store = new ConversationStore(await freshDir(), new CapturingLogger());
        await store.save(conversation('old', [turn('t', 'a', 'b')], { updatedAt: 10 }));
        await store.save(conversation('new', [], { updatedAt: 30 }));
        await store.save(conversation('mid', [turn('t', 'a', 'b'), turn('u', 'c', 'd')], { updatedAt: 20 }));
        assert.deepEqual(await store.list(), [
            { id: 'new', title: 'Title new', updatedAt: 30, turnCount: 0 },
            { id: 'mid', title: 'Title mid', updatedAt: 20, turnCount: 2 },
            { id: 'old', title: 'Title old', updatedAt: 10, turnCount: 1 },
        ]);
    });

    void test('lists nothing when the directory does not exist yet', async () => {
        const store = new ConversationStore(path.join(await freshDir(), 'missing'), new CapturingLogger());
        assert.deepEqual(await store.list(), []);
    });

    void test('sets a file of bad JSON aside, reports it, and still lists the others', async () => {
        const dir = await freshDir();
        const log = new CapturingLogger();
        const store = new ConversationStore(dir, log);
        await store.save(conversation('good', []));
        await writeFile(path.join(dir, 'bad.json'), '{"schemaVersion": 1, "id": "ba');
        assert.deepEqual(
            (await store.list()).map((summary) => summary.id),
            ['good'],
        );
        assert.deepEqual((await readdir(dir)).sort(), ['bad.json.damaged', 'good.json']);
        assert.match(log.text(), /^error .*bad\.json is not valid JSON.*bad\.json\.damaged/m);
    });

    void test('leaves a file of a newer schema version untouched and lists it as needing a newer version', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        const text = JSON.stringify({
            ...conversation('future', [turn('t', 'a', 'b')], { updatedAt: 50 }),
            schemaVersion: 2,
            somethingNew: { shape: 'unknown to us' },
        });
        await writeFile(path.join(dir, 'future.json'), text);
        await store.save(conversation('now', [], { updatedAt: 40 }));
        assert.equal(await store.load('future'), undefined);
        assert.deepEqual(await store.list(), [
            { id: 'future', title: 'Title future', updatedAt: 50, turnCount: 1, newerVersion: 2 },
            { id: 'now', title: 'Title now', updatedAt: 40, turnCount: 0 },
        ]);
        assert.deepEqual((await readdir(dir)).sort(), ['future.json', 'now.json']);
        assert.equal(await readFile(path.join(dir, 'future.json'), 'utf8'), text);
    });

    void test('sets aside a file past the size cap unread, and refuses a save that would make one', async () => {
        const dir = await freshDir();
        const log = new CapturingLogger();
        const store = new ConversationStore(dir, log);
        // A readable conversation padded with whitespace past the cap: only its size is wrong.
        const json = JSON.stringify(conversation('big', [turn('t', 'a', 'b')]));
        const padding = MAX_CONVERSATION_FILE_BYTES - json.length + 1;
        await writeFile(path.join(dir, 'big.json'), json.slice(0, -1) + ' '.repeat(padding) + '}');
        await store.save(conversation('small', []));
        assert.deepEqual(
            (await store.list()).map((summary) => summary.id),
            ['small'],
        );
        assert.deepEqual((await readdir(dir)).sort(), ['big.json.damaged', 'small.json']);
        assert.match(log.text(), /^error .*big\.json is 65 MiB, past the 64 MiB a file may have; moved it/m);

        const before = await readFile(path.join(dir, 'small.json'), 'utf8');
        const huge = conversation('small', [turn('t', 'a', 'x'.repeat(MAX_CONVERSATION_FILE_BYTES))]);
        await assert.rejects(store.save(huge), /past the 64 MiB a file may have; not saved/);
        assert.equal(await readFile(path.join(dir, 'small.json'), 'utf8'), before);
    });

    void test('sets aside a file whose turns are damaged', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        const broken = conversation('c', [turn('t', 'a', 'b')]);
        (broken.turns[0] as unknown as Record<string, unknown>)['reply'] = {
            content: 'not a list',
            citations: [],
        };
        await writeFile(path.join(dir, 'c.json'), JSON.stringify(broken));
        assert.equal(await store.load('c'), undefined);
        assert.deepEqual(await readdir(dir), ['c.json.damaged']);
    });

    void test('keeps an earlier damaged copy when another file is set aside under the same name', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        await writeFile(path.join(dir, 'c.json'), 'first');
        await store.load('c');
        await writeFile(path.join(dir, 'c.json'), 'second');
        await store.load('c');
        const names = (await readdir(dir)).sort();
        assert.equal(names.length, 2);
        assert.equal(await readFile(path.join(dir, 'c.json.damaged'), 'utf8'), 'first');
    });

    void test('loads a turn left streaming (window closed mid-reply) as stopped', async () => {
        const store = new ConversationStore(await freshDir(), new CapturingLogger());
        await store.save(conversation('c', [turn('t', 'Tell me', 'Once upon', { status: 'streaming' })]));
        const loaded = await store.load('c');
        assert.equal(loaded?.turns[0]?.status, 'stopped');
        assert.deepEqual(loaded?.turns[0]?.reply.content, [{ type: 'text', text: 'Once upon' }]);
    });

    void test('lands concurrent saves of one conversation in call order and leaves no temporary files', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        const saves = [];
        for (let i = 0; i < 20; i++) saves.push(store.save(conversation('c', [], { title: `v${i}` })));
        await Promise.all(saves);
        assert.equal((await store.load('c'))?.title, 'v19');
        assert.deepEqual(await readdir(dir), ['c.json']);
    });

    void test('refuses ids that could name a file outside its directory', async () => {
        const store = new ConversationStore(await freshDir(), new CapturingLogger());
        await assert.rejects(store.save(conversation('../escape', [])), /invalid conversation id/);
        assert.equal(await store.load('../escape'), undefined);
    });

    void test('deletes a conversation, and deleting a missing one is fine', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        await store.save(conversation('c', []));
        await store.delete('c');
        await store.delete('never-existed');
        assert.deepEqual(await readdir(dir), []);
        assert.equal(await store.load('c'), undefined);
    });
});
