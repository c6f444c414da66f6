// The token budget: which documents fit in the model's context next to the conversation, and which
// do not. What does not fit is listed before sending, never dropped silently.
import type { Attachment } from '../chat/model';
import { CONTEXT_STRINGS, fill } from './strings';
import type { ContextStrings } from './strings';

/**
 * A local token estimate that errs high: Cohere's tokenizers give about 3.5-4 characters a token on
 * English and a little less on code, so a third of the characters is an upper bound in practice; it is
 * never below the word count (the fake server's tokenizer counts one token per word).
 */
export function estimateTokens(text: string): number {
    if (text === '') return 0;
    const words = text.match(/\S+/g)?.length ?? 0;
    return Math.max(words, Math.ceil(text.length / 3));
}

/** Counts tokens for a text: `/v1/tokenize` through the client, or the local estimate. */
export type TokenCounter = (text: string) => number | Promise<number>;

export interface BudgetInput {
    /** The model's context length (from /v1/models). */
    contextLength: number;
    /** Tokens reserved for the reply (max_tokens, or a default share of the context). */
    replyTokens: number;
    /** Tokens the messages (system prompt, history, the new prompt) take. */
    messageTokens: number;
    /** Candidates in order of priority: the first ones are kept first. */
    documents: readonly Attachment[];
    /** Per-document overhead of the document wrapper (title, id, JSON). */
    perDocumentTokens?: number;
}

export interface BudgetPlan {
    kept: Attachment[];
    leftOut: Attachment[];
    /** Tokens the kept documents take. */
    documentTokens: number;
    /** What was available for documents. */
    available: number;
}

/** Keeps documents in order while they fit; a document that does not fit is left out, later smaller ones may still fit. */
export async function planBudget(
    input: BudgetInput,
    count: TokenCounter = estimateTokens,
): Promise<BudgetPlan> {
    const overhead = input.perDocumentTokens ?? 16;
    const available = Math.max(0, input.contextLength - input.replyTokens - input.messageTokens);
    const kept: Attachment[] = [];
    const leftOut: Attachment[] = [];
    let used = 0;
    for (const document of input.documents) {
        const tokens = (await count(`${document.title}\n${document.text}`)) + overhead;
        if (used + tokens <= available) {
            kept.push(document);
            used += tokens;
        } else {
            leftOut.push(document);
        }
    }
    return { kept, leftOut, documentTokens: used, available };
}

/** Says what was left out, by title, e.g. `Left out to fit the context: a.ts:1-80, a.ts:81-160.` */
export function leftOutText(plan: BudgetPlan, strings: ContextStrings = CONTEXT_STRINGS): string | undefined {
    if (plan.leftOut.length === 0) return undefined;
    const titles = plan.leftOut.map((document) => document.title);
    const first = titles.slice(0, 8).join(', ');
    const shown = titles.length > 8 ? fill(strings.leftOutMore, first, titles.length - 8) : first;
    return fill(strings.leftOut, plan.leftOut.length, plan.kept.length + plan.leftOut.length, shown);
}
