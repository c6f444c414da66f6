// `@workspace`: the local index proposes candidates, Cohere Rerank (when the person allowed sending
// code) picks the best, and they become documents like any attached chunk.
import type { Attachment } from '../chat/model';
import { chunkId, fingerprint, linesTitle } from '../context/documents';
import type { FileSource, WorkspaceIndex } from './workspaceIndex';

export interface AskOptions {
    index: WorkspaceIndex;
    source: FileSource;
    question: string;
    /** The file's URI for the attachment (to open it on a citation click). */
    uriOf: (path: string) => string;
    /** Packed bits of the question embedded as `search_query`, when semantic search is on. */
    queryBits?: ArrayLike<number>;
    /** Cohere Rerank over the candidates' texts; without it the local order stands. */
    rerank?: (query: string, documents: string[]) => Promise<{ index: number; relevance_score: number }[]>;
    /** Candidates looked at (default 40) and chunks kept (default 8). */
    candidates?: number;
    topN?: number;
}

export interface AskResult {
    attachments: Attachment[];
    /** How the chunks were chosen, for the chip. */
    method: 'lexical' | 'hybrid' | 'reranked';
}

/** The chunks that best answer the question, as attachments, best first. */
export async function askWorkspace(options: AskOptions): Promise<AskResult> {
    const hits = options.index.searchHybrid(options.question, options.queryBits, options.candidates ?? 40);
    const texts = new Map<string, string[]>();
    const candidates: { hit: (typeof hits)[number]; text: string }[] = [];
    for (const hit of hits) {
        let lines = texts.get(hit.path);
        if (lines === undefined) {
            try {
                lines = new TextDecoder().decode(await options.source.read(hit.path)).split(/\r?\n/);
            } catch {
                continue;
            }
            texts.set(hit.path, lines);
        }
        const text = lines.slice(hit.startLine - 1, hit.endLine).join('\n');
        if (text.trim() !== '') candidates.push({ hit, text });
    }
    let ordered = candidates;
    let method: AskResult['method'] = options.queryBits === undefined ? 'lexical' : 'hybrid';
    if (options.rerank !== undefined && candidates.length > 0) {
        const results = await options.rerank(
            options.question,
            candidates.map((candidate) => `${candidate.hit.path}\n${candidate.text}`),
        );
        ordered = results.flatMap((result) => {
            const candidate = candidates[result.index];
            return candidate === undefined ? [] : [candidate];
        });
        method = 'reranked';
    }
    const attachments = ordered.slice(0, options.topN ?? 8).map(({ hit, text }): Attachment => ({
        id: chunkId(hit.path, hit.startLine, hit.endLine),
        title: linesTitle(hit.path, hit.startLine, hit.endLine),
        text,
        uri: options.uriOf(hit.path),
        startLine: hit.startLine,
        endLine: hit.endLine,
        kind: 'workspace',
        contentHash: fingerprint(text),
    }));
    return { attachments, method };
}

export type ConsentSetting = 'ask' | 'allow' | 'deny';

/**
 * Whether code may go to Cohere for embeddings and reranking: never in an untrusted workspace, never
 * when the setting says deny; with `ask`, the answer given for this workspace, else ask first.
 */
export function consentFor(
    setting: ConsentSetting,
    trusted: boolean,
    answered: boolean | undefined,
): 'yes' | 'no' | 'ask' {
    if (!trusted || setting === 'deny') return 'no';
    if (setting === 'allow') return 'yes';
    if (answered === undefined) return 'ask';
    return answered ? 'yes' : 'no';
}
