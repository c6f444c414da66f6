// Earlier turns cost nothing while they are off screen. Each turn is `content-visibility: auto` (style.css):
// the browser skips the style, layout and paint of a turn off screen and keeps its last real size (until it
// was laid out once, a turn-size-N class holds an estimate), so the scrollbar stays true. On top of that, a
// conversation opened with hundreds of turns renders the markdown of the turns near the view at once and of
// the others later: when the browser starts drawing their turn (its `contentvisibilityautostatechange`
// event, so no observer of our own watches hundreds of boxes every frame), or when the page is idle, from
// the bottom up, so find-in-page soon covers everything. Until then a view holds an estimated height.

/** A view whose rendering can wait until it is near the visible part of the conversation. */
export interface DeferredView {
    readonly element: HTMLElement;
    /** Renders now; called once. */
    reveal(): void;
}

/** The box the browser skips while off screen: what a deferred view waits for. */
const HOLDER = '.turn';

let scroller: HTMLElement | undefined;
const waiting = new Map<Element, DeferredView>();
/** Waiting views by the turn that holds them (placed once they are in the document), and back. */
const byHolder = new Map<Element, Set<Element>>();
const holderOf = new Map<Element, Element>();
/** Waiting views not placed in their holder yet (deferred while their turn was being built). */
let unplaced: Element[] = [];
let checkQueued = false;
let idleQueued = false;

/** Idle time used per slice of background rendering. */
const IDLE_SLICE_MS = 8;

/** Turns deferred rendering on for views inside `element`, the conversation's scroller. */
export function setOffscreenRoot(element: HTMLElement): void {
    scroller = element;
    // The event does not bubble: caught on the way down, for every turn in the scroller.
    element.addEventListener(
        'contentvisibilityautostatechange',
        (event) => {
            if ((event as Event & { skipped?: boolean }).skipped === true) return;
            const held = event.target instanceof Element ? byHolder.get(event.target) : undefined;
            if (held !== undefined) for (const target of [...held]) reveal(target);
        },
        { capture: true },
    );
}

/** The conversation's scroller, once the app set it (chunkBoxes.ts watches its own boxes against it). */
export function offscreenRoot(): HTMLElement | undefined {
    return scroller;
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
    return deferring && scroller !== undefined;
}

/** Queues `view` to render when it comes near the view or the page is idle. */
export function defer(view: DeferredView): void {
    waiting.set(view.element, view);
    unplaced.push(view.element);
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
    forget(target);
    view.reveal();
}

function forget(target: Element): void {
    const holder = holderOf.get(target);
    if (holder === undefined) return;
    holderOf.delete(target);
    const held = byHolder.get(holder);
    held?.delete(target);
    if (held?.size === 0) byHolder.delete(holder);
}

/**
 * Places the views deferred since the last check in their turns, and renders every waiting view whose
 * turn is within a viewport's height of the visible part, as laid out now. Only the turns' own boxes are
 * measured: measuring inside a skipped turn would make the browser lay it out.
 */
function revealVisible(): void {
    checkQueued = false;
    const placed = unplaced;
    unplaced = [];
    const box = scroller;
    for (const target of placed) {
        if (!waiting.has(target)) continue;
        const holder = target.closest(HOLDER);
        // Outside a turn nothing would ever reveal it: it renders now.
        if (holder === null || !target.isConnected || box === undefined) {
            reveal(target);
            continue;
        }
        let held = byHolder.get(holder);
        if (held === undefined) byHolder.set(holder, (held = new Set()));
        held.add(target);
        holderOf.set(target, holder);
    }
    if (box === undefined || byHolder.size === 0) return;
    // Each pass can move the others (estimates become real heights); a few passes settle it.
    for (let pass = 0; pass < 4; pass++) {
        const view = box.getBoundingClientRect();
        const top = view.top - view.height;
        const bottom = view.bottom + view.height;
        const near = [...byHolder.keys()].filter((holder) => {
            if (!holder.isConnected) return false;
            const rect = holder.getBoundingClientRect();
            return rect.bottom >= top && rect.top <= bottom;
        });
        if (near.length === 0) return;
        for (const holder of near) for (const target of [...(byHolder.get(holder) ?? [])]) reveal(target);
    }
}

let streaming = false;

/**
 * While a reply streams, idle time is left to it: the waiting views render when their turn comes near the
 * view, and the rest once the reply ended.
 */
export function setStreaming(on: boolean): void {
    streaming = on;
    if (!on && waiting.size > 0 && !idleQueued) {
        idleQueued = true;
        whenIdle(renderWhileIdle);
    }
}

function renderWhileIdle(deadline: { timeRemaining(): number }): void {
    idleQueued = false;
    if (streaming) return;
    // The latest turns first: they are the ones a reader scrolls up to.
    const targets = [...waiting.keys()].reverse();
    for (const target of targets) {
        if (deadline.timeRemaining() <= 0) break;
        if (target.isConnected) reveal(target);
        else {
            waiting.delete(target);
            forget(target);
        }
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
    return `height-estimate-${bucketOf(px)}`;
}

/** The `turn-size-N` class (style.css) nearest `px`, the size a turn never laid out holds. */
export function turnSizeClass(px: number): string {
    return `turn-size-${bucketOf(px)}`;
}

function bucketOf(px: number): number {
    return Math.min(23, Math.round(Math.log(Math.max(px, 40) / 40) / Math.log(1.35)));
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
