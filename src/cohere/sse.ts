// An incremental Server-Sent Events decoder (the WHATWG event-stream grammar, minus reconnection).
// Bytes arrive in arbitrary chunks: a chunk may end inside a multi-byte UTF-8 character, between the
// `\r` and `\n` of a CRLF, or in the middle of a field. One streaming TextDecoder keeps partial
// characters; the decoder keeps only the unfinished line between chunks, as the pieces it arrived in,
// and searches only new text for a line end: a line that arrives in many chunks costs time in
// proportion to its length (joining the pieces once), never to its square. Lines are read in place by
// offsets, so the only strings made per line are the field values themselves.

/** Called once per complete event with its joined `data:` lines and its `event:` name ('' when none). */
export type SseListener = (data: string, event: string) => void;

/**
 * The longest line, and the most `data:` an event may carry, in characters: 16 Mi. Generous: a real
 * event is a few hundred bytes, the largest (a citation whose sources repeat a large document) tens
 * of KB; the Python SDK stops at 1 MiB per line. The cap keeps a broken or hostile server from
 * filling the extension host's memory with one endless line.
 */
export const MAX_SSE_LINE_CHARS = 16 * 1024 * 1024;
export const MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

/** A line or an event went past its cap; the stream cannot be read further. */
export class SseSizeError extends Error {
    override readonly name = 'SseSizeError';
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;

/**
 * Decodes an event stream chunk by chunk, calling `listener` once per complete event.
 * Line ends may be CRLF, LF or CR; comment lines (`:`) are skipped; several `data:` lines of one event
 * are joined with `\n`; an event without any `data:` line is not dispatched (as the spec says).
 */
export class SseDecoder {
    private readonly decoder = new TextDecoder('utf-8');
    private readonly listener: SseListener;
    /** The unfinished last line of the text decoded so far, as the pieces it arrived in. */
    private partial: string[] = [];
    private partialLength = 0;
    /** The previous text ended with `\r`, so a `\n` at the start of the next one belongs to it. */
    private skipLeadingLf = false;
    private eventName = '';
    private previousName = '';
    private data = '';
    private hasData = false;
    private ended = false;
    /** The last `id:` field seen (Cohere sends none; kept because the grammar has it). */
    lastEventId: string | undefined;

    /** Whether `event:` names are read; a caller that dispatches on the JSON `type` can skip them. */
    private readonly keepNames: boolean;

    private readonly maxLine: number;
    private readonly maxEvent: number;

    constructor(
        listener: SseListener,
        options: { eventNames?: boolean; maxLineChars?: number; maxEventChars?: number } = {},
    ) {
        this.listener = listener;
        this.keepNames = options.eventNames ?? true;
        this.maxLine = options.maxLineChars ?? MAX_SSE_LINE_CHARS;
        this.maxEvent = options.maxEventChars ?? MAX_SSE_EVENT_CHARS;
    }

    /** Feeds the next chunk of bytes. */
    push(chunk: Uint8Array): void {
        if (this.ended) return;
        const text = this.decoder.decode(chunk, { stream: true });
        if (text.length > 0) this.pushText(text);
    }

    /**
     * Ends the stream: flushes the decoder and treats an unterminated last line as a line. An event
     * not followed by a blank line is dropped, as the spec says for an interrupted stream.
     */
    end(): void {
        if (this.ended) return;
        const rest = this.decoder.decode();
        if (rest.length > 0) this.pushText(rest);
        this.ended = true;
        const line = this.takePartial();
        if (line.length > 0) this.processLine(line, 0, line.length);
    }

    private pushText(input: string): void {
        let text = input;
        if (this.skipLeadingLf) {
            this.skipLeadingLf = false;
            if (text.charCodeAt(0) === LF) text = text.slice(1);
        }
        if (text.length === 0) return;
        if (this.partialLength > 0) {
            // Only the new text is searched: while the line goes on, its pieces are just kept.
            if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) {
                this.keepPartial(text);
                return;
            }
            text = this.takePartial() + text;
        }
        // The common case (LF only) uses indexOf, which is much faster than a character loop.
        if (text.indexOf('\r') === -1) this.splitOnLf(text);
        else this.splitOnAnyLineEnd(text);
    }

    private keepPartial(piece: string): void {
        this.partialLength += piece.length;
        if (this.partialLength > this.maxLine) {
            this.partial = [];
            this.partialLength = 0;
            throw new SseSizeError(`A line of the event stream is longer than ${this.maxLine} characters.`);
        }
        this.partial.push(piece);
    }

    private takePartial(): string {
        const line = this.partial.length === 1 ? (this.partial[0] as string) : this.partial.join('');
        this.partial = [];
        this.partialLength = 0;
        return line;
    }

    private splitOnLf(text: string): void {
        let start = 0;
        let newline = text.indexOf('\n');
        while (newline !== -1) {
            this.processLine(text, start, newline);
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        if (start < text.length) this.keepPartial(start === 0 ? text : text.slice(start));
    }

    private splitOnAnyLineEnd(text: string): void {
        const length = text.length;
        let start = 0;
        for (let i = 0; i < length; i++) {
            const code = text.charCodeAt(i);
            if (code !== LF && code !== CR) continue;
            this.processLine(text, start, i);
            if (code === CR) {
                if (i + 1 < length) {
                    if (text.charCodeAt(i + 1) === LF) i++;
                } else {
                    this.skipLeadingLf = true;
                }
            }
            start = i + 1;
        }
        if (start < length) this.keepPartial(text.slice(start));
    }

    /** Handles the line `text[start, end)`. */
    private processLine(text: string, start: number, end: number): void {
        if (end - start > this.maxLine) {
            throw new SseSizeError(`A line of the event stream is longer than ${this.maxLine} characters.`);
        }
        if (start === end) {
            this.dispatch();
            return;
        }
        const first = text.charCodeAt(start);
        if (first === COLON) return; // a comment
        // Cohere's lines are `event: ...` and `data: ...`: recognise them without slicing the field name.
        if (first === 100 /* d */) {
            if (text.charCodeAt(start + 4) === COLON && text.startsWith('data', start)) {
                const valueStart = text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
                this.appendData(text.slice(valueStart, end));
            } else if (start + 4 === end && text.startsWith('data', start)) {
                this.appendData('');
            }
            return;
        }
        if (first === 101 /* e */ && this.keepNames && fieldIs(text, start, end, 'event')) {
            this.eventName = this.nameOf(text, start + 5, end);
            return;
        }
        if (first === 105 /* i */ && fieldIs(text, start, end, 'id')) {
            const id = valueOf(text, start + 2, end);
            if (!id.includes('\0')) this.lastEventId = id;
        }
        // `retry:` and unknown fields mean nothing to a one-shot request.
    }

    /** The event name, reusing the previous one when it is the same (most are), to save an allocation. */
    private nameOf(text: string, nameEnd: number, end: number): string {
        const previous = this.previousName;
        const valueStart = nameEnd + (text.charCodeAt(nameEnd + 1) === SPACE ? 2 : 1);
        if (end - valueStart === previous.length && text.startsWith(previous, valueStart)) return previous;
        this.previousName = valueOf(text, nameEnd, end);
        return this.previousName;
    }

    private appendData(value: string): void {
        if (this.data.length + value.length >= this.maxEvent) {
            throw new SseSizeError(`An event of the stream carries more than ${this.maxEvent} characters.`);
        }
        if (this.hasData) this.data += '\n' + value;
        else {
            this.data = value;
            this.hasData = true;
        }
    }

    private dispatch(): void {
        const name = this.eventName;
        this.eventName = '';
        if (!this.hasData) return;
        const data = this.data;
        this.data = '';
        this.hasData = false;
        this.listener(data, name);
    }
}

/** Whether the line `text[start, end)` is the field `name`: the name, then a colon or the line's end. */
function fieldIs(text: string, start: number, end: number, name: string): boolean {
    const after = start + name.length;
    if (after > end || !text.startsWith(name, start)) return false;
    return after === end || text.charCodeAt(after) === COLON;
}

/** The value after a field name ending at `nameEnd`: skip the colon and one space, if present. */
function valueOf(text: string, nameEnd: number, end: number): string {
    if (nameEnd >= end) return '';
    let valueStart = nameEnd + 1; // the colon
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    return text.slice(valueStart, end);
}

/** True for the exact terminator `[DONE]` (surrounding whitespace allowed); content that merely contains it is not. */
export function isDoneMarker(data: string): boolean {
    return data === '[DONE]' || (data.length < 16 && data.trim() === '[DONE]');
}
