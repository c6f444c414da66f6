// What the embed and rerank routes share: the real API's wording of a bad request, and the first checks every
// JSON request of theirs goes through (an object body naming a model).
import { sendError } from './respond';
import type { RouteContext } from './server';
import { isRecord } from './spec';

/** A 400 in the words the real API uses for a malformed request. */
export function bad(message: string): { status: number; message: string } {
    return { status: 400, message: `invalid request: ${message}` };
}

/** The request's body and model, or undefined once the 400 that says what is missing has been sent. */
export function bodyWithModel(
    context: RouteContext,
): { body: Record<string, unknown>; model: string } | undefined {
    const { body, res } = context;
    if (!isRecord(body)) {
        sendError(res, bad('the request body must be a JSON object.'));
        return undefined;
    }
    const model = body['model'];
    if (typeof model !== 'string' || model === '') {
        sendError(res, bad('model must be specified.'));
        return undefined;
    }
    return { body, model };
}
