// Scenario selection: `x-fake-scenario: SPEC` or a `[[fake:SPEC]]` marker in the last user message.
// SPEC is `name` or `name?key=value&key=value`, several joined with `,`.
import type { ChatMessage, ChatRequest } from '../../src/cohere/types';
import { TOOL_SCENARIOS } from './toolScenarioNames';

/** Scenarios that shape a successful reply; at most one applies to a request. */
export const NORMAL_SCENARIOS = [
    'text',
    'reasoning',
    'rag',
    'rag-inline',
    'tools',
    'max-tokens',
    'markdown',
    'long',
    ...TOOL_SCENARIOS,
] as const;

/** Faults that replace the reply with an HTTP error. */
export const STATUS_FAULTS = [
    '429-retry-after',
    '429-reset',
    '500',
    '502-html',
    '503',
    '504',
    '498',
    '499',
] as const;

/** Faults that change how (or how much of) the reply is delivered. */
export const DELIVERY_FAULTS = [
    'cut-before-end',
    'cut-after-end',
    'no-done',
    'slow-first-byte',
    'stall',
    'slow',
    'generation-error',
    'split-bytes',
    'split-utf8',
] as const;

/** The name of a normal scenario. */
export type NormalScenario = (typeof NORMAL_SCENARIOS)[number];
/** The name of a status fault. */
export type StatusFault = (typeof STATUS_FAULTS)[number];
/** The name of a delivery fault. */
export type DeliveryFault = (typeof DELIVERY_FAULTS)[number];

/** One parsed `name?key=value` item. `raw` (name and query) identifies it for fault counting. */
export interface ScenarioSpec<Name extends string = string> {
    name: Name;
    params: URLSearchParams;
    raw: string;
}

/** Every spec of a request, sorted by kind. */
export interface ScenarioSelection {
    normal?: ScenarioSpec<NormalScenario>;
    statusFaults: ScenarioSpec<StatusFault>[];
    deliveryFaults: ScenarioSpec<DeliveryFault>[];
}

const MARKER = /\[\[fake:([^\]]*)\]\]/;
// A marker may sit in a markdown comment (a link reference definition, which renders as nothing), so the
// chat shows the question without it; the whole comment is then left out of the quoted words.
const MARKERS = /\[\/\/\]: # "\[\[fake:[^\]]*\]\]"|\[\[fake:[^\]]*\]\]/g;

/** Thrown for a spec the server does not know, so a typo fails loudly instead of giving a plain reply. */
export class UnknownScenarioError extends Error {}

/** Parses `a,b?x=1`; an empty or missing text gives an empty selection. */
export function parseScenarios(text: string | undefined): ScenarioSelection {
    const selection: ScenarioSelection = { statusFaults: [], deliveryFaults: [] };
    if (text === undefined || text === '') return selection;
    for (const item of text.split(',')) {
        const raw = item.trim();
        if (raw === '') continue;
        const question = raw.indexOf('?');
        const name = question < 0 ? raw : raw.slice(0, question);
        const params = new URLSearchParams(question < 0 ? '' : raw.slice(question + 1));
        if (isOneOf(NORMAL_SCENARIOS, name)) {
            selection.normal ??= { name, params, raw };
        } else if (isOneOf(STATUS_FAULTS, name)) {
            selection.statusFaults.push({ name, params, raw });
        } else if (isOneOf(DELIVERY_FAULTS, name)) {
            selection.deliveryFaults.push({ name, params, raw });
        } else {
            throw new UnknownScenarioError(`fake server: unknown scenario '${name}'`);
        }
    }
    return selection;
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
    return (list as readonly string[]).includes(value);
}

/** The text of a message's content, text blocks joined by newlines. */
export function contentText(content: ChatMessage['content'] | undefined): string {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    const parts: string[] = [];
    for (const block of content as unknown[]) {
        if (isRecord(block) && block['type'] === 'text' && typeof block['text'] === 'string') {
            parts.push(block['text']);
        }
    }
    return parts.join('\n');
}

/** The text of the last user message (markers included), or '' when there is none. */
export function lastUserText(messages: readonly ChatMessage[]): string {
    for (let i = messages.length - 1; i >= 0; i--) {
        const message = messages[i];
        if (message?.role === 'user') return contentText(message.content);
    }
    return '';
}

/** The SPEC of the first `[[fake:SPEC]]` marker in a text. */
export function markerSpec(text: string): string | undefined {
    return MARKER.exec(text)?.[1];
}

/** A text with its markers removed and its ends trimmed: the user's own words. */
export function withoutMarkers(text: string): string {
    return text.includes('[[fake:') ? text.replace(MARKERS, '').trim() : text.trim();
}

/** The scenario a chat request gets when it names none (API doc: ACCURATE is the default placement). */
export function defaultScenario(request: ChatRequest): NormalScenario {
    if (Array.isArray(request.documents) && request.documents.length > 0) {
        const mode = String(request.citation_options?.mode ?? '').toUpperCase();
        return mode === 'FAST' ? 'rag-inline' : 'rag';
    }
    if (Array.isArray(request.tools) && request.tools.length > 0) return 'tools';
    return 'text';
}

/** A numeric parameter, or the fallback when it is missing or not a number ≥ 0. */
export function numberParam(spec: ScenarioSpec, key: string, fallback: number): number {
    const value = spec.params.get(key);
    if (value === null || value.trim() === '') return fallback;
    const number = Number(value);
    return Number.isFinite(number) && number >= 0 ? number : fallback;
}

/** How many requests a fault applies to: `times=N`, `times=inf`, else 1. */
export function faultTimes(spec: ScenarioSpec): number {
    const times = spec.params.get('times');
    if (times === 'inf' || times === 'infinity') return Number.POSITIVE_INFINITY;
    return numberParam(spec, 'times', 1);
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
