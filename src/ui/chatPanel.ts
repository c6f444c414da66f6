// The chat in an editor tab. "Cohere: Chat" opens it or brings it forward; after a window reload VS Code
// hands the tab back through the serializer and it shows the conversation it showed before.
import * as vscode from 'vscode';
import { CHAT_PANEL_TYPE } from '../commands/ids';
import { ChatSession, type ChatSessionDeps } from './chatSession';
import type { ChatSessions } from './chatSessions';
import { Disposable } from './dispose';
import { chatWebviewOptions, writeChatHtml } from './webviewSetup';

// Backs up the webview's own state, which a panel closed before it first saved state would not have.
const PANEL_CONVERSATION_KEY = 'cohere.panelConversationId';

export interface ChatPanelDeps {
    readonly extensionUri: vscode.Uri;
    readonly sessions: ChatSessions;
    readonly sessionDeps: ChatSessionDeps;
    /** Per-window memory (workspaceState): which conversation the panel showed. */
    readonly memento: vscode.Memento;
    readonly demo: boolean;
}

interface OpenPanel {
    readonly panel: vscode.WebviewPanel;
    readonly session: ChatSession;
}

/** The conversation id the webview saved with setState, if it is one. */
function savedConversationId(state: unknown): string | undefined {
    if (typeof state !== 'object' || state === null) return undefined;
    const id = (state as { conversationId?: unknown }).conversationId;
    return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/** Owns the one chat panel. */
export class ChatPanelManager extends Disposable implements vscode.WebviewPanelSerializer {
    private open: OpenPanel | undefined;

    constructor(private readonly deps: ChatPanelDeps) {
        super();
    }

    /** The panel's session, if the panel is open. */
    get session(): ChatSession | undefined {
        return this.open?.session;
    }

    /** Opens the panel, or brings it forward; resolves to its session. */
    show(preserveFocus = false): ChatSession {
        if (this.open) {
            this.open.panel.reveal(undefined, preserveFocus);
            return this.open.session;
        }
        const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
        const panel = vscode.window.createWebviewPanel(
            CHAT_PANEL_TYPE,
            vscode.l10n.t('Cohere Chat'),
            { viewColumn: column, preserveFocus },
            { ...chatWebviewOptions(this.deps.extensionUri), enableFindWidget: true },
        );
        return this.adopt(panel, this.deps.memento.get<string>(PANEL_CONVERSATION_KEY));
    }

    /**
     * Shows the panel without hiding the editor the person is working in: a panel hidden behind that editor
     * moves beside it, a closed one opens beside it. The focus stays in the editor.
     */
    showBesideEditor(): ChatSession {
        const open = this.open;
        if (!open) return this.show(true);
        if (!open.panel.visible) {
            const editor = vscode.window.activeTextEditor;
            if (editor !== undefined && open.panel.viewColumn === editor.viewColumn) {
                void this.moveBeside(open.panel, editor);
            } else {
                open.panel.reveal(undefined, true);
            }
        }
        return open.session;
    }

    /**
     * Moves the panel out from behind `editor` into the group beside it. VS Code makes a webview moved by
     * reveal() a preview tab there, which the next file opened in that group would replace: the tab is
     * pinned (keepEditor acts on the active editor, so the panel takes the focus for a moment), then the
     * focus goes back to the editor the person was in.
     */
    private async moveBeside(panel: vscode.WebviewPanel, editor: vscode.TextEditor): Promise<void> {
        try {
            panel.reveal(vscode.ViewColumn.Beside, false);
            await vscode.commands.executeCommand('workbench.action.keepEditor');
            await vscode.window.showTextDocument(editor.document, {
                viewColumn: editor.viewColumn,
                selection: editor.selection,
                preserveFocus: false,
            });
        } catch (error) {
            this.deps.sessionDeps.log.warn(`could not move the chat beside the editor: ${String(error)}`);
        }
    }

    /** VS Code restores the tab after a reload: show the conversation it showed. */
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (this.open) {
            // Only one chat tab: a second restored one (two windows' worth of state) is closed.
            panel.dispose();
            return;
        }
        const conversationId =
            savedConversationId(state) ?? this.deps.memento.get<string>(PANEL_CONVERSATION_KEY);
        this.adopt(panel, conversationId);
    }

    override dispose(): void {
        // The tab itself is left alone: closing it while the window shuts down would stop VS Code from
        // restoring it after a reload. Only our side of it goes.
        this.open?.session.dispose();
        this.open = undefined;
        super.dispose();
    }

    private adopt(panel: vscode.WebviewPanel, conversationId: string | undefined): ChatSession {
        panel.webview.options = chatWebviewOptions(this.deps.extensionUri);
        panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icon.png');
        const session = new ChatSession(
            panel.webview,
            'panel',
            this.deps.sessionDeps,
            conversationId,
            panel.visible,
        );
        const registration = this.deps.sessions.add(session);
        const subscriptions = [
            session.onDidShowConversation((conversation) => {
                panel.title =
                    conversation.turns.length > 0 ? conversation.title : vscode.l10n.t('Cohere Chat');
                void this.deps.memento.update(PANEL_CONVERSATION_KEY, conversation.id);
            }),
            session.onDidChangeTitle((title) => {
                panel.title = title;
            }),
            panel.onDidChangeViewState(({ webviewPanel }) => {
                session.setVisible(webviewPanel.visible);
                if (webviewPanel.active) this.deps.sessions.touched(session);
            }),
        ];
        panel.onDidDispose(() => {
            for (const subscription of subscriptions) subscription.dispose();
            registration.dispose();
            session.dispose();
            if (this.open?.panel === panel) this.open = undefined;
        });
        this.open = { panel, session };
        if (panel.active) this.deps.sessions.touched(session);
        writeChatHtml(panel.webview, this.deps.extensionUri, 'panel', this.deps.demo);
        return session;
    }
}
