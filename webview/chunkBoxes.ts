// A very large reply (issue 7: a 10 MB one took 56 s to first paint and froze the stream for seconds) stays
// cheap however long it grows. Only past LARGE_TEXT_CHARS, so an ordinary reply's DOM is untouched:
// - its finished blocks are grouped into boxes of about CHUNK_CHARS, which CSS lays out and paints only near
//   the view (`.md-chunk`: `content-visibility: auto`);
// - a box far from the view (more than two viewports away) shows its blocks as their plain markdown text,
//   and is rendered again when it comes near: the DOM, the layout and the garbage stay the size of what is
//   near the view, not of the reply. The text itself is always in the DOM (find-in-page, copy, screen
//   readers see all of it);
// - rendering takes at most FRAME_BUDGET_CHARS of these blocks per animation frame; the rest waits, as text,
//   for the next frames, so a burst of text (a saved reply opened, a flood of deltas) never makes one long
//   frame. The newest boxes render first.
// A box establishes its own layout, so a paragraph's margin does not collapse across two boxes: a few places
// of a huge reply get a slightly larger gap.
import { offscreenRoot } from './offscreen';

/** A text at least this long puts its finished blocks into boxes. */
export const LARGE_TEXT_CHARS = 128 * 1024;

/** About how much text one box holds. */
export const CHUNK_CHARS = 16 * 1024;

/** Blocks finished together are rendered in groups of about this size (one sanitizer run each, not one a block). */
export const GROUP_CHARS = 4 * 1024;

/** Markdown rendered into boxes per animation frame, at most (at least one group is always rendered). */
export const FRAME_BUDGET_CHARS = 8 * 1024;

/** One group of finished blocks as the view keeps it. */
export interface ChunkSegment {
    readonly element: HTMLElement;
    readonly text: string;
    /** True while it shows its plain text, waiting to be rendered. */
    pending?: boolean;
}

interface Box {
    readonly element: HTMLElement;
    readonly segments: ChunkSegment[];
    readonly render: (segment: ChunkSegment) => void;
    chars: number;
    /** Within two viewports of the visible part, as the observer last said. */
    near: boolean;
}

const boxes = new WeakMap<Element, Box>();
// Boxes near the view with segments still to render, in the order they were queued (the newest last).
const queue = new Set<Box>();
let observer: IntersectionObserver | undefined;
let observedRoot: HTMLElement | undefined;
let frameQueued = false;
let spent = 0;

function watch(box: Box): boolean {
    const root = offscreenRoot();
    if (root === undefined) return false;
    if (observer === undefined || observedRoot !== root) {
        observer?.disconnect();
        observedRoot = root;
        observer = new IntersectionObserver(onNearness, { root, rootMargin: '200% 0px' });
    }
    observer.observe(box.element);
    return true;
}

function onNearness(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
        const box = boxes.get(entry.target);
        if (box === undefined) continue;
        box.near = entry.isIntersecting;
        if (box.near) {
            if (box.segments.some((segment) => segment.pending === true)) enqueue(box);
        } else {
            queue.delete(box);
            for (const segment of box.segments) showAsText(segment);
        }
    }
}

function enqueue(box: Box): void {
    queue.delete(box);
    queue.add(box);
    scheduleFrame();
}

function scheduleFrame(): void {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(() => {
        frameQueued = false;
        spent = 0;
        renderQueued();
    });
}

/** Renders queued boxes, the newest first, within this frame's budget. */
function renderQueued(): void {
    for (const box of [...queue].reverse()) {
        if (!box.near || !box.element.isConnected) {
            queue.delete(box);
            continue;
        }
        for (const segment of box.segments) {
            if (segment.pending !== true) continue;
            if (!take(segment.text.length)) {
                scheduleFrame();
                return;
            }
            segment.pending = false;
            segment.element.classList.remove('md-pending');
            box.render(segment);
        }
        queue.delete(box);
    }
}

/** Takes `chars` of this frame's budget; the first taker of a frame always gets it. */
function take(chars: number): boolean {
    if (spent > 0 && spent + chars > FRAME_BUDGET_CHARS) return false;
    spent += chars;
    // The budget is per frame: it starts afresh at the next one.
    scheduleFrame();
    return true;
}

function showAsText(segment: ChunkSegment): void {
    if (segment.pending === true) return;
    segment.pending = true;
    segment.element.classList.add('md-pending');
    segment.element.textContent = segment.text;
}

/** The boxes of one markdown view. */
export class ChunkBoxes {
    private box: Box | undefined;

    constructor(
        private readonly parent: HTMLElement,
        private readonly render: (segment: ChunkSegment) => void,
    ) {}

    /**
     * Puts a finished segment into the current box (before `before`, the open tail), opening a new box when
     * full, and shows it: rendered now when `now` and this frame's budget allow, else as its text until
     * its box is near the view and a frame has budget left.
     */
    place(segment: ChunkSegment, before: Element, now: boolean): void {
        let box = this.box;
        if (box === undefined || box.chars >= CHUNK_CHARS || !box.element.isConnected) {
            const element = document.createElement('div');
            element.className = 'md-chunk';
            this.parent.insertBefore(element, before);
            box = { element, segments: [], render: this.render, chars: 0, near: true };
            boxes.set(element, box);
            this.box = box;
            // Without a scroller to watch (no app around it), everything renders at once, as before.
            if (!watch(box)) now = true;
        }
        // The segment was the open tail, right after the box: moving it in never moves the box.
        box.element.append(segment.element);
        box.segments.push(segment);
        box.chars += segment.text.length;
        if (now && (observer === undefined || take(segment.text.length))) {
            this.render(segment);
            return;
        }
        showAsText(segment);
        enqueue(box);
    }

    /** Forgets the open box (the view was rendered anew). */
    reset(): void {
        this.box = undefined;
    }
}
