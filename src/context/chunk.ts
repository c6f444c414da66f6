// Cutting a file into chunks along line boundaries. A chunk ends, where it can, just before a blank
// line or a top-level declaration, so a function or a paragraph tends to stay whole; each chunk
// records its 1-based, inclusive line range so a citation can lead back to it.

export interface LineChunk {
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
    text: string;
}

export interface ChunkOptions {
    /** A chunk is cut before this many lines (default 80). */
    maxLines?: number;
    /** ...or this many characters (default 4000), whichever comes first. */
    maxChars?: number;
    /** A natural cut is looked for only once a chunk has this many lines (default 20). */
    minLines?: number;
}

/** A line that starts a top-level declaration in the common languages (no indentation). */
const TOP_LEVEL =
    /^(export\s|default\s|async\s|function\s|class\s|interface\s|type\s|enum\s|const\s|let\s|var\s|def\s|fn\s|pub\s|impl\s|struct\s|func\s|package\s|module\s|namespace\s|public\s|private\s|protected\s|static\s|abstract\s|@\w|#\s|##)/;

/** How good a cut before line `index` is: 2 top-level declaration, 1 after a blank line, 0 none. */
function cutQuality(lines: readonly string[], index: number): number {
    const line = lines[index] ?? '';
    const previous = lines[index - 1] ?? '';
    if (TOP_LEVEL.test(line) && (previous.trim() === '' || /^[}\])]/.test(previous))) return 2;
    if (previous.trim() === '' && line.trim() !== '') return 1;
    return 0;
}

/** The lines of a text, without their line breaks (`\r\n` or `\n`). */
export function splitLines(text: string): string[] {
    const lines = text.split(/\r?\n/);
    // A final line break does not start another line.
    if (lines.length > 1 && lines.at(-1) === '') lines.pop();
    return lines;
}

/** Cuts `text` into chunks; a text that fits is one chunk. An empty text gives none. */
export function chunkText(text: string, options: ChunkOptions = {}): LineChunk[] {
    if (text === '') return [];
    const maxLines = options.maxLines ?? 80;
    const maxChars = options.maxChars ?? 4000;
    const minLines = Math.min(options.minLines ?? 20, maxLines);
    const lines = splitLines(text);
    const chunks: LineChunk[] = [];
    let start = 0;
    while (start < lines.length) {
        // The furthest end that stays within both limits (at least one line, however long).
        let end = start;
        let chars = 0;
        while (end < lines.length && end - start < maxLines) {
            const length = (lines[end] ?? '').length + 1;
            if (end > start && chars + length > maxChars) break;
            chars += length;
            end++;
        }
        if (end < lines.length) {
            // Walk back to the best cut, no earlier than minLines into the chunk.
            let best = end;
            let bestQuality = cutQuality(lines, end);
            for (let cut = end - 1; cut >= start + minLines && bestQuality < 2; cut--) {
                const quality = cutQuality(lines, cut);
                if (quality > bestQuality) {
                    best = cut;
                    bestQuality = quality;
                }
            }
            end = best;
        }
        chunks.push({ startLine: start + 1, endLine: end, text: lines.slice(start, end).join('\n') });
        start = end;
    }
    return chunks;
}
