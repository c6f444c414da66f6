// The chat view's state and its answer to every host message. The host owns the conversation; this keeps a
// copy to draw, rebuilds everything from `state`, and applies the small messages to the one turn they name.
// Streamed deltas are batched per animation frame, and only the turns that received them are re-rendered.
import type { Conversation, Turn } from '../src/chat/model';
import type { ChatContext, HostToWebview } from '../src/protocol';
import { toggleHistory } from './actions';
import { fillModelPicker, fitInput, showQueued } from './composer';
import { element } from './dom';
import { renderEmptyState } from './emptyState';
import { StreamFollower } from './follow';
import { HistoryView } from './history';
import { t } from './l10n';
import { post, saveUiState, uiState } from './messaging';
import { setDeferring, setOffscreenRoot, setStreaming, turnSizeClass } from './offscreen';
import { dropEmptyGroups, groupEarlierTurns } from './turnGroups';
import type { Shell } from './shell';
import { TurnView } from './turnView';
import { contextUsed, fillUsageDetails, totalUsage, updateContextMeter } from './usage';

/** Every message the host may send. */
export type IncomingMessage = HostToWebview.Message;

const SCROLL_SAVE_MS = 200;

/** The live chat view. */
export class ChatApp {
    private conversation: Conversation | undefined;
    private context: ChatContext | undefined;
    private readonly views = new Map<string, TurnView>();
    private readonly pending = new Set<TurnView>();
    private frame: number | undefined;
    private readonly follower: StreamFollower;
    /** The person pressed Enter before the first `state` arrived. */
    private sendWhenReady = false;
    private scrollSave: ReturnType<typeof setTimeout> | undefined;
    private focusedOnce = false;

    /** A message sent while a reply streamed: it goes out when the reply ends. */
    private queued: string | undefined;
    /** The composer changed since this page loaded (typing, a paste, a send): its text is the newest draft. */
    private draftEditedHere = false;
    /** The history overlay (open and close it with `history.setOpen`). */
    readonly history: HistoryView;

    constructor(readonly shell: Shell) {
        this.history = new HistoryView(shell.history, shell.historyButton);
        // A message that was waiting when the view went away comes back as the draft, never lost.
        const saved = uiState();
        shell.prompt.value = [saved.queued, saved.draft].filter(nonEmpty).join('\n');
        fitInput(shell.prompt);
        shell.messages.addEventListener('scroll', () => this.onScroll(), { passive: true });
        // perf: the view follows the stream from after layout (follow.ts); off-screen turns wait (offscreen.ts).
        this.follower = new StreamFollower(shell.messages, shell.turns, () => this.onScroll());
        setOffscreenRoot(shell.messages);
        this.renderEmptyState();
    }

    /** The id of the conversation shown, if any. */
    get conversationId(): string | undefined {
        return this.conversation?.id;
    }

    /** The turn view that contains `node`. */
    turnOf(node: Element): TurnView | undefined {
        const id = node.closest<HTMLElement>('.turn')?.dataset['turnId'];
        return id === undefined ? undefined : this.views.get(id);
    }

    /** The turn that is streaming, if any. */
    streamingTurn(): TurnView | undefined {
        for (const view of this.views.values()) if (view.status === 'streaming') return view;
        return undefined;
    }

    /** Applies one host message. */
    handle(message: IncomingMessage): void {
        switch (message.type) {
            case 'state':
                this.showState(message.conversation, message.context);
                this.restoreDraft(message.draft, message.draftRevision);
                if (this.sendWhenReady) {
                    this.sendWhenReady = false;
                    this.sendDraft();
                }
                return;
            case 'context':
                this.setContext(message.context);
                return;
            case 'historyChanged':
                this.history.apply(message.changes);
                return;
            case 'setDraft':
                this.setDraft(message.text);
                this.shell.prompt.focus();
                return;
            case 'showHistory':
                toggleHistory(this, true);
                return;
            case 'turnStarted':
                if (message.conversationId !== this.conversationId) return;
                if (message.turnIds !== undefined) this.keepOnlyTurns(message.turnIds);
                this.upsertTurn(message.turn);
                return;
            case 'turnEnded':
            case 'turnFailed':
                if (message.conversationId === this.conversationId) this.endTurn(message.turn);
                return;
            case 'delta': {
                if (message.conversationId !== this.conversationId) return;
                const view = this.views.get(message.turnId);
                if (view?.appendDelta(message.index, message.kind, message.text) === true)
                    this.schedule(view);
                return;
            }
            case 'citation': {
                if (message.conversationId !== this.conversationId) return;
                const view = this.views.get(message.turnId);
                if (view?.addCitation(message.citation) === true) this.schedule(view);
                return;
            }
            case 'turnRetrying': {
                if (message.conversationId !== this.conversationId) return;
                const view = this.views.get(message.turnId);
                if (view?.status !== 'streaming') return;
                view.setRetrying(message.delayMs);
                return;
            }
            case 'attachments':
            case 'imageFileRead':
                // Handled by attachments.ts, which listens for them itself.
                return;
            default: {
                const unknown: never = message;
                void unknown;
            }
        }
    }

    /** Sends the draft as a new message; while a reply streams it waits, visibly, until the reply ends. */
    sendDraft(): void {
        const text = this.shell.prompt.value;
        const conversationId = this.conversationId;
        if (text.trim() === '') return;
        // Enter pressed before the host's first `state`: send as soon as it arrives rather than drop it.
        if (conversationId === undefined) {
            this.sendWhenReady = true;
            return;
        }
        if (this.streamingTurn() !== undefined) {
            if (this.queued !== undefined) return;
            this.queue(text);
            return;
        }
        post({ type: 'send', conversationId, text });
        this.setDraft('');
        this.follower.follow();
    }

    /** Puts `text` in the composer and keeps it (webview state and host) so a reload cannot lose it. */
    setDraft(text: string): void {
        this.shell.prompt.value = text;
        fitInput(this.shell.prompt);
        this.draftChanged();
    }

    /** The composer's text changed (typed, pasted, or set): keep it now. */
    draftChanged(): void {
        const text = this.shell.prompt.value;
        if (uiState().draft === text) return;
        this.draftEditedHere = true;
        this.keepDraft(text, (uiState().draftRevision ?? 0) + 1);
    }

    /** Saves the draft in the view's state and with the host, at `revision`. */
    private keepDraft(text: string, revision: number): void {
        saveUiState({ draft: text, draftRevision: revision });
        post({ type: 'saveDraft', text, revision });
    }

    /** Takes the queued message back into the composer. */
    cancelQueued(): void {
        const text = this.queued;
        if (text === undefined) return;
        this.setQueued(undefined);
        const draft = this.shell.prompt.value;
        this.setDraft(draft === '' ? text : `${text}\n${draft}`);
        this.shell.prompt.focus();
    }

    private queue(text: string): void {
        this.setQueued(text);
        this.setDraft('');
        this.announce(t('queuedAnnouncement'));
    }

    private setQueued(text: string | undefined): void {
        this.queued = text;
        saveUiState({ queued: text });
        showQueued(this.shell, text);
    }

    /** The reply ended: a message that waited for it goes out now (after a failure it returns to the composer). */
    private sendQueued(failed: boolean): void {
        const text = this.queued;
        const conversationId = this.conversationId;
        if (text === undefined || conversationId === undefined || this.streamingTurn() !== undefined) return;
        if (failed) {
            this.cancelQueued();
            return;
        }
        this.setQueued(undefined);
        post({ type: 'send', conversationId, text });
        this.follower.follow();
    }

    /**
     * The host's copy of the draft, sent with every state. VS Code saves this page's own state only now and
     * then, so after a reload that state may predate the last keystrokes (or a clear): the newer revision
     * wins. What was typed since this page loaded always wins, and goes to the host above its revision.
     */
    private restoreDraft(draft: string | undefined, revision: number | undefined): void {
        if (typeof draft !== 'string') return;
        const mine = uiState().draftRevision ?? 0;
        const hostRevision = revision ?? 0;
        if (this.draftEditedHere) {
            if (hostRevision >= mine) this.keepDraft(this.shell.prompt.value, hostRevision + 1);
            return;
        }
        // No revision on either side (state lost, or kept by an older version): the host's text fills an
        // empty composer.
        const newer = hostRevision > mine || (mine === 0 && this.shell.prompt.value === '');
        if (!newer) return;
        // As the page shows a saved draft at load: a message that was waiting comes first.
        this.shell.prompt.value = [uiState().queued, draft].filter(nonEmpty).join('\n');
        fitInput(this.shell.prompt);
        saveUiState({ draft, draftRevision: hostRevision });
    }

    /** Says `text` through the live region. */
    announce(text: string): void {
        this.shell.announcer.textContent = text;
    }

    private showState(conversation: Conversation, context: ChatContext): void {
        const sameConversation = uiState().conversationId === conversation.id;
        this.cancelFrame();
        this.conversation = conversation;
        this.context = context;
        for (const view of this.views.values()) view.dispose();
        this.views.clear();
        this.shell.turns.replaceChildren();
        if (!Array.isArray(conversation.turns)) conversation.turns = [];
        const restoring = sameConversation && uiState().atBottom === false;
        this.shell.messages.classList.remove('restoring');
        setDeferring(!restoring);
        for (const turn of conversation.turns) {
            const view = this.createView(turn, false);
            if (view !== undefined) this.views.set(turn.id, view);
        }
        setDeferring(true);
        groupEarlierTurns(
            this.shell.turns,
            (turn) => this.views.get((turn as HTMLElement).dataset['turnId'] ?? '')?.sizeEstimate ?? 40,
            turnSizeClass,
        );
        this.afterTurnsChanged();
        this.setContext(context);
        const saved = uiState();
        if (sameConversation && saved.atBottom === false && saved.scrollTop !== undefined) {
            // Laid out whole (style.css: .restoring), so the saved position lands on what it showed.
            this.shell.messages.classList.add('restoring');
            this.shell.messages.scrollTop = saved.scrollTop;
            this.follower.stop();
        } else {
            this.follower.follow();
        }
        if (!sameConversation) saveUiState({ conversationId: conversation.id, openThinking: [] });
        if (
            !this.focusedOnce &&
            (document.activeElement === null || document.activeElement === document.body)
        ) {
            this.shell.prompt.focus();
        }
        this.focusedOnce = true;
    }

    /**
     * A view of `turn` appended to the list; a turn that cannot be drawn (damaged on disk, or a shape from a
     * newer version) shows one line saying so instead of taking the whole conversation down.
     */
    private createView(turn: Turn, busy: boolean): TurnView | undefined {
        try {
            const view = new TurnView(turn, { isLast: busy, busy });
            this.shell.turns.append(view.element);
            return view;
        } catch (error) {
            // eslint-disable-next-line no-console -- the webview's devtools are where a developer looks
            console.error('a turn could not be drawn', error);
            const broken = element('article', 'turn turn-broken', t('turnUnreadable'));
            if (typeof turn?.id === 'string') broken.dataset['turnId'] = turn.id;
            this.shell.turns.append(broken);
            return undefined;
        }
    }

    private setContext(context: ChatContext): void {
        this.context = context;
        this.shell.demoBanner.hidden = context.demo !== true;
        try {
            fillModelPicker(this.shell.modelPicker, context);
        } catch (error) {
            // eslint-disable-next-line no-console -- the webview's devtools are where a developer looks
            console.error('the model picker could not be filled', error);
        }
        try {
            // Only a `state` carries the whole list; `historyChanged` keeps it current.
            if (Array.isArray(context.history)) this.history.reset(context.history, this.conversationId);
            else this.history.setCurrent(this.conversationId);
        } catch (error) {
            // One damaged entry must not leave the history (or the rest of the view) blank.
            // eslint-disable-next-line no-console -- the webview's devtools are where a developer looks
            console.error('the history could not be drawn', error);
        }
        this.renderMeters();
        this.renderEmptyState();
    }

    private upsertTurn(turn: Turn): void {
        const conversation = this.conversation;
        if (conversation === undefined) return;
        const index = conversation.turns.findIndex((candidate) => candidate.id === turn.id);
        const existing = this.views.get(turn.id);
        if (index >= 0 && existing !== undefined) {
            conversation.turns[index] = turn;
            existing.update(turn);
        } else {
            conversation.turns.push(turn);
            const view = this.createView(turn, true);
            if (view !== undefined) this.views.set(turn.id, view);
        }
        this.afterTurnsChanged();
    }

    /** Drops the turns the host no longer has (those after an edited one). */
    private keepOnlyTurns(turnIds: readonly string[]): void {
        const conversation = this.conversation;
        if (conversation === undefined) return;
        const kept = new Set(turnIds);
        conversation.turns = conversation.turns.filter((turn) => {
            if (kept.has(turn.id)) return true;
            this.views.get(turn.id)?.dispose();
            this.views.get(turn.id)?.element.remove();
            this.views.delete(turn.id);
            return false;
        });
        dropEmptyGroups(this.shell.turns);
    }

    private endTurn(turn: Turn): void {
        this.upsertTurn(turn);
        if (turn.status === 'failed') this.announce(turn.error?.message ?? t('replyFailed'));
        else if (turn.status === 'stopped') this.announce(t('replyStopped'));
        else this.announce(t('replyFinished'));
        if (turn.status === 'stopped' && this.queued === undefined) this.views.get(turn.id)?.revealRetry();
        this.sendQueued(turn.status === 'failed');
    }

    private afterTurnsChanged(): void {
        const turns = this.conversation?.turns ?? [];
        const busy = turns.some((turn) => turn.status === 'streaming');
        setStreaming(busy);
        turns.forEach((turn, index) => {
            this.views.get(turn.id)?.setPosition({ isLast: index === turns.length - 1, busy });
        });
        this.shell.sendButton.hidden = busy;
        this.shell.stopButton.hidden = !busy;
        this.shell.root.classList.toggle('busy', busy);
        this.renderMeters();
        this.renderEmptyState();
    }

    private renderMeters(): void {
        const turns = this.conversation?.turns ?? [];
        const totals = totalUsage(turns);
        fillUsageDetails(this.shell.totals, totals);
        this.shell.totals.hidden = !turns.some((turn) => turn.usage !== undefined);
        updateContextMeter(this.shell.contextMeter, contextUsed(turns), this.context?.contextLength);
    }

    private renderEmptyState(): void {
        const empty = this.shell.emptyState;
        const hasTurns = (this.conversation?.turns.length ?? 0) > 0;
        empty.hidden = hasTurns;
        if (!hasTurns) renderEmptyState(empty, this.context);
    }

    private schedule(view: TurnView): void {
        this.pending.add(view);
        this.frame ??= requestAnimationFrame(() => {
            this.frame = undefined;
            for (const pending of this.pending) pending.flush();
            this.pending.clear();
        });
    }

    private cancelFrame(): void {
        if (this.frame !== undefined) cancelAnimationFrame(this.frame);
        this.frame = undefined;
        this.pending.clear();
    }

    private onScroll(): void {
        // Following the stream scrolls every frame; saving the position a few times a second is plenty.
        this.scrollSave ??= setTimeout(() => {
            this.scrollSave = undefined;
            saveUiState({ scrollTop: this.shell.messages.scrollTop, atBottom: this.follower.following });
        }, SCROLL_SAVE_MS);
    }
}

function nonEmpty(text: string | undefined): text is string {
    return text !== undefined && text !== '';
}
