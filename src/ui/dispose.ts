// A small Disposable base, as VS Code's own extensions use: an owner registers what it creates and lets go
// of all of it at once. No vscode import; vscode's Disposable satisfies `IDisposable` structurally.

/** Anything that can be let go of. */
export interface IDisposable {
    dispose(): unknown;
}

/** Wraps a clean-up function. */
export function toDisposable(dispose: () => unknown): IDisposable {
    let done = false;
    return {
        dispose: () => {
            if (done) return;
            done = true;
            dispose();
        },
    };
}

/** Disposes everything given, newest first; one failing does not stop the others. */
export function disposeAll(disposables: IDisposable[]): void {
    const errors: unknown[] = [];
    while (disposables.length > 0) {
        try {
            disposables.pop()?.dispose();
        } catch (error) {
            errors.push(error);
        }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
}

/** Base class for owners of resources: `_register` what you create, override `dispose` to cancel first. */
export abstract class Disposable implements IDisposable {
    private _isDisposed = false;
    private readonly disposables: IDisposable[] = [];

    get isDisposed(): boolean {
        return this._isDisposed;
    }

    dispose(): void {
        if (this._isDisposed) return;
        this._isDisposed = true;
        disposeAll(this.disposables);
    }

    protected _register<T extends IDisposable>(disposable: T): T {
        if (this._isDisposed) disposable.dispose();
        else this.disposables.push(disposable);
        return disposable;
    }
}
