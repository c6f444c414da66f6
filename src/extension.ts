// Activation: builds the services (constructor injection), registers the commands, the panel serializer
// and the sidebar view, and hands every disposable to VS Code. Behaviour lives in the files it wires.
import * as vscode from 'vscode';
import { ApiClientHolder } from './apiClient';
import { asError } from './chat/logger';
import { watchFolder } from './chat/folderWatcher';
import { ChatService } from './chat/service';
import { ConversationStore } from './chat/store';
import { registerCommands } from './commands';
import type { CommandDeps } from './commands/deps';
import { CHAT_PANEL_TYPE, CHAT_VIEW_ID } from './commands/ids';
import { countTokens } from './cohere';
import { registerNativeChat } from './lm/register';
import { TokenCounter } from './lm/tokens';
import { OutputLog } from './log';
import { ApiKeyStore } from './secrets';
import { affectsChat, readChatSettings, readProxySettings } from './settingsReader';
import { buildChatContext, isDemoMode } from './ui/chatContext';
import { ChatPanelManager } from './ui/chatPanel';
import type { ChatSessionDeps } from './ui/chatSession';
import { ChatSessions } from './ui/chatSessions';
import { ChatViewProvider } from './ui/chatView';
import { LastEditorTracker } from './ui/hostActions';
import { DraftStore } from './ui/drafts';
import { takesImages } from './context/images';
import { ModelCatalog } from './ui/modelCatalog';
import { ToolApprovalsUi } from './workspace/toolsApprovals';
import { registerToolCommands } from './workspace/toolsCommands';
import { toolSessions } from './workspace/toolsSession';
import { WorkspaceRetrieval } from './workspace/retrieval';

/** Runs `task` once at a time: a call while it runs gets the running promise instead of a second run. */
function singleFlight(task: () => Promise<void>): () => Promise<void> {
    let running: Promise<void> | undefined;
    return () => {
        running ??= task().finally(() => {
            running = undefined;
        });
        return running;
    };
}

async function wire(context: vscode.ExtensionContext, log: OutputLog): Promise<void> {
    const push = (...disposables: { dispose(): unknown }[]): void => {
        context.subscriptions.push(...disposables);
    };
    const demo = isDemoMode(process.env);
    const version = (context.extension.packageJSON as { version?: string }).version ?? '0.0.0';

    const keys = new ApiKeyStore(context.secrets);
    push(keys);
    let settings = readChatSettings();
    const clients = new ApiClientHolder(
        { keys, log, version, hostVersion: vscode.version },
        settings,
        readProxySettings(),
    );
    push(clients);
    const conversationsDir = vscode.Uri.joinPath(context.globalStorageUri, 'conversations').fsPath;
    // Other windows share the folder: their new, renamed and deleted conversations show in this history.
    const watcher = await watchFolder(conversationsDir, log).catch((error: unknown) => {
        log.warn(`The history will not show other windows' changes: ${asError(error).message}`);
        return undefined;
    });
    if (watcher !== undefined) push(watcher);
    const approvals = new ToolApprovalsUi(() => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    push(approvals);
    const service = await ChatService.create({
        client: clients.chatClient,
        store: new ConversationStore(conversationsDir, log),
        ...(watcher === undefined ? {} : { watcher }),
        settings: () => settings,
        log,
        hasApiKey: async () => (await keys.getKey()) !== undefined,
        takesImages: (model) => takesImages(model, models.known()),
        tools: toolSessions({
            log,
            approvals,
            model: () => settings.model,
            knownModels: () => models.known(),
            // The chat has the focus while it asks: the editor beside it is the one meant.
            lastEditor: () => vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0],
            workspaceSearch: () => retrieval.toolSearch(),
        }),
    });
    push(service);
    push(
        registerToolCommands({
            conversation: (id) => service.get(id),
            approvals,
            log,
            markUndone: (conversationId, turnId, callId) =>
                service.markChangeUndone(conversationId, turnId, callId),
        }),
    );

    const models = new ModelCatalog(() => clients.client.listModels({ endpoint: 'chat' }));
    const sessions = new ChatSessions(log);
    const editors = new LastEditorTracker();
    push(editors);
    const sessionDeps: ChatSessionDeps = {
        service,
        log,
        editors,
        context: () =>
            buildChatContext({
                settings: () => settings,
                models,
                hasApiKey: async () => (await keys.getKey()) !== undefined,
                history: () => service.history(),
                demo,
            }),
        takesImages: (model) => takesImages(model, models.known()),
        conversationDeleted: (id) => void sessions.conversationDeleted(id),
        touched: (session) => sessions.touched(session),
        drafts: new DraftStore(
            vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'drafts.json').fsPath,
            (error) => log.warn(`could not keep the draft: ${String(error)}`),
        ),
    };
    const surfaces = {
        extensionUri: context.extensionUri,
        sessions,
        sessionDeps,
        memento: context.workspaceState,
        demo,
    };
    const panel = new ChatPanelManager(surfaces);
    const view = new ChatViewProvider(surfaces);
    push(panel, view);
    push(vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, panel));
    push(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view));

    const retryTurnsWaitingForKey = singleFlight(() => service.retryTurnsWaitingForKey());
    const deps: CommandDeps = {
        service,
        keys,
        clients,
        sessions,
        panel,
        sidebar: view,
        models,
        log,
        settings: () => settings,
        retryTurnsWaitingForKey,
    };
    push(...registerCommands(deps));
    const retrieval = new WorkspaceRetrieval(context, () => clients.client, log);
    push(retrieval);

    // The model list feeds the context meter; without a key there is nothing to ask yet.
    const refreshModels = (): void => {
        void keys
            .getKey()
            .then((found) => (found ? models.list() : undefined))
            .catch((error: unknown) => log.debug(`model list not loaded: ${String(error)}`));
    };
    const applySettings = (): void => {
        const previousBaseUrl = clients.baseUrl;
        settings = readChatSettings();
        clients.rebuild(settings, readProxySettings());
        if (clients.baseUrl !== previousBaseUrl) {
            models.invalidate();
            refreshModels();
        }
        void sessions.broadcastContext();
    };
    push(
        vscode.workspace.onDidChangeConfiguration((event) => {
            if (affectsChat(event)) applySettings();
        }),
        vscode.workspace.onDidGrantWorkspaceTrust(applySettings),
        keys.onDidChange(() => {
            models.invalidate();
            refreshModels();
            void sessions.broadcastContext();
            // A key set here or in another window: send what was waiting for it.
            void keys.getKey().then((found) => (found ? retryTurnsWaitingForKey() : undefined));
        }),
        service.onHistoryChanged((changes) => sessions.broadcastHistory(changes)),
        service.onDidDeleteElsewhere((id) => void sessions.conversationDeleted(id)),
        models.onDidChange(() => void sessions.broadcastContext()),
    );
    // Cohere in VS Code's own chat (1.104+ only; nothing at all on older VS Code).
    push(
        ...registerNativeChat(
            {
                client: () => clients.client,
                models,
                hasApiKey: async () => (await keys.getKey()) !== undefined,
                tokens: new TokenCounter(
                    // A count is not worth a wait: no retries, and a short timeout, then the estimate.
                    (text, model, signal) =>
                        countTokens(clients.client, text, model, {
                            signal,
                            maxRetries: 0,
                            timeoutMs: 10_000,
                        }),
                    (error) => log.debug(`token count from the local estimate: ${String(error)}`),
                ),
                defaultModel: () => settings.model,
                preferredModel: () => settings.model,
                systemPrompt: () => settings.systemPrompt,
                log,
            },
            { onModelsChanged: [keys.onDidChange, models.onDidChange] },
            context.extensionUri,
        ),
    );
    refreshModels();
    log.info(`Cohere Chat ${version} activated${demo ? ' (offline demo)' : ''}; endpoint ${clients.baseUrl}`);
}

/** Called by VS Code on the first command, view or restored panel. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = new OutputLog();
    context.subscriptions.push(log);
    try {
        await wire(context, log);
    } catch (error) {
        // VS Code would only note a failed activation in its own log: tell the person, then fail as before.
        log.error(asError(error));
        const showLogs = vscode.l10n.t('Show Logs');
        const reason = error instanceof Error ? error.message : String(error);
        void vscode.window
            .showErrorMessage(vscode.l10n.t('Cohere Chat could not start: {0}', reason), showLogs)
            .then((choice) => {
                if (choice === showLogs) log.show();
            });
        throw error;
    }
}

export function deactivate(): void {
    // Everything is in context.subscriptions; VS Code disposes it.
}
