// One content block's markdown, rendered incrementally. The source is cut into top-level blocks (blocks.ts);
// a block before the last cut is final, so it is rendered once and keeps its DOM. Each new delta re-renders
// only the open tail, which keeps the cost per delta independent of how long the reply already is.
// Citations re-render only the blocks their spans touch.
import { findBlockBoundaries, hasReferenceDefinitions } from './blocks';
import { decorateCodeBlocks } from './codeBlocks';
import { drawCitations, insertSentinels, stripTextSentinels } from './citations';
import type { CitationSpan } from './citations';
import { renderMarkdown } from './render';
import { neutralizeSentinels } from './sentinels';

interface Segment {
    readonly start: number;
    readonly end: number;
    readonly element: HTMLElement;
    key: string;
}

/** A live view of markdown text that grows by deltas and gains citations over time. */
export class MarkdownView {
    readonly element: HTMLElement;
    private source = '';
    private readonly segments: Segment[] = [];
    private tail: Segment;
    private spans: readonly CitationSpan[] = [];
    private spansChanged = false;
    // Reference-style links resolve only across the whole text, so such a text is rendered in one piece.
    private whole = false;
    private dirty = false;

    constructor(className: string) {
        this.element = document.createElement('div');
        this.element.className = className;
        this.tail = this.newTail(0);
    }

    /** The text so far (with look-alike sentinel characters neutralized). */
    get text(): string {
        return this.source;
    }

    /** Adds streamed text; it shows at the next `flush`. */
    append(text: string): void {
        if (text === '') return;
        this.source += neutralizeSentinels(text);
        this.dirty = true;
    }

    /** Sets the whole text; keeps the rendered blocks when the new text only extends the old. */
    setText(text: string): void {
        const clean = neutralizeSentinels(text);
        if (clean.startsWith(this.source)) {
            this.append(clean.slice(this.source.length));
            return;
        }
        this.source = clean;
        this.segments.length = 0;
        this.element.replaceChildren();
        this.tail = this.newTail(0);
        this.whole = false;
        this.dirty = true;
    }

    /** Sets the citation spans drawn on this text. */
    setCitations(spans: readonly CitationSpan[]): void {
        if (JSON.stringify(spans) === JSON.stringify(this.spans)) return;
        this.spans = spans;
        this.spansChanged = true;
        this.dirty = true;
    }

    /** Renders what changed since the last flush. */
    flush(): void {
        if (!this.dirty) return;
        this.dirty = false;
        const tailStart = this.tail.start;
        if (!this.whole && hasReferenceDefinitions(this.source.slice(tailStart))) this.renderWhole();
        if (!this.whole) this.sealFinishedBlocks();
        if (this.spansChanged) {
            this.spansChanged = false;
            for (const segment of this.segments) this.renderSegment(segment);
        }
        this.renderSegment(this.tail);
    }

    private renderWhole(): void {
        this.whole = true;
        this.segments.length = 0;
        this.element.replaceChildren();
        this.tail = this.newTail(0);
    }

    private sealFinishedBlocks(): void {
        for (const boundary of findBlockBoundaries(this.source, this.tail.start)) {
            const sealed: Segment = { ...this.tail, end: boundary, key: '' };
            this.renderSegment(sealed);
            this.segments.push(sealed);
            this.tail = this.newTail(boundary);
        }
    }

    private newTail(start: number): Segment {
        const element = document.createElement('div');
        element.className = 'md-block';
        this.element.append(element);
        return { start, end: Number.POSITIVE_INFINITY, element, key: '' };
    }

    private renderSegment(segment: Segment): void {
        const end = Math.min(segment.end, this.source.length);
        const overlapping = this.spans.filter((span) => span.start < end && span.end > segment.start);
        const key = `${end - segment.start}|${JSON.stringify(overlapping)}`;
        if (key === segment.key) return;
        segment.key = key;
        const text = insertSentinels(this.source.slice(segment.start, end), segment.start, overlapping);
        const fragment = renderMarkdown(text);
        drawCitations(fragment);
        stripTextSentinels(fragment);
        decorateCodeBlocks(fragment);
        segment.element.replaceChildren(fragment);
    }
}
