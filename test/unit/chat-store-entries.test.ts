// The listing survives whatever else is in the conversations folder: one odd entry (a directory, a
// FIFO, a socket, a link leading out) is skipped with a log line, and never empties or hangs the list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConversationStore } from '../../src/chat/store';
import { CapturingLogger, conversation, turn } from './chat-fixtures';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-entries-'));
    dirs.push(dir);
    return dir;
}
after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A store holding one good conversation, `good`. */
async function storeWithOneConversation(): Promise<{
    dir: string;
    store: ConversationStore;
    log: CapturingLogger;
}> {
    const dir = await freshDir();
    const log = new CapturingLogger();
    const store = new ConversationStore(dir, log);
    await store.save(conversation('good', [turn('t', 'a', 'b')]));
    return { dir, store, log };
}

function listedIds(store: ConversationStore): Promise<string[]> {
    return store.list().then((summaries) => summaries.map((summary) => summary.id));
}

const posixOnly = { skip: process.platform === 'win32' ? 'no FIFOs or Unix sockets on Windows' : false };

void describe('ConversationStore listing', () => {
    void test('skips a directory named like a conversation, logs it, and lists the others', async () => {
        const { dir, store, log } = await storeWithOneConversation();
        await mkdir(path.join(dir, 'x.json'));
        assert.deepEqual(await listedIds(store), ['good']);
        assert.equal(await store.load('x'), undefined);
        assert.match(log.text(), /Skipped x\.json .*: it is a directory/);
        // Skipped, not set aside: it is not ours to move.
        assert.deepEqual((await readdir(dir)).sort(), ['good.json', 'x.json']);
    });

    // The timeout turns the old behaviour (waiting forever for a writer) into a failure.
    void test(
        'skips a FIFO named like a conversation instead of waiting on it forever',
        { ...posixOnly, timeout: 10_000 },
        async () => {
            const { dir, store, log } = await storeWithOneConversation();
            execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
            assert.deepEqual(await listedIds(store), ['good']);
            assert.match(log.text(), /Skipped pipe\.json .*: it is a FIFO/);
        },
    );

    void test('skips a Unix socket named like a conversation', posixOnly, async (t) => {
        const { dir, store, log } = await storeWithOneConversation();
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock.json'), resolve));
        t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
        assert.deepEqual(await listedIds(store), ['good']);
        assert.match(log.text(), /Skipped sock\.json .*: it is a socket/);
    });

    void test('skips a link that leads outside the folder, but reads one that stays inside', async () => {
        const { dir, store, log } = await storeWithOneConversation();
        const outside = await freshDir();
        await writeFile(path.join(outside, 'stolen.json'), JSON.stringify(conversation('stolen', [])));
        await symlink(path.join(outside, 'stolen.json'), path.join(dir, 'stolen.json'));
        await writeFile(path.join(dir, 'real.txt'), JSON.stringify(conversation('inside', [])));
        await symlink(path.join(dir, 'real.txt'), path.join(dir, 'inside.json'));
        assert.deepEqual((await listedIds(store)).sort(), ['good', 'inside']);
        assert.equal(await store.load('stolen'), undefined);
        assert.match(log.text(), /Skipped stolen\.json .*a link that leads outside/);
    });

    void test('reads a file that starts with a UTF-8 byte-order mark', async () => {
        const { dir, store } = await storeWithOneConversation();
        const saved = conversation('bom', [turn('t', 'Hi', 'Hello')]);
        await writeFile(path.join(dir, 'bom.json'), '\uFEFF' + JSON.stringify(saved));
        assert.deepEqual(await store.load('bom'), saved);
        assert.deepEqual((await listedIds(store)).sort(), ['bom', 'good']);
    });

    void test('removes the temporary files and locks a killed process left, but not fresh ones', async () => {
        const { dir, store } = await storeWithOneConversation();
        const old = new Date(Date.now() - 5 * 60_000);
        for (const name of ['good.json.tmp-0123456789ab', 'good.json.lock']) {
            await writeFile(path.join(dir, name), 'left over');
            await utimes(path.join(dir, name), old, old);
        }
        // Another window's write in progress.
        await writeFile(path.join(dir, 'other.json.tmp-ba9876543210'), 'being written');
        assert.deepEqual(await listedIds(store), ['good']);
        assert.deepEqual((await readdir(dir)).sort(), ['good.json', 'other.json.tmp-ba9876543210']);
    });

    void test('saves despite a lock left by a killed process', async () => {
        const { dir, store } = await storeWithOneConversation();
        const old = new Date(Date.now() - 5 * 60_000);
        await writeFile(path.join(dir, 'good.json.lock'), 'dead process');
        await utimes(path.join(dir, 'good.json.lock'), old, old);
        await store.save(conversation('good', [], { title: 'After the crash' }));
        assert.equal((await store.load('good'))?.title, 'After the crash');
        assert.deepEqual(await readdir(dir), ['good.json']);
    });
});
