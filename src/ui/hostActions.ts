// What a chat webview may ask the editor to do for it: open a link, copy or insert code, reveal the lines
// an attached selection came from. Each takes already-validated values (src/ui/messageGuard.ts).
import * as vscode from 'vscode';
import type { Attachment } from '../chat/model';
import { Disposable } from './dispose';
import { decideLink } from './links';
import { selectLines } from '../workspace/reveal';

/**
 * Opens an http(s) link in the browser or a mailto: link in the mail client. A link with a user name or
 * password in it (`https://accounts.example.com@evil.example/`) opens only after the person confirmed the
 * host it really leads to; anything else is refused (false), and the caller logs it.
 */
export async function openWebLink(url: string): Promise<boolean> {
    const decision = decideLink(url);
    if (decision.kind === 'refuse') return false;
    if (decision.kind === 'confirm') {
        const open = vscode.l10n.t('Open {0}', decision.host);
        const answer = await vscode.window.showWarningMessage(
            vscode.l10n.t('This link hides where it leads. It opens {0}.', decision.host),
            {
                modal: true,
                detail: vscode.l10n.t(
                    'The part before "@" is a user name, not the site. It is left out when the link opens.',
                ),
            },
            open,
        );
        if (answer !== open) return true;
    }
    // Uri.parse would re-interpret percent-escapes; `true` keeps the URL exactly as decided.
    return vscode.env.openExternal(vscode.Uri.parse(decision.url, true));
}

export async function copyToClipboard(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
}

/**
 * Remembers the last text editor the person used. When a chat panel has the focus there is no active text
 * editor, yet "Insert at Cursor" should still go to the file they were just in.
 */
export class LastEditorTracker extends Disposable {
    private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

    constructor() {
        super();
        this._register(
            vscode.window.onDidChangeActiveTextEditor((editor) => {
                if (editor) this.last = editor;
            }),
        );
    }

    /** The editor to insert into: the active one, else the last one, opened again if it was hidden. */
    async editor(): Promise<vscode.TextEditor | undefined> {
        const active = vscode.window.activeTextEditor;
        if (active) return active;
        const last = this.last;
        if (!last || last.document.isClosed) return undefined;
        const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === last.document);
        if (visible) return visible;
        return vscode.window.showTextDocument(last.document, {
            viewColumn: vscode.ViewColumn.Beside,
            selection: last.selection,
            preserveFocus: false,
        });
    }
}

/** Inserts code at every cursor of the last-used editor, replacing what is selected. */
export async function insertAtCursor(tracker: LastEditorTracker, code: string): Promise<boolean> {
    const editor = await tracker.editor();
    if (!editor) return false;
    return editor.edit((builder) => {
        for (const selection of editor.selections) builder.replace(selection, code);
    });
}

/** Opens the file an attachment came from and selects its lines. */
export async function revealAttachment(attachment: Attachment): Promise<boolean> {
    if (!attachment.uri || attachment.startLine === undefined) return false;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(attachment.uri, true));
    await selectLines(document, attachment.startLine, attachment.endLine ?? attachment.startLine);
    return true;
}
