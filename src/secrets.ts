// The API key: SecretStorage first, then the CO_API_KEY and COHERE_API_KEY environment variables
// (the names the official SDKs read). Looked up for every request; the stored value is kept in memory
// until SecretStorage says it changed (here or in another window), because each read is a round trip
// to the workbench — in code-server 10–30 ms, and a message needs three of them before it is sent.

import { Emitter } from './chat/emitter';

/** The part of vscode's SecretStorage this module uses; vscode.SecretStorage satisfies it structurally. */
export interface SecretStoreLike {
    get(key: string): PromiseLike<string | undefined>;
    store(key: string, value: string): PromiseLike<void>;
    delete(key: string): PromiseLike<void>;
    onDidChange(listener: (e: { key: string }) => unknown): { dispose(): unknown };
}

/** The SecretStorage entry holding the key. */
export const API_KEY_SECRET = 'cohere.apiKey';

export type ApiKeySource = 'secretStorage' | 'CO_API_KEY' | 'COHERE_API_KEY';

export interface FoundApiKey {
    key: string;
    source: ApiKeySource;
}

/** Finds, stores and clears the Cohere API key. Never logs it. */
export class ApiKeyStore {
    private readonly _onDidChange = new Emitter();
    /** Fires when the stored key changes, in this window or another one. */
    readonly onDidChange = this._onDidChange.event;
    private readonly subscription: { dispose(): unknown };
    private disposed = false;
    /** The stored key as last read (a read under way included), until SecretStorage says it changed. */
    private stored: Promise<string | undefined> | undefined;

    constructor(
        private readonly secrets: SecretStoreLike,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {
        this.subscription = secrets.onDidChange((e) => {
            if (e.key !== API_KEY_SECRET) return;
            this.stored = undefined;
            this._onDidChange.fire();
        });
    }

    /** The key to use now and where it came from, or undefined when there is none anywhere. */
    async getKey(): Promise<FoundApiKey | undefined> {
        const stored = await this.readStored();
        if (stored !== undefined) return { key: stored, source: 'secretStorage' };
        for (const name of ['CO_API_KEY', 'COHERE_API_KEY'] as const) {
            const fromEnv = usable(this.env[name]);
            if (fromEnv !== undefined) return { key: fromEnv, source: name };
        }
        return undefined;
    }

    /** Stores a key (trimmed: pasted keys often carry a newline). An empty key clears it. */
    async setKey(key: string): Promise<void> {
        const trimmed = usable(key);
        if (trimmed === undefined) {
            await this.clearKey();
            return;
        }
        this.stored = undefined;
        try {
            await this.secrets.store(API_KEY_SECRET, trimmed);
        } finally {
            // Read again: a lookup made while the write was under way may have kept the old value.
            this.stored = undefined;
        }
    }

    async clearKey(): Promise<void> {
        this.stored = undefined;
        try {
            await this.secrets.delete(API_KEY_SECRET);
        } finally {
            this.stored = undefined;
        }
    }

    private readStored(): Promise<string | undefined> {
        if (this.stored !== undefined) return this.stored;
        const read = Promise.resolve(this.secrets.get(API_KEY_SECRET)).then(usable);
        this.stored = read;
        // A failed read is not kept: the next lookup tries again.
        read.catch(() => {
            if (this.stored === read) this.stored = undefined;
        });
        return read;
    }

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        this._onDidChange.dispose();
        this.subscription.dispose();
    }
}

function usable(value: string | undefined): string | undefined {
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
