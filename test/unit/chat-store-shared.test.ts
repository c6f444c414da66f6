// Two VS Code windows share the conversations folder: each has its own store (here two instances, and
// a second process), and neither may silently drop what the other wrote.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Conversation } from '../../src/chat/model';
import { ConversationStore } from '../../src/chat/store';
import { CapturingLogger, conversation, turn } from './chat-fixtures';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-shared-'));
    dirs.push(dir);
    return dir;
}
after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function onDisk(dir: string, id: string): Promise<Conversation> {
    return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as Conversation;
}

/** Two stores on one folder that both have read conversation `c` (one turn, `t0`). */
async function twoWindows(): Promise<{ dir: string; a: ConversationStore; b: ConversationStore }> {
    const dir = await freshDir();
    const a = new ConversationStore(dir, new CapturingLogger());
    const b = new ConversationStore(dir, new CapturingLogger());
    await a.save(conversation('c', [turn('t0', 'first', 'reply')]));
    return { dir, a, b };
}

/** Appends `count` turns to `copy` and saves after each, all at once (as a streaming window does). */
function appendConcurrently(store: ConversationStore, copy: Conversation, prefix: string, count: number) {
    const saves: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
        copy.turns.push(turn(`${prefix}${i}`, `q${i}`, `a${i}`));
        saves.push(store.save(copy));
    }
    return Promise.all(saves);
}

function lostTurns(saved: Conversation, expected: readonly string[]): string[] {
    const ids = new Set(saved.turns.map((candidate) => candidate.id));
    return expected.filter((id) => !ids.has(id));
}

const expectedIds = (prefix: string, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `${prefix}${i}`);

void describe('ConversationStore shared by two windows', () => {
    void test('100 turns appended at once by two stores are all saved', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        const copyB = await b.load('c');
        assert.ok(copyA && copyB);
        await Promise.all([appendConcurrently(a, copyA, 'a', 50), appendConcurrently(b, copyB, 'b', 50)]);
        const saved = await onDisk(dir, 'c');
        const lost = lostTurns(saved, ['t0', ...expectedIds('a', 50), ...expectedIds('b', 50)]);
        assert.equal(lost.length, 0, `lost ${lost.length} of 100 appended turns`);
        assert.equal(saved.turns.length, 101);
        // Each window's turns stay in the order it wrote them.
        const order = (prefix: string) => saved.turns.filter((t) => t.id.startsWith(prefix)).map((t) => t.id);
        assert.deepEqual(order('a'), expectedIds('a', 50));
        assert.deepEqual(order('b'), expectedIds('b', 50));
        assert.deepEqual((await readdir(dir)).sort(), ['c.json']);
    });

    void test('turns appended at once by another process are all saved', async () => {
        const { dir, a } = await twoWindows();
        const copyA = await a.load('c');
        assert.ok(copyA);
        const worker = spawn(
            process.execPath,
            ['--import', 'tsx', path.join(__dirname, 'chat-store-writer.ts'), dir, 'c', '50', 'p'],
            { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => worker.on('exit', resolve));
        // Appends here overlap the other process's from its start to its end.
        const copies: Promise<unknown>[] = [];
        for (let i = 0; i < 50; i++) {
            copyA.turns.push(turn(`a${i}`, `q${i}`, `a${i}`));
            copies.push(a.save(copyA));
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await Promise.all(copies);
        assert.equal(await exited, 0, stderr);
        // One more save here after the other process ended, as the window would on its next turn.
        await a.save(copyA);
        const saved = await onDisk(dir, 'c');
        const lost = lostTurns(saved, ['t0', ...expectedIds('a', 50), ...expectedIds('p', 50)]);
        assert.equal(lost.length, 0, `lost ${lost.length} of 100 turns`);
    });

    void test('a rename in one window survives a later save in the other, and so do its turns', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        const copyB = await b.load('c');
        assert.ok(copyA && copyB);
        copyB.title = 'Renamed in B';
        copyB.turns.push(turn('b1', 'from B', 'reply'));
        await b.save(copyB);
        copyA.turns.push(turn('a1', 'from A', 'reply'));
        await a.save(copyA);
        const saved = await onDisk(dir, 'c');
        assert.equal(saved.title, 'Renamed in B');
        assert.deepEqual(
            saved.turns.map((t) => t.id),
            ['t0', 'b1', 'a1'],
        );
    });

    void test('a turn retried in another window is not overwritten by a window that left it as it was', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        const copyB = await b.load('c');
        assert.ok(copyA && copyB);
        copyB.turns[0] = turn('t0', 'first', 'a better reply');
        await b.save(copyB);
        copyA.turns.push(turn('a1', 'from A', 'reply'));
        await a.save(copyA);
        const saved = await onDisk(dir, 'c');
        assert.deepEqual(saved.turns[0]?.reply.content, [{ type: 'text', text: 'a better reply' }]);
    });

    void test('turns one window dropped by an edit are not brought back by merging', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        assert.ok(copyA);
        copyA.turns.push(turn('t1', 'second', 'reply'));
        await a.save(copyA);
        const copyB = await b.load('c');
        assert.ok(copyB);
        copyB.turns.push(turn('b1', 'from B', 'reply'));
        await b.save(copyB);
        // A edits its first turn: the turns after it go.
        copyA.turns = [turn('t0', 'first, edited', 'new reply')];
        await a.save(copyA);
        const saved = await onDisk(dir, 'c');
        assert.deepEqual(
            saved.turns.map((t) => t.id),
            ['t0', 'b1'],
        );
        assert.equal(saved.turns[0]?.prompt, 'first, edited');
    });

    void test('a save after another window deleted the conversation does not bring its file back', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        assert.ok(copyA);
        await b.delete('c');
        copyA.turns.push(turn('a1', 'late', 'reply'));
        assert.equal(await a.save(copyA), 'deleted');
        assert.deepEqual(await readdir(dir), []);
    });

    void test('a delete racing many saves leaves no file behind', async () => {
        const { dir, a, b } = await twoWindows();
        const copyA = await a.load('c');
        await b.load('c');
        assert.ok(copyA);
        const saves = appendConcurrently(a, copyA, 'a', 30);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await b.delete('c');
        await saves;
        assert.deepEqual(await readdir(dir), []);
    });

    void test('a new conversation is saved even though no file existed before', async () => {
        const dir = await freshDir();
        const a = new ConversationStore(dir, new CapturingLogger());
        assert.equal(await a.save(conversation('fresh', [])), 'saved');
        assert.deepEqual(await readdir(dir), ['fresh.json']);
    });
});
