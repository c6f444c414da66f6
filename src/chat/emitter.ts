// A small event emitter for the code that must not import vscode (src/chat, the key store, the model
// catalog). Its event has the shape of vscode.Event: subscribe with a listener, get back a disposable.

/** What subscribing returns: `dispose()` stops the listener. */
export interface Subscription {
    dispose(): void;
}

/**
 * Listeners of one event. With `onError`, a listener that throws is reported there and the others still
 * hear the event; without it, the error reaches whoever fired.
 */
export class Emitter<T = void> {
    private readonly listeners = new Set<(value: T) => void>();
    private disposed = false;

    constructor(private readonly onError?: (error: unknown) => void) {}

    /** Subscribes `listener` until the returned subscription is disposed. */
    readonly event = (listener: (value: T) => void): Subscription => {
        if (this.disposed) return { dispose: () => undefined };
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
    };

    /** Tells every listener subscribed now; does nothing once disposed. */
    fire(value: T): void {
        if (this.disposed) return;
        for (const listener of [...this.listeners]) {
            if (this.onError === undefined) {
                listener(value);
                continue;
            }
            try {
                listener(value);
            } catch (error) {
                this.onError(error);
            }
        }
    }

    /** Drops every listener; later subscriptions and fires do nothing. */
    dispose(): void {
        this.disposed = true;
        this.listeners.clear();
    }
}
