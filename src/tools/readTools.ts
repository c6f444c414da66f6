// The read-only tools: they run without asking, inside the path rules.
import path from 'node:path';
import { resolveToolPath, visiblePath } from './paths';
import {
    capText,
    fingerprint,
    linesOf,
    MAX_FOUND_FILES,
    MAX_LISTED_ENTRIES,
    MAX_READ_LINES,
    MAX_RESULT_CHARS,
    MAX_SEARCH_MATCHES,
    MAX_SEARCHED_FILES,
    readText,
} from './results';
import type { ReadLedger, ToolDocumentDraft, ToolOutcomeDraft } from './results';
import type { ToolWorkspace } from './workspace';

export interface ReadContext {
    workspace: ToolWorkspace;
    ledger: ReadLedger;
    signal: AbortSignal;
}

export async function readFileTool(
    context: ReadContext,
    args: { path: string; start_line?: number; end_line?: number },
): Promise<ToolOutcomeDraft> {
    const target = await resolveToolPath(context.workspace, args.path);
    const text = await readText(context.workspace, target.absolutePath, target.displayPath);
    context.ledger.record(target.absolutePath, text);
    const lines = linesOf(text);
    const total = lines.length;
    const start = Math.max(1, args.start_line ?? 1);
    if (start > Math.max(total, 1)) throw new Error(`'${target.displayPath}' has only ${total} lines`);
    const wantedEnd = Math.min(total, args.end_line ?? total);
    if (wantedEnd < start) throw new Error('end_line is before start_line');
    let end = Math.min(wantedEnd, start + MAX_READ_LINES - 1);
    let body = lines.slice(start - 1, end).join('\n');
    const capped = capText(body, MAX_RESULT_CHARS - 500);
    if (capped.truncated) {
        body = capped.text;
        end = start + linesOf(body).length - 1;
    }
    const truncated = end < wantedEnd;
    const data: Record<string, string> = {
        path: target.displayPath,
        lines: `${start}-${end} of ${total}`,
        text: body,
    };
    if (truncated) data['note'] = `Cut at line ${end}. Read on with start_line=${end + 1}.`;
    return {
        status: 'ok',
        summary: `${target.displayPath} lines ${start}-${end}${truncated ? ' (cut)' : ''}`,
        documents: [
            {
                data,
                path: target.displayPath,
                absolutePath: target.absolutePath,
                startLine: start,
                endLine: end,
                fileHash: fingerprint(text),
            },
        ],
        truncated,
    };
}

export async function listDirectoryTool(
    context: ReadContext,
    args: { path: string },
): Promise<ToolOutcomeDraft> {
    const target = await resolveToolPath(context.workspace, args.path);
    const stat = await context.workspace.lstat(target.absolutePath);
    // A link to a folder was resolved and checked; list what it leads to.
    const entries = await context.workspace.readDirectory(target.absolutePath).catch(() => {
        throw new Error(
            `'${target.displayPath}' is not a folder${stat?.kind === 'file' ? ': use read_file' : ''}`,
        );
    });
    const shown: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (visiblePath(context.workspace, path.join(target.absolutePath, entry.name)) === undefined)
            continue;
        const suffix = entry.kind === 'directory' ? '/' : entry.kind === 'symlink' ? ' (link)' : '';
        shown.push(entry.name + suffix);
    }
    const truncated = shown.length > MAX_LISTED_ENTRIES;
    const listed = shown.slice(0, MAX_LISTED_ENTRIES);
    const data: Record<string, string> = { path: target.displayPath, entries: listed.join('\n') };
    if (truncated) data['note'] = `Cut at ${MAX_LISTED_ENTRIES} of ${shown.length} entries.`;
    return {
        status: 'ok',
        summary: `${target.displayPath}: ${shown.length} entries${truncated ? ' (cut)' : ''}`,
        documents: [{ data, path: target.displayPath, absolutePath: target.absolutePath }],
        truncated,
    };
}

export async function findFilesTool(context: ReadContext, args: { glob: string }): Promise<ToolOutcomeDraft> {
    const glob = args.glob.trim();
    if (glob === '') throw new Error('the glob is empty');
    if (glob.split('/').includes('..') || glob.startsWith('/'))
        throw new Error('globs stay inside the workspace');
    const found = await context.workspace.findFiles(glob, MAX_FOUND_FILES + 1, context.signal);
    const paths = found
        .map((file) => visiblePath(context.workspace, file)?.displayPath)
        .filter((display): display is string => display !== undefined);
    const truncated = paths.length > MAX_FOUND_FILES;
    const listed = paths.slice(0, MAX_FOUND_FILES);
    const data: Record<string, string> = { glob, files: listed.join('\n') || '(no files match)' };
    if (truncated) data['note'] = `Cut at ${MAX_FOUND_FILES} files; use a narrower glob.`;
    return {
        status: 'ok',
        summary: `${glob}: ${listed.length}${truncated ? '+' : ''} files`,
        documents: [{ data }],
        truncated,
    };
}

export async function searchTextTool(
    context: ReadContext,
    args: { query: string; glob?: string },
): Promise<ToolOutcomeDraft> {
    const query = args.query;
    if (query.trim() === '') throw new Error('the query is empty');
    const glob = args.glob?.trim() || '**/*';
    const needle = query.toLowerCase();
    const files = await context.workspace.findFiles(glob, MAX_SEARCHED_FILES, context.signal);
    const documents: ToolDocumentDraft[] = [];
    let matches = 0;
    let truncated = false;
    let size = 0;
    for (const file of files) {
        context.signal.throwIfAborted();
        const visible = visiblePath(context.workspace, file);
        if (visible === undefined) continue;
        let text: string;
        try {
            text = await readText(context.workspace, file, visible.displayPath);
        } catch {
            continue;
        }
        if (!text.toLowerCase().includes(needle)) continue;
        const hits: string[] = [];
        const numbers: number[] = [];
        linesOf(text).forEach((line, index) => {
            if (matches >= MAX_SEARCH_MATCHES || !line.toLowerCase().includes(needle)) return;
            matches++;
            numbers.push(index + 1);
            hits.push(`${index + 1}: ${line.length > 300 ? line.slice(0, 300) + '…' : line}`);
        });
        if (hits.length === 0) {
            truncated = true;
            break;
        }
        const matchText = hits.join('\n');
        size += matchText.length;
        if (size > MAX_RESULT_CHARS) {
            truncated = true;
            break;
        }
        documents.push({
            data: { path: visible.displayPath, matches: matchText },
            path: visible.displayPath,
            absolutePath: file,
            startLine: numbers[0]!,
            endLine: numbers.at(-1)!,
        });
        if (matches >= MAX_SEARCH_MATCHES) {
            truncated = true;
            break;
        }
    }
    if (documents.length === 0) documents.push({ data: { query, matches: '(no matches)' } });
    else if (truncated)
        documents.push({ data: { note: `Cut at ${matches} matches; narrow the query or the glob.` } });
    return {
        status: 'ok',
        summary: `“${query}”: ${matches} matches${truncated ? ' (cut)' : ''}`,
        documents,
        truncated,
    };
}

export async function getProblemsTool(
    context: ReadContext,
    args: { path?: string },
): Promise<ToolOutcomeDraft> {
    const target = args.path === undefined ? undefined : await resolveToolPath(context.workspace, args.path);
    const problems = await context.workspace.problems(target?.absolutePath);
    const lines: string[] = [];
    for (const problem of problems) {
        const visible = visiblePath(context.workspace, problem.file);
        if (visible === undefined) continue;
        lines.push(
            `${visible.displayPath}:${problem.line} ${problem.severity}: ${problem.message}${problem.source ? ` (${problem.source})` : ''}`,
        );
    }
    const capped = capText(lines.join('\n'));
    const data: Record<string, string> = { problems: capped.text || '(no problems)' };
    if (target !== undefined) data['path'] = target.displayPath;
    if (capped.truncated) data['note'] = 'Cut: more problems than fit.';
    return {
        status: 'ok',
        summary: `${lines.length} problems${target === undefined ? '' : ` in ${target.displayPath}`}`,
        documents: [
            {
                data,
                ...(target === undefined
                    ? {}
                    : { path: target.displayPath, absolutePath: target.absolutePath }),
            },
        ],
        truncated: capped.truncated,
    };
}

export function getSelectionTool(context: ReadContext): ToolOutcomeDraft {
    const selection = context.workspace.selection();
    if (selection === undefined || selection.text === '') {
        return {
            status: 'ok',
            summary: 'No selection',
            documents: [{ data: { selection: '(nothing is selected)' } }],
        };
    }
    const visible = visiblePath(context.workspace, selection.file);
    if (visible === undefined)
        throw new Error('the selection is in a file outside the workspace or off limits');
    const capped = capText(selection.text);
    const data: Record<string, string> = {
        path: visible.displayPath,
        lines: `${selection.startLine}-${selection.endLine}`,
        text: capped.text,
    };
    if (capped.truncated) data['note'] = 'Cut: the selection is longer than fits.';
    return {
        status: 'ok',
        summary: `Selection in ${visible.displayPath} lines ${selection.startLine}-${selection.endLine}`,
        documents: [
            {
                data,
                path: visible.displayPath,
                absolutePath: selection.file,
                startLine: selection.startLine,
                endLine: selection.endLine,
            },
        ],
        truncated: capped.truncated,
    };
}
