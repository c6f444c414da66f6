// The history list: a summary of every saved conversation, read from the store in the background and kept
// current as conversations are saved, renamed and deleted. It tells its listeners when the list changes.
import { Emitter } from './emitter';
import type { Subscription } from './emitter';
import { asError } from './logger';
import type { Logger } from './logger';
import type { Conversation, ConversationSummary } from './model';
import { summarize } from './store';
import type { ConversationStore } from './store';

/** The summaries of the saved conversations. */
export class ConversationHistory {
    private readonly summaries = new Map<string, ConversationSummary>();
    private readonly _onDidChange: Emitter;
    /** Resolves once the store's conversations are listed. */
    readonly loaded: Promise<void>;

    constructor(
        store: Pick<ConversationStore, 'list'>,
        private readonly log: Logger,
        /** Whether a conversation was deleted (a file listed meanwhile must not bring it back). */
        isDeleted: (conversationId: string) => boolean,
    ) {
        this._onDidChange = new Emitter((error) => log.error(asError(error)));
        this.loaded = this.load(store, isDeleted);
    }

    /** Fires when a conversation is listed for the first time, renamed, removed, or changes its turn count. */
    onDidChange(listener: () => void): Subscription {
        return this._onDidChange.event(listener);
    }

    /** Summaries, newest first. */
    list(): ConversationSummary[] {
        return [...this.summaries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    }

    /** Records a conversation that was just saved. */
    saved(conversation: Conversation): void {
        const before = this.summaries.get(conversation.id);
        const after = summarize(conversation);
        this.summaries.set(conversation.id, after);
        if (before === undefined || before.title !== after.title || before.turnCount !== after.turnCount) {
            this._onDidChange.fire();
        }
    }

    /** Forgets a deleted conversation. */
    removed(conversationId: string): void {
        if (this.summaries.delete(conversationId)) this._onDidChange.fire();
    }

    /** Stops telling anyone anything. */
    dispose(): void {
        this._onDidChange.dispose();
    }

    private async load(
        store: Pick<ConversationStore, 'list'>,
        isDeleted: (conversationId: string) => boolean,
    ): Promise<void> {
        let listed: ConversationSummary[];
        try {
            listed = await store.list();
        } catch (error) {
            this.log.error('Could not list the saved conversations.');
            this.log.error(asError(error));
            return;
        }
        let changed = false;
        for (const summary of listed) {
            // A conversation saved or deleted meanwhile is already known better than its file was.
            if (this.summaries.has(summary.id) || isDeleted(summary.id)) continue;
            this.summaries.set(summary.id, summary);
            changed = true;
        }
        if (changed) this._onDidChange.fire();
    }
}
