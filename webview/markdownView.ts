// One content block's markdown, rendered incrementally. The source is cut into top-level blocks (blocks.ts);
// a block before the last cut is final, so it is rendered once and keeps its DOM. Each new delta touches
// only the open tail — its text, its scan for the next cut, its render — so the cost per delta does not
// grow with the length of the reply. Citations re-render only the blocks their spans touch.
import { findBlockBoundaries, hasReferenceDefinitions } from './blocks';
import { decorateCodeBlocks } from './codeBlocks';
import { drawCitations, insertSentinels, stripTextSentinels } from './citations';
import type { CitationSpan } from './citations';
import { renderMarkdown } from './render';
import { neutralizeSentinels } from './sentinels';

interface Segment {
    /** Offset of the segment's first character in the whole text. */
    readonly start: number;
    readonly element: HTMLElement;
    text: string;
    /** The citation spans drawn on this segment (for the open tail: every span that may reach it). */
    spans: CitationSpan[];
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

    constructor(className: string) {
        this.element = document.createElement('div');
        this.element.className = className;
        this.tail = this.newTail(0, []);
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
        }
    }

    /** Renders what changed since the last flush. */
    flush(): void {
        if (!this.tailStale && this.staleSegments.size === 0) return;
        if (this.tailStale && !this.whole && hasReferenceDefinitions(this.tail.text)) {
            const text = this.text;
            this.reset();
            this.tail.text = text;
            this.whole = true;
        }
        if (this.tailStale && !this.whole) this.sealFinishedBlocks();
        for (const segment of this.staleSegments) this.renderSegment(segment);
        this.staleSegments.clear();
        if (this.tailStale) this.renderSegment(this.tail);
        this.tailStale = false;
    }

    private reset(): void {
        this.sealedText = '';
        this.segments.length = 0;
        this.staleSegments.clear();
        this.element.replaceChildren();
        this.tail = this.newTail(0, [...this.spans]);
        this.tailStale = true;
        this.whole = false;
    }

    private sealFinishedBlocks(): void {
        const text = this.tail.text;
        let from = 0;
        for (const boundary of findBlockBoundaries(text, 0)) {
            // The tail's element becomes the finished block's; a new element takes the rest.
            const start = this.tail.start;
            const end = start + boundary - from;
            const sealed: Segment = {
                start,
                element: this.tail.element,
                text: text.slice(from, boundary),
                spans: this.tail.spans.filter((span) => span.start < end && span.end > start),
            };
            this.renderSegment(sealed);
            this.segments.push(sealed);
            this.sealedText += sealed.text;
            this.tail = this.newTail(
                end,
                this.tail.spans.filter((span) => span.end > end),
            );
            from = boundary;
        }
        if (from > 0) this.tail.text = text.slice(from);
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
        const text = insertSentinels(segment.text, segment.start, segment.spans);
        const fragment = renderMarkdown(text);
        drawCitations(fragment);
        stripTextSentinels(fragment);
        decorateCodeBlocks(fragment);
        segment.element.replaceChildren(fragment);
    }
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
