// An incremental Server-Sent Events decoder (the WHATWG event-stream grammar, minus reconnection).
// Bytes arrive in arbitrary chunks: a chunk may end inside a multi-byte UTF-8 character, between the
// `\r` and `\n` of a CRLF, or in the middle of a field. One streaming TextDecoder keeps partial
// characters; the decoder keeps only the unfinished line between chunks.

/** One dispatched event: its `event:` name ('' when none was given) and its joined `data:` lines. */
export interface SseEvent {
    event: string;
    data: string;
    /** The last `id:` seen on the stream, if any (kept for completeness; Cohere sends none). */
    id: string | undefined;
}

export type SseListener = (event: SseEvent) => void;

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Decodes an event stream chunk by chunk, calling `listener` once per complete event.
 * Line ends may be CRLF, LF or CR; comment lines (`:`) are skipped; several `data:` lines of one event
 * are joined with `\n`; an event without any `data:` line is not dispatched (as the spec says).
 */
export class SseDecoder {
    private readonly decoder = new TextDecoder('utf-8');
    private readonly listener: SseListener;
    /** The unfinished last line of the text decoded so far. */
    private partial = '';
    /** The previous text ended with `\r`, so a `\n` at the start of the next one belongs to it. */
    private skipLeadingLf = false;
    private eventName = '';
    private data = '';
    private hasData = false;
    private lastId: string | undefined;
    private ended = false;

    constructor(listener: SseListener) {
        this.listener = listener;
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
        if (this.partial.length > 0) {
            const line = this.partial;
            this.partial = '';
            this.processLine(line);
        }
    }

    private pushText(input: string): void {
        let text = input;
        if (this.skipLeadingLf) {
            this.skipLeadingLf = false;
            if (text.charCodeAt(0) === LF) text = text.slice(1);
        }
        if (this.partial.length > 0) {
            text = this.partial + text;
            this.partial = '';
        }
        // The common case (LF only) uses indexOf, which is much faster than a character loop.
        if (text.indexOf('\r') === -1) this.splitOnLf(text);
        else this.splitOnAnyLineEnd(text);
    }

    private splitOnLf(text: string): void {
        let start = 0;
        let newline = text.indexOf('\n');
        while (newline !== -1) {
            this.processLine(newline === start ? '' : text.slice(start, newline));
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        if (start < text.length) this.partial = start === 0 ? text : text.slice(start);
    }

    private splitOnAnyLineEnd(text: string): void {
        const length = text.length;
        let start = 0;
        for (let i = 0; i < length; i++) {
            const code = text.charCodeAt(i);
            if (code !== LF && code !== CR) continue;
            this.processLine(text.slice(start, i));
            if (code === CR) {
                if (i + 1 < length) {
                    if (text.charCodeAt(i + 1) === LF) i++;
                } else {
                    this.skipLeadingLf = true;
                }
            }
            start = i + 1;
        }
        if (start < length) this.partial = text.slice(start);
    }

    private processLine(line: string): void {
        if (line.length === 0) {
            this.dispatch();
            return;
        }
        const colon = line.indexOf(':');
        if (colon === 0) return; // a comment
        let field: string;
        let value: string;
        if (colon === -1) {
            field = line;
            value = '';
        } else {
            field = line.slice(0, colon);
            const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
            value = line.slice(valueStart);
        }
        switch (field) {
            case 'data':
                if (this.hasData) this.data += '\n' + value;
                else {
                    this.data = value;
                    this.hasData = true;
                }
                break;
            case 'event':
                this.eventName = value;
                break;
            case 'id':
                if (!value.includes('\0')) this.lastId = value;
                break;
            default:
                // `retry:` and unknown fields mean nothing to a one-shot request.
                break;
        }
    }

    private dispatch(): void {
        if (!this.hasData) {
            this.eventName = '';
            return;
        }
        const event: SseEvent = { event: this.eventName, data: this.data, id: this.lastId };
        this.eventName = '';
        this.data = '';
        this.hasData = false;
        this.listener(event);
    }
}

/** True for the exact terminator `[DONE]` (surrounding whitespace allowed); content that merely contains it is not. */
export function isDoneMarker(data: string): boolean {
    return data === '[DONE]' || (data.length < 16 && data.trim() === '[DONE]');
}
