// "Select Model": a quick pick of the endpoint's chat models (cached), or free text when the list cannot be
// fetched. The choice goes to the user's `cohere.model`.
import * as vscode from 'vscode';
import type { ModelInfo } from '../cohere';
import { writeModelSetting } from '../settingsReader';
import { sortModelsForPicker } from '../ui/modelCatalog';
import { describeError, type CommandDeps } from './deps';

interface ModelItem extends vscode.QuickPickItem {
    readonly model?: string;
}

function modelItem(model: ModelInfo & { name: string }, current: string): ModelItem {
    const details: string[] = [];
    if (model.context_length !== undefined) {
        details.push(vscode.l10n.t('{0} tokens of context', model.context_length.toLocaleString()));
    }
    if (model.is_deprecated) details.push(vscode.l10n.t('deprecated'));
    if (model.name === current) details.push(vscode.l10n.t('current'));
    return {
        label: model.name,
        description: details.join(' · '),
        model: model.name,
    };
}

async function askForModelName(current: string): Promise<string | undefined> {
    const name = await vscode.window.showInputBox({
        title: vscode.l10n.t('Cohere Model'),
        prompt: vscode.l10n.t('The model name, e.g. command-a-03-2025'),
        value: current,
        ignoreFocusOut: true,
    });
    return name?.trim() || undefined;
}

async function pickFromList(models: readonly ModelInfo[], current: string): Promise<string | undefined> {
    const items: ModelItem[] = sortModelsForPicker(models).map((model) => modelItem(model, current));
    const other: ModelItem = { label: vscode.l10n.t('$(edit) Enter a model name…'), alwaysShow: true };
    const quickPick = vscode.window.createQuickPick<ModelItem>();
    quickPick.title = vscode.l10n.t('Cohere: Select Model');
    quickPick.placeholder = vscode.l10n.t('Current: {0}', current);
    quickPick.matchOnDescription = true;
    quickPick.items = [...items, other];
    // Start on the current model, so Enter keeps it and the arrows move from it.
    quickPick.activeItems = items.filter((item) => item.model === current);
    const picked = await new Promise<ModelItem | undefined>((resolve) => {
        quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
        quickPick.onDidHide(() => resolve(undefined));
        quickPick.show();
    });
    quickPick.dispose();
    if (!picked) return undefined;
    return picked.model ?? askForModelName(current);
}

/** Lets the person choose the model; on a failed listing it shows why and offers free text. */
export async function selectModel(deps: CommandDeps): Promise<void> {
    const current = deps.settings().model;
    let chosen: string | undefined;
    try {
        const models = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing Cohere models…') },
            () => deps.models.list(),
        );
        chosen = await pickFromList(models, current);
    } catch (error) {
        deps.log.warn(`listing models: ${describeError(error)}`);
        void vscode.window.showErrorMessage(
            vscode.l10n.t('Could not list the Cohere models: {0}', describeError(error)),
        );
        chosen = await askForModelName(current);
    }
    if (chosen === undefined || chosen === current) return;
    await writeModelSetting(chosen);
    deps.log.info(`model set to ${chosen}`);
}
