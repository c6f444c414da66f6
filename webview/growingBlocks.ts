// The open block of a streamed reply, grown in place. Before the next blank line, a table or a list is one
// block, and rendering it whole at every frame makes its cost grow with its length. A table's rows and a
// list's items render independently of one another (given the table's header, or the list's marker and
// looseness), so only the units that changed since the last frame are rendered — the header or a dummy
// item stands in for the rest — and their nodes replace the open units in the live element. The result is
// node for node what rendering the whole text gives; whenever that cannot be promised (the block ends, a
// list turns loose, a citation crosses into the open part), `extend` says no and the block is rendered whole.
import type { CitationSpan } from './citations';
import { GrowingTableText } from './growingTableText';
import { MAX_TABLE_CELLS } from './tableCap';

/**
 * Renders `prefix` (markdown that only sets the context, no citations) followed by `text`, the markdown
 * source at offset `base` of the content block, with the citation spans drawn on it.
 */
export type RenderRange = (
    prefix: string,
    text: string,
    base: number,
    spans: readonly CitationSpan[],
) => DocumentFragment;

/** A table or list that grows by rows or items. */
export interface GrowingBlock {
    /**
     * Brings the element up to `text` (which extends the text of the last call) by rendering only its open
     * units. False when the block must be rendered whole instead; the growing block is then spent.
     */
    extend(text: string, base: number, spans: readonly CitationSpan[]): boolean;
    /** The element differs from a whole render while it grows: render it whole when the text is final. */
    readonly finalRender: boolean;
}

const ITEM_START = /^(?:([-+*])|\d{1,9}([.)]))(?:[ \t]|$)/;

/**
 * After `element` was rendered whole from `text`: the block that can grow from here, when it is one table
 * or one list that starts the text; undefined otherwise.
 */
export function startGrowingBlock(
    element: HTMLElement,
    text: string,
    render: RenderRange,
): GrowingBlock | undefined {
    const only = onlyElement(element);
    if (only instanceof HTMLTableElement) return GrowingTable.start(only, text, render);
    if (only instanceof HTMLUListElement || only instanceof HTMLOListElement)
        return GrowingList.start(only, text, render);
    if (only !== undefined) return GrowingTableText.start(only, text);
    return undefined;
}

/** The one element child of `parent` when every other child is white space. */
function onlyElement(parent: ParentNode): Element | undefined {
    let found: Element | undefined;
    for (const node of Array.from(parent.childNodes)) {
        if (node instanceof Element) {
            if (found !== undefined) return undefined;
            found = node;
        } else if (node.textContent?.trim() !== '') return undefined;
    }
    return found;
}

/** Offset just after the last line break of `text` (where its last, possibly incomplete, line starts). */
function lastLineStart(text: string): number {
    return text.lastIndexOf('\n') + 1;
}

/** Whether a span crosses `offset` (starts before it and ends after): such a span cannot be split there. */
function crosses(spans: readonly CitationSpan[], offset: number): boolean {
    return spans.some((span) => span.start < offset && span.end > offset);
}

/** The first child of `fragment` when it is an element (white space before it aside). */
function firstElement(fragment: ParentNode): Element | undefined {
    for (const node of Array.from(fragment.childNodes)) {
        if (node instanceof Element) return node;
        if (node.textContent?.trim() !== '') return undefined;
    }
    return undefined;
}

/**
 * Replaces what follows `live` in its parent by what follows `rendered` in its fragment: the last,
 * incomplete line may end the block for now (a "1" that will become "13." reads as a paragraph).
 */
function replaceFollowing(live: Element, rendered: Element): boolean {
    let ended = false;
    for (let node = rendered.nextSibling; node !== null; node = node.nextSibling)
        if (node.textContent?.trim() !== '' || node instanceof Element) ended = true;
    while (live.nextSibling !== null) live.nextSibling.remove();
    const following: Node[] = [];
    for (let node = rendered.nextSibling; node !== null; node = node.nextSibling) following.push(node);
    live.after(...following);
    return ended;
}

/** Replaces the children of `live` from index `kept` on by those of `rendered` from index `from` on. */
function replaceTail(live: Element, kept: number, rendered: Element, from: number): void {
    while (live.childNodes.length > kept) live.lastChild?.remove();
    live.append(...Array.from(rendered.childNodes).slice(from));
}

class GrowingTable implements GrowingBlock {
    readonly finalRender = false;

    private constructor(
        private table: HTMLTableElement,
        /** Where the rows start: after the header and delimiter lines. */
        private readonly headerEnd: number,
        /** Start of the first row still open (the last line). */
        private frozenEnd: number,
        private frozenRows: number,
        /** Cells a row has (the header's): past MAX_TABLE_CELLS the table renders whole, as text. */
        private readonly columns: number,
        private readonly render: RenderRange,
    ) {}

    static start(table: HTMLTableElement, text: string, render: RenderRange): GrowingTable | undefined {
        const first = text.indexOf('\n');
        const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        if (second < 0) return undefined;
        const headerEnd = second + 1;
        const frozenEnd = Math.max(headerEnd, lastLineStart(text));
        const rows = text.slice(headerEnd, frozenEnd).split('\n').slice(0, -1);
        if (rows.some((row) => row.trim() === '')) return undefined;
        const body = table.tBodies[0];
        const shown = body?.rows.length ?? 0;
        const open = text.length > frozenEnd ? 1 : 0;
        if (shown !== rows.length + open || table.tHead === null) return undefined;
        const columns = Math.max(1, table.tHead.rows[0]?.cells.length ?? 1);
        if ((1 + rows.length + open) * columns > MAX_TABLE_CELLS) return undefined;
        return new GrowingTable(table, headerEnd, frozenEnd, rows.length, columns, render);
    }

    extend(text: string, base: number, spans: readonly CitationSpan[]): boolean {
        const region = text.slice(this.frozenEnd);
        const lines = region.split('\n');
        const complete = lines.slice(0, -1);
        if (complete.some((line) => line.trim() === '')) return false;
        if ((1 + this.frozenRows + lines.length) * this.columns > MAX_TABLE_CELLS) return false;
        if (crosses(spans, base + this.frozenEnd)) return false;
        const chunk = this.render(text.slice(0, this.headerEnd), region, base + this.frozenEnd, spans);
        const table = firstElement(chunk);
        if (!(table instanceof HTMLTableElement)) return false;
        // While something follows the table, nothing new is final: the open lines stay open.
        const ended = replaceFollowing(this.table, table);
        const body = table.tBodies[0];
        const live = this.table.tBodies[0];
        if (live === undefined || this.frozenRows === 0) {
            // Nothing but the header is final: the small table rendered stands in for the live one.
            this.table.replaceWith(table);
            this.table = table;
        } else if (body !== undefined) {
            // The tbody's children are "\n", then a row and a "\n" for each row.
            replaceTail(live, 1 + 2 * this.frozenRows, body, 1);
        } else return false;
        if (ended) return true;
        this.frozenRows += complete.length;
        this.frozenEnd += region.length - (lines[lines.length - 1]?.length ?? 0);
        return true;
    }
}

class GrowingList implements GrowingBlock {
    readonly finalRender = false;

    private constructor(
        private readonly list: HTMLUListElement | HTMLOListElement,
        /** The list's marker: the bullet, or an ordered list's delimiter after a number. */
        private readonly marker: { readonly bullet: string } | { readonly delimiter: string },
        private readonly loose: boolean,
        /** Start of the first item still open (the last one). */
        private frozenEnd: number,
        private frozenItems: number,
        private readonly render: RenderRange,
    ) {}

    static start(
        list: HTMLUListElement | HTMLOListElement,
        text: string,
        render: RenderRange,
    ): GrowingList | undefined {
        const first = ITEM_START.exec(text);
        if (first === null) return undefined;
        const marker = first[1] !== undefined ? { bullet: first[1] } : { delimiter: first[2] ?? '.' };
        const starts = itemStarts(text, 0, marker);
        const items = Array.from(list.children).filter((child) => child.tagName === 'LI');
        if (items.length !== starts.length || items.length !== list.children.length) return undefined;
        const loose = items.some((item) => Array.from(item.children).some((child) => child.tagName === 'P'));
        // A tight list with a blank line inside may turn loose with the next line: render it whole.
        if (!loose && /\n[ \t]*\n[ \t]*\S/.test(text)) return undefined;
        const last = starts[starts.length - 1] ?? 0;
        return new GrowingList(list, marker, loose, last, starts.length - 1, render);
    }

    extend(text: string, base: number, spans: readonly CitationSpan[]): boolean {
        const region = text.slice(this.frozenEnd);
        if (!this.loose && /\n[ \t]*\n[ \t]*\S/.test(region)) return false;
        if (crosses(spans, base + this.frozenEnd)) return false;
        // In a loose list every item is loose: a dummy item and a blank line before the open ones say so.
        const dummy = this.loose
            ? `${'bullet' in this.marker ? this.marker.bullet : `1${this.marker.delimiter}`} x\n\n`
            : '';
        const chunk = this.render(dummy, region, base + this.frozenEnd, spans);
        const list = firstElement(chunk);
        if (list === undefined || list.tagName !== this.list.tagName) return false;
        const ended = replaceFollowing(this.list, list);
        // The list's children are "\n", then an item and a "\n" for each item.
        replaceTail(this.list, 1 + 2 * this.frozenItems, list, this.loose ? 3 : 1);
        if (ended) return true;
        const starts = itemStarts(region, 0, this.marker);
        const last = starts[starts.length - 1] ?? 0;
        this.frozenItems += starts.length - 1;
        this.frozenEnd += last;
        return true;
    }
}

/** Offsets in `text` from `from` of the lines that start an item of the list with `marker`, at column 0. */
function itemStarts(
    text: string,
    from: number,
    marker: { readonly bullet: string } | { readonly delimiter: string },
): number[] {
    const starts: number[] = [];
    for (let lineStart = from; lineStart <= text.length;) {
        const match = ITEM_START.exec(text.slice(lineStart, lineStart + 12));
        const same =
            match !== null &&
            ('bullet' in marker ? match[1] === marker.bullet : match[2] === marker.delimiter);
        if (same) starts.push(lineStart);
        const newline = text.indexOf('\n', lineStart);
        if (newline < 0) break;
        lineStart = newline + 1;
    }
    return starts;
}
