// "Test Connection": checks the key and lists the chat models, then says where it connected, where the key
// came from (never the key), how many models there are and how long it took.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { isCohereError } from '../cohere';
import { describeError, type CommandDeps } from './deps';

const KEY_SOURCES: Readonly<Record<string, string>> = {
    secretStorage: 'secret storage',
    CO_API_KEY: 'CO_API_KEY',
    COHERE_API_KEY: 'COHERE_API_KEY',
};

async function offerActions(deps: CommandDeps, message: string, withSetKey: boolean): Promise<void> {
    const setKey = vscode.l10n.t('Set API Key');
    const showLogs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showErrorMessage(message, ...(withSetKey ? [setKey] : []), showLogs);
    if (choice === setKey) await vscode.commands.executeCommand('cohere.setApiKey');
    if (choice === showLogs) deps.log.show();
}

/** Runs the check with a cancellable progress notification and reports the outcome. */
export async function testConnection(deps: CommandDeps): Promise<void> {
    const baseUrl = deps.clients.baseUrl;
    const found = await deps.keys.getKey();
    if (!found) {
        await offerActions(deps, vscode.l10n.t('No Cohere API key is set.'), true);
        return;
    }
    const source = KEY_SOURCES[found.source] ?? found.source;
    const started = performance.now();
    try {
        const { valid, models } = await vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: vscode.l10n.t('Testing the connection to {0}…', baseUrl),
                cancellable: true,
            },
            async (_progress, token) => {
                const controller = new AbortController();
                const cancel = token.onCancellationRequested(() => controller.abort());
                try {
                    const check = await deps.clients.client.checkApiKey({ signal: controller.signal });
                    const list = await deps.clients.client.listModels({
                        endpoint: 'chat',
                        signal: controller.signal,
                    });
                    return { valid: check.valid, models: list };
                } finally {
                    cancel.dispose();
                }
            },
        );
        const elapsed = Math.round(performance.now() - started);
        deps.models.set(models);
        deps.log.info(
            `connection test: ${baseUrl}, key from ${found.source}, valid ${valid}, ${models.length} chat models, ${elapsed} ms`,
        );
        if (!valid) {
            await offerActions(
                deps,
                vscode.l10n.t(
                    'Connected to {0} in {1} ms, but the key from {2} is not valid.',
                    baseUrl,
                    elapsed,
                    source,
                ),
                true,
            );
            return;
        }
        void vscode.window.showInformationMessage(
            vscode.l10n.t(
                'Connected to {0} in {1} ms. The key from {2} is valid; {3} chat models are available.',
                baseUrl,
                elapsed,
                source,
                models.length,
            ),
        );
    } catch (error) {
        const elapsed = Math.round(performance.now() - started);
        deps.log.warn(`connection test failed after ${elapsed} ms: ${describeError(error)}`);
        if (isCohereError(error) && error.code === 'aborted') return;
        const code = isCohereError(error) ? ` (${error.code})` : '';
        const unauthorized =
            isCohereError(error) &&
            (error.code === 'unauthorized' || error.code === 'no_api_key' || error.code === 'forbidden');
        const hint =
            isCohereError(error) && (error.code === 'network' || error.code === 'timeout')
                ? ' ' + vscode.l10n.t('Check the base URL and, behind a proxy, the http.proxy setting.')
                : '';
        await offerActions(
            deps,
            vscode.l10n.t('Could not connect to {0}{1}: {2}', baseUrl, code, describeError(error)) + hint,
            unauthorized,
        );
    }
}
