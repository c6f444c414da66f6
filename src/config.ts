// A typed, clamped snapshot of the `cohere.*` settings. The parsing takes a `get(key)` accessor
// instead of vscode's WorkspaceConfiguration, so it runs (and is tested) in plain Node.

/** The settings section every key below lives in. */
export const CONFIG_SECTION = 'cohere';
export const DEFAULT_MODEL = 'command-a-03-2025';
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_RETRIES = 2;
/** The API accepts at most this many stop sequences. */
export const MAX_STOP_SEQUENCES = 5;

export type SafetyModeSetting = 'CONTEXTUAL' | 'STRICT' | 'OFF';
export type ThinkingSetting = 'default' | 'on' | 'off';
export type CitationModeSetting = 'ACCURATE' | 'FAST' | 'OFF';

/** Everything a turn is sent with. Optional fields left undefined mean "the model's default". */
export interface ChatSettings {
    model: string;
    baseUrl?: string;
    systemPrompt?: string;
    temperature?: number;
    maxTokens?: number;
    stopSequences: string[];
    frequencyPenalty?: number;
    presencePenalty?: number;
    safetyMode?: SafetyModeSetting;
    thinking: ThinkingSetting;
    thinkingTokenBudget?: number;
    citationMode?: CitationModeSetting;
    stream: boolean;
    timeoutMs: number;
    maxRetries: number;
    requestHeaders: Record<string, string>;
}

/**
 * Reads every setting through `get` (keys without the `cohere.` prefix), checks its type, clamps
 * numbers into range and falls back to the default for anything unusable: a hand-edited
 * settings.json must never break a request.
 */
export function parseSettings(get: (key: string) => unknown): ChatSettings {
    return {
        model: nonEmptyString(get('model')) ?? DEFAULT_MODEL,
        baseUrl: httpUrl(get('baseUrl')),
        systemPrompt: nonEmptyString(get('systemPrompt'), false),
        temperature: clampedNumber(get('temperature'), 0, 1),
        maxTokens: positiveInteger(get('maxTokens')),
        stopSequences: stopSequences(get('stopSequences')),
        frequencyPenalty: clampedNumber(get('frequencyPenalty'), 0, 1),
        presencePenalty: clampedNumber(get('presencePenalty'), 0, 1),
        safetyMode: oneOf(get('safetyMode'), ['CONTEXTUAL', 'STRICT', 'OFF'] as const),
        thinking: oneOf(get('thinking'), ['default', 'on', 'off'] as const) ?? 'default',
        thinkingTokenBudget: positiveInteger(get('thinkingTokenBudget')),
        citationMode: oneOf(get('citationMode'), ['ACCURATE', 'FAST', 'OFF'] as const),
        stream: typeof get('stream') === 'boolean' ? (get('stream') as boolean) : true,
        timeoutMs: Math.round(
            (clampedNumber(get('timeoutSeconds'), 1, 3600) ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        ),
        maxRetries: Math.floor(clampedNumber(get('maxRetries'), 0, 10) ?? DEFAULT_MAX_RETRIES),
        requestHeaders: headers(get('requestHeaders')),
    };
}

function nonEmptyString(value: unknown, trim = true): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    return trim ? value.trim() : value;
}

function httpUrl(value: unknown): string | undefined {
    const text = nonEmptyString(value);
    if (text === undefined) return undefined;
    try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:' ? text : undefined;
    } catch {
        return undefined;
    }
}

function clampedNumber(value: unknown, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return Math.min(max, Math.max(min, value));
}

function positiveInteger(value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    const whole = Math.floor(value);
    return whole >= 1 ? whole : undefined;
}

function oneOf<const T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
    return allowed.find((candidate) => candidate === value);
}

function stopSequences(value: unknown): string[] {
    if (!Array.isArray(value)) return [];
    return value
        .filter((item): item is string => typeof item === 'string' && item !== '')
        .slice(0, MAX_STOP_SEQUENCES);
}

// RFC 9110 token characters: anything else would make undici throw when the request is built.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headers(value: unknown): Record<string, string> {
    const result: Record<string, string> = {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return result;
    for (const [name, headerValue] of Object.entries(value)) {
        if (!HEADER_NAME.test(name) || typeof headerValue !== 'string') continue;
        if (/[\r\n\0]/.test(headerValue)) continue;
        // The key is sent by the client alone; a setting must never replace it.
        if (name.toLowerCase() === 'authorization') continue;
        result[name] = headerValue;
    }
    return result;
}
