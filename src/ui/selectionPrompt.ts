// Turns an editor selection into what the chat sends: a fenced prompt ("Send Selection as Prompt") or a
// Cohere document attachment ("Ask About Selection…"). No vscode import: the callers pass plain positions.
import type { Attachment, Turn } from '../chat/model';

/** A position as VS Code reports it: 0-based line and character. */
export interface PlainPosition {
    readonly line: number;
    readonly character: number;
}

/** A selection and where it came from, in plain values. */
export interface SelectionSource {
    /** The path shown to the person and the model, relative to the workspace when possible. */
    readonly relativePath: string;
    readonly uri: string;
    readonly languageId: string;
    readonly text: string;
    readonly start: PlainPosition;
    readonly end: PlainPosition;
}

/**
 * The 1-based, inclusive lines a selection covers. A selection that ends at the very start of a line
 * (a whole-line selection made with Shift+Down) does not include that line.
 */
export function selectionLines(
    start: PlainPosition,
    end: PlainPosition,
): { startLine: number; endLine: number } {
    const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
    return { startLine: start.line + 1, endLine: lastLine + 1 };
}

/** `src/app.ts:12-30`, or `src/app.ts:12` for one line. */
export function selectionTitle(relativePath: string, startLine: number, endLine: number): string {
    return startLine === endLine ? `${relativePath}:${startLine}` : `${relativePath}:${startLine}-${endLine}`;
}

/** A fence longer than any run of backticks in the text, so code that holds fences itself stays whole. */
export function fenceFor(text: string): string {
    const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
    return '`'.repeat(Math.max(3, longestRun + 1));
}

/** The fence's info string: the language id when it is a plain word (never text that could end the line). */
function fenceLanguage(languageId: string): string {
    if (languageId === 'plaintext') return '';
    return /^[\w#+.-]+$/.test(languageId) ? languageId : '';
}

/** The prompt "Send Selection as Prompt" sends: the file and lines, then the selection in a fenced block. */
export function fencedSelectionPrompt(selection: SelectionSource): string {
    const { startLine, endLine } = selectionLines(selection.start, selection.end);
    const fence = fenceFor(selection.text);
    const body = selection.text.endsWith('\n') ? selection.text : `${selection.text}\n`;
    const title = selectionTitle(selection.relativePath, startLine, endLine);
    return `${title}\n\n${fence}${fenceLanguage(selection.languageId)}\n${body}${fence}`;
}

/** The next free `sel-<n>` id in a conversation, so each attached selection keeps its own citations. */
export function nextAttachmentId(
    conversation: { readonly turns: readonly Pick<Turn, 'attachments'>[] } | undefined,
): string {
    let highest = 0;
    for (const turn of conversation?.turns ?? []) {
        for (const attachment of turn.attachments ?? []) {
            const match = /^sel-(\d+)$/.exec(attachment.id);
            if (match) highest = Math.max(highest, Number(match[1]));
        }
    }
    return `sel-${highest + 1}`;
}

/** The attachment "Ask About Selection…" sends with the question. */
export function selectionAttachment(selection: SelectionSource, id: string): Attachment {
    const { startLine, endLine } = selectionLines(selection.start, selection.end);
    return {
        id,
        title: selectionTitle(selection.relativePath, startLine, endLine),
        text: selection.text,
        uri: selection.uri,
        startLine,
        endLine,
        languageId: selection.languageId,
    };
}
