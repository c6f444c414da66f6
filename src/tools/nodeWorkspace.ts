// The tools' workspace over node:fs: used by the tests (a temporary folder) and, for reading, by the
// VS Code adapter on local (file:) workspaces.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { matchesGlob } from './glob';
import type {
    DirectoryEntry,
    EditorSelection,
    EntryKind,
    EntryStat,
    Problem,
    ToolFolder,
    ToolWorkspace,
} from './workspace';

export interface NodeWorkspaceOptions {
    folders: ToolFolder[];
    trusted?: boolean;
    /** files.exclude patterns that are on. */
    exclude?: string[];
    problems?: Problem[];
    selection?: EditorSelection;
}

/** Folders never walked by find_files: huge, generated, or off limits anyway. */
const SKIPPED_WHILE_WALKING = new Set(['.git', 'node_modules']);

export class NodeWorkspace implements ToolWorkspace {
    readonly folders: readonly ToolFolder[];

    constructor(private readonly options: NodeWorkspaceOptions) {
        this.folders = options.folders;
    }

    isTrusted(): boolean {
        return this.options.trusted ?? true;
    }

    async lstat(absolutePath: string): Promise<EntryStat | undefined> {
        try {
            const stat = await lstat(absolutePath);
            return { kind: kindOf(stat), size: stat.size, mtimeMs: stat.mtimeMs };
        } catch {
            return undefined;
        }
    }

    realpath(absolutePath: string): Promise<string> {
        return realpath(absolutePath);
    }

    readFile(absolutePath: string): Promise<string> {
        return readFile(absolutePath, 'utf8');
    }

    async readDirectory(absolutePath: string): Promise<DirectoryEntry[]> {
        const entries = await readdir(absolutePath, { withFileTypes: true });
        return entries.map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
    }

    isExcluded(relativePath: string, _folder: ToolFolder): boolean {
        return (this.options.exclude ?? []).some((glob) => matchesGlob(glob, relativePath));
    }

    async findFiles(glob: string, limit: number, signal: AbortSignal): Promise<string[]> {
        const found: string[] = [];
        for (const folder of this.folders) {
            const pending = [''];
            while (pending.length > 0 && found.length < limit) {
                signal.throwIfAborted();
                const relativeDir = pending.shift()!;
                const entries = await readdir(path.join(folder.root, relativeDir), {
                    withFileTypes: true,
                }).catch(() => []);
                entries.sort((a, b) => a.name.localeCompare(b.name));
                for (const entry of entries) {
                    const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
                    if (this.isExcluded(relative, folder)) continue;
                    if (entry.isDirectory()) {
                        if (!SKIPPED_WHILE_WALKING.has(entry.name)) pending.push(relative);
                    } else if (entry.isFile() && matchesGlob(glob, relative)) {
                        found.push(path.join(folder.root, relative));
                        if (found.length >= limit) break;
                    }
                }
            }
        }
        return found;
    }

    async problems(absolutePath?: string): Promise<Problem[]> {
        const all = this.options.problems ?? [];
        return absolutePath === undefined ? all : all.filter((problem) => problem.file === absolutePath);
    }

    selection(): EditorSelection | undefined {
        return this.options.selection;
    }
}

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
    if (entry.isSymbolicLink()) return 'symlink';
    if (entry.isDirectory()) return 'directory';
    if (entry.isFile()) return 'file';
    return 'other';
}
