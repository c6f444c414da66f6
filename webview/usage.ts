// Token usage a person can trust: per reply, per conversation, and the context used against the model's
// context length. Numbers are shown as the server reported them; nothing is estimated.
import type { Turn } from '../src/chat/model';
import type { Usage } from '../src/cohere/types';
import { element } from './dom';
import { t } from './l10n';
import type { WebviewStringKey } from '../src/webviewStrings';

/** The five numbers shown for a reply or a conversation. */
export interface UsageNumbers {
    input: number;
    output: number;
    billedInput: number;
    billedOutput: number;
    cached: number;
    /** Tokens the images of the message took (part of `input`); shown only when there were some. */
    images: number;
}

const FIELDS: readonly {
    key: keyof UsageNumbers;
    attribute: string;
    label: WebviewStringKey;
    title: WebviewStringKey;
}[] = [
    { key: 'input', attribute: 'input', label: 'usageIn', title: 'usageInput' },
    { key: 'output', attribute: 'output', label: 'usageOut', title: 'usageOutput' },
    { key: 'billedInput', attribute: 'billed-input', label: 'usageBilledIn', title: 'usageBilledInput' },
    { key: 'billedOutput', attribute: 'billed-output', label: 'usageBilledOut', title: 'usageBilledOutput' },
    { key: 'cached', attribute: 'cached', label: 'usageCachedLabel', title: 'usageCached' },
    { key: 'images', attribute: 'images', label: 'usageImagesLabel', title: 'usageImages' },
];

/** The fields to show: image tokens only when images were sent. */
function shownFields(numbers: UsageNumbers): typeof FIELDS {
    return FIELDS.filter((field) => field.key !== 'images' || numbers.images > 0);
}

/** The numbers in one `usage` block; missing fields count as 0. */
export function usageNumbers(usage: Usage | undefined): UsageNumbers {
    return {
        input: usage?.tokens?.input_tokens ?? 0,
        output: usage?.tokens?.output_tokens ?? 0,
        billedInput: usage?.billed_units?.input_tokens ?? 0,
        billedOutput: usage?.billed_units?.output_tokens ?? 0,
        cached: usage?.cached_tokens ?? 0,
        images: usage?.tokens?.image_tokens ?? 0,
    };
}

/** The conversation's totals over every turn that reported usage. */
export function totalUsage(turns: readonly Turn[]): UsageNumbers {
    const total = usageNumbers(undefined);
    for (const turn of turns) {
        const numbers = usageNumbers(turn.usage);
        for (const field of FIELDS) total[field.key] += numbers[field.key];
    }
    return total;
}

/**
 * Tokens the conversation takes in the model's context: the last reply's input (which holds every earlier
 * turn) plus its output. Undefined before any reply reported usage.
 */
export function contextUsed(turns: readonly Turn[]): number | undefined {
    for (let i = turns.length - 1; i >= 0; i--) {
        const usage = turns[i]?.usage;
        if (usage === undefined) continue;
        const numbers = usageNumbers(usage);
        return (numbers.input || numbers.billedInput) + (numbers.output || numbers.billedOutput);
    }
    return undefined;
}

/** A token count a glance can read: 950, 1.2k, 12k, 1.3M. */
export function compactNumber(n: number): string {
    if (n < 1000) return String(n);
    if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
    if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
    return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** "1.2k tokens · 96 cached": the whole of a reply (or conversation) in one short line. */
export function usageLine(numbers: UsageNumbers): string {
    const total = (numbers.input || numbers.billedInput) + (numbers.output || numbers.billedOutput);
    const parts = [t('tokensShort', compactNumber(total))];
    if (numbers.cached > 0) parts.push(t('cachedShort', compactNumber(numbers.cached)));
    return parts.join(' · ');
}

/** Fills `container` with one labelled `[data-usage]` number per field: the full breakdown. */
export function fillUsage(container: HTMLElement, numbers: UsageNumbers): void {
    const items = shownFields(numbers).map((field) => {
        const item = element('span', 'usage-item');
        item.title = t(field.title);
        const value = element('span', 'usage-value', String(numbers[field.key]));
        value.dataset['usage'] = field.attribute;
        item.append(value, ` ${t(field.label)}`);
        return item;
    });
    container.replaceChildren(...items);
}

/** The breakdown as one line, for a tooltip. */
function breakdownText(numbers: UsageNumbers): string {
    return shownFields(numbers)
        .map((field) => `${t(field.title)}: ${numbers[field.key]}`)
        .join('\n');
}

/** Makes `details` a compact usage line that opens onto the full breakdown. */
export function fillUsageDetails(details: HTMLElement, numbers: UsageNumbers): void {
    const summary = element('summary', 'usage-summary', usageLine(numbers));
    summary.title = breakdownText(numbers);
    const breakdown = element('div', 'usage-breakdown');
    fillUsage(breakdown, numbers);
    details.replaceChildren(summary, breakdown);
}

/** A `.usage` line for one reply. */
export function renderUsage(usage: Usage): HTMLElement {
    const container = element('details', 'usage');
    container.setAttribute('aria-label', t('tokenUsage'));
    fillUsageDetails(container, usageNumbers(usage));
    return container;
}

/** Sets the context meter to `used` of `max` tokens; hides it when either is unknown. */
export function updateContextMeter(
    meter: HTMLElement,
    used: number | undefined,
    max: number | undefined,
): void {
    const known = max !== undefined && max > 0;
    meter.hidden = !known;
    const value = used ?? 0;
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuenow', String(value));
    if (known) meter.setAttribute('aria-valuemax', String(max));
    else meter.removeAttribute('aria-valuemax');
    const fraction = known ? Math.min(value / max, 1) : 0;
    const percent = Math.round(fraction * 100);
    meter.setAttribute(
        'aria-valuetext',
        known ? t('contextValue', value, max, percent) : t('contextTokens', value),
    );
    meter.title = meter.getAttribute('aria-valuetext') ?? '';
    meter.classList.toggle('near-full', fraction >= 0.9);
    const bar = meter.querySelector<HTMLElement>('.meter-bar');
    if (bar !== null) bar.style.width = `${percent}%`;
    const label = meter.querySelector<HTMLElement>('.meter-label');
    if (label !== null) label.textContent = known ? contextLabel(value, max, percent) : '';
}

/** "17% of 256k context"; a little use reads "<1%" rather than a misleading "0%". */
function contextLabel(used: number, max: number, percent: number): string {
    const shown = used > 0 && percent === 0 ? '<1' : String(percent);
    const size = max >= 1000 ? `${Math.round(max / 1000)}k` : String(max);
    return t('contextLabel', shown, size);
}
