// The chat in the sidebar: the webview view `cohere.chatView` in the "Cohere" activity-bar container.
// It may show another conversation than the panel.
import * as vscode from 'vscode';
import { CHAT_VIEW_ID } from '../commands/ids';
import { ChatSession, type ChatSessionDeps } from './chatSession';
import type { ChatSessions } from './chatSessions';
import { Disposable } from './dispose';
import { chatWebviewOptions, writeChatHtml } from './webviewSetup';

const VIEW_CONVERSATION_KEY = 'cohere.viewConversationId';

export interface ChatViewDeps {
    readonly extensionUri: vscode.Uri;
    readonly sessions: ChatSessions;
    readonly sessionDeps: ChatSessionDeps;
    readonly memento: vscode.Memento;
    readonly demo: boolean;
}

/** Resolves the sidebar chat view whenever VS Code (re)creates it. */
export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
    private current: ChatSession | undefined;

    constructor(private readonly deps: ChatViewDeps) {
        super();
    }

    /** The view's session, once VS Code has resolved the view. */
    get session(): ChatSession | undefined {
        return this.current;
    }

    /** Opens the sidebar and resolves to its session once the view exists. */
    async show(): Promise<ChatSession | undefined> {
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        return this.current;
    }

    resolveWebviewView(view: vscode.WebviewView, context: vscode.WebviewViewResolveContext): void {
        view.webview.options = chatWebviewOptions(this.deps.extensionUri);
        const saved = context.state as { conversationId?: unknown } | undefined;
        const conversationId =
            typeof saved?.conversationId === 'string' && saved.conversationId.length <= 200
                ? saved.conversationId
                : this.deps.memento.get<string>(VIEW_CONVERSATION_KEY);
        const session = new ChatSession(
            view.webview,
            'sidebar',
            this.deps.sessionDeps,
            conversationId,
            view.visible,
        );
        const registration = this.deps.sessions.add(session);
        const subscriptions = [
            session.onDidShowConversation((conversation) => {
                view.description = conversation.turns.length > 0 ? conversation.title : undefined;
                void this.deps.memento.update(VIEW_CONVERSATION_KEY, conversation.id);
            }),
            session.onDidChangeTitle((title) => {
                view.description = title;
            }),
            view.onDidChangeVisibility(() => session.setVisible(view.visible)),
        ];
        view.onDidDispose(() => {
            for (const subscription of subscriptions) subscription.dispose();
            registration.dispose();
            session.dispose();
            if (this.current === session) this.current = undefined;
        });
        this.current = session;
        writeChatHtml(view.webview, this.deps.extensionUri, 'sidebar', this.deps.demo);
    }

    override dispose(): void {
        this.current?.dispose();
        super.dispose();
    }
}
