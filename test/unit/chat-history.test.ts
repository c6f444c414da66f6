// The history list of one window follows what another window sharing the folder creates, renames and
// deletes (through a real fs.watch of the folder), and reports its changes one item at a time.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { watchFolder } from '../../src/chat/folderWatcher';
import { ConversationHistory } from '../../src/chat/history';
import type { HistoryChange } from '../../src/chat/history';
import { ConversationStore } from '../../src/chat/store';
import { CapturingLogger, conversation, turn } from './chat-fixtures';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-history-'));
    dirs.push(dir);
    return dir;
}
after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Polls `check` until it holds; fails (instead of hanging) after a few seconds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !check(); waited += 20) {
        if (waited > 5000) assert.fail(`never happened: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** Window A's history (watching the folder) and window B's store, on one folder. */
async function twoWindows(t: TestContext) {
    const dir = await freshDir();
    const log = new CapturingLogger();
    const storeA = new ConversationStore(dir, log);
    const storeB = new ConversationStore(dir, new CapturingLogger());
    await storeA.save(conversation('mine', [turn('t', 'a', 'b')], { updatedAt: 10 }));
    const watcher = await watchFolder(dir, log, 10);
    const history = new ConversationHistory(storeA, log, () => false, watcher);
    const changes: HistoryChange[] = [];
    history.onDidChange((batch) => changes.push(...batch));
    const removedElsewhere: string[] = [];
    history.onDidRemoveElsewhere((id) => removedElsewhere.push(id));
    t.after(() => {
        history.dispose();
        watcher.dispose();
    });
    await history.loaded;
    const titles = () => history.list().map((summary) => summary.title);
    return { dir, storeA, storeB, history, changes, removedElsewhere, titles };
}

void describe('ConversationHistory', () => {
    void test('lists a conversation another window creates', async (t) => {
        const { storeB, titles, changes } = await twoWindows(t);
        changes.length = 0;
        await storeB.save(conversation('theirs', [], { title: 'From B', updatedAt: 20 }));
        await eventually(() => titles().includes('From B'), 'B’s conversation listed');
        assert.deepEqual(titles(), ['From B', 'Title mine']);
        assert.deepEqual(changes, [
            {
                kind: 'upsert',
                summary: { id: 'theirs', title: 'From B', updatedAt: 20, turnCount: 0 },
            },
        ]);
    });

    void test('shows a rename made in another window', async (t) => {
        const { storeB, titles } = await twoWindows(t);
        const copy = await storeB.load('mine');
        assert.ok(copy);
        copy.title = 'Renamed in B';
        await storeB.save(copy);
        await eventually(() => titles().includes('Renamed in B'), 'the new title shown');
        assert.deepEqual(titles(), ['Renamed in B']);
    });

    void test('drops a conversation another window deletes, and says it was deleted elsewhere', async (t) => {
        const { storeB, history, removedElsewhere, changes } = await twoWindows(t);
        changes.length = 0;
        await storeB.delete('mine');
        await eventually(() => history.list().length === 0, 'the conversation gone');
        assert.deepEqual(changes, [{ kind: 'remove', conversationId: 'mine' }]);
        assert.deepEqual(removedElsewhere, ['mine']);
    });

    void test('tells what one save changed, not the whole list', async (t) => {
        const { history, changes } = await twoWindows(t);
        changes.length = 0;
        history.saved(conversation('new', [turn('t', 'a', 'b')], { updatedAt: 30 }));
        // The same summary again (a checkpoint of a streaming reply): nothing to tell.
        history.saved(conversation('new', [turn('t', 'a', 'b')], { updatedAt: 30 }));
        history.saved(conversation('mine', [turn('t', 'a', 'b')], { updatedAt: 40 }));
        assert.deepEqual(changes, [
            { kind: 'upsert', summary: { id: 'new', title: 'Title new', updatedAt: 30, turnCount: 1 } },
            { kind: 'upsert', summary: { id: 'mine', title: 'Title mine', updatedAt: 40, turnCount: 1 } },
        ]);
        assert.deepEqual(
            history.list().map((summary) => summary.id),
            ['mine', 'new'],
        );
    });
});
