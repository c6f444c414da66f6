// Streamed text goes to the webview in at most one message per frame and block. A reply arrives as many
// small deltas (a 1.2 MB reply is 200,000 of them), and each message to a webview crosses to the
// workbench — in code-server over a websocket, and into two nested frames — where the page must take it
// before it can do anything else: one message per delta kept the composer from answering a click for
// seconds on VS Code 1.139. The first delta after a pause goes at once (the first words are not held
// back); later ones in the same frame are joined into one message. Any other message sends what is held
// first, so the order the view sees is the order they came in. No vscode import.
import type { HostToWebviewMessage } from '../protocol';

type DeltaMessage = Extract<HostToWebviewMessage, { type: 'delta' }>;

/** One frame at 60 Hz: the webview draws no more often than that. */
export const DELTA_WINDOW_MS = 16;

/** Held text past this many characters goes at once (a message stays small enough to take in one go). */
const MAX_HELD_CHARS = 256 * 1024;

export interface CoalescerClock {
    now(): number;
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

const realClock: CoalescerClock = {
    now: () => performance.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function sameBlock(a: DeltaMessage, b: DeltaMessage): boolean {
    return (
        a.conversationId === b.conversationId &&
        a.turnId === b.turnId &&
        a.index === b.index &&
        a.kind === b.kind
    );
}

export class DeltaCoalescer {
    /** The delta being held, its texts not yet joined. */
    private held: { first: DeltaMessage; texts: string[]; chars: number } | undefined;
    private timer: unknown;
    private lastDeltaSentAt = Number.NEGATIVE_INFINITY;

    constructor(
        private readonly send: (message: HostToWebviewMessage) => void,
        private readonly clock: CoalescerClock = realClock,
        private readonly windowMs = DELTA_WINDOW_MS,
    ) {}

    post(message: HostToWebviewMessage): void {
        if (message.type !== 'delta') {
            this.flush();
            this.send(message);
            return;
        }
        if (this.held !== undefined && !sameBlock(this.held.first, message)) this.flush();
        if (this.held === undefined && this.clock.now() - this.lastDeltaSentAt >= this.windowMs) {
            this.sendDelta(message);
            return;
        }
        if (this.held === undefined) {
            this.held = { first: message, texts: [message.text], chars: message.text.length };
            const wait = Math.max(0, this.lastDeltaSentAt + this.windowMs - this.clock.now());
            this.timer = this.clock.setTimeout(() => this.flush(), wait);
        } else {
            this.held.texts.push(message.text);
            this.held.chars += message.text.length;
        }
        if (this.held.chars >= MAX_HELD_CHARS) this.flush();
    }

    /** Sends what is held now. */
    flush(): void {
        if (this.timer !== undefined) {
            this.clock.clearTimeout(this.timer);
            this.timer = undefined;
        }
        const held = this.held;
        if (held === undefined) return;
        this.held = undefined;
        this.sendDelta({ ...held.first, text: held.texts.join('') });
    }

    /** Forgets what is held (the view will be rebuilt from a full state). */
    discard(): void {
        if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
        this.timer = undefined;
        this.held = undefined;
    }

    private sendDelta(message: DeltaMessage): void {
        this.lastDeltaSentAt = this.clock.now();
        this.send(message);
    }
}
