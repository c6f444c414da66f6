// One content block's markdown, rendered incrementally. The source is cut into top-level blocks (blocks.ts);
// a block before the last cut is final, so it is rendered once and keeps its DOM. Each new delta touches
// only the open tail — its text, its scan for the next cut, its render — so the cost per delta grows with
// the open block at most, never with the reply. An open code fence, the one block that commonly grows
// long, is extended in place instead (see OpenFence). Citations re-render only the blocks their spans touch.
import { BlockScanner, closesFence, hasReferenceDefinitions, leadingFence } from './blocks';
import { ChunkBoxes, GROUP_CHARS, LARGE_TEXT_CHARS } from './chunkBoxes';
import type { Fence } from './blocks';
import { decorateCodeBlocks, extendCodeBlock } from './codeBlocks';
import { drawCitations, insertSentinels, stripTextSentinels } from './citations';
import type { CitationSpan } from './citations';
import { startGrowingBlock } from './growingBlocks';
import type { GrowingBlock } from './growingBlocks';
import { canDefer, defer, estimateHeight, heightClass } from './offscreen';
import { renderMarkdown } from './render';
import { neutralizeSentinels } from './sentinels';

/** Of the blocks a flush finishes in a large text, those in the last this many characters render first. */
const LATE_CHARS = 16 * 1024;

interface Segment {
    /** Offset of the segment's first character in the whole text. */
    readonly start: number;
    readonly element: HTMLElement;
    text: string;
    /** The citation spans drawn on this segment (for the open tail: every span that may reach it). */
    spans: CitationSpan[];
    /** Shown as plain text until it comes near the view (chunkBoxes.ts). */
    pending?: boolean;
}

/**
 * The open tail when it is one code fence still being streamed. Its code is literal text, so streamed lines
 * are appended to the `code` element as they come instead of rendering the whole block again; the block is
 * rendered (and highlighted) again only when the fence closes or the tail has doubled since its last render,
 * which keeps the cost per delta constant on average however long the code grows.
 */
interface OpenFence extends Fence {
    readonly block: Element;
    readonly code: Element;
    /** Length of the tail at its last full render. */
    readonly renderedAt: number;
    /** How much of the tail's text the DOM shows. */
    shown: number;
    /** Start of the first line not yet checked for a closing fence. */
    scanFrom: number;
}

/** A live view of markdown text that grows by deltas and gains citations over time. */
export class MarkdownView {
    readonly element: HTMLElement;
    // The finished blocks' text and the open tail's, kept apart so a delta never copies the whole text.
    private sealedText = '';
    // Finished blocks, in text order (so a span finds the blocks it touches by binary search).
    private readonly segments: Segment[] = [];
    private tail: Segment;
    private spans: CitationSpan[] = [];
    // Finished blocks whose spans changed: only they are rendered again at the next flush.
    private readonly staleSegments = new Set<Segment>();
    private tailStale = false;
    // Reference-style links resolve only across the whole text, so such a text is rendered in one piece.
    private whole = false;
    private openFence: OpenFence | undefined;
    // The open tail when it is a table or a list, grown by its open rows or items (growingBlocks.ts).
    private growing: GrowingBlock | undefined;
    // Finds the tail's block boundaries, looking only at lines that arrived since the last flush.
    private scanner = new BlockScanner();
    // Where the tail's next check for reference definitions starts (the start of a line).
    private referencesCheckedTo = 0;
    // A text set whole (a saved turn) waits to render until it is near the view (offscreen.ts).
    private deferred: 'no' | 'yes' | 'queued' = 'no';
    // A very large text's finished blocks, in boxes laid out only near the view (chunkBoxes.ts).
    private readonly chunks: ChunkBoxes;

    constructor(className: string) {
        this.element = document.createElement('div');
        this.element.className = className;
        this.tail = this.newTail(0, []);
        this.chunks = new ChunkBoxes(this.element, (segment) => this.renderSegment(segment as Segment));
    }

    /** The text so far (with look-alike sentinel characters neutralized). */
    get text(): string {
        return this.sealedText + this.tail.text;
    }

    /** Whether any text arrived. */
    get isEmpty(): boolean {
        return this.sealedText === '' && this.tail.text === '';
    }

    /** Adds streamed text; it shows at the next `flush`. */
    append(text: string): void {
        if (text === '') return;
        this.tail.text += neutralizeSentinels(text);
        this.tailStale = true;
    }

    /** Sets the whole text; keeps the rendered blocks when the new text only extends the old. */
    setText(text: string): void {
        const clean = neutralizeSentinels(text);
        const current = this.text;
        // A whole text (the turn ended, say) renders a streamed open fence in full, highlighted.
        if (this.openFence !== undefined) {
            this.openFence = undefined;
            this.tailStale = true;
        }
        // So does a table grown as text (growingTableText.ts): its held-back last line shows.
        if (this.growing?.finalRender === true) {
            this.growing = undefined;
            this.tailStale = true;
        }
        if (current === '' && clean !== '' && this.deferred === 'no' && canDefer()) this.deferred = 'yes';
        if (clean.startsWith(current)) {
            this.append(clean.slice(current.length));
            return;
        }
        this.reset();
        this.tail.text = clean;
        this.tailStale = true;
    }

    /** Sets every citation span drawn on this text; blocks whose spans did not change keep their DOM. */
    setCitations(spans: readonly CitationSpan[]): void {
        if (sameSpans(spans, this.spans)) return;
        this.spans = [...spans];
        for (const segment of this.segments) {
            const end = segment.start + segment.text.length;
            const overlapping = spans.filter((span) => span.start < end && span.end > segment.start);
            if (sameSpans(overlapping, segment.spans)) continue;
            segment.spans = overlapping;
            this.staleSegments.add(segment);
        }
        const reaching = spans.filter((span) => span.end > this.tail.start);
        if (!sameSpans(reaching, this.tail.spans)) {
            this.tail.spans = reaching;
            this.tailStale = true;
            this.growing = undefined;
        }
    }

    /**
     * Adds one citation span (a citation streamed in). It costs the blocks it touches, found by binary
     * search, not the whole text or every span so far.
     */
    addCitation(span: CitationSpan): void {
        this.spans.push(span);
        for (let i = this.firstSegmentEndingAfter(span.start); i < this.segments.length; i++) {
            const segment = this.segments[i];
            if (segment === undefined || segment.start >= span.end) break;
            segment.spans.push(span);
            this.staleSegments.add(segment);
        }
        if (span.end > this.tail.start) {
            this.tail.spans.push(span);
            this.tailStale = true;
            this.growing = undefined;
        }
    }

    /** Renders what changed since the last flush. */
    flush(): void {
        if (!this.tailStale && this.staleSegments.size === 0) return;
        if (this.deferred !== 'no') {
            this.waitUntilNear();
            return;
        }
        if (this.tailStale && this.extendOpenFence()) this.tailStale = false;
        if (this.tailStale && !this.whole && this.gainedReferenceDefinitions()) {
            const text = this.text;
            this.reset();
            this.tail.text = text;
            this.whole = true;
        }
        if (this.tailStale && !this.whole) this.sealFinishedBlocks();
        // A segment still waiting to come near the view renders with its spans when it does.
        for (const segment of this.staleSegments) if (segment.pending !== true) this.renderSegment(segment);
        this.staleSegments.clear();
        if (this.tailStale && !this.extendGrowingBlock()) {
            this.renderSegment(this.tail);
            this.openFence = this.findOpenFence();
            this.growing = this.whole
                ? undefined
                : startGrowingBlock(this.tail.element, this.tail.text, (prefix, text, base, spans) =>
                      this.renderFragment(prefix, text, base, spans),
                  );
        }
        this.tailStale = false;
    }

    /** Holds an estimated height and queues the rendering for when the view comes near. */
    private waitUntilNear(): void {
        // A class, not a style attribute: nothing in a reply's DOM carries inline style.
        this.setHeightEstimate(heightClass(estimateHeight(this.text)));
        if (this.deferred === 'queued') return;
        this.deferred = 'queued';
        defer({
            element: this.element,
            reveal: () => {
                this.deferred = 'no';
                // Laid out once, `contain-intrinsic-size: auto` (style.css) remembers the real size.
                this.setHeightEstimate(undefined);
                this.flush();
            },
        });
    }

    private heightEstimate: string | undefined;

    private setHeightEstimate(name: string | undefined): void {
        if (name === this.heightEstimate) return;
        if (this.heightEstimate !== undefined) this.element.classList.remove(this.heightEstimate);
        if (name !== undefined) this.element.classList.add(name);
        this.heightEstimate = name;
    }

    /** Grows the open table or list by its open rows or items; false when the tail must render whole. */
    private extendGrowingBlock(): boolean {
        const growing = this.growing;
        this.growing = undefined;
        if (growing === undefined || this.whole) return false;
        if (!growing.extend(this.tail.text, this.tail.start, this.tail.spans)) return false;
        this.growing = growing;
        return true;
    }

    /** Whether the text that arrived since the last check defines reference links (checked once per line). */
    private gainedReferenceDefinitions(): boolean {
        const text = this.tail.text;
        const from = this.referencesCheckedTo;
        this.referencesCheckedTo = text.lastIndexOf('\n') + 1;
        return hasReferenceDefinitions(text.slice(from));
    }

    /** After a full render of the tail: the fence it is, if it is one fence still open. */
    private findOpenFence(): OpenFence | undefined {
        const text = this.tail.text;
        if (this.whole || this.tail.spans.length > 0) return undefined;
        const fence = leadingFence(text);
        const block = this.tail.element.firstElementChild;
        const code = block?.querySelector(':scope > pre > code');
        if (fence === undefined || block?.className !== 'code-block' || !code) return undefined;
        if (this.tail.element.childElementCount !== 1) return undefined;
        const scanFrom = this.findClosingLine(text, fence, fence.bodyStart);
        if (scanFrom === undefined) return undefined;
        const shown = scanFrom + shownOfLastLine(text.slice(scanFrom), fence);
        return { ...fence, block, code, renderedAt: text.length, shown, scanFrom };
    }

    /**
     * Appends what the open fence received since the last flush. False when the tail must be rendered in
     * full instead: no open fence, citations on it, the fence closed, or the tail doubled since its render.
     */
    private extendOpenFence(): boolean {
        const fence = this.openFence;
        const text = this.tail.text;
        if (fence === undefined) return false;
        if (this.tail.spans.length > 0 || text.length >= 2 * fence.renderedAt) {
            this.openFence = undefined;
            return false;
        }
        const scanFrom = this.findClosingLine(text, fence, fence.scanFrom);
        if (scanFrom === undefined) {
            this.openFence = undefined;
            return false;
        }
        fence.scanFrom = scanFrom;
        // The last line may be the closing fence still arriving: it is held back until it is decided.
        const shownTo = scanFrom + shownOfLastLine(text.slice(scanFrom), fence);
        if (shownTo > fence.shown) {
            extendCodeBlock(fence.block, fence.code, text.slice(fence.shown, shownTo));
            fence.shown = shownTo;
        }
        return true;
    }

    /** Checks the complete lines from `from` on: the start of the last (incomplete) line, or undefined when one closes `fence`. */
    private findClosingLine(text: string, fence: Fence, from: number): number | undefined {
        let lineStart = from;
        for (
            let newline = text.indexOf('\n', lineStart);
            newline >= 0;
            newline = text.indexOf('\n', lineStart)
        ) {
            if (closesFence(text.slice(lineStart, newline), fence)) return undefined;
            lineStart = newline + 1;
        }
        return lineStart;
    }

    private reset(): void {
        this.sealedText = '';
        this.segments.length = 0;
        this.staleSegments.clear();
        this.element.replaceChildren();
        this.tail = this.newTail(0, [...this.spans]);
        this.tailStale = true;
        this.whole = false;
        this.openFence = undefined;
        this.growing = undefined;
        this.scanner = new BlockScanner();
        this.referencesCheckedTo = 0;
        this.chunks.reset();
    }

    private sealFinishedBlocks(): void {
        const text = this.tail.text;
        let from = 0;
        const boundaries = this.scanner.scan(text);
        const large = this.sealedText.length + text.length >= LARGE_TEXT_CHARS;
        // Of much finished at once (a saved reply, a burst), the end renders first: the view opens there.
        const last = boundaries[boundaries.length - 1] ?? 0;
        for (const [i, boundary] of boundaries.entries()) {
            // In a large text, blocks finished together render as one group: the sanitizer's cost is
            // mostly per call. (An ordinary reply keeps one segment a block: a citation re-renders only its own.)
            if (large && i < boundaries.length - 1 && boundary - from < GROUP_CHARS) continue;
            // The tail's element becomes the finished block's; a new element takes the rest.
            const start = this.tail.start;
            const end = start + boundary - from;
            const sealed: Segment = {
                start,
                element: this.tail.element,
                text: text.slice(from, boundary),
                spans: this.tail.spans.filter((span) => span.start < end && span.end > start),
            };
            this.segments.push(sealed);
            this.sealedText += sealed.text;
            this.tail = this.newTail(
                end,
                this.tail.spans.filter((span) => span.end > end),
            );
            if (large) this.chunks.place(sealed, this.tail.element, last - from <= LATE_CHARS);
            else this.renderSegment(sealed);
            from = boundary;
        }
        if (from > 0) {
            this.tail.text = text.slice(from);
            this.scanner.rebase(from);
            this.referencesCheckedTo = Math.max(0, this.referencesCheckedTo - from);
            // The open table or list, if any, was sealed: the new tail starts afresh.
            this.growing = undefined;
        }
    }

    /** Index of the first finished block that ends after `offset` (segments.length when none does). */
    private firstSegmentEndingAfter(offset: number): number {
        let low = 0;
        let high = this.segments.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            const segment = this.segments[middle];
            if (segment !== undefined && segment.start + segment.text.length <= offset) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    private newTail(start: number, spans: CitationSpan[]): Segment {
        const element = document.createElement('div');
        element.className = 'md-block';
        this.element.append(element);
        return { start, element, text: '', spans };
    }

    private renderSegment(segment: Segment): void {
        segment.element.replaceChildren(this.renderFragment('', segment.text, segment.start, segment.spans));
    }

    /** `prefix` (context only, no citations) and `text` (at offset `base`, with `spans` drawn) rendered. */
    private renderFragment(
        prefix: string,
        text: string,
        base: number,
        spans: readonly CitationSpan[],
    ): DocumentFragment {
        const fragment = renderMarkdown(prefix + insertSentinels(text, base, spans));
        drawCitations(fragment);
        stripTextSentinels(fragment);
        decorateCodeBlocks(fragment);
        return fragment;
    }
}

/**
 * How much of an open fence's last, incomplete line is shown: none while it may be the closing fence still
 * arriving, or while it is only white space (markdown-it leaves such a last line out).
 */
function shownOfLastLine(line: string, fence: Fence): number {
    if (line.trim() === '') return 0;
    if (/^ {0,3}(?:`+|~+)[ \t]*$/.test(line) && line.trimStart()[0] === fence.char) return 0;
    return line.length;
}

function sameSpans(a: readonly CitationSpan[], b: readonly CitationSpan[]): boolean {
    return (
        a.length === b.length &&
        a.every((span, i) => {
            const other = b[i];
            return (
                other !== undefined &&
                span.n === other.n &&
                span.start === other.start &&
                span.end === other.end
            );
        })
    );
}
