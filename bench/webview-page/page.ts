// The page side of `bench:webview`, bundled by esbuild into one script the benchmark evaluates in the page
// (evaluation goes through the DevTools protocol, so the page keeps its CSP for everything else): the two
// contenders put beside the real webview — a floor (the same deltas as plain text, lines in containers of 64)
// and a naive peer (the whole markdown rendered again with markdown-it + DOMPurify every frame), both
// following the stream the simple way, by setting scrollTop each frame — and the drivers that stream.
//
// "Frames as fast as the work allows": requestAnimationFrame is replaced by a clock the driver advances
// itself. One frame = a batch of deltas, every rAF callback, then a forced style and layout (so every
// contender pays for its layout in the frame that caused it), then a yield to the event loop, where the
// browser paints at its own 60 Hz. The real-clock driver keeps the page's own requestAnimationFrame.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/** A contender that renders streamed text into a scrolling box. */
interface Peer {
    append(text: string): void;
    /** Called once per animation frame. */
    frame(): void;
}

const LINES_PER_CONTAINER = 64;

function scroller(): HTMLElement {
    const app = document.getElementById('app');
    if (app !== null) app.style.display = 'none';
    const box = document.createElement('main');
    box.className = 'messages';
    Object.assign(box.style, { position: 'fixed', inset: '0', overflowY: 'auto', padding: '8px' });
    document.body.append(box);
    return box;
}

function floor(): Peer {
    const box = scroller();
    let container = document.createElement('div');
    let line = document.createElement('div');
    let lines = 1;
    box.append(container);
    container.append(line);
    let pending = '';
    return {
        append: (text) => {
            pending += text;
        },
        frame: () => {
            if (pending === '') return;
            const parts = pending.split('\n');
            pending = '';
            parts.forEach((part, i) => {
                if (i > 0) {
                    if (lines === LINES_PER_CONTAINER) {
                        container = document.createElement('div');
                        box.append(container);
                        lines = 0;
                    }
                    line = document.createElement('div');
                    container.append(line);
                    lines++;
                }
                if (part !== '') line.append(part);
            });
            box.scrollTop = box.scrollHeight;
        },
    };
}

function naive(): Peer {
    const box = scroller();
    const markdown = new MarkdownIt({ html: false, linkify: true });
    const purify = DOMPurify(window);
    let text = '';
    let stale = false;
    return {
        append: (delta) => {
            text += delta;
            stale = true;
        },
        frame: () => {
            if (!stale) return;
            stale = false;
            box.replaceChildren(purify.sanitize(markdown.render(text), { RETURN_DOM_FRAGMENT: true }));
            box.scrollTop = box.scrollHeight;
        },
    };
}

const PEERS: Record<string, () => Peer> = { floor, naive };

/** One streamed reply, as the benchmark hands it over. */
interface StreamArgs {
    readonly contender: 'ours' | 'floor' | 'naive';
    /** A `state` message to show first (ours only). */
    readonly state?: unknown;
    readonly turn: {
        readonly id: string;
        readonly conversationId: string;
        readonly started: unknown;
        readonly ended: unknown;
    };
    readonly deltas: readonly string[];
    readonly citations: readonly { readonly after: number; readonly citation: unknown }[];
    readonly perFrame: number;
    /** Real 60 Hz frames instead of the driver's own clock. */
    readonly realFrames?: boolean;
}

/** What a streamed reply measured. */
interface StreamResult {
    readonly ms: number;
    /** Pixels between the view's bottom and the content's end right after the last frame. */
    readonly behindPx: number;
    readonly maxBehindPx: number;
    readonly longestFrameMs: number;
    readonly longestAt: number;
    readonly frames: readonly number[];
}

const realFrame = window.requestAnimationFrame.bind(window);
let queue: FrameRequestCallback[] = [];
let fakeClock = false;

function installClock(): void {
    if (fakeClock) return;
    fakeClock = true;
    let next = 1;
    const ids = new Map<number, FrameRequestCallback>();
    window.requestAnimationFrame = (callback) => {
        const id = next++;
        ids.set(id, callback);
        queue.push(callback);
        return id;
    };
    window.cancelAnimationFrame = (id) => {
        const callback = ids.get(id);
        if (callback !== undefined) queue = queue.filter((queued) => queued !== callback);
    };
}

const channel = new MessageChannel();
function yieldToBrowser(): Promise<void> {
    return new Promise((resolve) => {
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
    });
}

function runFrame(): void {
    const callbacks = queue;
    queue = [];
    const now = performance.now();
    for (const callback of callbacks) callback(now);
}

function deliver(data: unknown): void {
    window.dispatchEvent(new MessageEvent('message', { data }));
}

function scrollerOf(contender: string): HTMLElement {
    const selector = contender === 'ours' ? '#messages' : 'body > main.messages';
    const found = document.querySelector<HTMLElement>(selector);
    if (found === null) throw new Error(`no scroller for ${contender}`);
    return found;
}

function behind(box: HTMLElement): number {
    return Math.max(0, box.scrollHeight - box.scrollTop - box.clientHeight);
}

async function stream(args: StreamArgs): Promise<StreamResult> {
    const ours = args.contender === 'ours';
    const peer = ours ? undefined : (PEERS[args.contender] ?? floor)();
    const frame =
        args.realFrames === true ? () => new Promise<number>((resolve) => realFrame(resolve)) : undefined;
    if (frame === undefined) installClock();
    if (ours) {
        if (args.state !== undefined) deliver(args.state);
        deliver(args.turn.started);
        if (frame === undefined) runFrame();
        else await frame();
    }
    const box = scrollerOf(args.contender);
    void box.scrollHeight;
    await yieldToBrowser();
    let citation = 0;
    let maxBehind = 0;
    let longest = 0;
    // Which delta the longest frame ended at, and every frame's duration (for bench/huge-reply.ts).
    let longestAt = 0;
    const frames: number[] = [];
    const started = performance.now();
    let last = started;
    for (let i = 0; i < args.deltas.length;) {
        const end = Math.min(args.deltas.length, i + args.perFrame);
        for (; i < end; i++) {
            const text = args.deltas[i] ?? '';
            if (ours)
                deliver({
                    type: 'delta',
                    conversationId: args.turn.conversationId,
                    turnId: args.turn.id,
                    index: 0,
                    kind: 'text',
                    text,
                });
            else peer?.append(text);
            for (
                let due = args.citations[citation];
                due !== undefined && due.after <= i;
                due = args.citations[++citation]
            ) {
                if (ours)
                    deliver({
                        type: 'citation',
                        conversationId: args.turn.conversationId,
                        turnId: args.turn.id,
                        citation: due.citation,
                    });
            }
        }
        if (ours && i === args.deltas.length) deliver(args.turn.ended);
        if (frame === undefined) {
            runFrame();
            peer?.frame();
            void box.scrollHeight;
            await yieldToBrowser();
        } else {
            peer?.frame();
            await frame();
            maxBehind = Math.max(maxBehind, behind(box));
        }
        const now = performance.now();
        if (now - last > longest) longestAt = i;
        longest = Math.max(longest, now - last);
        frames.push(now - last);
        last = now;
    }
    if (frame !== undefined) await frame();
    else {
        runFrame();
        void box.scrollHeight;
    }
    const ms = performance.now() - started;
    return {
        ms,
        behindPx: behind(box),
        maxBehindPx: Math.max(maxBehind, behind(box)),
        longestFrameMs: longest,
        longestAt,
        frames,
    };
}

/** Delivers a `state` and resolves once the frame that shows it was painted: ms from the delivery. */
async function firstPaint(state: unknown): Promise<number> {
    const started = performance.now();
    deliver(state);
    await new Promise((resolve) => realFrame(resolve));
    await new Promise((resolve) => realFrame(resolve));
    return performance.now() - started;
}

(globalThis as unknown as { __bench: unknown }).__bench = { stream, firstPaint };
