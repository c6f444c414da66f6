// Earlier turns cost nothing while they are off screen. A conversation opened with hundreds of turns
// renders the markdown of the ones near the view at once and of the others later: when they come near the
// view (an IntersectionObserver on the scroller, a viewport's height ahead), or when the page is idle, from
// the bottom up, so find-in-page and the scrollbar soon cover everything. Until then a view holds an
// estimated height, and once rendered, CSS `content-visibility: auto` (style.css) skips the layout and paint
// of whatever is off screen, keeping its last real size so the scrollbar stays true.

/** A view whose rendering can wait until it is near the visible part of the conversation. */
export interface DeferredView {
    readonly element: HTMLElement;
    /** Renders now; called once. */
    reveal(): void;
}

let scroller: HTMLElement | undefined;
let observer: IntersectionObserver | undefined;
const waiting = new Map<Element, DeferredView>();
let checkQueued = false;
let idleQueued = false;

/** Idle time used per slice of background rendering. */
const IDLE_SLICE_MS = 8;

/** Turns deferred rendering on for views inside `element`, the conversation's scroller. */
export function setOffscreenRoot(element: HTMLElement): void {
    scroller = element;
    observer?.disconnect();
    observer = new IntersectionObserver(
        (entries) => {
            for (const entry of entries) if (entry.isIntersecting) reveal(entry.target);
        },
        { root: element, rootMargin: '100% 0px' },
    );
    for (const target of waiting.keys()) observer.observe(target);
}

let deferring = true;

/**
 * Turns deferral off (or on again) for the views created meanwhile: a saved scroll position is restored
 * against real heights, not estimates.
 */
export function setDeferring(on: boolean): void {
    deferring = on;
}

/** Whether views may defer their rendering (there is a scroller to watch). */
export function canDefer(): boolean {
    return deferring && observer !== undefined;
}

/** Queues `view` to render when it comes near the view or the page is idle. */
export function defer(view: DeferredView): void {
    waiting.set(view.element, view);
    observer?.observe(view.element);
    // Views near the view render before the first paint: no blank frame where they should be.
    if (!checkQueued) {
        checkQueued = true;
        queueMicrotask(revealVisible);
    }
    if (!idleQueued) {
        idleQueued = true;
        whenIdle(renderWhileIdle);
    }
}

/** Renders `view` now if it still waits (something needs its DOM). */
export function revealNow(view: DeferredView): void {
    reveal(view.element);
}

function reveal(target: Element): void {
    const view = waiting.get(target);
    if (view === undefined) return;
    waiting.delete(target);
    observer?.unobserve(target);
    view.reveal();
}

/** Renders every waiting view within a viewport's height of the visible part, as laid out now. */
function revealVisible(): void {
    checkQueued = false;
    const box = scroller;
    if (box === undefined || waiting.size === 0) return;
    // Each pass can move the others (estimates become real heights); a few passes settle it.
    for (let pass = 0; pass < 4; pass++) {
        const view = box.getBoundingClientRect();
        const top = view.top - view.height;
        const bottom = view.bottom + view.height;
        const near = [...waiting.keys()].filter((target) => {
            if (!target.isConnected) return false;
            const rect = target.getBoundingClientRect();
            return rect.bottom >= top && rect.top <= bottom;
        });
        if (near.length === 0) return;
        for (const target of near) reveal(target);
    }
}

function renderWhileIdle(deadline: { timeRemaining(): number }): void {
    idleQueued = false;
    // The latest turns first: they are the ones a reader scrolls up to.
    const targets = [...waiting.keys()].reverse();
    for (const target of targets) {
        if (deadline.timeRemaining() <= 0) break;
        if (target.isConnected) reveal(target);
        else waiting.delete(target);
    }
    if (waiting.size > 0) {
        idleQueued = true;
        whenIdle(renderWhileIdle);
    }
}

function whenIdle(callback: (deadline: { timeRemaining(): number }) => void): void {
    if (typeof requestIdleCallback === 'function') {
        requestIdleCallback(callback, { timeout: 2000 });
        return;
    }
    setTimeout(() => {
        const started = performance.now();
        callback({ timeRemaining: () => IDLE_SLICE_MS - (performance.now() - started) });
    }, 50);
}

/** The `height-estimate-N` class (style.css) nearest `px`: buckets 1.35x apart from 40 px. */
export function heightClass(px: number): string {
    const bucket = Math.round(Math.log(Math.max(px, 40) / 40) / Math.log(1.35));
    return `height-estimate-${Math.min(23, bucket)}`;
}

/** A height in pixels for markdown `text` before it is rendered: about 20 px a line of 90 characters. */
export function estimateHeight(text: string): number {
    let lines = 0;
    let from = 0;
    for (;;) {
        const newline = text.indexOf('\n', from);
        const length = (newline < 0 ? text.length : newline) - from;
        lines += Math.max(1, Math.ceil(length / 90));
        if (newline < 0) break;
        from = newline + 1;
    }
    return Math.round(lines * 20);
}
