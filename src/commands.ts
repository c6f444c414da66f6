// The command table: every command the manifest contributes, each a small function in src/commands/.
import * as vscode from 'vscode';
import { clearApiKey, setApiKey } from './commands/apiKey';
import { askAbout, attachCommand } from './commands/attach';
import { describeError, type CommandDeps } from './commands/deps';
import { asError } from './chat/logger';
import { exportChat } from './commands/exportChat';
import { CHAT_VIEW_ID, COMMAND_IDS, COMMAND_TITLES, type CommandName } from './commands/ids';
import { selectModel } from './commands/model';
import { askAboutSelection, sendSelection } from './commands/selection';
import { testConnection } from './commands/testConnection';
import type { ChatSession } from './ui/chatSession';
import { rebuildWorkspaceIndex } from './workspace/retrieval';

type CommandHandler = (deps: CommandDeps, ...args: unknown[]) => unknown;

/** What each command does. */
export const COMMANDS: Readonly<Record<CommandName, CommandHandler>> = {
    chat: (deps) => {
        deps.panel.show();
    },
    newChat: async (deps) => {
        const session = deps.sessions.target() ?? deps.panel.show();
        await session.showConversation(undefined);
    },
    showHistory: async (deps) => {
        // From the palette: open the history in the chat the person sees.
        let session = deps.sessions.target();
        if (session === undefined) {
            await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
            session = deps.sessions.target() ?? deps.panel.show();
        }
        session.showHistory();
    },
    setApiKey,
    clearApiKey,
    sendSelection,
    askAboutSelection,
    selectModel,
    exportChat,
    testConnection,
    showLogs: (deps) => deps.log.show(),
    askAbout,
    attachFile: attachCommand('file'),
    attachFolder: attachCommand('folder'),
    attachProblems: attachCommand('problems'),
    attachEditor: attachCommand('editor'),
    rebuildWorkspaceIndex: () => rebuildWorkspaceIndex(),
    sidebarNewChat: async (deps) => {
        await (await sidebarSession(deps))?.showConversation(undefined);
    },
    sidebarShowHistory: async (deps) => {
        (await sidebarSession(deps))?.showHistory();
    },
    sidebarExportChat: async (deps) => exportChat(deps, (await sidebarSession(deps))?.conversationId),
};

/** The sidebar chat a click in its own title bar means, whichever chat was used last. */
async function sidebarSession(deps: CommandDeps): Promise<ChatSession | undefined> {
    return deps.sidebar.session ?? (await deps.sidebar.show());
}

/** Registers every command; a failure is logged and shown with "Show Logs" instead of vanishing. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
    return (Object.keys(COMMANDS) as CommandName[]).map((name) =>
        vscode.commands.registerCommand(COMMAND_IDS[name], async (...args: unknown[]) => {
            try {
                await COMMANDS[name](deps, ...args);
            } catch (error) {
                deps.log.error(asError(error));
                const showLogs = vscode.l10n.t('Show Logs');
                const choice = await vscode.window.showErrorMessage(
                    vscode.l10n.t('Cohere: {0} failed: {1}', COMMAND_TITLES[name], describeError(error)),
                    showLogs,
                );
                if (choice === showLogs) deps.log.show();
            }
        }),
    );
}
