// What the commands work with, passed in by activate() (constructor injection, no globals).
import type { ApiClientHolder } from '../apiClient';
import type { ChatService } from '../chat/service';
import type { ChatSettings } from '../config';
import type { OutputLog } from '../log';
import type { ApiKeyStore } from '../secrets';
import type { ChatPanelManager } from '../ui/chatPanel';
import type { ChatSession } from '../ui/chatSession';
import type { ChatSessions } from '../ui/chatSessions';
import type { ModelCatalog } from '../ui/modelCatalog';

export interface CommandDeps {
    readonly service: ChatService;
    readonly keys: ApiKeyStore;
    readonly clients: ApiClientHolder;
    readonly sessions: ChatSessions;
    readonly panel: ChatPanelManager;
    /** The sidebar's chat view: its session once resolved, and a way to open it. */
    readonly sidebar: { readonly session: ChatSession | undefined; show(): Promise<ChatSession | undefined> };
    readonly models: ModelCatalog;
    readonly log: OutputLog;
    readonly settings: () => ChatSettings;
    /** Sends the turns that failed for want of a key (once at a time, however often it is called). */
    readonly retryTurnsWaitingForKey: () => Promise<void>;
}

/**
 * The chat a selection command sends to: the chat used last when it is visible, else the panel if that
 * was used last (brought out beside the editor), else any visible chat, else a new panel beside the editor.
 */
export function targetSession(deps: CommandDeps): ChatSession {
    const last = deps.sessions.lastUsed();
    if (last?.isVisible) return last;
    if (last !== undefined && last === deps.panel.session) return deps.panel.showBesideEditor();
    return deps.sessions.target() ?? deps.panel.showBesideEditor();
}

/** A short, single-line text for an error, for messages (the details go to the log). */
export function describeError(error: unknown): string {
    if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
    return String(error);
}
