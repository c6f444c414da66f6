// The routes besides chat: the model catalogue, check-api-key and tokenize.
import { decodePageToken, findModel, listModelsPage, modelNotFoundMessage } from './models';
import { sendError, sendJson } from './respond';
import type { RouteContext } from './server';
import { isRecord } from './spec';

const ENDPOINTS = new Set(['chat', 'embed', 'classify', 'summarize', 'rerank', 'rate', 'generate']);

/** GET /v1/models?endpoint=&page_size=&page_token=&default_only= */
export function handleListModels(context: RouteContext): void {
    const { query, res, options } = context;
    const endpoint = query.get('endpoint') ?? undefined;
    if (endpoint !== undefined && !ENDPOINTS.has(endpoint)) {
        sendError(res, {
            status: 400,
            message: `invalid request: endpoint '${endpoint}' is not a valid endpoint.`,
        });
        return;
    }
    const defaultOnly = query.get('default_only') === 'true';
    if (defaultOnly && endpoint === undefined) {
        sendError(res, {
            status: 400,
            message: 'invalid request: default_only is only valid with an endpoint.',
        });
        return;
    }
    const sizeText = query.get('page_size');
    const requested = sizeText === null ? options.modelsPageSize : Number(sizeText);
    if (!Number.isInteger(requested) || requested < 1 || requested > 1000) {
        sendError(res, { status: 400, message: 'invalid request: page_size must be between 1 and 1000.' });
        return;
    }
    const token = query.get('page_token');
    const offset = token === null || token === '' ? 0 : decodePageToken(token);
    if (offset === undefined) {
        sendError(res, { status: 400, message: 'invalid request: page_token is not valid.' });
        return;
    }
    const pageSize = Math.min(requested, options.maxPageSize);
    sendJson(
        res,
        200,
        listModelsPage({ ...(endpoint === undefined ? {} : { endpoint }), defaultOnly, pageSize, offset }),
    );
}

/** GET /v1/models/:name */
export function handleGetModel(context: RouteContext, match: RegExpExecArray): void {
    const name = decodeURIComponent(match[1] ?? '');
    const model = findModel(name);
    if (model === undefined) {
        sendError(context.res, { status: 404, message: modelNotFoundMessage(name) });
        return;
    }
    sendJson(context.res, 200, model);
}

/** POST /v1/check-api-key: the key was already checked; a wrong one got 401. */
export function handleCheckApiKey(context: RouteContext): void {
    sendJson(context.res, 200, {
        valid: true,
        organization_id: 'fake-org-0001',
        owner_id: 'fake-owner-0001',
    });
}

/** POST /v1/tokenize: one token per word (with its leading space), ids from the characters. */
export function handleTokenize(context: RouteContext): void {
    const { body, res } = context;
    const text = isRecord(body) ? body['text'] : undefined;
    const model = isRecord(body) ? body['model'] : undefined;
    if (typeof text !== 'string' || text.length < 1 || text.length > 65536) {
        sendError(res, {
            status: 400,
            message: 'invalid request: text must be between 1 and 65536 characters.',
        });
        return;
    }
    if (typeof model !== 'string' || model === '') {
        sendError(res, { status: 400, message: 'invalid request: model must be specified.' });
        return;
    }
    if (findModel(model) === undefined) {
        sendError(res, { status: 404, message: modelNotFoundMessage(model) });
        return;
    }
    const strings = text.match(/\s*\S+|\s+$/g) ?? [];
    const tokens = strings.map((piece) => {
        let id = 7;
        for (let i = 0; i < piece.length; i++) id = (id * 31 + piece.charCodeAt(i)) % 255_000;
        return id;
    });
    sendJson(res, 200, { tokens, token_strings: strings, meta: { api_version: { version: '1' } } });
}
