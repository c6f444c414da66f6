// Where markdown source can be cut into independently rendered top-level blocks. Cutting lets a streaming
// reply re-render only its open tail: everything before the last cut is final and keeps its DOM.
// The rule is conservative — a cut that is not certain is not made, which costs speed, never correctness.

const FENCE = /^[ \t]*(`{3,}|~{3,})(.*)$/;
// After a blank line, these still belong to the block before (a loose list, a quote, an indented part).
const CONTINUATION = /^(?:[ \t]|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)/;
const DECIDED_NEW_BLOCK = /^[^\s\-+*\d>`~]/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:/m;

/**
 * Offsets (> `from`) in `source` where a new top-level block starts: the first line after a blank line,
 * outside any code fence, that cannot continue the block before. `from` must itself be such an offset
 * (or 0). Only complete lines are looked at, because the last line may still grow.
 */
export function findBlockBoundaries(source: string, from: number): number[] {
    const scanner = new BlockScanner(from);
    return scanner.scan(source);
}

/**
 * `findBlockBoundaries` over a text that only grows: each `scan` looks at the lines completed since the
 * last one, so a long open block is not scanned again from its start at every flush.
 */
export class BlockScanner {
    private fence: { char: string; length: number } | undefined;
    private afterBlank = false;
    private lineStart: number;

    constructor(private readonly from = 0) {
        this.lineStart = from;
    }

    /** The boundaries in `source` (which extends the text of the last scan) that were not reported yet. */
    scan(source: string): number[] {
        const boundaries: number[] = [];
        const from = this.from;
        for (;;) {
            const newline = source.indexOf('\n', this.lineStart);
            if (newline < 0) break;
            const lineStart = this.lineStart;
            const line = source.slice(lineStart, newline);
            if (this.fence !== undefined) {
                if (closesFence(line, this.fence)) this.fence = undefined;
                this.afterBlank = false;
            } else if (line.trim() === '') {
                this.afterBlank = true;
            } else {
                if (this.afterBlank && lineStart > from && !CONTINUATION.test(line)) {
                    if (boundaries[boundaries.length - 1] !== lineStart && lineStart !== this.reported)
                        boundaries.push(lineStart);
                }
                const open = FENCE.exec(line);
                // A backtick fence's info string cannot hold a backtick (that line is inline code instead).
                if (open?.[1] !== undefined && !(open[1][0] === '`' && open[2]?.includes('`'))) {
                    this.fence = { char: open[1][0] ?? '`', length: open[1].length };
                }
                this.afterBlank = false;
            }
            this.lineStart = newline + 1;
        }
        // The last line may still grow, but its first character can already rule out a continuation or a fence.
        const lineStart = this.lineStart;
        if (
            this.fence === undefined &&
            this.afterBlank &&
            lineStart > from &&
            lineStart !== this.reported &&
            DECIDED_NEW_BLOCK.test(source.slice(lineStart, lineStart + 1))
        ) {
            boundaries.push(lineStart);
        }
        const last = boundaries[boundaries.length - 1];
        if (last !== undefined) this.reported = last;
        return boundaries;
    }

    /** The last boundary reported: never reported twice (a decided last line is reported before it completes). */
    private reported = -1;

    /** The text was cut at `offset` (a reported boundary): later offsets count from there. */
    rebase(offset: number): void {
        this.lineStart -= offset;
        this.reported -= offset;
    }
}

/** A code fence's character and length. */
export interface Fence {
    readonly char: string;
    readonly length: number;
}

/** Whether `line` (without its line break) closes `fence`. */
export function closesFence(line: string, fence: Fence): boolean {
    const close = FENCE.exec(line);
    return (
        close?.[1] !== undefined &&
        close[1][0] === fence.char &&
        close[1].length >= fence.length &&
        close[2]?.trim() === ''
    );
}

/**
 * The fence `source` opens with, at column 0 and with its opening line complete; undefined when `source`
 * does not start with one. `bodyStart` is where the fenced code starts.
 */
export function leadingFence(source: string): (Fence & { bodyStart: number }) | undefined {
    const newline = source.indexOf('\n');
    if (newline < 0) return undefined;
    const open = /^(`{3,}|~{3,})(.*)$/.exec(source.slice(0, newline));
    if (open?.[1] === undefined || (open[1][0] === '`' && open[2]?.includes('`'))) return undefined;
    return { char: open[1][0] ?? '`', length: open[1].length, bodyStart: newline + 1 };
}

/** Whether `source` defines reference links, which only resolve when the whole text is rendered at once. */
export function hasReferenceDefinitions(source: string): boolean {
    return REFERENCE_DEFINITION.test(source);
}
