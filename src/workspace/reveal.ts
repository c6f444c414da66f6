// A click on a citation's source that is code: open the file with the cited lines selected - only
// the lines of the cited words when the chunk holds them - and, when the file changed since it was
// sent, say so and select the best match (or the recorded lines).
import * as vscode from 'vscode';
import type { Attachment } from '../chat/model';
import { locateNow, narrowIn } from '../context/index';

/** Opens the attachment's file at the cited lines; false when it is not a file's lines. */
export async function revealCitedSource(
    attachment: Attachment,
    citedText: string | undefined,
): Promise<boolean> {
    if (attachment.uri === undefined || attachment.startLine === undefined) return false;
    let document: vscode.TextDocument;
    try {
        document = await vscode.workspace.openTextDocument(vscode.Uri.parse(attachment.uri, true));
    } catch {
        void vscode.window.showWarningMessage(
            vscode.l10n.t('{0} cannot be opened any more: it was moved or deleted.', attachment.title),
        );
        return true;
    }
    const located = locateNow(attachment, document.getText());
    if (located === undefined) return false;
    const lines = narrowIn(document.getText(), located.range, citedText);
    if (located.kind === 'moved') {
        void vscode.window.showInformationMessage(
            vscode.l10n.t(
                'The file changed since {0} was sent: showing where that text is now (lines {1}-{2}).',
                attachment.title,
                lines.startLine,
                lines.endLine,
            ),
        );
    } else if (located.kind === 'changed') {
        void vscode.window.showWarningMessage(
            vscode.l10n.t(
                'The file changed since {0} was sent and that text is no longer in it: showing the lines it had then.',
                attachment.title,
            ),
        );
    }
    await selectLines(document, lines.startLine, lines.endLine);
    return true;
}

/**
 * Shows `document` with whole lines `startLine`..`endLine` (1-based, clamped to the file) selected and in view:
 * in the editor that already shows it, else beside the chat.
 */
export async function selectLines(
    document: vscode.TextDocument,
    startLine: number,
    endLine: number,
): Promise<void> {
    const last = document.lineCount - 1;
    const start = Math.min(Math.max(startLine - 1, 0), last);
    const end = Math.min(Math.max(endLine - 1, start), last);
    const range = new vscode.Range(start, 0, end, document.lineAt(end).text.length);
    const open = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    const editor = await vscode.window.showTextDocument(document, {
        viewColumn: open?.viewColumn ?? vscode.ViewColumn.Beside,
        selection: range,
        preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
