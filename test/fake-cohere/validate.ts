// Request validation with the real API's statuses and words (API doc sections 2 and 8.9).
import type { ChatRequest } from '../../src/cohere/types';
import { checkImages } from './images';
import { findModel, modelNotFoundMessage } from './models';
import { contentText, isRecord } from './spec';
import { checkToolMessages } from './toolScenarios';

/** An error the server answers with: status and the JSON body's `message`. */
export interface ApiError {
    status: number;
    message: string;
    headers?: Record<string, string>;
}

/** Every top-level field `POST /v2/chat` accepts. Anything else is a 422. */
export const CHAT_FIELDS: ReadonlySet<string> = new Set([
    'model',
    'messages',
    'stream',
    'tools',
    'strict_tools',
    'documents',
    'citation_options',
    'response_format',
    'safety_mode',
    'max_tokens',
    'stop_sequences',
    'temperature',
    'seed',
    'frequency_penalty',
    'presence_penalty',
    'k',
    'p',
    'logprobs',
    'tool_choice',
    'thinking',
    'priority',
]);

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

function bad(message: string): ApiError {
    return { status: 400, message: `invalid request: ${message}` };
}

/** The error a chat body deserves, or undefined when the real API would accept it. */
export function validateChat(body: unknown): ApiError | undefined {
    if (!isRecord(body)) return bad('the request body must be a JSON object.');
    for (const key of Object.keys(body)) {
        if (!CHAT_FIELDS.has(key)) {
            return {
                status: 422,
                message: `unknown field: parameter '${key}' is not a valid field. For proper usage, please refer to https://docs.cohere.com/reference/chat`,
            };
        }
    }
    if (typeof body['model'] !== 'string' || body['model'] === '') return bad('model must be specified.');
    if (!Array.isArray(body['messages'])) return bad('messages must be specified.');
    return (
        checkMessages(body['messages']) ??
        checkNumbers(body) ??
        checkCombinations(body as unknown as ChatRequest) ??
        checkModel(body['model']) ??
        checkImages(body)
    );
}

function checkMessages(messages: unknown[]): ApiError | undefined {
    if (messages.length === 0) return bad('messages must contain at least one message.');
    for (const [index, message] of messages.entries()) {
        if (!isRecord(message) || typeof message['role'] !== 'string' || !ROLES.has(message['role'])) {
            return bad(`message ${index} must have a role of system, user, assistant or tool.`);
        }
        if (message['role'] === 'system' && index !== 0)
            return bad('system turn must be the first in the list');
        if (message['role'] === 'tool' && typeof message['tool_call_id'] !== 'string') {
            return bad('tool call id must be provided with tool message');
        }
        if (message['role'] === 'user' && isEmptyUserContent(message['content'])) {
            return bad('message must be at least 1 token long or tool results must be specified.');
        }
    }
    const toolProblem = checkToolMessages(messages);
    return toolProblem === undefined ? undefined : bad(toolProblem);
}

function isEmptyUserContent(content: unknown): boolean {
    if (Array.isArray(content)) {
        const hasImage = content.some((block) => isRecord(block) && block['type'] === 'image_url');
        return !hasImage && contentText(content as never).trim() === '';
    }
    return typeof content !== 'string' || content.trim() === '';
}

function checkNumbers(body: Record<string, unknown>): ApiError | undefined {
    const temperature = body['temperature'];
    if (
        temperature !== undefined &&
        (typeof temperature !== 'number' || temperature < 0 || temperature > 1)
    ) {
        return bad('temperature must be between 0 and 1.0 inclusive.');
    }
    for (const key of ['frequency_penalty', 'presence_penalty']) {
        const value = body[key];
        if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) {
            return bad(`${key} must be between 0 and 1.0 inclusive.`);
        }
    }
    const maxTokens = body['max_tokens'];
    if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) {
        return bad('max_tokens must be a positive integer.');
    }
    const p = body['p'];
    if (p !== undefined && (typeof p !== 'number' || p < 0.01 || p > 0.99)) {
        return bad('p must be between 0.01 and 0.99 inclusive.');
    }
    const k = body['k'];
    if (k !== undefined && (!Number.isInteger(k) || (k as number) < 0 || (k as number) > 500)) {
        return bad('k must be between 0 and 500 inclusive.');
    }
    if (body['stream'] !== undefined && typeof body['stream'] !== 'boolean')
        return bad('stream must be a boolean.');
    const stops = body['stop_sequences'];
    if (stops !== undefined && (!Array.isArray(stops) || stops.length > 5)) {
        return bad('stop_sequences must be a list of at most 5 strings.');
    }
    return undefined;
}

function checkCombinations(request: ChatRequest): ApiError | undefined {
    const hasDocuments = Array.isArray(request.documents) && request.documents.length > 0;
    const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
    if (request.response_format !== undefined && hasDocuments) {
        return bad('response_format is not supported with RAG.');
    }
    if (String(request.tool_choice ?? '').toUpperCase() === 'REQUIRED' && !hasTools) {
        return bad('tool_choice REQUIRED needs tools.');
    }
    if (request.documents !== undefined && !Array.isArray(request.documents))
        return bad('documents must be a list.');
    const seen = new Map<string, number>();
    for (const [index, document] of (request.documents ?? []).entries()) {
        if (typeof document !== 'string' && !(isRecord(document) && isRecord(document.data))) {
            return bad(`document ${index} must be a string or an object with data.`);
        }
        if (typeof document === 'string' || typeof document.id !== 'string') continue;
        const first = seen.get(document.id);
        if (first !== undefined)
            return bad(`duplicate document ID ${document.id} at index ${index} and ${first}`);
        seen.set(document.id, index);
    }
    if (request.tools !== undefined && !Array.isArray(request.tools)) return bad('tools must be a list.');
    for (const tool of request.tools ?? []) {
        const name = isRecord(tool) && isRecord(tool.function) ? tool.function['name'] : undefined;
        if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
            return bad(
                "tool names can only contain certain characters (A-Za-z0-9_) and can't begin with a digit.",
            );
        }
    }
    return undefined;
}

function checkModel(name: string): ApiError | undefined {
    const model = findModel(name);
    if (model === undefined) return { status: 404, message: modelNotFoundMessage(name) };
    if (!model.endpoints?.includes('chat')) return bad(`model '${name}' does not support the chat endpoint.`);
    return undefined;
}
