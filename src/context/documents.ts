// Attachments as Cohere documents: a file (cut into chunks), a selection, a problem. Each gets an id
// that stays the same for the same file and lines, and the title `path:startLine-endLine` that the
// source popover, the export and the model all see.
import type { Attachment } from '../chat/model';
import { chunkText } from './chunk';
import type { ChunkOptions } from './chunk';

/** A file as read from the workspace, in plain values. */
export interface SourceFile {
    /** Relative to the workspace where possible; shown to the person and the model. */
    relativePath: string;
    uri: string;
    text: string;
    languageId?: string;
}

/** `src/app.ts:12-30`, or `src/app.ts:12` for one line. */
export function linesTitle(relativePath: string, startLine: number, endLine: number): string {
    return startLine === endLine ? `${relativePath}:${startLine}` : `${relativePath}:${startLine}-${endLine}`;
}

/** FNV-1a, hex: a short stable fingerprint (ids and change detection), not a security hash. */
export function fingerprint(text: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, '0');
}

/** The stable id of a file's lines: the same path and range always give the same id. */
export function chunkId(relativePath: string, startLine: number, endLine: number): string {
    return `code-${fingerprint(relativePath)}-${startLine}-${endLine}`;
}

/** A file as one or more documents, one per chunk, in file order. */
export function fileAttachments(file: SourceFile, options: ChunkOptions = {}): Attachment[] {
    return chunkText(file.text, options).map((chunk) => ({
        id: chunkId(file.relativePath, chunk.startLine, chunk.endLine),
        title: linesTitle(file.relativePath, chunk.startLine, chunk.endLine),
        text: chunk.text,
        uri: file.uri,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        ...(file.languageId === undefined ? {} : { languageId: file.languageId }),
        kind: 'file',
        contentHash: fingerprint(chunk.text),
    }));
}

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

/** A diagnostic in plain values; lines and columns 1-based. */
export interface Problem {
    relativePath: string;
    uri: string;
    startLine: number;
    startColumn: number;
    endLine: number;
    endColumn: number;
    severity: ProblemSeverity;
    message: string;
    /** The tool that reported it, e.g. `ts` or `eslint`. */
    source?: string;
    code?: string;
}

const SEVERITY_ORDER: Record<ProblemSeverity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Problems as documents, worst first, at most `limit` (the rest are counted, not dropped silently). */
export function problemAttachments(
    problems: readonly Problem[],
    limit = 100,
): { attachments: Attachment[]; leftOut: number } {
    const sorted = [...problems].sort(
        (a, b) =>
            SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
            a.relativePath.localeCompare(b.relativePath) ||
            a.startLine - b.startLine,
    );
    const attachments = sorted.slice(0, limit).map((problem): Attachment => {
        const where = `${problem.relativePath}:${problem.startLine}:${problem.startColumn}`;
        const by =
            problem.source === undefined
                ? ''
                : ` (${problem.source}${problem.code === undefined ? '' : ` ${problem.code}`})`;
        const text = `${where} ${problem.severity}: ${problem.message}${by}`;
        return {
            id: `problem-${fingerprint(text)}`,
            title: linesTitle(problem.relativePath, problem.startLine, problem.endLine),
            text,
            uri: problem.uri,
            startLine: problem.startLine,
            endLine: problem.endLine,
            kind: 'problem',
        };
    });
    return { attachments, leftOut: Math.max(0, sorted.length - limit) };
}

/** The document data sent for an attachment: its title (`path:lines`) and its text. */
export function documentData(attachment: Attachment): Record<string, string> {
    return { title: attachment.title, snippet: attachment.text };
}
