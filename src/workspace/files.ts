// Reading workspace files, folders, selections, editors and diagnostics as attachments (the VS Code
// side; the cutting, ids, titles and refusals are in src/context/).
import * as vscode from 'vscode';
import type { Attachment } from '../chat/model';
import {
    DEFAULT_MAX_FILE_BYTES,
    fileAttachments,
    problemAttachments,
    refusalOf,
    refusalText,
} from '../context/index';
import type { Problem, ProblemSeverity } from '../context/index';
import type { AttachmentChip } from '../protocol';
import { contextStrings } from './contextStrings';
import { listFiles } from './findFiles';

/** One attached thing: its chip and the documents it sends. */
export interface AttachedItem {
    chip: AttachmentChip;
    attachments: Attachment[];
}

/** Files a folder may bring at most; the rest are said to be left out. */
const MAX_FOLDER_FILES = 200;
/** Globs no one means to attach: dependencies, build output, VCS data. */
export const ALWAYS_EXCLUDED =
    '**/{node_modules,.git,dist,out,build,.next,coverage,.cache,__pycache__,target}/**';

function relative(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, false);
}

/** A file's text: the open editor's (unsaved edits included) when it is open, else the bytes on disk. */
export async function readFileItem(uri: vscode.Uri): Promise<AttachedItem> {
    const path = relative(uri);
    const open = vscode.workspace.textDocuments.find(
        (document) => document.uri.toString() === uri.toString(),
    );
    const chip: AttachmentChip = { id: `file:${uri.toString()}`, label: path, kind: 'file' };
    let text: string;
    let languageId: string | undefined;
    if (open !== undefined) {
        text = open.getText();
        languageId = open.languageId;
    } else {
        let bytes: Uint8Array;
        try {
            const stat = await vscode.workspace.fs.stat(uri);
            if ((stat.type & vscode.FileType.Directory) !== 0) return readFolderItem(uri);
            if (stat.size > DEFAULT_MAX_FILE_BYTES) {
                const refusal = { kind: 'tooLarge' as const, size: stat.size, cap: DEFAULT_MAX_FILE_BYTES };
                return {
                    chip: { ...chip, refused: refusalText(path, refusal, contextStrings()) },
                    attachments: [],
                };
            }
            bytes = await vscode.workspace.fs.readFile(uri);
        } catch (error) {
            return {
                chip: { ...chip, refused: vscode.l10n.t('{0} could not be read: {1}', path, String(error)) },
                attachments: [],
            };
        }
        const refusal = refusalOf(bytes, bytes.length);
        if (refusal !== undefined)
            return {
                chip: { ...chip, refused: refusalText(path, refusal, contextStrings()) },
                attachments: [],
            };
        text = new TextDecoder().decode(bytes);
    }
    const attachments = fileAttachments({
        relativePath: path,
        uri: uri.toString(),
        text,
        ...(languageId === undefined ? {} : { languageId }),
    });
    if (attachments.length === 0)
        return { chip: { ...chip, refused: vscode.l10n.t('{0} is empty.', path) }, attachments };
    return { chip: { ...chip, detail: attachments.map((a) => a.title).join('\n') }, attachments };
}

/** Every text file under a folder (up to 200), each cut into chunks; refusals listed in the detail. */
export async function readFolderItem(folder: vscode.Uri): Promise<AttachedItem> {
    const path = relative(folder);
    const uris = await listFiles(folder, [ALWAYS_EXCLUDED], MAX_FOLDER_FILES + 1);
    uris.sort((a, b) => a.path.localeCompare(b.path));
    const attachments: Attachment[] = [];
    const notes: string[] = [];
    for (const uri of uris.slice(0, MAX_FOLDER_FILES)) {
        const item = await readFileItem(uri);
        if (item.chip.refused !== undefined) notes.push(item.chip.refused);
        attachments.push(...item.attachments);
    }
    if (uris.length > MAX_FOLDER_FILES)
        notes.push(vscode.l10n.t('Only the first {0} files are attached.', MAX_FOLDER_FILES));
    const chip: AttachmentChip = {
        id: `folder:${folder.toString()}`,
        label: `${path}/`,
        kind: 'folder',
        detail: [...new Set(attachments.map((a) => a.title.replace(/:\d+(-\d+)?$/, '')))]
            .concat(notes)
            .join('\n'),
    };
    if (attachments.length === 0)
        return {
            chip: { ...chip, refused: vscode.l10n.t('{0} holds no text files to attach.', path) },
            attachments,
        };
    return { chip, attachments };
}

/** The active editor's selection as one attachment, or undefined when nothing is selected. */
export function selectionItem(editor: vscode.TextEditor | undefined, id: string): AttachedItem | undefined {
    if (editor === undefined || editor.selection.isEmpty) return undefined;
    const { document, selection } = editor;
    const startLine = selection.start.line + 1;
    const endLine =
        selection.end.character === 0 && selection.end.line > selection.start.line
            ? selection.end.line
            : selection.end.line + 1;
    const path = relative(document.uri);
    const title = startLine === endLine ? `${path}:${startLine}` : `${path}:${startLine}-${endLine}`;
    const text = document.getText(selection);
    return {
        chip: { id, label: title, kind: 'selection' },
        attachments: [
            {
                id,
                title,
                text,
                uri: document.uri.toString(),
                startLine,
                endLine,
                languageId: document.languageId,
                kind: 'selection',
            },
        ],
    };
}

function severityOf(severity: vscode.DiagnosticSeverity): ProblemSeverity {
    switch (severity) {
        case vscode.DiagnosticSeverity.Error:
            return 'error';
        case vscode.DiagnosticSeverity.Warning:
            return 'warning';
        case vscode.DiagnosticSeverity.Information:
            return 'information';
        case vscode.DiagnosticSeverity.Hint:
            return 'hint';
    }
}

/** Diagnostics of one file, or of the whole workspace, as problem documents. */
export function problemsItem(uri: vscode.Uri | undefined): AttachedItem {
    const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] =
        uri === undefined ? vscode.languages.getDiagnostics() : [[uri, vscode.languages.getDiagnostics(uri)]];
    const problems: Problem[] = [];
    for (const [file, diagnostics] of entries) {
        for (const diagnostic of diagnostics) {
            const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
            problems.push({
                relativePath: relative(file),
                uri: file.toString(),
                startLine: diagnostic.range.start.line + 1,
                startColumn: diagnostic.range.start.character + 1,
                endLine: diagnostic.range.end.line + 1,
                endColumn: diagnostic.range.end.character + 1,
                severity: severityOf(diagnostic.severity),
                message: diagnostic.message,
                ...(diagnostic.source === undefined ? {} : { source: diagnostic.source }),
                ...(code === undefined ? {} : { code: String(code) }),
            });
        }
    }
    const { attachments, leftOut } = problemAttachments(problems);
    const scope = uri === undefined ? vscode.l10n.t('workspace') : relative(uri);
    const chip: AttachmentChip = {
        id: `problems:${uri?.toString() ?? '*'}`,
        label: vscode.l10n.t('Problems ({0}): {1}', problems.length, scope),
        kind: 'problem',
        detail:
            attachments.map((a) => a.text).join('\n') +
            (leftOut > 0 ? `\n${vscode.l10n.t('{0} more not attached', leftOut)}` : ''),
    };
    if (attachments.length === 0)
        return {
            chip: { ...chip, refused: vscode.l10n.t('There are no problems in {0}.', scope) },
            attachments,
        };
    return { chip, attachments };
}

/** The files of every workspace folder (20,000 at most), without dependencies and build output. */
async function workspaceFiles(): Promise<vscode.Uri[]> {
    const found: vscode.Uri[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
        found.push(...(await listFiles(folder.uri, [ALWAYS_EXCLUDED], 20_000 - found.length)));
        if (found.length >= 20_000) break;
    }
    return found;
}

/** A quick pick of workspace files (fuzzy matching is the quick pick's own), several at once. */
export async function pickFiles(): Promise<vscode.Uri[]> {
    const uris = await workspaceFiles();
    const items = uris
        .map((uri) => ({ label: relative(uri), uri }))
        .sort((a, b) => a.label.localeCompare(b.label));
    const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Attach Files'),
        placeHolder: vscode.l10n.t('Files to attach to the next message'),
        canPickMany: true,
        matchOnDescription: true,
    });
    return (picked ?? []).map((item) => item.uri);
}

/** A quick pick of the folders that hold workspace files. */
export async function pickFolder(): Promise<vscode.Uri | undefined> {
    const uris = await workspaceFiles();
    const folders = new Map<string, vscode.Uri>();
    for (const uri of uris) {
        let parent = vscode.Uri.joinPath(uri, '..');
        while (vscode.workspace.getWorkspaceFolder(parent) !== undefined && !folders.has(parent.toString())) {
            folders.set(parent.toString(), parent);
            parent = vscode.Uri.joinPath(parent, '..');
        }
    }
    const items = [...folders.values()]
        .map((uri) => ({ label: relative(uri) === '' ? '.' : relative(uri), uri }))
        .sort((a, b) => a.label.localeCompare(b.label));
    const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Attach Folder'),
        placeHolder: vscode.l10n.t('A folder to attach to the next message'),
    });
    return picked?.uri;
}
