// "Set API Key" and "Clear API Key": the key goes only to SecretStorage, is checked against the API, and
// turns that were waiting for it are sent.
import * as vscode from 'vscode';
import { isCohereError } from '../cohere';
import { describeError, type CommandDeps } from './deps';

/** Asks for the key in a password box, stores it, checks it and shows the result. */
export async function setApiKey(deps: CommandDeps): Promise<void> {
    const key = await vscode.window.showInputBox({
        title: vscode.l10n.t('Cohere API Key'),
        prompt: vscode.l10n.t(
            "Paste your Cohere API key. It is kept in VS Code's secret storage, never in settings.",
        ),
        placeHolder: vscode.l10n.t('API key from dashboard.cohere.com/api-keys'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) =>
            /\s/.test(value.trim())
                ? vscode.l10n.t('An API key has no spaces or line breaks inside it.')
                : undefined,
    });
    if (key === undefined || key.trim() === '') return;
    await deps.keys.setKey(key);
    deps.models.invalidate();
    deps.log.info('API key stored in SecretStorage');
    await reportKeyCheck(deps);
    await deps.retryTurnsWaitingForKey();
}

async function reportKeyCheck(deps: CommandDeps): Promise<void> {
    try {
        const result = await vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: vscode.l10n.t('Checking the Cohere API key…'),
            },
            () => deps.clients.client.checkApiKey(),
        );
        if (result.valid) {
            void vscode.window.showInformationMessage(
                vscode.l10n.t('Cohere API key saved. Cohere says it is valid.'),
            );
        } else {
            void vscode.window.showWarningMessage(
                vscode.l10n.t('Cohere API key saved, but Cohere says it is not valid.'),
            );
        }
    } catch (error) {
        deps.log.warn(`checking the API key: ${describeError(error)}`);
        if (isCohereError(error) && (error.code === 'unauthorized' || error.code === 'forbidden')) {
            void vscode.window.showWarningMessage(
                vscode.l10n.t('Cohere API key saved, but Cohere refused it: {0}', error.message),
            );
            return;
        }
        const showLogs = vscode.l10n.t('Show Logs');
        const choice = await vscode.window.showWarningMessage(
            vscode.l10n.t('Cohere API key saved, but it could not be checked: {0}', describeError(error)),
            showLogs,
        );
        if (choice === showLogs) deps.log.show();
    }
}

/** Removes the key from SecretStorage, and says whether an environment key will still be used. */
export async function clearApiKey(deps: CommandDeps): Promise<void> {
    await deps.keys.clearKey();
    deps.models.invalidate();
    deps.log.info('API key removed from SecretStorage');
    const remaining = await deps.keys.getKey();
    if (remaining) {
        void vscode.window.showInformationMessage(
            vscode.l10n.t(
                'Cohere API key removed from secret storage. The key in the {0} environment variable is still used.',
                remaining.source,
            ),
        );
    } else {
        void vscode.window.showInformationMessage(vscode.l10n.t('Cohere API key removed.'));
    }
}
