// A folder on disk as a FileSource, with its `.gitignore` files and extra exclude globs applied: what
// the benchmark and the tests index. (VS Code's own file system goes through src/workspace/.)
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GitignoreSet } from './gitignore';
import type { FileSource, ListedFile } from './workspaceIndex';

export interface DiskSourceOptions {
    /** Folder names never walked into (default: .git). */
    skipFolders?: readonly string[];
    /** Apply `.gitignore` files (default true). */
    gitignore?: boolean;
    /** Paths ignored besides `.gitignore`, as gitignore-style lines (e.g. from files.exclude). */
    exclude?: readonly string[];
}

export class DiskSource implements FileSource {
    constructor(
        readonly root: string,
        private readonly options: DiskSourceOptions = {},
    ) {}

    async list(signal?: AbortSignal): Promise<ListedFile[]> {
        const skip = new Set(this.options.skipFolders ?? ['.git']);
        const ignore = new GitignoreSet();
        if (this.options.exclude !== undefined) ignore.add('', this.options.exclude.join('\n'));
        const files: ListedFile[] = [];
        const walk = async (folder: string): Promise<void> => {
            if (signal?.aborted) return;
            const entries = await readdir(join(this.root, folder), { withFileTypes: true }).catch(() => []);
            if (
                this.options.gitignore !== false &&
                entries.some((entry) => entry.name === '.gitignore' && entry.isFile())
            ) {
                ignore.add(
                    folder,
                    await readFile(join(this.root, folder, '.gitignore'), 'utf8').catch(() => ''),
                );
            }
            for (const entry of entries) {
                const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
                if (entry.isDirectory()) {
                    if (skip.has(entry.name) || ignore.ignores(`${path}/`)) continue;
                    await walk(path);
                } else if (entry.isFile()) {
                    if (ignore.ignores(path)) continue;
                    const info = await stat(join(this.root, path)).catch(() => undefined);
                    if (info !== undefined)
                        files.push({ path, size: info.size, mtime: Math.floor(info.mtimeMs) });
                }
            }
        };
        await walk('');
        return files;
    }

    read(path: string): Promise<Uint8Array> {
        return readFile(join(this.root, path));
    }
}
