// The history list: a summary of every saved conversation, read from the store in the background and kept
// current as conversations are saved, renamed and deleted, here or (through a folder watcher) in another
// window sharing the folder. It tells its listeners what changed, item by item, never the whole list.
import { Emitter } from './emitter';
import type { Subscription } from './emitter';
import { ANY_FILE } from './folderWatcher';
import type { FolderWatcher } from './folderWatcher';
import { asError } from './logger';
import type { Logger } from './logger';
import type { Conversation, ConversationSummary, HistoryChange } from './model';
import { summarize } from './store';
import type { ConversationStore, IndexedListing } from './store';

export type { HistoryChange } from './model';

/** What the history needs of the store. */
export type HistoryStore = Pick<
    ConversationStore,
    'list' | 'listIndexed' | 'writeIndex' | 'modifiedSince' | 'summary' | 'isUnchanged'
>;

const CONVERSATION_FILE = /^([A-Za-z0-9_-]{1,128})\.json$/;
// The index is rewritten this long after the last change, so a streaming turn does not rewrite it often.
const INDEX_WRITE_DELAY_MS = 1000;
// Modification times and the index's own clock may differ by this much (coarse file system clocks, and
// a change another window made just before this one wrote the index without having seen it yet).
const INDEX_CLOCK_SLACK_MS = 5000;

/** The summaries of the saved conversations. */
export class ConversationHistory {
    private readonly summaries = new Map<string, ConversationSummary>();
    private readonly _onDidChange: Emitter<readonly HistoryChange[]>;
    private readonly _onDidRemoveElsewhere: Emitter<string>;
    private readonly watching: Subscription | undefined;
    // Refreshes after folder changes run one after another, after the first listing.
    private refreshing: Promise<void>;
    private disposed = false;
    private indexTimer: ReturnType<typeof setTimeout> | undefined;
    private indexWriting: Promise<void> = Promise.resolve();
    /** Resolves once the store's conversations are listed. */
    readonly loaded: Promise<void>;

    constructor(
        private readonly store: HistoryStore,
        private readonly log: Logger,
        /** Whether a conversation was deleted (a file listed meanwhile must not bring it back). */
        private readonly isDeleted: (conversationId: string) => boolean,
        watcher?: FolderWatcher,
    ) {
        this._onDidChange = new Emitter((error) => log.error(asError(error)));
        this._onDidRemoveElsewhere = new Emitter((error) => log.error(asError(error)));
        const indexWrittenAt = this.load();
        this.loaded = indexWrittenAt.then(() => undefined);
        // After the list is shown, the files changed since the index was written are read again.
        this.refreshing = indexWrittenAt.then((writtenAt) => this.refreshModifiedSince(writtenAt));
        this.watching = watcher?.onDidChange((names) => {
            this.refreshing = this.refreshing.then(() => this.refresh(names));
        });
    }

    /** Fires with what changed: a conversation listed, renamed, moved to the top, or removed. */
    onDidChange(listener: (changes: readonly HistoryChange[]) => void): Subscription {
        return this._onDidChange.event(listener);
    }

    /** Fires when another window deleted a conversation (its file is gone). */
    onDidRemoveElsewhere(listener: (conversationId: string) => void): Subscription {
        return this._onDidRemoveElsewhere.event(listener);
    }

    /** Summaries, newest first. */
    list(): ConversationSummary[] {
        return [...this.summaries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    }

    /** Resolves once the folder changes seen so far are applied. */
    whenRefreshed(): Promise<void> {
        return this.refreshing;
    }

    /** Records a conversation that was just saved. */
    saved(conversation: Conversation): void {
        this.apply([{ kind: 'upsert', summary: summarize(conversation) }]);
    }

    /** Forgets a deleted conversation. */
    removed(conversationId: string): void {
        this.apply([{ kind: 'remove', conversationId }]);
    }

    /** Writes the index now if a change is waiting to be written; resolves once the writes started end. */
    flushIndex(): Promise<void> {
        if (this.indexTimer !== undefined) {
            clearTimeout(this.indexTimer);
            this.indexTimer = undefined;
            const list = this.list();
            this.indexWriting = this.indexWriting
                .then(() => this.store.writeIndex(list))
                .catch((error: unknown) => {
                    this.log.warn(`Could not write the history index: ${asError(error).message}`);
                });
        }
        return this.indexWriting;
    }

    /**
     * Resolves once the index writes started so far end (the one `dispose` starts too), so whoever
     * removes the folder afterwards does not race a write into it.
     */
    whenIndexWritten(): Promise<void> {
        return this.indexWriting;
    }

    /** Stops telling anyone anything (a change not yet in the index is written first). */
    dispose(): void {
        if (this.disposed) return;
        void this.flushIndex();
        this.disposed = true;
        this.watching?.dispose();
        this._onDidChange.dispose();
        this._onDidRemoveElsewhere.dispose();
    }

    /** Applies the changes that change something, and tells the listeners about those. */
    private apply(changes: readonly HistoryChange[]): HistoryChange[] {
        const applied: HistoryChange[] = [];
        for (const change of changes) {
            if (change.kind === 'remove') {
                if (this.summaries.delete(change.conversationId)) applied.push(change);
                continue;
            }
            const before = this.summaries.get(change.summary.id);
            if (before !== undefined && sameSummary(before, change.summary)) continue;
            this.summaries.set(change.summary.id, change.summary);
            applied.push(change);
        }
        if (applied.length > 0) {
            this.scheduleIndexWrite();
            this._onDidChange.fire(applied);
        }
        return applied;
    }

    private scheduleIndexWrite(): void {
        if (this.disposed || this.indexTimer !== undefined) return;
        this.indexTimer = setTimeout(() => void this.flushIndex(), INDEX_WRITE_DELAY_MS);
        // A pending index write must not keep a process (a test, a closing host) alive.
        this.indexTimer.unref?.();
    }

    /**
     * Lists the conversations from the index (its first page, then the rest in a later task); resolves,
     * once all are listed, with when the index used was written.
     */
    private async load(): Promise<number | undefined> {
        let listing: IndexedListing;
        try {
            listing = await this.store.listIndexed();
        } catch (error) {
            this.log.error('Could not list the saved conversations.');
            this.log.error(asError(error));
            return undefined;
        }
        this.applyListed(listing.summaries, []);
        if (listing.whole !== undefined) {
            // The views have the first page; parsing the rest waits for the next task, not this one.
            await new Promise((resolve) => setImmediate(resolve));
            try {
                this.applyListed(await listing.whole(), listing.summaries);
            } catch (error) {
                this.log.error('Could not list the saved conversations after the newest.');
                this.log.error(asError(error));
            }
        }
        return listing.indexWrittenAt;
    }

    /**
     * Applies what a listing found. A conversation saved or deleted meanwhile is already known better
     * than its file was. `earlier` is what a first listing gave: its entries nothing changed since are
     * replaced by this listing's, or removed when it has none.
     */
    private applyListed(
        listed: readonly ConversationSummary[],
        earlier: readonly ConversationSummary[],
    ): void {
        const waitingBefore = this.indexTimer !== undefined;
        const asListedEarlier = new Set(
            earlier.filter((summary) => this.summaries.get(summary.id) === summary),
        );
        const stillListed = new Set<string>();
        const changes: HistoryChange[] = [];
        for (const summary of listed) {
            stillListed.add(summary.id);
            const known = this.summaries.get(summary.id);
            if (this.isDeleted(summary.id)) continue;
            if (known === undefined || asListedEarlier.has(known)) changes.push({ kind: 'upsert', summary });
        }
        for (const summary of asListedEarlier) {
            if (!stillListed.has(summary.id)) changes.push({ kind: 'remove', conversationId: summary.id });
        }
        this.apply(changes);
        // Listing wrote the index when it needed to: what it listed need not be written again.
        if (!waitingBefore && this.indexTimer !== undefined) {
            clearTimeout(this.indexTimer);
            this.indexTimer = undefined;
        }
    }

    /** Reads again the conversations whose files changed after the index was written. */
    private async refreshModifiedSince(indexWrittenAt: number | undefined): Promise<void> {
        if (indexWrittenAt === undefined || this.disposed) return;
        try {
            const ids = await this.store.modifiedSince(indexWrittenAt - INDEX_CLOCK_SLACK_MS);
            if (ids.length > 0) await this.refresh(ids.map((id) => `${id}.json`));
        } catch (error) {
            this.log.warn(`Could not check the history index: ${asError(error).message}`);
        }
    }

    /** Re-reads the files another window changed. */
    private async refresh(names: readonly string[]): Promise<void> {
        if (this.disposed) return;
        try {
            const ids = names.includes(ANY_FILE)
                ? await this.everyId()
                : names.flatMap((name) => CONVERSATION_FILE.exec(name)?.[1] ?? []);
            const changes: HistoryChange[] = [];
            for (const id of new Set(ids)) {
                if (this.isDeleted(id) || (await this.store.isUnchanged(id))) continue;
                const summary = await this.store.summary(id);
                if (summary !== undefined) changes.push({ kind: 'upsert', summary });
                else if (this.summaries.has(id)) changes.push({ kind: 'remove', conversationId: id });
            }
            if (this.disposed) return;
            for (const change of this.apply(changes)) {
                if (change.kind === 'remove') this._onDidRemoveElsewhere.fire(change.conversationId);
            }
        } catch (error) {
            this.log.warn(`Could not apply a change of the conversations folder: ${asError(error).message}`);
        }
    }

    /** Every id listed now or on disk: the watcher could not say which file changed. */
    private async everyId(): Promise<string[]> {
        const onDisk = (await this.store.list()).map((summary) => summary.id);
        return [...new Set([...this.summaries.keys(), ...onDisk])];
    }
}

function sameSummary(a: ConversationSummary, b: ConversationSummary): boolean {
    return (
        a.title === b.title &&
        a.updatedAt === b.updatedAt &&
        a.turnCount === b.turnCount &&
        a.newerVersion === b.newerVersion
    );
}
