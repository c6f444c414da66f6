// The chat models the endpoint offers, fetched once and kept: "Select Model" lists them and the context
// meter reads the chosen model's context length. No vscode import, so it is tested in plain Node.
import { Emitter } from '../chat/emitter';
import type { ModelInfo } from '../cohere/types';

/** A cache of `listModels({ endpoint: 'chat' })`. A failed fetch is not cached, so the next use tries again. */
export class ModelCatalog {
    private models: readonly ModelInfo[] | undefined;
    private loading: Promise<readonly ModelInfo[]> | undefined;
    // Bumped by invalidate(), so a fetch started for the old endpoint or key cannot fill the new cache.
    private generation = 0;
    private readonly _onDidChange = new Emitter();
    /** Called whenever the cached list changes. */
    readonly onDidChange = this._onDidChange.event;

    constructor(private readonly fetchModels: () => Promise<ModelInfo[]>) {}

    /** The models, from the cache or fetched now; concurrent callers share one request. */
    list(): Promise<readonly ModelInfo[]> {
        if (this.models) return Promise.resolve(this.models);
        if (!this.loading) {
            const generation = this.generation;
            const loading = this.fetchModels()
                .then((models) => {
                    if (generation === this.generation) this.set(models);
                    return models;
                })
                .finally(() => {
                    if (this.loading === loading) this.loading = undefined;
                });
            this.loading = loading;
        }
        return this.loading;
    }

    /** The cached models, without fetching. */
    known(): readonly ModelInfo[] | undefined {
        return this.models;
    }

    /** The context length of `name`, when the cache knows it. */
    contextLength(name: string): number | undefined {
        return this.models?.find((model) => model.name === name)?.context_length;
    }

    /** Fills the cache from a list fetched elsewhere (e.g. by Test Connection). */
    set(models: readonly ModelInfo[]): void {
        this.models = models;
        this.loading = undefined;
        this._onDidChange.fire();
    }

    /** Forgets the cache: the endpoint or the key changed. */
    invalidate(): void {
        this.generation++;
        this.loading = undefined;
        if (this.models === undefined) return;
        this.models = undefined;
        this._onDidChange.fire();
    }
}

/** Orders chat models for a picker: current ones before deprecated ones, then by name. */
export function sortModelsForPicker(models: readonly ModelInfo[]): (ModelInfo & { name: string })[] {
    return models
        .filter(
            (model): model is ModelInfo & { name: string } =>
                typeof model.name === 'string' && model.name !== '',
        )
        .sort(
            (a, b) =>
                Number(a.is_deprecated ?? false) - Number(b.is_deprecated ?? false) ||
                a.name.localeCompare(b.name),
        );
}
