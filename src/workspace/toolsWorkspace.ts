// The tools' workspace over VS Code: folders, trust, files.exclude, findFiles, diagnostics and the
// selection from the VS Code API; file contents from the open document when there is one (so unsaved
// changes are what the model reads), else from disk. Local (file:) folders only.
import * as vscode from 'vscode';
import { matchesGlob } from '../tools/glob';
import { NodeWorkspace } from '../tools/nodeWorkspace';
import type { EditorSelection, Problem, ToolFolder, ToolWorkspace } from '../tools/workspace';

/** A ToolWorkspace for the folders open now. */
export class VscodeToolWorkspace implements ToolWorkspace {
    readonly folders: readonly ToolFolder[];
    private readonly disk: NodeWorkspace;

    constructor(private readonly lastEditor: () => vscode.TextEditor | undefined) {
        this.folders = (vscode.workspace.workspaceFolders ?? [])
            .filter((folder) => folder.uri.scheme === 'file')
            .map((folder) => ({ name: folder.name, root: folder.uri.fsPath }));
        this.disk = new NodeWorkspace({ folders: [...this.folders] });
    }

    isTrusted(): boolean {
        return vscode.workspace.isTrusted;
    }

    lstat(absolutePath: string): ReturnType<ToolWorkspace['lstat']> {
        return this.disk.lstat(absolutePath);
    }

    realpath(absolutePath: string): Promise<string> {
        return this.disk.realpath(absolutePath);
    }

    async readFile(absolutePath: string): Promise<string> {
        const open = vscode.workspace.textDocuments.find(
            (document) => document.uri.scheme === 'file' && document.uri.fsPath === absolutePath,
        );
        return open !== undefined ? open.getText() : this.disk.readFile(absolutePath);
    }

    readDirectory(absolutePath: string): ReturnType<ToolWorkspace['readDirectory']> {
        return this.disk.readDirectory(absolutePath);
    }

    isExcluded(relativePath: string, folder: ToolFolder): boolean {
        const exclude = vscode.workspace
            .getConfiguration('files', vscode.Uri.file(folder.root))
            .get<Record<string, unknown>>('exclude', {});
        return Object.entries(exclude).some(([glob, on]) => on === true && matchesGlob(glob, relativePath));
    }

    async findFiles(glob: string, limit: number, signal: AbortSignal): Promise<string[]> {
        const source = new vscode.CancellationTokenSource();
        const cancel = (): void => source.cancel();
        signal.addEventListener('abort', cancel);
        try {
            // files.exclude applies (the default exclude); the path rules filter the rest.
            const uris = await vscode.workspace.findFiles(glob, undefined, limit, source.token);
            return uris.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
        } finally {
            signal.removeEventListener('abort', cancel);
            source.dispose();
        }
    }

    async problems(absolutePath?: string): Promise<Problem[]> {
        const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] =
            absolutePath === undefined
                ? vscode.languages.getDiagnostics()
                : [
                      [
                          vscode.Uri.file(absolutePath),
                          vscode.languages.getDiagnostics(vscode.Uri.file(absolutePath)),
                      ],
                  ];
        const problems: Problem[] = [];
        for (const [uri, diagnostics] of entries) {
            if (uri.scheme !== 'file') continue;
            for (const diagnostic of diagnostics) {
                problems.push({
                    file: uri.fsPath,
                    line: diagnostic.range.start.line + 1,
                    severity: SEVERITIES[diagnostic.severity],
                    message: diagnostic.message,
                    ...(diagnostic.source === undefined ? {} : { source: diagnostic.source }),
                });
            }
        }
        return problems;
    }

    selection(): EditorSelection | undefined {
        const editor = vscode.window.activeTextEditor ?? this.lastEditor();
        if (editor === undefined || editor.document.uri.scheme !== 'file' || editor.selection.isEmpty)
            return undefined;
        const { selection, document } = editor;
        return {
            file: document.uri.fsPath,
            startLine: selection.start.line + 1,
            endLine: selection.end.line + 1,
            text: document.getText(selection),
        };
    }
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, Problem['severity']> = {
    [vscode.DiagnosticSeverity.Error]: 'error',
    [vscode.DiagnosticSeverity.Warning]: 'warning',
    [vscode.DiagnosticSeverity.Information]: 'information',
    [vscode.DiagnosticSeverity.Hint]: 'hint',
};
