// Checks what the server sends before anything of it is kept. The JSON of a reply is untrusted input:
// a field of the wrong type, an index like "__proto__" or 1e9, a citation whose span lies outside its
// text or a `null` where an object belongs must never reach a turn, a saved file or a view. What fails
// a check is dropped, and the caller is told once per dropped piece (for one log line).
import type {
    AssistantContent,
    ChatResponse,
    ChatStreamEvent,
    Citation,
    LogprobItem,
    Source,
    ToolCall,
    Usage,
} from './types';

/** Told of each piece of a reply that was malformed and dropped, in words for the log. */
export type ReportProblem = (problem: string) => void;

/**
 * The highest content block or tool-call index a reply may use. Real replies have a handful; an index far
 * beyond would make a sparse array whose iteration alone could hang the host.
 */
export const MAX_INDEX = 1023;

/**
 * The length of the text a citation points into: its block by `content_index` (or by its `type` when
 * absent); undefined when there is no such block.
 */
export type CitedLength = (contentIndex: number | undefined, type: string | undefined) => number | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A content block or tool-call index: a non-negative integer no greater than MAX_INDEX. */
export function isIndex(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INDEX;
}

/** Missing and `null` both mean "not sent" (the API sends `null` for missing fields). */
function absent(value: unknown): value is undefined | null {
    return value === undefined || value === null;
}

function optionalString(value: unknown): boolean {
    return absent(value) || typeof value === 'string';
}

function optionalRecord(value: unknown): boolean {
    return absent(value) || isRecord(value);
}

/** A short, safe rendering of a bad value for the log (never the whole of a huge one). */
export function show(value: unknown): string {
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = typeof value;
    }
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * The citation as the host keeps it (only the known fields, freshly copied), or why it is dropped:
 * `start`/`end` integers with 0 <= start <= end <= the length of the text they point into,
 * `content_index` absent or an index naming an existing block, `sources` an array of known shapes.
 */
export function checkCitation(value: unknown, lengthOf: CitedLength): Citation | string {
    if (!isRecord(value)) return `a citation that is not an object (${show(value)})`;
    const { start, end, content_index: contentIndex, type, text, sources } = value;
    if (!absent(contentIndex) && !isIndex(contentIndex)) {
        return `a citation whose content_index ${show(contentIndex)} is not a non-negative integer`;
    }
    if (!optionalString(type)) return `a citation whose type ${show(type)} is not a string`;
    if (!optionalString(text)) return `a citation whose text ${show(text)} is not a string`;
    const index = absent(contentIndex) ? undefined : contentIndex;
    const kind = absent(type) ? undefined : (type as string);
    const length = lengthOf(index, kind);
    if (length === undefined) {
        return index === undefined
            ? `a citation of type ${show(kind ?? 'TEXT_CONTENT')} with no content block to point into`
            : `a citation whose content_index ${index} names no content block`;
    }
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
        return `a citation whose start/end (${show(start)}, ${show(end)}) are not integers`;
    }
    const from = start as number;
    const to = end as number;
    if (from < 0 || from > to || to > length) {
        return `a citation whose span ${from}-${to} is outside its text (${length} characters)`;
    }
    const checkedSources = checkSources(sources);
    if (typeof checkedSources === 'string') return `a citation with ${checkedSources}`;
    const citation: Citation = { start: from, end: to };
    if (!absent(sources)) citation.sources = checkedSources;
    if (typeof text === 'string') citation.text = text;
    if (index !== undefined) citation.content_index = index;
    if (kind !== undefined) citation.type = kind;
    return citation;
}

/** The sources, each copied with its known fields, or why they cannot be used. */
function checkSources(value: unknown): Source[] | string {
    if (absent(value)) return [];
    if (!Array.isArray(value)) return `sources that are not an array (${show(value)})`;
    const sources: Source[] = [];
    for (const item of value as unknown[]) {
        if (!isRecord(item) || typeof item['type'] !== 'string')
            return `a source of no known shape (${show(item)})`;
        const { type, id, document, tool_output: toolOutput } = item;
        if (!optionalString(id) || !optionalRecord(document) || !optionalRecord(toolOutput)) {
            return `a source of no known shape (${show(item)})`;
        }
        const source = { type } as Source & Record<string, unknown>;
        if (typeof id === 'string') source.id = id;
        if (type === 'document' && isRecord(document)) source['document'] = document;
        if (type === 'tool' && isRecord(toolOutput)) source['tool_output'] = toolOutput;
        sources.push(source);
    }
    return sources;
}

/** Usage with only finite numbers in the known places (anything else is left out). */
export function checkUsage(value: unknown): Usage | undefined {
    if (!isRecord(value)) return undefined;
    const usage: Usage = {};
    const billed = numbers(value['billed_units'], [
        'input_tokens',
        'output_tokens',
        'search_units',
        'classifications',
    ]);
    if (billed !== undefined) usage.billed_units = billed;
    const tokens = numbers(value['tokens'], ['input_tokens', 'output_tokens', 'image_tokens']);
    if (tokens !== undefined) usage.tokens = tokens;
    const cached = value['cached_tokens'];
    if (typeof cached === 'number' && Number.isFinite(cached)) usage.cached_tokens = cached;
    return usage;
}

function numbers(value: unknown, keys: readonly string[]): Record<string, number> | undefined {
    if (!isRecord(value)) return undefined;
    const result: Record<string, number> = {};
    for (const key of keys) {
        const number = value[key];
        if (typeof number === 'number' && Number.isFinite(number)) result[key] = number;
    }
    return result;
}

function checkToolCall(value: unknown): ToolCall | string {
    if (!isRecord(value)) return `a tool call that is not an object (${show(value)})`;
    const fn = value['function'];
    if (!optionalString(value['id']) || !optionalRecord(fn))
        return `a tool call of no known shape (${show(value)})`;
    const name = isRecord(fn) ? fn['name'] : undefined;
    const args = isRecord(fn) ? fn['arguments'] : undefined;
    if (!optionalString(name) || !optionalString(args))
        return `a tool call of no known shape (${show(value)})`;
    const call: ToolCall = { type: 'function', function: {} };
    if (typeof value['id'] === 'string') call.id = value['id'];
    if (typeof name === 'string') call.function = { ...call.function, name };
    call.function = { ...call.function, arguments: typeof args === 'string' ? args : '' };
    return call;
}

/**
 * A stream event whose fields have the types the assemblers rely on (a cleaned copy where a field is
 * fixed), or why the event is dropped. Citations are checked by the assembler, which knows the texts.
 */
export function checkEvent(event: ChatStreamEvent, report: ReportProblem): ChatStreamEvent | string {
    if (event.type === 'content-delta' && isPlainDelta(event)) return event;
    const raw = event as unknown as Record<string, unknown>;
    const index = raw['index'];
    if (!absent(index) && !isIndex(index)) {
        return `a ${event.type} event whose index ${show(index)} is not a non-negative integer`;
    }
    const message = isRecord(raw['delta']) ? raw['delta']['message'] : undefined;
    const part = (name: string): unknown => (isRecord(message) ? message[name] : undefined);
    switch (event.type) {
        case 'message-start':
            return optionalString(raw['id'])
                ? event
                : `a message-start whose id ${show(raw['id'])} is not a string`;
        case 'content-start':
        case 'content-delta': {
            const content = part('content');
            if (!optionalRecord(content)) return `a ${event.type} whose content is ${show(content)}`;
            if (isRecord(content)) {
                const { type, text, thinking } = content;
                if (!optionalString(type) || !optionalString(text) || !optionalString(thinking)) {
                    return `a ${event.type} of no known shape (${show(content)})`;
                }
            }
            if (event.type === 'content-delta' && !absent(event.logprobs) && !isLogprob(event.logprobs)) {
                report(`logprobs of no known shape (${show(event.logprobs)})`);
                const { logprobs: _dropped, ...rest } = event;
                return rest;
            }
            return event;
        }
        case 'tool-plan-delta': {
            const plan = part('tool_plan');
            return optionalString(plan)
                ? event
                : `a tool-plan-delta whose tool_plan ${show(plan)} is not a string`;
        }
        case 'tool-call-start': {
            const call = part('tool_calls');
            if (absent(call)) return event;
            const checked = checkToolCall(call);
            if (typeof checked === 'string') return checked;
            return { ...event, delta: { message: { tool_calls: checked } } };
        }
        case 'tool-call-delta': {
            const call = part('tool_calls');
            const fn = isRecord(call) ? call['function'] : undefined;
            const args = isRecord(fn) ? fn['arguments'] : undefined;
            return optionalString(args)
                ? event
                : `a tool-call-delta whose arguments ${show(args)} are not a string`;
        }
        case 'message-end':
            return checkMessageEnd(event, report);
        case 'citation-start': // checked by the assemblers, which know the texts
        case 'citation-end':
        case 'content-end':
        case 'tool-call-end':
        case 'debug':
        default:
            return event;
    }
}

/** message-end is never dropped (it ends the reply): a malformed field of it is. */
function checkMessageEnd(
    event: ChatStreamEvent & { type: 'message-end' },
    report: ReportProblem,
): ChatStreamEvent {
    const raw = event as unknown as Record<string, unknown>;
    const delta = isRecord(raw['delta']) ? raw['delta'] : {};
    const cleaned: { finish_reason?: string; usage?: Usage; error?: string; error_type?: string } = {};
    const reason = delta['finish_reason'];
    if (typeof reason === 'string') cleaned.finish_reason = reason;
    else if (!absent(reason)) report(`a finish_reason that is not a string (${show(reason)})`);
    const usage = delta['usage'];
    if (isRecord(usage)) cleaned.usage = checkUsage(usage) ?? {};
    else if (!absent(usage)) report(`usage that is not an object (${show(usage)})`);
    for (const key of ['error', 'error_type'] as const) {
        const value = delta[key];
        if (typeof value === 'string') cleaned[key] = value;
        else if (!absent(value)) report(`a message-end ${key} that is not a string (${show(value)})`);
    }
    const result: Record<string, unknown> = { type: 'message-end', delta: cleaned };
    if (typeof raw['id'] === 'string') result['id'] = raw['id'];
    return result as unknown as ChatStreamEvent;
}

/**
 * The shape nearly every event of a stream has, checked without allocating: a content-delta with a small
 * index and a string text or thinking, no logprobs. Anything else takes the full check.
 */
function isPlainDelta(event: ChatStreamEvent & { type: 'content-delta' }): boolean {
    const index = event.index;
    if (index !== undefined && !isIndex(index)) return false;
    if (event.logprobs !== undefined) return false;
    const delta = event.delta;
    if (typeof delta !== 'object' || delta === null) return false;
    const message = delta.message;
    if (typeof message !== 'object' || message === null) return false;
    const content = message.content;
    if (typeof content !== 'object' || content === null) return false;
    const { text, thinking } = content;
    return (
        (text === undefined || typeof text === 'string') &&
        (thinking === undefined || typeof thinking === 'string') &&
        (text !== undefined || thinking !== undefined)
    );
}

function isLogprob(value: unknown): value is LogprobItem {
    return (
        isRecord(value) &&
        Array.isArray(value['token_ids']) &&
        optionalString(value['text']) &&
        (absent(value['logprobs']) || Array.isArray(value['logprobs']))
    );
}

/**
 * A non-streamed reply with every part checked: blocks, tool calls, citations (against the blocks they
 * point into), usage. Returns undefined when it is not a reply at all (no `message` object).
 */
export function checkResponse(value: unknown, report: ReportProblem): ChatResponse | undefined {
    if (!isRecord(value) || !isRecord(value['message'])) return undefined;
    const message = value['message'];
    const content: AssistantContent[] = [];
    const rawContent = message['content'];
    if (Array.isArray(rawContent)) {
        for (const block of rawContent as unknown[]) {
            if (isRecord(block) && block['type'] === 'text' && typeof block['text'] === 'string') {
                content.push({ type: 'text', text: block['text'] });
            } else if (
                isRecord(block) &&
                block['type'] === 'thinking' &&
                typeof block['thinking'] === 'string'
            ) {
                content.push({ type: 'thinking', thinking: block['thinking'] });
            } else {
                report(`a content block of no known shape (${show(block)})`);
            }
        }
    } else if (!absent(rawContent)) {
        report(`content that is not an array (${show(rawContent)})`);
    }
    const checked: ChatResponse['message'] = { role: 'assistant' };
    if (content.length > 0 || Array.isArray(rawContent)) checked.content = content;
    const plan = message['tool_plan'];
    if (typeof plan === 'string') checked.tool_plan = plan;
    else if (!absent(plan)) report(`a tool_plan that is not a string (${show(plan)})`);
    const toolCalls = listOf(message['tool_calls'], 'tool_calls', report, checkToolCall);
    if (toolCalls !== undefined) checked.tool_calls = toolCalls;
    const lengthOf: CitedLength = (index, type) => {
        if (type === 'PLAN') return checked.tool_plan?.length;
        const block =
            index !== undefined
                ? content[index]
                : content.find(
                      (candidate) => candidate.type === (type === 'THINKING_CONTENT' ? 'thinking' : 'text'),
                  );
        if (block === undefined) return undefined;
        return block.type === 'text' ? block.text.length : block.thinking.length;
    };
    const citations = listOf(message['citations'], 'citations', report, (item) =>
        checkCitation(item, lengthOf),
    );
    if (citations !== undefined) checked.citations = citations;
    const reason = value['finish_reason'];
    if (!absent(reason) && typeof reason !== 'string')
        report(`a finish_reason that is not a string (${show(reason)})`);
    const response: ChatResponse = {
        id: typeof value['id'] === 'string' ? value['id'] : '',
        finish_reason: typeof reason === 'string' ? reason : 'COMPLETE',
        message: checked,
    };
    const usage = checkUsage(value['usage']);
    if (usage !== undefined) response.usage = usage;
    if (Array.isArray(value['logprobs'])) {
        response.logprobs = (value['logprobs'] as unknown[]).filter(isLogprob);
    }
    return response;
}

function listOf<T>(
    value: unknown,
    name: string,
    report: ReportProblem,
    check: (item: unknown) => T | string,
): T[] | undefined {
    if (absent(value)) return undefined;
    if (!Array.isArray(value)) {
        report(`${name} that are not an array (${show(value)})`);
        return undefined;
    }
    const kept: T[] = [];
    for (const item of value as unknown[]) {
        const checked = check(item);
        if (typeof checked === 'string') report(checked);
        else kept.push(checked);
    }
    return kept;
}
