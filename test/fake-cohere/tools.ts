// The `tools` scenario's two calls: names from the request's tools (or two stand-ins), arguments
// made up from each tool's JSON Schema and sent in small, uneven fragments as the real API does.
import type { Tool } from '../../src/cohere/types';
import type { ReplyToolCall } from './reply';
import { isRecord } from './spec';

const FALLBACK_TOOLS: Tool[] = [
    {
        type: 'function',
        function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { location: { type: 'string' } } },
        },
    },
    {
        type: 'function',
        function: {
            name: 'search_docs',
            parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
    },
];

/** Fragment lengths, cycled, so arguments arrive as `{"`, `locat`, `ion":`… */
const FRAGMENT_SIZES = [2, 5, 3, 7, 1, 4, 6];
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The tool plan text and the calls it announces. */
export interface ToolPlan {
    toolPlan: string;
    calls: ReplyToolCall[];
}

/** Two calls: the first two tools, or the one tool twice with different arguments. */
export function planToolCalls(
    tools: readonly Tool[] | undefined,
    userWords: string,
    digest: string,
): ToolPlan {
    const available = tools !== undefined && tools.length > 0 ? tools : FALLBACK_TOOLS;
    const chosen = [available[0]!, available[1] ?? available[0]!];
    const topic = userWords.replace(/\s+/g, ' ').slice(0, 40).trim() || 'Zürich';
    const calls = chosen.map((tool, index): ReplyToolCall => {
        const name = tool.function?.name ?? `tool_${index}`;
        const args = JSON.stringify(argumentsFor(tool.function?.parameters, topic, index));
        return { id: `${name}_${callIdSuffix(digest, index)}`, name, argumentPieces: fragment(args) };
    });
    const names = [...new Set(calls.map((call) => call.name))].join(' and ');
    return {
        toolPlan: `I will call ${names} to answer “${topic}” — two calls, then I will summarise.`,
        calls,
    };
}

function argumentsFor(schema: unknown, topic: string, index: number): Record<string, unknown> {
    const properties = isRecord(schema) && isRecord(schema['properties']) ? schema['properties'] : {};
    const args: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(properties)) {
        args[key] = valueFor(isRecord(property) ? property : {}, topic, index);
    }
    return args;
}

function valueFor(property: Record<string, unknown>, topic: string, index: number): unknown {
    if (Array.isArray(property['enum']) && property['enum'].length > 0) {
        return property['enum'][index % property['enum'].length];
    }
    switch (property['type']) {
        case 'integer':
            return index + 1;
        case 'number':
            return index + 1.5;
        case 'boolean':
            return index === 0;
        case 'array':
            return [];
        case 'object':
            return {};
        default:
            return index === 0 ? topic : `${topic} (2)`;
    }
}

/** Real ids look like `<tool name>_<12 lowercase letters and digits>`. */
function callIdSuffix(digest: string, index: number): string {
    let suffix = '';
    for (let i = 0; i < 12; i++) {
        const byte = parseInt(digest.substr(((index * 12 + i) * 2) % 60, 2), 16);
        suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
    }
    return suffix;
}

/** Cuts a string into uneven fragments, never inside a surrogate pair. */
export function fragment(text: string): string[] {
    const pieces: string[] = [];
    let offset = 0;
    for (let i = 0; offset < text.length; i++) {
        let end = Math.min(text.length, offset + FRAGMENT_SIZES[i % FRAGMENT_SIZES.length]!);
        if (end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end++;
        pieces.push(text.slice(offset, end));
        offset = end;
    }
    return pieces;
}
