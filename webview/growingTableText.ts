// The open block of a streamed reply when it is a table past the cap, shown as its text (tableCap.ts).
// Rendered whole at every frame, its cost grew with its length: a 3,000-row table streamed in a few
// hundred flushes rendered 3,000 rows hundreds of times. Its rows are text now, so the complete lines that
// arrived since the last frame are appended to the code element (codeBlocks.ts); the last, incomplete
// line is held back until it is complete. While it grows, the element reads as a whole render does, but
// for the held-back line and the chunks the code is appended in, so the block is rendered whole once when
// it is sealed or the reply ends (`finalRender`). Whenever the text might not be one capped table any more
// (a line that does not start a row, a citation, a row the parser would end the table at), `extend` says
// no and the block is rendered whole.
import type { CitationSpan } from './citations';
import { dropCodeTail, extendCodeBlock } from './codeBlocks';
import type { GrowingBlock } from './growingBlocks';

// markdown-it's table rule (rules_block/table) stops a table once rows short of cells add up to this.
const MAX_AUTOCOMPLETED_CELLS = 65_536;

// A line that starts with a pipe is a row: no rule that can end a table (fence, quote, rule, list,
// HTML, heading) starts with one. Indented by four or more spaces it would end the table.
const ROW_START = /^ {0,3}\|/;

/** Cells of a table line as markdown-it counts them; undefined when the line has an escape (not counted here). */
function cellCount(line: string): number | undefined {
    if (line.includes('\\')) return undefined;
    const cells = line.trim().split('|');
    if (cells[0] === '') cells.shift();
    if (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return cells.length;
}

/** Offset just after the last line break of `text` (where its last, possibly incomplete, line starts). */
function lastLineStart(text: string): number {
    return text.lastIndexOf('\n') + 1;
}

export class GrowingTableText implements GrowingBlock {
    readonly finalRender = true;

    private constructor(
        private readonly block: Element,
        private readonly code: Element,
        /** Cells of the header: a shorter row adds to the parser's count of autocompleted cells. */
        private readonly columns: number,
        private autocompleted: number,
        /** End of the text the code shows: after its last complete line. */
        private shownEnd: number,
        /** Characters of a held-back line the code still shows from its whole render (and its "\n"). */
        private heldBack: number,
    ) {}

    /**
     * After the tail was rendered whole from `text` into `block` (its only element): the growing block when
     * it is one table shown as its text (a code block whose code is `text`); undefined otherwise.
     */
    static start(block: Element, text: string): GrowingTableText | undefined {
        if (block.className !== 'code-block') return undefined;
        const code = block.querySelector(':scope > pre > code');
        if (code === null || code.className !== '' || code.childNodes.length !== 1) return undefined;
        const lines = text.split('\n');
        const header = lines[0] ?? '';
        const columns = cellCount(header);
        if (columns === undefined || lines.length < 3 || !/^[\s|:-]+$/.test(lines[1] ?? '')) return undefined;
        const shownEnd = lastLineStart(text);
        const expected = text.length > shownEnd ? `${text}\n` : text;
        if (code.textContent !== expected) return undefined;
        let autocompleted = 0;
        // The complete rows; the last line (incomplete, or empty) is counted once it is complete.
        for (const row of lines.slice(2, -1)) {
            const cells = cellCount(row);
            if (cells === undefined || !ROW_START.test(row)) return undefined;
            autocompleted += columns - cells;
        }
        return new GrowingTableText(
            block,
            code,
            columns,
            autocompleted,
            shownEnd,
            expected.length - shownEnd,
        );
    }

    extend(text: string, _base: number, spans: readonly CitationSpan[]): boolean {
        if (spans.length > 0) return false;
        const region = text.slice(this.shownEnd, lastLineStart(text));
        const rows = region.split('\n').slice(0, -1);
        let autocompleted = this.autocompleted;
        for (const row of rows) {
            const cells = cellCount(row);
            if (cells === undefined || !ROW_START.test(row)) return false;
            autocompleted += this.columns - cells;
            if (autocompleted > MAX_AUTOCOMPLETED_CELLS) return false;
        }
        if (this.heldBack > 0) {
            dropCodeTail(this.block, this.code, this.heldBack);
            this.heldBack = 0;
        }
        if (region !== '') extendCodeBlock(this.block, this.code, region);
        this.autocompleted = autocompleted;
        this.shownEnd += region.length;
        return true;
    }
}
