import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
    // Wiring comes with the extension issue.
}

export function deactivate(): void {}
