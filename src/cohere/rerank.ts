// `POST /v2/rerank`: orders candidate chunks by relevance to a question. The documents are not
// echoed back, so results are checked to point into the request's own list.
import type { CohereClient } from './client';
import { CohereError } from './errors';
import type { RequestOptions } from './options';

export interface RerankRequest {
    /** `rerank-v4.0-fast`, `rerank-v4.0-pro`, `rerank-v3.5`, ... */
    model: string;
    query: string;
    /** Plain strings in V2 (structured records go as YAML text). */
    documents: string[];
    /** Default: all of them. */
    top_n?: number;
    /** Default 4096; longer documents are cut. */
    max_tokens_per_doc?: number;
    priority?: number;
}

export interface RerankResult {
    /** Index into the request's `documents`. */
    index: number;
    /** In [0, 1], best first; not linear. */
    relevance_score: number;
}

export interface RerankResponse {
    id?: string;
    results: RerankResult[];
    meta?: { billed_units?: { search_units?: number } };
}

/** Reranks; rejects `bad_request` before sending an empty query or an empty document list. */
export async function rerank(
    client: CohereClient,
    request: RerankRequest,
    options: RequestOptions = {},
): Promise<RerankResponse> {
    if (request.query.trim() === '')
        throw new CohereError('bad_request', 'A rerank query must not be empty.');
    if (request.documents.length === 0) {
        throw new CohereError('bad_request', 'A rerank call needs at least one document.');
    }
    const raw = await client.postJson<unknown>('/v2/rerank', request, options, 'rerank results');
    return checkRerankResponse(raw, request.documents.length);
}

/** The response, if every result names a distinct document of the request with a numeric score. */
export function checkRerankResponse(raw: unknown, documentCount: number): RerankResponse {
    const results =
        typeof raw === 'object' && raw !== null ? (raw as { results?: unknown }).results : undefined;
    if (!Array.isArray(results)) throw new CohereError('protocol', 'The rerank response has no results.');
    const seen = new Set<number>();
    for (const result of results as unknown[]) {
        const { index, relevance_score: score } = (result ?? {}) as Record<string, unknown>;
        if (
            typeof index !== 'number' ||
            !Number.isInteger(index) ||
            index < 0 ||
            index >= documentCount ||
            seen.has(index)
        ) {
            throw new CohereError(
                'protocol',
                `The rerank response names a document that was not sent: ${String(index)}.`,
            );
        }
        if (typeof score !== 'number' || !Number.isFinite(score)) {
            throw new CohereError('protocol', `The rerank response has no score for document ${index}.`);
        }
        seen.add(index);
    }
    return raw as RerankResponse;
}
