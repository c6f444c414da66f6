// The workspace's files under a folder. vscode.workspace.findFiles asks VS Code's search service,
// which needs ripgrep; where it cannot answer (a VS Code build without ripgrep, as code-server 4.100's
// offline install, or a search provider that fails), the folder is walked through vscode.workspace.fs
// instead, with the same excludes, so attaching files and indexing the workspace still work.
import * as vscode from 'vscode';
import { matchesGlob } from '../tools/glob';

/** Every file under `folder` (up to `max`), leaving out what any of `excludes` (globs) matches. */
export async function listFiles(
    folder: vscode.Uri,
    excludes: readonly string[],
    max: number,
): Promise<vscode.Uri[]> {
    try {
        const found = await vscode.workspace.findFiles(
            new vscode.RelativePattern(folder, '**/*'),
            excludes.length === 0 ? null : excludes.length === 1 ? excludes[0] : `{${excludes.join(',')}}`,
            max,
        );
        // `**/*` finds nothing only in an empty folder, or when the search could not run: look to be sure.
        if (found.length > 0) return found;
    } catch {
        // The search service failed: walk the folder instead.
    }
    return walk(folder, excludes, max);
}

/** Breadth-first through the folder, skipping excluded folders and files and following no links. */
async function walk(folder: vscode.Uri, excludes: readonly string[], max: number): Promise<vscode.Uri[]> {
    const found: vscode.Uri[] = [];
    const queue: { uri: vscode.Uri; path: string }[] = [{ uri: folder, path: '' }];
    const excluded = (path: string): boolean => excludes.some((glob) => matchesGlob(glob, path));
    while (queue.length > 0 && found.length < max) {
        const next = queue.shift()!;
        let entries: [string, vscode.FileType][];
        try {
            entries = await vscode.workspace.fs.readDirectory(next.uri);
        } catch {
            continue;
        }
        entries.sort(([a], [b]) => a.localeCompare(b));
        for (const [name, type] of entries) {
            const path = next.path === '' ? name : `${next.path}/${name}`;
            if ((type & vscode.FileType.SymbolicLink) !== 0 || excluded(path)) continue;
            const uri = vscode.Uri.joinPath(next.uri, name);
            if ((type & vscode.FileType.Directory) !== 0) queue.push({ uri, path });
            else if ((type & vscode.FileType.File) !== 0) {
                found.push(uri);
                if (found.length >= max) break;
            }
        }
    }
    return found;
}
