// search_workspace(query): the workspace retrieval index (src/retrieval/) asked from the tool loop.
// Offered only when the person allowed workspace retrieval to send code to Cohere (its consent); the
// passages come back as documents with their lines, so a citation of them opens those lines.
import { visiblePath } from './paths';
import { capText, MAX_RESULT_CHARS } from './results';
import type { ToolDocumentDraft, ToolOutcomeDraft } from './results';
import type { ReadContext } from './readTools';

/** One passage the index found: whole lines of a file. */
export interface WorkspacePassage {
    absolutePath: string;
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
    text: string;
}

/** The index as the tool sees it (src/retrieval/toolSearch.ts makes one). */
export interface WorkspaceSearch {
    search(query: string, signal: AbortSignal): Promise<WorkspacePassage[]>;
}

export async function searchWorkspaceTool(
    context: ReadContext,
    search: WorkspaceSearch,
    args: { query: string },
): Promise<ToolOutcomeDraft> {
    const query = args.query.trim();
    if (query === '') throw new Error('the query is empty');
    const passages = await search.search(query, context.signal);
    context.signal.throwIfAborted();
    const documents: ToolDocumentDraft[] = [];
    let size = 0;
    let truncated = false;
    for (const passage of passages) {
        // The index has its own ignore rules; the tools' bounds (deny list, files.exclude) still apply.
        const visible = visiblePath(context.workspace, passage.absolutePath);
        if (visible === undefined) continue;
        const capped = capText(passage.text, Math.max(0, MAX_RESULT_CHARS - size));
        if (capped.text.trim() === '') {
            truncated = true;
            break;
        }
        const endLine = capped.truncated
            ? passage.startLine + capped.text.split('\n').length - 1
            : passage.endLine;
        documents.push({
            data: { path: visible.displayPath, lines: `${passage.startLine}-${endLine}`, text: capped.text },
            path: visible.displayPath,
            absolutePath: passage.absolutePath,
            startLine: passage.startLine,
            endLine,
        });
        size += capped.text.length;
        if (capped.truncated) {
            truncated = true;
            break;
        }
    }
    const found = documents.length;
    if (found === 0) documents.push({ data: { query, passages: '(nothing in the index matches)' } });
    else if (truncated)
        documents.push({ data: { note: 'Cut to stay within the size limit; read_file reads on.' } });
    return {
        status: 'ok',
        summary: `“${query}”: ${found} passages${truncated ? ' (cut)' : ''}`,
        documents,
        truncated,
    };
}
