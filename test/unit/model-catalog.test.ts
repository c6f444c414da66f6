import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelInfo } from '../../src/cohere/types';
import { ModelCatalog, sortModelsForPicker } from '../../src/ui/modelCatalog';

const MODELS: ModelInfo[] = [
    { name: 'command-r-08-2024', context_length: 128000 },
    { name: 'command-a-03-2025', context_length: 256000 },
];

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

void describe('ModelCatalog', () => {
    void test('fetches once and answers later calls and context lengths from the cache', async () => {
        let fetches = 0;
        const catalog = new ModelCatalog(async () => {
            fetches++;
            return MODELS;
        });
        assert.equal(catalog.contextLength('command-a-03-2025'), undefined);
        const [first, second] = await Promise.all([catalog.list(), catalog.list()]);
        await catalog.list();
        assert.equal(fetches, 1);
        assert.equal(first, second);
        assert.equal(catalog.contextLength('command-a-03-2025'), 256000);
        assert.equal(catalog.contextLength('unknown'), undefined);
    });

    void test('does not cache a failure: the next call asks again', async () => {
        let fetches = 0;
        const catalog = new ModelCatalog(async () => {
            fetches++;
            if (fetches === 1) throw new Error('offline');
            return MODELS;
        });
        await assert.rejects(catalog.list(), /offline/);
        assert.deepEqual(await catalog.list(), MODELS);
        assert.equal(fetches, 2);
    });

    void test('after invalidate, a fetch begun for the old endpoint does not fill the cache', async () => {
        const old = deferred<ModelInfo[]>();
        const answers = [old.promise, Promise.resolve([{ name: 'new-model', context_length: 4096 }])];
        const catalog = new ModelCatalog(() => answers.shift() ?? Promise.reject(new Error('no more')));
        const stale = catalog.list();
        catalog.invalidate();
        old.resolve(MODELS);
        await stale;
        assert.equal(catalog.known(), undefined);
        assert.deepEqual(await catalog.list(), [{ name: 'new-model', context_length: 4096 }]);
    });

    void test('tells listeners when the list is filled or forgotten', async () => {
        const catalog = new ModelCatalog(async () => MODELS);
        let changes = 0;
        const subscription = catalog.onDidChange(() => changes++);
        await catalog.list();
        catalog.invalidate();
        catalog.set(MODELS);
        subscription.dispose();
        catalog.invalidate();
        assert.equal(changes, 3);
    });
});

void describe('sortModelsForPicker', () => {
    void test('puts current models before deprecated ones, by name, and drops nameless entries', () => {
        const sorted = sortModelsForPicker([
            { name: 'command-r', is_deprecated: true },
            { name: 'command-r7b' },
            {},
            { name: 'command-a' },
        ]);
        assert.deepEqual(
            sorted.map((m) => m.name),
            ['command-a', 'command-r7b', 'command-r'],
        );
    });
});
