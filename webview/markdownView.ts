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
    /** What the segment was last rendered from; an equal key means nothing to do. */
    key: string;
}

/** A live view of markdown text that grows by deltas and gains citations over time. */
export class MarkdownView {
    readonly element: HTMLElement;
    // The finished blocks' text and the open tail's, kept apart so a delta never copies the whole text.
    private sealedText = '';
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
        this.dirty = true;
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
        if (!this.whole && hasReferenceDefinitions(this.tail.text)) {
            const text = this.text;
            this.reset();
            this.tail.text = text;
            this.whole = true;
        }
        if (!this.whole) this.sealFinishedBlocks();
        if (this.spansChanged) {
            this.spansChanged = false;
            for (const segment of this.segments) this.renderSegment(segment);
        }
        this.renderSegment(this.tail);
    }

    private reset(): void {
        this.sealedText = '';
        this.segments.length = 0;
        this.element.replaceChildren();
        this.tail = this.newTail(0);
        this.whole = false;
    }

    private sealFinishedBlocks(): void {
        const text = this.tail.text;
        let from = 0;
        for (const boundary of findBlockBoundaries(text, 0)) {
            // The tail's element becomes the finished block's; a new element takes the rest.
            const sealed: Segment = { ...this.tail, text: text.slice(from, boundary), key: '' };
            this.renderSegment(sealed);
            this.segments.push(sealed);
            this.sealedText += sealed.text;
            this.tail = this.newTail(sealed.start + sealed.text.length);
            from = boundary;
        }
        if (from > 0) this.tail.text = text.slice(from);
    }

    private newTail(start: number): Segment {
        const element = document.createElement('div');
        element.className = 'md-block';
        this.element.append(element);
        return { start, element, text: '', key: '' };
    }

    private renderSegment(segment: Segment): void {
        const end = segment.start + segment.text.length;
        const overlapping = this.spans.filter((span) => span.start < end && span.end > segment.start);
        const key = `${segment.text.length}|${JSON.stringify(overlapping)}`;
        if (key === segment.key) return;
        segment.key = key;
        const text = insertSentinels(segment.text, segment.start, overlapping);
        const fragment = renderMarkdown(text);
        drawCitations(fragment);
        stripTextSentinels(fragment);
        decorateCodeBlocks(fragment);
        segment.element.replaceChildren(fragment);
    }
}
