// Writing JSON and error answers, the same way on every route.
import type { ServerResponse } from 'node:http';
import { UnknownScenarioError, parseScenarios } from './spec';
import type { ScenarioSelection } from './spec';
import type { ApiError } from './validate';

/** Parses a scenario header; answers 400 (and returns undefined) for an unknown scenario. */
export function selectionOrError(
    res: ServerResponse,
    spec: string | undefined,
): ScenarioSelection | undefined {
    try {
        return parseScenarios(spec);
    } catch (error) {
        if (!(error instanceof UnknownScenarioError)) throw error;
        sendError(res, { status: 400, message: error.message });
        return undefined;
    }
}

/** Answers with a JSON body (`application/json`, with Content-Length). */
export function sendJson(
    res: ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
): void {
    const bytes = Buffer.from(JSON.stringify(value));
    res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': bytes.length });
    res.end(bytes);
}

/** Answers an error: JSON `{"message": ...}` unless the error brings its own HTML body. */
export function sendError(res: ServerResponse, error: ApiError & { html?: string }): void {
    if (error.html !== undefined) {
        const bytes = Buffer.from(error.html);
        res.writeHead(error.status, {
            ...error.headers,
            'content-type': 'text/html',
            'content-length': bytes.length,
        });
        res.end(bytes);
        return;
    }
    sendJson(res, error.status, { message: error.message }, error.headers);
}
