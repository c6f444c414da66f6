// POST /v2/rerank: deterministic relevance from term overlap. A document scores by how many of the
// query's distinct words it holds (rarer words across the request's documents weigh more), squashed
// into [0, 1); it is first cut to `max_tokens_per_doc` words, as the real API truncates. Checks and
// messages follow the real API (embed doc section 2).
import { modelNotFoundMessage } from './models';
import { bad, bodyWithModel } from './jsonRequest';
import { sendError, sendJson } from './respond';
import type { RouteContext } from './server';
import { wordsOf } from './words';

const RERANK_MODELS = new Set([
    'rerank-v4.0-pro',
    'rerank-v4.0-fast',
    'rerank-v3.5',
    'rerank-english-v3.0',
    'rerank-multilingual-v3.0',
]);
const MAX_DOCUMENTS = 10_000;
const DEFAULT_MAX_TOKENS_PER_DOC = 4096;

/** The fake relevance of each document to the query, in document order. */
export function fakeRelevance(
    query: string,
    documents: readonly string[],
    maxTokensPerDoc: number,
): number[] {
    const queryWords = [...new Set(wordsOf(query))];
    const documentWords = documents.map((document) => new Set(wordsOf(document).slice(0, maxTokensPerDoc)));
    const weights = queryWords.map((word) => {
        const holding = documentWords.filter((words) => words.has(word)).length;
        return Math.log(1 + (documents.length + 1) / (holding + 1));
    });
    const best = weights.reduce((sum, weight) => sum + weight, 0);
    return documentWords.map((words) => {
        if (best === 0) return 0;
        let matched = 0;
        queryWords.forEach((word, index) => {
            if (words.has(word)) matched += weights[index] ?? 0;
        });
        const share = matched / best;
        // A steep curve like the real scores: most of the range belongs to documents that hold most words.
        return Math.round(share * share * 0.98 * 1e6) / 1e6;
    });
}

/** POST /v2/rerank */
export function handleRerank(context: RouteContext): void {
    const request = bodyWithModel(context);
    if (request === undefined) return;
    const { body, model } = request;
    const { res } = context;
    if (!RERANK_MODELS.has(model)) {
        sendError(res, { status: 404, message: modelNotFoundMessage(model) });
        return;
    }
    const query = body['query'];
    if (typeof query !== 'string' || query.trim() === '') {
        sendError(res, bad('query must not be empty or be only whitespace'));
        return;
    }
    const documents = body['documents'];
    if (!Array.isArray(documents) || documents.length === 0) {
        sendError(res, bad('list of documents must not be empty'));
        return;
    }
    if (documents.length >= MAX_DOCUMENTS) {
        sendError(
            res,
            bad(
                'number of total max chunks (number of documents * max chunks per doc) must be less than 10000',
            ),
        );
        return;
    }
    const emptyAt = documents.findIndex((document) => typeof document !== 'string' || document.trim() === '');
    if (emptyAt >= 0) {
        sendError(res, bad(`document at index ${emptyAt} cannot be empty`));
        return;
    }
    const topN = body['top_n'];
    if (topN !== undefined && (!Number.isInteger(topN) || (topN as number) < 1)) {
        sendError(res, bad('top_n must be a positive integer.'));
        return;
    }
    const maxTokens = body['max_tokens_per_doc'] ?? DEFAULT_MAX_TOKENS_PER_DOC;
    if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) {
        sendError(res, bad('max_tokens_per_doc must be a positive integer.'));
        return;
    }
    const scores = fakeRelevance(query, documents as string[], maxTokens as number);
    const results = scores
        .map((relevance_score, index) => ({ index, relevance_score }))
        .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
        .slice(0, (topN as number | undefined) ?? documents.length);
    sendJson(res, 200, {
        id: `fake-rerank-${documents.length}`,
        results,
        meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
    });
}
