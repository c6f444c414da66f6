// From a citation back to file lines. A chunk covers many lines; where the cited words can be found
// inside the chunk, only their lines are selected. When the file changed since it was sent, the
// chunk's text is looked for in the file as it is now (the best match), else the recorded range is used.
import type { Attachment } from '../chat/model';
import { splitLines } from './chunk';

export interface LineRange {
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
}

/** The lines of `attachment` that hold `citedText`, or the whole recorded range when it is not found. */
export function citedLines(attachment: Attachment, citedText: string | undefined): LineRange | undefined {
    if (attachment.startLine === undefined) return undefined;
    const whole = { startLine: attachment.startLine, endLine: attachment.endLine ?? attachment.startLine };
    const found = citedText === undefined ? undefined : findInText(attachment.text, citedText);
    if (found === undefined) return whole;
    return { startLine: whole.startLine + found.startLine - 1, endLine: whole.startLine + found.endLine - 1 };
}

/** Where `needle` is in `text` (1-based lines), trying it whole, trimmed of markup, then its longest line. */
export function findInText(text: string, needle: string): LineRange | undefined {
    const candidates = [needle, needle.replace(/[`*_]/g, '').trim()];
    const longestLine = needle
        .split('\n')
        .map((line) => line.trim())
        .sort((a, b) => b.length - a.length)[0];
    if (longestLine !== undefined && longestLine.length >= 4) candidates.push(longestLine);
    for (const candidate of candidates) {
        if (candidate.length < 2) continue;
        let at = text.indexOf(candidate);
        if (at < 0) {
            // Case differs often between prose and code (`Parse headers` vs `parseHeaders`).
            at = text.toLowerCase().indexOf(candidate.toLowerCase());
        }
        if (at < 0) continue;
        const startLine = lineAt(text, at);
        return { startLine, endLine: lineAt(text, at + candidate.length - 1) };
    }
    return undefined;
}

function lineAt(text: string, offset: number): number {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
}

export type Located =
    | { kind: 'unchanged'; range: LineRange }
    | { kind: 'moved'; range: LineRange }
    | { kind: 'changed'; range: LineRange };

/**
 * Where the attachment's lines are in the file as it is now: unchanged (the recorded lines still hold
 * the same text), moved (the same text is elsewhere: that range), or changed (the text is gone: the
 * recorded range, clamped to the file).
 */
export function locateNow(attachment: Attachment, currentText: string): Located | undefined {
    if (attachment.startLine === undefined) return undefined;
    const recorded = { startLine: attachment.startLine, endLine: attachment.endLine ?? attachment.startLine };
    const lines = splitLines(currentText);
    const there = lines.slice(recorded.startLine - 1, recorded.endLine).join('\n');
    if (there === attachment.text || there.trimEnd() === attachment.text.trimEnd()) {
        return { kind: 'unchanged', range: recorded };
    }
    const whole = attachment.text.trimEnd();
    const at = whole === '' ? -1 : currentText.indexOf(whole);
    const found =
        at < 0
            ? undefined
            : { startLine: lineAt(currentText, at), endLine: lineAt(currentText, at + whole.length - 1) };
    if (found !== undefined) return { kind: 'moved', range: found };
    // The best match: the region around the longest line of the chunk that is still in the file.
    const anchor = attachment.text
        .split('\n')
        .map((line, index) => ({ line: line.trim(), index }))
        .filter((entry) => entry.line.length >= 8)
        .sort((a, b) => b.line.length - a.line.length)
        .find((entry) => lines.some((line) => line.trim() === entry.line));
    if (anchor !== undefined) {
        const at = lines.findIndex((line) => line.trim() === anchor.line);
        const startLine = Math.max(1, at + 1 - anchor.index);
        const length = recorded.endLine - recorded.startLine;
        return { kind: 'moved', range: { startLine, endLine: Math.min(lines.length, startLine + length) } };
    }
    const last = Math.max(1, lines.length);
    const startLine = Math.min(recorded.startLine, last);
    return {
        kind: 'changed',
        range: { startLine, endLine: Math.min(Math.max(recorded.endLine, startLine), last) },
    };
}

/** Narrows a located range to the cited text when the file still holds it there. */
export function narrowIn(currentText: string, range: LineRange, citedText: string | undefined): LineRange {
    if (citedText === undefined) return range;
    const lines = splitLines(currentText);
    const region = lines.slice(range.startLine - 1, range.endLine).join('\n');
    const found = findInText(region, citedText);
    if (found === undefined) return range;
    return { startLine: range.startLine + found.startLine - 1, endLine: range.startLine + found.endLine - 1 };
}
