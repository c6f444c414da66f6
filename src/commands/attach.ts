// "Ask Cohere About…" from the Explorer (one or several files or folders), and the attach commands
// behind the `#` mentions: each adds chips to the chat the person is using.
import * as vscode from 'vscode';
import type { AttachKind } from '../protocol';
import { readFileItem } from '../workspace/files';
import { targetSession, type CommandDeps } from './deps';

/** The Explorer passes the clicked item and, with several selected, all of them. */
function explorerUris(args: readonly unknown[]): vscode.Uri[] {
    const [clicked, selected] = args;
    if (Array.isArray(selected) && selected.length > 0) {
        return selected.filter((item): item is vscode.Uri => item instanceof vscode.Uri);
    }
    if (clicked instanceof vscode.Uri) return [clicked];
    const active = vscode.window.activeTextEditor?.document.uri;
    return active === undefined ? [] : [active];
}

/** Attaches the Explorer's selection to the chat, then asks the question and sends it with them. */
export async function askAbout(deps: CommandDeps, ...args: unknown[]): Promise<void> {
    const uris = explorerUris(args);
    if (uris.length === 0) {
        void vscode.window.showInformationMessage(
            vscode.l10n.t('Select files or folders in the Explorer first.'),
        );
        return;
    }
    const session = targetSession(deps);
    const items = await Promise.all(uris.map((uri) => readFileItem(uri)));
    await session.attach(items);
    const names = items.map((item) => item.chip.label).join(', ');
    const question = await vscode.window.showInputBox({
        title: vscode.l10n.t('Ask Cohere About…'),
        prompt: vscode.l10n.t('Your question about {0}', names),
        placeHolder: vscode.l10n.t('e.g. How do these fit together?'),
        ignoreFocusOut: true,
    });
    // Cancelled: the chips stay above the composer, for a question typed there.
    if (question === undefined || question.trim() === '') return;
    await session.sendPrompt(question.trim(), await session.attachments.takeForSend(question));
}

/** A command per mention: `#file`, `#folder`, `#selection`, `#editor`, `#problems`, `@workspace`. */
export function attachCommand(kind: AttachKind): (deps: CommandDeps) => Promise<void> {
    return async (deps) => {
        const session = targetSession(deps);
        await session.attachments.attach(kind);
    };
}
