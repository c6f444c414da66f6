// The history list comes from the host, which reads it from files anything may have written: a summary
// that is not an object, has no id or no date would throw while the list is sorted or drawn, and one
// such entry took the whole list down (issue 7). Each entry and change is checked on its own here;
// what cannot be listed is left out, and the rest is listed as usual.
import type { ConversationSummary, HistoryChange } from '../src/chat/model';

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null;
}

/** A copy of `value` with the fields the list reads, or undefined when it has no id or no date. */
export function listableSummary(value: unknown): ConversationSummary | undefined {
    if (!isRecord(value)) return undefined;
    const { id, title, updatedAt, turnCount, newerVersion } = value;
    if (typeof id !== 'string' || id === '') return undefined;
    if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) return undefined;
    const summary: ConversationSummary = {
        id,
        title: typeof title === 'string' ? title : '',
        updatedAt,
        turnCount: typeof turnCount === 'number' && Number.isFinite(turnCount) ? turnCount : 0,
    };
    if (typeof newerVersion === 'number') summary.newerVersion = newerVersion;
    return summary;
}

/** The listable summaries of `history`, in its order. */
export function listableSummaries(history: readonly unknown[]): ConversationSummary[] {
    const kept: ConversationSummary[] = [];
    for (const value of history) {
        const summary = listableSummary(value);
        if (summary !== undefined) kept.push(summary);
    }
    return kept;
}

/** The changes of `changes` that can be applied (a removal with an id, an upsert of a listable summary). */
export function applicableChanges(changes: readonly unknown[]): HistoryChange[] {
    const kept: HistoryChange[] = [];
    for (const change of changes) {
        if (!isRecord(change)) continue;
        if (change['kind'] === 'remove' && typeof change['conversationId'] === 'string') {
            kept.push({ kind: 'remove', conversationId: change['conversationId'] });
        } else if (change['kind'] === 'upsert') {
            const summary = listableSummary(change['summary']);
            if (summary !== undefined) kept.push({ kind: 'upsert', summary });
        }
    }
    return kept;
}
