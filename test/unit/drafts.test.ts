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
        store.set('sidebar', 'typed just before the reload');
        store.set('panel', 'another');
        store.set('panel', '');
        assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
            sidebar: 'typed just before the reload',
        });
        const reloaded = new DraftStore(file);
        assert.equal(reloaded.get('sidebar'), 'typed just before the reload');
        assert.equal(reloaded.get('panel'), undefined);
    });

    void test('a damaged file reads as no drafts, and a write failure is reported, not thrown', async (t) => {
        const dir = await mkdtemp(join(tmpdir(), 'drafts-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const file = join(dir, 'drafts.json');
        await writeFile(file, '{"sidebar": 42, "panel": "kept"');
        assert.equal(new DraftStore(file).get('sidebar'), undefined);
        await writeFile(file, '{"sidebar": 42, "panel": "kept"}');
        assert.equal(new DraftStore(file).get('panel'), 'kept');
        assert.equal(new DraftStore(file).get('sidebar'), undefined);
        const errors: unknown[] = [];
        // A path under a file cannot be created: the store says so through onError.
        const broken = new DraftStore(join(file, 'below-a-file', 'drafts.json'), (error) =>
            errors.push(error),
        );
        broken.set('panel', 'x');
        assert.equal(errors.length, 1);
    });
});
