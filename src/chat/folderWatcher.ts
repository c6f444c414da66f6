// Tells the history which files of the conversations folder changed, so a window lists what another
// window creates, renames or deletes. The history depends on the small interface; the Node
// implementation (fs.watch) needs no vscode, and a VS Code FileSystemWatcher could feed the same one.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { promises as fs } from 'node:fs';
import { Emitter } from './emitter';
import type { Subscription } from './emitter';
import { asError } from './logger';
import type { Logger } from './logger';

/** Every file of the folder may have changed (the watcher could not say which). */
export const ANY_FILE = '*';

/** Changes of the files in one folder, batched. */
export interface FolderWatcher {
    /** Fires with the names of the files that changed (or `[ANY_FILE]`). */
    onDidChange(listener: (fileNames: readonly string[]) => void): Subscription;
    dispose(): void;
}

const DEFAULT_SETTLE_MS = 75;

/**
 * Watches `dir` (created if missing) with fs.watch. Changes are gathered for `settleMs`, so the burst of
 * events of one atomic write (temporary file, rename) arrives as one batch.
 */
export async function watchFolder(
    dir: string,
    log: Logger,
    settleMs = DEFAULT_SETTLE_MS,
): Promise<FolderWatcher> {
    await fs.mkdir(dir, { recursive: true });
    return new NodeFolderWatcher(dir, log, settleMs);
}

class NodeFolderWatcher implements FolderWatcher {
    private readonly _onDidChange: Emitter<readonly string[]>;
    private readonly pending = new Set<string>();
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly watcher: FSWatcher | undefined;

    constructor(dir: string, log: Logger, settleMs: number) {
        this._onDidChange = new Emitter((error) => log.error(asError(error)));
        try {
            this.watcher = watch(dir, { persistent: false }, (_event, fileName) => {
                this.pending.add(fileName === null ? ANY_FILE : String(fileName));
                this.timer ??= setTimeout(() => this.flush(), settleMs);
            });
            this.watcher.on('error', (error) => {
                log.warn(`Stopped watching the conversations folder: ${asError(error).message}`);
            });
        } catch (error) {
            // Some file systems cannot be watched; the history then shows this window's changes only.
            log.warn(`Cannot watch the conversations folder: ${asError(error).message}`);
        }
    }

    onDidChange(listener: (fileNames: readonly string[]) => void): Subscription {
        return this._onDidChange.event(listener);
    }

    dispose(): void {
        this.watcher?.close();
        if (this.timer !== undefined) clearTimeout(this.timer);
        this._onDidChange.dispose();
    }

    private flush(): void {
        this.timer = undefined;
        const names = [...this.pending];
        this.pending.clear();
        this._onDidChange.fire(names);
    }
}
