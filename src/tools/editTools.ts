// The writing tools: nothing is written here. Each builds the file it proposes and hands it to the
// person (ToolApprovals), who sees a diff and applies or rejects it.
import { resolveToolPath } from './paths';
import { capText, fingerprint, linesOf, readText } from './results';
import type { ReadLedger, ToolOutcomeDraft } from './results';
import type { ToolApprovals, ToolWorkspace } from './workspace';

export interface WriteContext {
    workspace: ToolWorkspace;
    approvals: ToolApprovals;
    ledger: ReadLedger;
    signal: AbortSignal;
}

/** One edit as the model sends it: a line range, or a search/replace block. */
export interface FileEdit {
    start_line?: number;
    end_line?: number;
    new_text?: string;
    search?: string;
    replace?: string;
}

/** Thrown when edits cannot be applied to the text; the message goes back to the model. */
export class EditError extends Error {}

/**
 * The text after the edits. Line ranges refer to the text as it is (they are applied bottom up, so
 * one does not shift another); search/replace blocks follow, each of which must match exactly once.
 */
export function applyEdits(text: string, edits: readonly FileEdit[]): string {
    if (edits.length === 0) throw new EditError('edits is empty');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const endsWithNewline = text === '' || /\r?\n$/.test(text);
    let lines = text === '' ? [] : linesOf(text);
    const ranges = edits.filter((edit) => edit.search === undefined);
    const blocks = edits.filter((edit) => edit.search !== undefined);
    for (const edit of ranges) {
        if (edit.start_line === undefined || edit.new_text === undefined) {
            throw new EditError('each edit needs start_line, end_line and new_text, or search and replace');
        }
        const end = edit.end_line ?? edit.start_line;
        if (end < edit.start_line - 1)
            throw new EditError(`end_line ${end} is before start_line ${edit.start_line}`);
        if (edit.start_line > lines.length + 1 || end > lines.length) {
            throw new EditError(
                `lines ${edit.start_line}-${end} are outside the file (${lines.length} lines)`,
            );
        }
    }
    const sorted = [...ranges].sort((a, b) => b.start_line! - a.start_line!);
    for (let i = 1; i < sorted.length; i++) {
        const above = sorted[i]!;
        const below = sorted[i - 1]!;
        if ((above.end_line ?? above.start_line!) >= below.start_line!)
            throw new EditError('line ranges overlap');
    }
    for (const edit of sorted) {
        const start = edit.start_line!;
        const end = edit.end_line ?? start;
        const replacement = edit.new_text === '' ? [] : linesOf(edit.new_text!);
        lines = [...lines.slice(0, start - 1), ...replacement, ...lines.slice(end)];
    }
    let result = lines.join(eol) + (endsWithNewline && lines.length > 0 ? eol : '');
    for (const block of blocks) {
        const search = block.search!;
        if (search === '') throw new EditError('search is empty');
        if (block.replace === undefined) throw new EditError('a search block needs replace');
        const first = result.indexOf(search);
        if (first === -1) throw new EditError(`search text not found: ${capText(search, 120).text}`);
        if (result.indexOf(search, first + 1) !== -1)
            throw new EditError('search text occurs more than once: include more lines to make it unique');
        result = result.slice(0, first) + block.replace + result.slice(first + search.length);
    }
    return result;
}

/** The model must edit what it read: a file it has not read, or that changed since, is refused with a fresh read. */
export async function editFileTool(
    context: WriteContext,
    args: { path: string; edits: FileEdit[] },
): Promise<ToolOutcomeDraft> {
    const target = await resolveToolPath(context.workspace, args.path);
    const current = await readText(context.workspace, target.absolutePath, target.displayPath);
    const state = context.ledger.compare(target.absolutePath, current);
    if (state !== 'same') {
        context.ledger.record(target.absolutePath, current);
        const reason =
            state === 'unread'
                ? `Refused: read '${target.displayPath}' before editing it.`
                : `Refused: '${target.displayPath}' changed since you read it.`;
        const lines = linesOf(current);
        const fresh = capText(current);
        const end = fresh.truncated ? linesOf(fresh.text).length : lines.length;
        return {
            status: 'error',
            summary: reason,
            documents: [
                {
                    data: {
                        error: `${reason} Here it is as it is now; make the edit against these lines.`,
                        path: target.displayPath,
                        lines: `1-${end} of ${lines.length}`,
                        text: fresh.text,
                    },
                    path: target.displayPath,
                    absolutePath: target.absolutePath,
                    startLine: 1,
                    endLine: end,
                    fileHash: fingerprint(current),
                },
            ],
            truncated: fresh.truncated,
            change: { path: target.displayPath, absolutePath: target.absolutePath, outcome: 'refused' },
        };
    }
    const after = applyEdits(current, args.edits);
    if (after === current) throw new EditError('the edits change nothing');
    return propose(context, target.displayPath, target.absolutePath, current, after);
}

export async function createFileTool(
    context: WriteContext,
    args: { path: string; content: string },
): Promise<ToolOutcomeDraft> {
    const target = await resolveToolPath(context.workspace, args.path, { mustExist: false });
    if ((await context.workspace.lstat(target.absolutePath)) !== undefined) {
        throw new Error(`'${target.displayPath}' already exists: read it and use edit_file`);
    }
    return propose(context, target.displayPath, target.absolutePath, undefined, args.content);
}

async function propose(
    context: WriteContext,
    display: string,
    absolutePath: string,
    before: string | undefined,
    after: string,
): Promise<ToolOutcomeDraft> {
    const outcome = await context.approvals.proposeChange(
        { path: display, absolutePath, before, after },
        context.signal,
    );
    const change = {
        path: display,
        absolutePath,
        outcome,
        after,
        ...(before === undefined ? {} : { before }),
    };
    if (outcome === 'applied') {
        context.ledger.record(absolutePath, after);
        return {
            status: 'ok',
            summary: `${before === undefined ? 'Created' : 'Edited'} ${display}`,
            documents: [
                {
                    data: { path: display, result: 'The person applied the change.' },
                    path: display,
                    absolutePath,
                },
            ],
            change,
        };
    }
    return {
        status: 'ok',
        summary: `${display}: change rejected`,
        documents: [
            { data: { path: display, result: 'The person rejected the change; the file is unchanged.' } },
        ],
        change,
    };
}

export async function runCommandTool(
    context: WriteContext,
    args: { command: string },
): Promise<ToolOutcomeDraft> {
    const command = args.command.trim();
    if (command === '') throw new Error('the command is empty');
    const result = await context.approvals.runCommand(command, context.signal);
    if (result.outcome === 'declined') {
        return {
            status: 'ok',
            summary: `Declined: ${command}`,
            documents: [{ data: { command, result: 'The person declined to run it.' } }],
        };
    }
    const detail = capText(result.detail ?? 'It ran in a terminal; its output was not captured.');
    return {
        status: 'ok',
        summary: `Ran: ${command}`,
        documents: [{ data: { command, result: detail.text } }],
        truncated: detail.truncated,
    };
}
