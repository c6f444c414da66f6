// Activation lists the history from a small index instead of parsing every conversation file; the
// index is rebuilt from the files when it is missing or damaged, and kept current as the list changes.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConversationHistory } from '../../src/chat/history';
import { FIRST_PAGE_SIZE, INDEX_FILE } from '../../src/chat/historyIndex';
import { OLD_INDEX_FILE } from '../../src/chat/historyIndexV1';
import { ConversationStore } from '../../src/chat/store';
import { CapturingLogger, conversation, turn } from './chat-fixtures';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-index-'));
    dirs.push(dir);
    return dir;
}
after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const LONG_AGO = new Date(Date.now() - 24 * 3600_000);

/** A folder with conversations a and b, and an index written by a first listing. */
async function indexedFolder(): Promise<{ dir: string; log: CapturingLogger }> {
    const dir = await freshDir();
    const log = new CapturingLogger();
    const store = new ConversationStore(dir, log);
    await store.save(conversation('a', [turn('t', 'q', 'r')], { updatedAt: 20 }));
    await store.save(conversation('b', [], { updatedAt: 10 }));
    await store.listIndexed();
    return { dir, log };
}

/**
 * Changes the title inside a conversation's file without the index knowing, and dates the file back:
 * a listing that shows the new title read the file, one that shows the old title did not.
 */
async function retitleBehindTheIndex(dir: string, id: string, title: string): Promise<void> {
    const file = path.join(dir, `${id}.json`);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...saved, title }));
    await utimes(file, LONG_AGO, LONG_AGO);
}

/**
 * Rewrites the index file with `edit` applied to its header and to its entries, newest first, each as
 * `[id, title, updatedAt, turnCount]`: as damage or another writer could leave it.
 */
async function editIndex(
    dir: string,
    edit: (header: Record<string, unknown>, entries: unknown[][]) => void,
): Promise<void> {
    const file = path.join(dir, INDEX_FILE);
    const [headerLine = '', ...pageLines] = (await readFile(file, 'utf8')).split('\n');
    const header = JSON.parse(headerLine) as Record<string, unknown>;
    const entries = pageLines.flatMap((line) => {
        const page = JSON.parse(line) as Record<string, unknown[]>;
        return (page['ids'] ?? []).map((id, i) => [
            id,
            page['titles']?.[i],
            page['updatedAt']?.[i],
            page['turnCounts']?.[i],
        ]);
    });
    edit(header, entries);
    const page = (rows: unknown[][]) => ({
        ids: rows.map((row) => row[0]),
        titles: rows.map((row) => row[1]),
        updatedAt: rows.map((row) => row[2]),
        turnCounts: rows.map((row) => row[3]),
        newerVersions: [],
    });
    const pages = [entries.slice(0, FIRST_PAGE_SIZE), entries.slice(FIRST_PAGE_SIZE)].map(page);
    await writeFile(file, [header, ...pages].map((value) => JSON.stringify(value)).join('\n'));
}

const titles = (summaries: readonly { title: string }[]) => summaries.map((summary) => summary.title);

/**
 * A folder with conversations a and b whose index was checked against the folder's files and records
 * its signature. The folder is dated back first: one modified within the last seconds is not vouched for.
 */
/** A history of `dir` as activation makes one: loaded from the index, then re-read from the files. */
async function refreshedHistory(dir: string): Promise<ConversationHistory> {
    const history = new ConversationHistory(
        new ConversationStore(dir, new CapturingLogger()),
        new CapturingLogger(),
        () => false,
    );
    await history.loaded;
    await history.whenRefreshed();
    return history;
}

async function quietIndexedFolder(): Promise<string> {
    const { dir } = await indexedFolder();
    await utimes(dir, LONG_AGO, LONG_AGO);
    await new ConversationStore(dir, new CapturingLogger()).listIndexed();
    return dir;
}

/** Adds conversation c's file without the folder's modification time changing (as a coarse clock could). */
async function slipInBehindTheFolder(dir: string, at = LONG_AGO): Promise<void> {
    await writeFile(path.join(dir, 'c.json'), JSON.stringify(conversation('c', [], { updatedAt: 30 })));
    await utimes(dir, at, at);
}

/** A quiet indexed folder of more conversations than a page: c0 (oldest) to c69 (newest). */
async function quietLongFolder(): Promise<string> {
    const dir = await freshDir();
    const store = new ConversationStore(dir, new CapturingLogger());
    for (let i = 0; i < FIRST_PAGE_SIZE + 6; i++) {
        await store.save(conversation(`c${i}`, [], { updatedAt: 1000 + i }));
    }
    // The first listing makes the index's folder, which changes the conversations folder.
    await store.listIndexed();
    await utimes(dir, LONG_AGO, LONG_AGO);
    await store.listIndexed();
    return dir;
}

const idsNewestFirst = (count: number) => Array.from({ length: count }, (_, i) => `c${count - 1 - i}`);

void describe('history index', () => {
    void test('a listing reads the index, not the conversation files', async () => {
        const { dir } = await indexedFolder();
        await retitleBehindTheIndex(dir, 'a', 'Changed in the file');
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Title a', 'Title b']);
    });

    void test('a missing index is rebuilt from the files', async () => {
        const { dir } = await indexedFolder();
        await rm(path.join(dir, INDEX_FILE));
        await retitleBehindTheIndex(dir, 'a', 'Changed in the file');
        const store = new ConversationStore(dir, new CapturingLogger());
        assert.deepEqual(titles((await store.listIndexed()).summaries), ['Changed in the file', 'Title b']);
        assert.ok((await stat(path.join(dir, INDEX_FILE))).isFile());
        // The rebuilt index serves the next listing.
        await retitleBehindTheIndex(dir, 'a', 'Changed again');
        assert.deepEqual(titles((await store.listIndexed()).summaries), ['Changed in the file', 'Title b']);
    });

    void test('a damaged index is rebuilt from the files, with a log line', async () => {
        const { dir } = await indexedFolder();
        await writeFile(path.join(dir, INDEX_FILE), '{"version": 2, "writtenAt": 5, "cou');
        await retitleBehindTheIndex(dir, 'a', 'Changed in the file');
        const log = new CapturingLogger();
        const { summaries } = await new ConversationStore(dir, log).listIndexed();
        assert.deepEqual(titles(summaries), ['Changed in the file', 'Title b']);
        assert.match(log.text(), /history index is damaged/);
    });

    void test('an entry of the wrong shape is read from its file; the others still come from the index', async () => {
        const { dir } = await indexedFolder();
        await editIndex(dir, (_, entries) => {
            for (const entry of entries) if (entry[0] === 'b') entry[3] = '__proto__';
        });
        await retitleBehindTheIndex(dir, 'a', 'A changed');
        await retitleBehindTheIndex(dir, 'b', 'B changed');
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Title a', 'B changed']);
    });

    void test('a file the index lacks is read, and an entry whose file is gone is dropped', async () => {
        const { dir } = await indexedFolder();
        await rm(path.join(dir, 'b.json'));
        await writeFile(path.join(dir, 'c.json'), JSON.stringify(conversation('c', [], { updatedAt: 30 })));
        const store = new ConversationStore(dir, new CapturingLogger());
        assert.deepEqual(titles((await store.listIndexed()).summaries), ['Title c', 'Title a']);
        const index = await readFile(path.join(dir, INDEX_FILE), 'utf8');
        assert.doesNotMatch(index, /"b"/);
        assert.match(index, /"c"/);
    });

    void test('an index written by version 1 is read, then replaced by one of this version', async () => {
        const dir = await freshDir();
        const store = new ConversationStore(dir, new CapturingLogger());
        await store.save(conversation('a', [turn('t', 'q', 'r')], { updatedAt: 20 }));
        await store.save(conversation('b', [], { updatedAt: 10 }));
        const entries = [
            { id: 'b', title: 'Indexed b', updatedAt: 10, turnCount: 0 },
            { id: 'a', title: 'Indexed a', updatedAt: 20, turnCount: 1 },
        ];
        await mkdir(path.join(dir, path.dirname(OLD_INDEX_FILE)), { recursive: true });
        await writeFile(
            path.join(dir, OLD_INDEX_FILE),
            JSON.stringify({ version: 1, writtenAt: 5, entries }),
        );
        const listed = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        // The titles the old index has, not those in the files: the files were not parsed.
        assert.deepEqual(titles(listed.summaries), ['Indexed a', 'Indexed b']);
        assert.equal(listed.indexWrittenAt, 5);
        assert.ok((await stat(path.join(dir, INDEX_FILE))).isFile());
        await assert.rejects(stat(path.join(dir, OLD_INDEX_FILE)), /ENOENT/);
        await retitleBehindTheIndex(dir, 'a', 'Changed in the file');
        const next = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(next.summaries), ['Indexed a', 'Indexed b']);
    });

    void test('an index cut short is not trusted: the conversations it lacks are read from their files', async () => {
        const dir = await quietIndexedFolder();
        await retitleBehindTheIndex(dir, 'b', 'B in its file');
        // Its header still counts two entries; b's line is gone.
        await editIndex(dir, (_, entries) => {
            entries.splice(1);
        });
        await utimes(dir, LONG_AGO, LONG_AGO);
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Title a', 'B in its file']);
    });

    void test('while the folder is as it was when the index was checked against it, the folder is not listed', async () => {
        const dir = await quietIndexedFolder();
        await slipInBehindTheFolder(dir);
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Title a', 'Title b']);
    });

    void test('a folder changed since the index was checked against it is listed again', async () => {
        const dir = await quietIndexedFolder();
        // Another modification time, even an old one, is another folder.
        await slipInBehindTheFolder(dir, new Date(LONG_AGO.getTime() - 3600_000));
        const store = new ConversationStore(dir, new CapturingLogger());
        assert.deepEqual(titles((await store.listIndexed()).summaries), ['Title c', 'Title a', 'Title b']);
        // Another window's save and delete (just now: the folder is too fresh to vouch for).
        const other = new ConversationStore(dir, new CapturingLogger());
        await other.save(conversation('d', [], { updatedAt: 50 }));
        await other.delete('b');
        const fresh = new ConversationStore(dir, new CapturingLogger());
        assert.deepEqual(titles((await fresh.listIndexed()).summaries), ['Title d', 'Title c', 'Title a']);
    });

    void test('an index with an entry of the wrong shape is not trusted without listing the folder', async () => {
        const dir = await quietIndexedFolder();
        await editIndex(dir, (_, entries) => {
            for (const entry of entries) if (entry[0] === 'b') entry[1] = 7;
        });
        await slipInBehindTheFolder(dir);
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Title c', 'Title a', 'Title b']);
    });

    void test('an index rewritten by a listing keeps its time, so a file replaced since is still read again', async () => {
        const { dir } = await indexedFolder();
        const hourAgo = Date.now() - 3600_000;
        await editIndex(dir, (header) => {
            header['writtenAt'] = hourAgo;
        });
        // Saved half an hour ago by a window that closed before it could update the index.
        const file = path.join(dir, 'a.json');
        const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
        await writeFile(file, JSON.stringify({ ...saved, title: 'Saved after the index' }));
        const halfHourAgo = new Date(hourAgo + 1800_000);
        await utimes(file, halfHourAgo, halfHourAgo);
        await utimes(dir, LONG_AGO, LONG_AGO);
        // Lists the folder (the index has no signature yet) and records the folder's signature.
        await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        const history = await refreshedHistory(dir);
        assert.deepEqual(titles(history.list()), ['Saved after the index', 'Title b']);
        history.dispose();
    });

    void test('an index the history wrote is not trusted without listing the folder', async () => {
        const dir = await quietIndexedFolder();
        const history = await refreshedHistory(dir);
        // The history writes what it knows, which may lack a change it has not heard of yet.
        history.saved(conversation('a', [turn('t', 'q', 'r')], { title: 'Renamed', updatedAt: 40 }));
        await history.flushIndex();
        history.dispose();
        await slipInBehindTheFolder(dir);
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Renamed', 'Title c', 'Title b']);
    });

    void test('the history keeps the index current as conversations are saved and deleted', async () => {
        const { dir } = await indexedFolder();
        const store = new ConversationStore(dir, new CapturingLogger());
        const history = new ConversationHistory(store, new CapturingLogger(), () => false);
        await history.loaded;
        // The files were written moments before the index, so the history reads them again after
        // listing; a save told to it before that re-read ends would be overwritten by the file's title.
        await history.whenRefreshed();
        history.saved(conversation('a', [turn('t', 'q', 'r')], { title: 'Renamed', updatedAt: 40 }));
        history.removed('b');
        await history.flushIndex();
        history.dispose();
        await rm(path.join(dir, 'b.json'));
        await retitleBehindTheIndex(dir, 'a', 'Not read');
        const { summaries } = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.deepEqual(titles(summaries), ['Renamed']);
    });

    void test('after listing from the index, files modified since it was written are read again', async () => {
        const { dir } = await indexedFolder();
        const file = path.join(dir, 'a.json');
        const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
        // Written by a window that crashed before it could update the index (the file is newer).
        const later = new Date(Date.now() + 60_000);
        await writeFile(file, JSON.stringify({ ...saved, title: 'Saved after the index' }));
        await utimes(file, later, later);
        const history = await refreshedHistory(dir);
        assert.deepEqual(titles(history.list()), ['Saved after the index', 'Title b']);
        history.dispose();
    });
    void test('a long history comes as its newest page at once, and whole when asked', async () => {
        const dir = await quietLongFolder();
        const listing = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        const all = idsNewestFirst(FIRST_PAGE_SIZE + 6);
        assert.deepEqual(
            listing.summaries.map((summary) => summary.id),
            all.slice(0, FIRST_PAGE_SIZE),
        );
        assert.ok(listing.whole);
        assert.deepEqual(
            (await listing.whole()).map((summary) => summary.id),
            all,
        );
    });

    void test('an entry damaged after the first page is read from its file when the whole list is asked for', async () => {
        const dir = await quietLongFolder();
        await editIndex(dir, (_, entries) => {
            for (const entry of entries) if (entry[0] === 'c1') entry[1] = 7;
        });
        await retitleBehindTheIndex(dir, 'c1', 'C1 in its file');
        await utimes(dir, LONG_AGO, LONG_AGO);
        const listing = await new ConversationStore(dir, new CapturingLogger()).listIndexed();
        assert.equal(listing.summaries.length, FIRST_PAGE_SIZE);
        const whole = (await listing.whole?.()) ?? [];
        assert.equal(whole.length, FIRST_PAGE_SIZE + 6);
        assert.equal(whole.find((summary) => summary.id === 'c1')?.title, 'C1 in its file');
    });

    void test('the history shows the first page, then the rest; `loaded` waits for the rest', async () => {
        const dir = await quietLongFolder();
        const history = new ConversationHistory(
            new ConversationStore(dir, new CapturingLogger()),
            new CapturingLogger(),
            () => false,
        );
        const batches: number[] = [];
        history.onDidChange((changes) => batches.push(changes.length));
        await history.loaded;
        assert.deepEqual(batches, [FIRST_PAGE_SIZE, 6]);
        assert.deepEqual(
            history.list().map((summary) => summary.id),
            idsNewestFirst(FIRST_PAGE_SIZE + 6),
        );
        history.dispose();
    });

    void test('a conversation of the first page whose file is gone goes once the rest is read from the folder', async () => {
        const dir = await quietLongFolder();
        // Gone behind the folder's back (its modification time put back), and the index damaged after
        // its first page, so the whole list comes from listing the folder.
        await rm(path.join(dir, 'c69.json'));
        await editIndex(dir, (_, entries) => {
            for (const entry of entries) if (entry[0] === 'c1') entry[1] = 7;
        });
        await utimes(dir, LONG_AGO, LONG_AGO);
        const history = await refreshedHistory(dir);
        assert.deepEqual(
            history.list().map((summary) => summary.id),
            idsNewestFirst(FIRST_PAGE_SIZE + 6).slice(1),
        );
        history.dispose();
    });
});
