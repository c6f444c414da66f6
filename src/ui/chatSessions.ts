// Every live chat webview, so commands can find "the chat the person is using" and changes that concern
// all of them (model, key, history) reach each one.
import type { HistoryChange } from '../chat/history';
import type { Logger } from '../chat/logger';
import type { ChatSession } from './chatSession';
import { toDisposable, type IDisposable } from './dispose';

/** The registry of live sessions (at most one panel and one sidebar view). */
export class ChatSessions {
    private readonly sessions = new Set<ChatSession>();
    private lastTouched: ChatSession | undefined;

    constructor(private readonly log: Logger) {}

    /** Registers a session; disposing the result removes it. */
    add(session: ChatSession): IDisposable {
        this.sessions.add(session);
        return toDisposable(() => {
            this.sessions.delete(session);
            if (this.lastTouched === session) this.lastTouched = undefined;
        });
    }

    /** The person used this session: it sent a message, or its tab became the active one. */
    touched(session: ChatSession): void {
        this.lastTouched = session;
    }

    /** The session the person used last, visible or not. */
    lastUsed(): ChatSession | undefined {
        return this.lastTouched;
    }

    /**
     * The chat a command should act on: the visible chat used last, else any visible chat; undefined
     * when no chat is visible. (VS Code tells a sidebar title button nothing about its view, so "used
     * last" is the best guess at which chat a New Chat or Export click meant when both are visible.)
     */
    target(): ChatSession | undefined {
        if (this.lastTouched?.isVisible) return this.lastTouched;
        for (const session of this.sessions) if (session.isVisible) return session;
        return undefined;
    }

    /** Any session, visible or not, preferring the one used last (for Export when nothing is visible). */
    any(): ChatSession | undefined {
        return this.target() ?? this.lastTouched ?? this.sessions.values().next().value;
    }

    /** Sends the current context to every session. */
    async broadcastContext(): Promise<void> {
        await Promise.all(
            [...this.sessions].map((session) =>
                session
                    .sendContext()
                    .catch((error: unknown) => this.log.warn(`context update: ${String(error)}`)),
            ),
        );
    }

    /** Sends the history list's changes to every session. */
    broadcastHistory(changes: readonly HistoryChange[]): void {
        for (const session of this.sessions) session.sendHistoryChanges(changes);
    }

    /** A conversation was deleted: sessions showing it move to a fresh one. */
    async conversationDeleted(conversationId: string): Promise<void> {
        await Promise.all([...this.sessions].map((session) => session.conversationDeleted(conversationId)));
    }
}
