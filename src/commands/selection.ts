// "Send Selection as Prompt" and "Ask About Selection…": the editor selection goes to the chat the person
// is using (the panel is opened when none is visible).
import * as vscode from 'vscode';
import type { Attachment } from '../chat/model';
import {
    fencedSelectionPrompt,
    nextAttachmentId,
    selectionAttachment,
    selectionTitle,
    selectionLines,
    type SelectionSource,
} from '../ui/selectionPrompt';
import { targetSession, type CommandDeps } from './deps';

/** The active editor's selection in plain values, or undefined (with a message) when there is none. */
function currentSelection(): SelectionSource | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some text in an editor first.'));
        return undefined;
    }
    const { document, selection } = editor;
    return {
        relativePath: vscode.workspace.asRelativePath(document.uri, false),
        uri: document.uri.toString(),
        languageId: document.languageId,
        text: document.getText(selection),
        start: { line: selection.start.line, character: selection.start.character },
        end: { line: selection.end.line, character: selection.end.character },
    };
}

/** Sends the selection, fenced in its language under its file name, as the person's message. */
export async function sendSelection(deps: CommandDeps): Promise<void> {
    const selection = currentSelection();
    if (!selection) return;
    const session = targetSession(deps);
    await session.sendPrompt(fencedSelectionPrompt(selection));
}

/**
 * Asks a question about the selection, attached as a Cohere document so the reply cites it. The question
 * is asked first, before any chat is touched: a chat that opens, loads or redraws while the box is up
 * takes the focus from it on VS Code 1.139, and the rest of the question would go into the chat's
 * composer. Answered, the selection joins the other attachments as a chip on the message (and in the
 * list of what later messages keep sending); cancelled, nothing changes.
 */
export async function askAboutSelection(deps: CommandDeps): Promise<void> {
    // Read the selection before the input box takes the focus.
    const selection = currentSelection();
    if (!selection) return;
    const { startLine, endLine } = selectionLines(selection.start, selection.end);
    const question = await vscode.window.showInputBox({
        title: vscode.l10n.t('Ask About Selection'),
        prompt: vscode.l10n.t(
            'Your question about {0}',
            selectionTitle(selection.relativePath, startLine, endLine),
        ),
        placeHolder: vscode.l10n.t('e.g. What does this do?'),
        ignoreFocusOut: true,
    });
    if (question === undefined || question.trim() === '') return;
    const session = targetSession(deps);
    const conversation = await session.conversation();
    // Past the ids of the conversation and of the selections still waiting as chips.
    const id = nextAttachmentId({
        turns: [...conversation.turns, { attachments: session.attachments.pendingAttachments() }],
    });
    const attachment: Attachment = { ...selectionAttachment(selection, id), kind: 'selection' };
    await session.attach([
        {
            chip: { id, label: attachment.title, kind: 'selection', detail: attachment.title },
            attachments: [attachment],
        },
    ]);
    await session.sendPrompt(question.trim(), await session.attachments.takeForSend(question));
}
