// VS Code's language-model request (messages, tools, tool mode) mapped to a Cohere V2 chat request, on plain
// shapes so it is tested in plain Node. provider.ts turns VS Code's part classes into these shapes.
// Mapping rules: ../shared/docs/vscode-native-chat.md §1.6 and cohere-embed-rerank-tools.md §6.
import type {
    AssistantMessage,
    ChatMessage,
    ChatRequest,
    ImageUrlContent,
    TextContent,
    Tool,
    ToolCall,
} from '../cohere/types';

/** VS Code's message roles: the stable enum has User = 1 and Assistant = 2; the built-in agent sends 3 for its system prompt. */
export const ROLE_USER = 1;
export const ROLE_ASSISTANT = 2;
export const ROLE_SYSTEM = 3;

/** One part of a request message, as provider.ts reads it from VS Code's classes. */
export type PlainPart =
    | { readonly kind: 'text'; readonly value: string }
    | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: unknown }
    | { readonly kind: 'toolResult'; readonly callId: string; readonly content: readonly PlainPart[] }
    | { readonly kind: 'data'; readonly mimeType: string; readonly data: Uint8Array }
    /** A part this extension does not know (the API types content as `unknown`): skipped, never fatal. */
    | { readonly kind: 'unknown' };

export interface PlainMessage {
    readonly role: number;
    readonly content: readonly PlainPart[];
}

/** A tool VS Code offers the model (`LanguageModelChatTool`). */
export interface PlainTool {
    readonly name: string;
    readonly description: string;
    readonly inputSchema?: object | undefined;
}

/** VS Code's `LanguageModelChatToolMode`: Auto = 1, Required = 2. */
export const TOOL_MODE_REQUIRED = 2;

export interface RequestShape {
    readonly model: string;
    readonly messages: readonly PlainMessage[];
    readonly tools?: readonly PlainTool[] | undefined;
    readonly toolMode?: number | undefined;
    /** Whether the model takes images; without it image parts are left out (the server would refuse them). */
    readonly imageInput: boolean;
    /** The most tokens the reply may have (from the caller's `modelOptions.max_tokens`), if any. */
    readonly maxTokens?: number | undefined;
}

const IMAGE_MIME = /^image\/(png|jpeg|jpg|gif|webp)$/i;
const TEXT_MIME = /^(text\/|application\/json)/i;

/** The text of a data part whose bytes are text (VS Code's `LanguageModelDataPart.text/json`). */
function dataText(part: { mimeType: string; data: Uint8Array }): string | undefined {
    return TEXT_MIME.test(part.mimeType) ? new TextDecoder().decode(part.data) : undefined;
}

function imageContent(part: { mimeType: string; data: Uint8Array }): ImageUrlContent {
    const base64 = Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString(
        'base64',
    );
    return { type: 'image_url', image_url: { url: `data:${part.mimeType.toLowerCase()};base64,${base64}` } };
}

/** The text of parts (text parts, and data parts that hold text), joined. */
function textOf(parts: readonly PlainPart[]): string {
    const texts: string[] = [];
    for (const part of parts) {
        if (part.kind === 'text') texts.push(part.value);
        else if (part.kind === 'data') {
            const text = dataText(part);
            if (text !== undefined) texts.push(text);
        }
    }
    return texts.join('');
}

/** The complete argument string Cohere expects for a call's input object. */
function argumentsOf(input: unknown): string {
    return JSON.stringify(input ?? {});
}

function assistantMessage(parts: readonly PlainPart[]): AssistantMessage | undefined {
    const calls: ToolCall[] = [];
    for (const part of parts) {
        if (part.kind === 'toolCall') {
            calls.push({
                id: part.callId,
                type: 'function',
                function: { name: part.name, arguments: argumentsOf(part.input) },
            });
        }
    }
    const text = textOf(parts);
    // Cohere refuses text content next to tool calls: the text that led to them is the tool plan.
    if (calls.length > 0)
        return { role: 'assistant', tool_calls: calls, ...(text ? { tool_plan: text } : {}) };
    return text === '' ? undefined : { role: 'assistant', content: text };
}

/** A user message's parts: tool results become tool messages first, the rest one user message. */
function userMessages(parts: readonly PlainPart[], imageInput: boolean): ChatMessage[] {
    const out: ChatMessage[] = [];
    const content: (TextContent | ImageUrlContent)[] = [];
    for (const part of parts) {
        if (part.kind === 'toolResult') {
            // An empty result is still an answer to the call: Cohere wants one tool message per call id.
            out.push({ role: 'tool', tool_call_id: part.callId, content: textOf(part.content) || '(empty)' });
        } else if (part.kind === 'text') {
            if (part.value !== '') content.push({ type: 'text', text: part.value });
        } else if (part.kind === 'data') {
            if (IMAGE_MIME.test(part.mimeType)) {
                if (imageInput) content.push(imageContent(part));
            } else {
                const text = dataText(part);
                if (text) content.push({ type: 'text', text });
            }
        }
    }
    if (content.length > 0) {
        const onlyText = content.every((item) => item.type === 'text');
        out.push({
            role: 'user',
            content: onlyText ? content.map((item) => (item as TextContent).text).join('') : content,
        });
    }
    return out;
}

/** VS Code's messages as Cohere messages: role 3 is the system, unknown roles are the user. */
export function toCohereMessages(messages: readonly PlainMessage[], imageInput: boolean): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const message of messages) {
        if (message.role === ROLE_ASSISTANT) {
            const assistant = assistantMessage(message.content);
            if (assistant) out.push(assistant);
        } else if (message.role === ROLE_SYSTEM) {
            const text = textOf(message.content);
            // Cohere takes the system turn only first: later ones are merged into it.
            const first = out[0];
            if (text === '') continue;
            if (first?.role === 'system') first.content = `${String(first.content)}\n\n${text}`;
            else if (out.length === 0) out.push({ role: 'system', content: text });
            else out.unshift({ role: 'system', content: text });
        } else {
            out.push(...userMessages(message.content, imageInput));
        }
    }
    return out;
}

/** VS Code's tools as Cohere function tools (a tool without a schema takes an empty object). */
export function toCohereTools(tools: readonly PlainTool[]): Tool[] {
    return tools.map((tool) => ({
        type: 'function',
        function: {
            name: tool.name,
            description: tool.description,
            parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? {
                type: 'object',
                properties: {},
            },
        },
    }));
}

/** The whole Cohere request for one language-model request. */
export function toChatRequest(shape: RequestShape): ChatRequest {
    const request: ChatRequest = {
        model: shape.model,
        messages: toCohereMessages(shape.messages, shape.imageInput),
    };
    const tools = shape.tools ?? [];
    if (tools.length > 0) {
        request.tools = toCohereTools(tools);
        if (shape.toolMode === TOOL_MODE_REQUIRED) request.tool_choice = 'REQUIRED';
    }
    if (shape.maxTokens !== undefined) request.max_tokens = shape.maxTokens;
    return request;
}

/**
 * The caller's `modelOptions` Cohere understands. VS Code's own agent passes private `_`-prefixed keys
 * (conversation ids, telemetry); those never go to Cohere, nor does anything else unknown.
 */
export function maxTokensFrom(
    modelOptions: Readonly<Record<string, unknown>> | undefined,
): number | undefined {
    const value = modelOptions?.['max_tokens'] ?? modelOptions?.['maxTokens'];
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
