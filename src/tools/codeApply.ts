// Apply on a code block of a reply: which file it is meant for, and how it goes into that file —
// as the whole file, or merged where a fragment belongs. Plain logic; the diff and the edit are in
// src/workspace/toolsCommands.ts.
import { linesOf } from './results';

/**
 * The file a fence names, if any: ```ts src/app.ts, ```ts:src/app.ts, ```ts title="src/app.ts",
 * ```ts file=src/app.ts, or a bare ```src/app.ts.
 */
export function fenceTarget(info: string): string | undefined {
    const text = info.trim();
    if (text === '') return undefined;
    const named = /(?:title|file|filename|path)=["']?([^"'\s]+)["']?/.exec(text);
    if (named?.[1] !== undefined) return named[1];
    const words = text.split(/\s+/);
    const [first = '', ...rest] = words;
    const colon = /^[\w+#-]+:(.+)$/.exec(first);
    if (colon?.[1] !== undefined && looksLikePath(colon[1])) return colon[1];
    for (const word of [...rest, first]) if (looksLikePath(word)) return word;
    return undefined;
}

function looksLikePath(word: string): boolean {
    return /[/\\]/.test(word) || /^[\w.-]+\.[A-Za-z0-9]{1,8}$/.test(word);
}

export interface MergedBlock {
    after: string;
    /** How it was placed: the whole file, between matching lines, or (not placed) appended at the end. */
    placement: 'whole' | 'merged' | 'appended';
    /** 1-based lines of the file the block replaced (merged only). */
    startLine?: number;
    endLine?: number;
}

/**
 * The file with the block in it. A block that starts like the file, or is most of its length, is the
 * whole file. Otherwise it is a fragment: it replaces the lines from the one matching its first line
 * to the one matching its last; when its first line is nowhere in the file, it is appended.
 */
export function mergeBlock(file: string, block: string): MergedBlock {
    const eol = file.includes('\r\n') ? '\r\n' : '\n';
    const fileLines = linesOf(file);
    const blockLines = linesOf(block.replace(/\r\n/g, '\n'));
    const withNewline = (lines: string[]): string => lines.join(eol) + (lines.length > 0 ? eol : '');
    const significant = (lines: string[]): string[] =>
        lines.map((line) => line.trim()).filter((line) => line !== '');
    const fileKey = significant(fileLines);
    const blockKey = significant(blockLines);
    if (
        fileKey.length === 0 ||
        blockKey.length === 0 ||
        fileKey[0] === blockKey[0] ||
        blockKey.length >= fileKey.length * 0.8
    ) {
        return { after: withNewline(blockLines), placement: 'whole' };
    }
    const first = blockKey[0]!;
    const last = blockKey.at(-1)!;
    const start = fileLines.findIndex((line) => line.trim() === first);
    if (start === -1) {
        const joined =
            fileLines.length > 0 && fileLines.at(-1)!.trim() !== '' ? [...fileLines, ''] : fileLines;
        return { after: withNewline([...joined, ...blockLines]), placement: 'appended' };
    }
    // The fragment's end: the first line at or after the start that matches the block's last line,
    // within reach (a fragment does not span more than twice its length plus a margin).
    const reach = Math.min(fileLines.length, start + blockLines.length * 2 + 10);
    let end = -1;
    for (let i = start + (blockKey.length > 1 ? 1 : 0); i < reach; i++) {
        if (fileLines[i]!.trim() === last) {
            end = i;
            break;
        }
    }
    if (end === -1) end = Math.min(fileLines.length - 1, start + blockLines.length - 1);
    const after = [...fileLines.slice(0, start), ...blockLines, ...fileLines.slice(end + 1)];
    return { after: withNewline(after), placement: 'merged', startLine: start + 1, endLine: end + 1 };
}

/** The info string of the fence in `markdown` whose body is `code` (the webview only knows the language). */
export function findFenceInfo(markdown: string, code: string): string | undefined {
    const fence = /^( {0,3})(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)\n {0,3}\2[`~]*[ \t]*$/gm;
    const wanted = code.replace(/\r\n/g, '\n').replace(/\n$/, '');
    for (const match of markdown.matchAll(fence)) {
        if ((match[4] ?? '').replace(/\n$/, '') === wanted) return (match[3] ?? '').trim();
    }
    return undefined;
}
