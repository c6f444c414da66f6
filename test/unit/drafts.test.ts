import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DraftStore } from '../../src/ui/drafts';

void describe('DraftStore', () => {
    void test('a draft is on disk as soon as it is set, and a new store (after a reload) reads it back', async (t) => {
        const dir = await mkdtemp(join(tmpdir(), 'drafts-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const file = join(dir, 'nested', 'drafts.json');
        const store = new DraftStore(file);
        store.set('sidebar', 'typed just before the reload', 7);
        store.set('panel', 'another', 1);
        store.set('panel', '', 2);
        assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
            sidebar: { text: 'typed just before the reload', revision: 7 },
            panel: { text: '', revision: 2 },
        });
        const reloaded = new DraftStore(file);
        assert.deepEqual(reloaded.get('sidebar'), { text: 'typed just before the reload', revision: 7 });
        // A cleared draft is kept as cleared, with its revision: an older saved state must not bring it back.
        assert.deepEqual(reloaded.get('panel'), { text: '', revision: 2 });
        assert.equal(reloaded.get('elsewhere'), undefined);
    });

    void test("the first version's file (bare texts) reads as revision 0; a bad revision is left out", async (t) => {
        const dir = await mkdtemp(join(tmpdir(), 'drafts-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const file = join(dir, 'drafts.json');
        await writeFile(
            file,
            JSON.stringify({
                sidebar: 'from before revisions',
                panel: { text: 'x', revision: -3 },
                other: { text: 'y', revision: 1.5 },
            }),
        );
        const store = new DraftStore(file);
        assert.deepEqual(store.get('sidebar'), { text: 'from before revisions', revision: 0 });
        assert.equal(store.get('panel'), undefined);
        assert.equal(store.get('other'), undefined);
    });

    void test('a damaged file reads as no drafts, and a write failure is reported, not thrown', async (t) => {
        const dir = await mkdtemp(join(tmpdir(), 'drafts-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const file = join(dir, 'drafts.json');
        await writeFile(file, '{"sidebar": 42, "panel": "kept"');
        assert.equal(new DraftStore(file).get('sidebar'), undefined);
        await writeFile(file, '{"sidebar": 42, "panel": "kept"}');
        assert.equal(new DraftStore(file).get('panel')?.text, 'kept');
        assert.equal(new DraftStore(file).get('sidebar'), undefined);
        const errors: unknown[] = [];
        // A path under a file cannot be created: the store says so through onError.
        const broken = new DraftStore(join(file, 'below-a-file', 'drafts.json'), (error) =>
            errors.push(error),
        );
        broken.set('panel', 'x', 1);
        assert.equal(errors.length, 1);
    });
});
