// "Export Chat as Markdown": the conversation, its citations as footnotes and its usage, to a file the
// person chooses.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { asError } from '../chat/logger';
import { describeError, type CommandDeps } from './deps';
import { markdownFileName } from './fileName';

/** Exports the given conversation (from the webview), else the one of the chat in use. */
export async function exportChat(deps: CommandDeps, conversationId?: unknown): Promise<void> {
    const id = typeof conversationId === 'string' ? conversationId : deps.sessions.any()?.conversationId;
    const conversation = id === undefined ? undefined : await deps.service.get(id);
    if (!conversation || conversation.turns.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('There is no conversation to export yet.'));
        return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Chat as Markdown'),
        defaultUri: vscode.Uri.joinPath(folder, markdownFileName(conversation.title)),
        filters: { Markdown: ['md'] },
        saveLabel: vscode.l10n.t('Export'),
    });
    if (!target) return;
    try {
        const markdown = await deps.service.exportMarkdown(conversation.id);
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown));
    } catch (error) {
        deps.log.error(asError(error));
        void vscode.window.showErrorMessage(
            vscode.l10n.t('Could not export the chat: {0}', describeError(error)),
        );
        return;
    }
    deps.log.info(`exported a conversation to ${target.toString()}`);
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Chat exported to {0}.', vscode.workspace.asRelativePath(target, false)),
        open,
    );
    if (choice === open) await vscode.window.showTextDocument(target);
}
