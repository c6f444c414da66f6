// Undo of an applied change (the Undo on the chat's step, or on the notice after Apply on a code
// block): the file goes back to what it was before, or a created file is deleted, as one more edit
// VS Code itself can undo (and redo). Only when the file is still exactly as the change left it:
// whatever the person changed since is never thrown away.
import * as vscode from 'vscode';

export interface AppliedChange {
    /** Workspace path, for messages. */
    path: string;
    absolutePath: string;
    /** undefined: the change created the file. */
    before?: string;
    after: string;
}

/** Line ends aside: VS Code writes a document's own line ends into the text it inserts. */
function sameText(a: string, b: string): boolean {
    return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/** True when the file is back as before; false (and the person told why) when nothing was undone. */
export async function undoAppliedChange(change: AppliedChange): Promise<boolean> {
    const uri = vscode.Uri.file(change.absolutePath);
    let document: vscode.TextDocument;
    try {
        document = await vscode.workspace.openTextDocument(uri);
    } catch {
        void vscode.window.showWarningMessage(
            vscode.l10n.t('{0} is gone: there is nothing to undo.', change.path),
        );
        return false;
    }
    if (!sameText(document.getText(), change.after)) {
        void vscode.window.showWarningMessage(
            vscode.l10n.t('{0} changed since the change was applied: nothing was undone.', change.path),
        );
        return false;
    }
    const edit = new vscode.WorkspaceEdit();
    if (change.before === undefined) {
        edit.deleteFile(uri, { ignoreIfNotExists: true });
        return vscode.workspace.applyEdit(edit);
    }
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(uri, whole, change.before);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    await document.save();
    return true;
}
