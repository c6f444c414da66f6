import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_KEY_SECRET, ApiKeyStore } from '../../src/secrets';
import type { SecretStoreLike } from '../../src/secrets';

/** SecretStorage as VS Code behaves: values per key, and a change event for every write or delete. */
class MemorySecrets implements SecretStoreLike {
    readonly values = new Map<string, string>();
    private readonly listeners = new Set<(e: { key: string }) => unknown>();

    /** How many reads reached the store (each one a round trip to the workbench in VS Code). */
    reads = 0;
    /** Makes the next read fail, as a workbench gone mid-call would. */
    failNextRead = false;
    async get(key: string): Promise<string | undefined> {
        this.reads++;
        if (this.failNextRead) {
            this.failNextRead = false;
            throw new Error('the workbench did not answer');
        }
        return this.values.get(key);
    }
    async store(key: string, value: string): Promise<void> {
        this.values.set(key, value);
        this.emit(key);
    }
    async delete(key: string): Promise<void> {
        this.values.delete(key);
        this.emit(key);
    }
    onDidChange(listener: (e: { key: string }) => unknown): { dispose(): unknown } {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    }
    get listenerCount(): number {
        return this.listeners.size;
    }
    /** Another window changing the secret looks the same from here. */
    emit(key: string): void {
        for (const listener of this.listeners) listener({ key });
    }
}

void describe('ApiKeyStore', () => {
    void test('finds no key when neither SecretStorage nor the environment has one', async () => {
        const store = new ApiKeyStore(new MemorySecrets(), {});
        assert.equal(await store.getKey(), undefined);
    });

    void test('prefers SecretStorage, then CO_API_KEY, then COHERE_API_KEY', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, { CO_API_KEY: 'co-key', COHERE_API_KEY: 'cohere-key' });
        assert.deepEqual(await store.getKey(), { key: 'co-key', source: 'CO_API_KEY' });
        await store.setKey('stored-key');
        assert.deepEqual(await store.getKey(), { key: 'stored-key', source: 'secretStorage' });
        const onlySecond = new ApiKeyStore(new MemorySecrets(), { CO_API_KEY: ' ', COHERE_API_KEY: 'k2' });
        assert.deepEqual(await onlySecond.getKey(), { key: 'k2', source: 'COHERE_API_KEY' });
    });

    void test('stores the key trimmed under cohere.apiKey and clears it', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('  pasted-key\n');
        assert.equal(secrets.values.get(API_KEY_SECRET), 'pasted-key');
        await store.clearKey();
        assert.equal(secrets.values.has(API_KEY_SECRET), false);
        assert.equal(await store.getKey(), undefined);
    });

    void test('treats setting an empty key as clearing it', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('k');
        await store.setKey('   ');
        assert.equal(secrets.values.has(API_KEY_SECRET), false);
    });

    void test('reports changes of its own secret only, including ones made in another window', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        let changes = 0;
        store.onDidChange(() => changes++);
        await store.setKey('a');
        secrets.emit(API_KEY_SECRET);
        secrets.emit('some.other.secret');
        assert.equal(changes, 2);
    });

    void test('reads SecretStorage once, then again only after it says the key changed', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('first');
        const before = secrets.reads;
        for (let i = 0; i < 5; i++) assert.equal((await store.getKey())?.key, 'first');
        assert.equal(secrets.reads - before, 1, 'one read for five lookups');
        // Another window stores a new key: VS Code tells every window.
        secrets.values.set(API_KEY_SECRET, 'from-another-window');
        secrets.emit(API_KEY_SECRET);
        assert.equal((await store.getKey())?.key, 'from-another-window');
        secrets.values.delete(API_KEY_SECRET);
        secrets.emit(API_KEY_SECRET);
        assert.equal(await store.getKey(), undefined);
    });

    void test('a key set or cleared here is what the next lookup returns', async () => {
        const secrets = new MemorySecrets();
        // A SecretStorage whose change event comes late (or not at all) must not leave the old key in use.
        secrets.emit = () => undefined;
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('one');
        assert.equal((await store.getKey())?.key, 'one');
        await store.setKey('two');
        assert.equal((await store.getKey())?.key, 'two');
        await store.clearKey();
        assert.equal(await store.getKey(), undefined);
    });

    void test('a lookup under way when the key changes does not keep the old key', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('old');
        secrets.emit(API_KEY_SECRET);
        const during = store.getKey();
        secrets.values.set(API_KEY_SECRET, 'new');
        secrets.emit(API_KEY_SECRET);
        await during;
        assert.equal((await store.getKey())?.key, 'new');
    });

    void test('a failed read is not kept: the next lookup reads again', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        await store.setKey('k');
        secrets.failNextRead = true;
        await assert.rejects(store.getKey(), /did not answer/);
        assert.equal((await store.getKey())?.key, 'k');
    });

    void test('stops listening once disposed', async () => {
        const secrets = new MemorySecrets();
        const store = new ApiKeyStore(secrets, {});
        let changes = 0;
        const subscription = store.onDidChange(() => changes++);
        secrets.emit(API_KEY_SECRET);
        subscription.dispose();
        secrets.emit(API_KEY_SECRET);
        assert.equal(changes, 1);
        store.dispose();
        assert.equal(secrets.listenerCount, 0);
    });
});
