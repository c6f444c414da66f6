// What the panel and the sidebar view share: webview options limited to dist/ and media/, and the HTML
// shell with a fresh nonce every time it is written.
import * as vscode from 'vscode';
import { translateWebviewStrings } from '../webviewStrings';
import type { ChatSurface } from './chatSession';
import { createNonce, renderWebviewShell } from './html';

/** Scripts on, local files only from dist/ and media/, no command: URIs. */
export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [
            vscode.Uri.joinPath(extensionUri, 'dist'),
            vscode.Uri.joinPath(extensionUri, 'media'),
        ],
    };
}

/** Writes the chat's HTML into a webview. */
export function writeChatHtml(
    webview: vscode.Webview,
    extensionUri: vscode.Uri,
    surface: ChatSurface,
    demo: boolean,
): void {
    const asset = (name: string): string =>
        webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', name)).toString();
    webview.html = renderWebviewShell({
        cspSource: webview.cspSource,
        scriptUri: asset('webview.js'),
        styleUri: asset('webview.css'),
        nonce: createNonce(),
        title: vscode.l10n.t('Cohere Chat'),
        lang: vscode.env.language,
        // The webview's words, translated here: the webview has no access to vscode.l10n.
        data: {
            surface,
            demo: String(demo),
            strings: JSON.stringify(translateWebviewStrings((english) => vscode.l10n.t(english))),
        },
    });
}
