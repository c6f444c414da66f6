// `@workspace` in VS Code: the workspace index built in the background (window progress and a status
// bar item), kept current by a file watcher, saved in the workspace's storage, rebuilt by a command,
// and asked through src/retrieval/. Code goes to Cohere (Rerank, and Embed when semantic search is on)
// only with the person's consent, asked once per workspace, never in an untrusted workspace.
import * as vscode from 'vscode';
import type { CohereClient } from '../cohere/index';
import { embed, rerank } from '../cohere/index';
import {
    GitignoreSet,
    WorkspaceIndex,
    askWorkspace,
    consentFor,
    embedMissing,
    indexSearch,
} from '../retrieval/index';
import type { AskOptions, ConsentSetting, FileSource, ListedFile } from '../retrieval/index';
import type { WorkspaceSearch } from '../tools/searchWorkspace';
import type { Logger } from '../chat/logger';
import { setWorkspaceSearch } from './attachments';
import { ALWAYS_EXCLUDED } from './files';
import { listFiles } from './findFiles';
import type { AttachedItem } from './files';

const INDEX_FILE = 'workspace-index.bin';
const STATUS_ITEM_ID = 'cohere.workspaceIndex';
const CONSENT_KEY = 'cohere.workspaceRetrieval.consent';
const MAX_INDEXED_FILES = 50_000;

function setting<T>(key: string, fallback: T): T {
    return vscode.workspace.getConfiguration('cohere.workspaceRetrieval').get<T>(key) ?? fallback;
}

/** files.exclude and search.exclude (the globs set to true) with the folders no one indexes. */
function excludeGlobs(): string[] {
    const globs = [ALWAYS_EXCLUDED];
    for (const section of ['files.exclude', 'search.exclude']) {
        const table = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
        for (const [glob, on] of Object.entries(table)) if (on === true) globs.push(glob);
    }
    return globs;
}

/** The workspace's files through VS Code's file system, with .gitignore applied. */
class VsCodeSource implements FileSource {
    private readonly root: vscode.Uri;
    constructor(root: vscode.Uri) {
        this.root = root;
    }

    async list(): Promise<ListedFile[]> {
        // One listing: the .gitignore files come from it too.
        const uris = await listFiles(this.root, excludeGlobs(), MAX_INDEXED_FILES);
        const ignore = new GitignoreSet();
        const gitignores = uris.filter((uri) => uri.path.endsWith('/.gitignore')).slice(0, 1000);
        for (const uri of gitignores) {
            const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
            // The folder holding it, relative to the root ('' for the root itself).
            ignore.add(this.relative(uri).replace(/\/?\.gitignore$/, ''), text);
        }
        const files: ListedFile[] = [];
        for (const uri of uris) {
            const path = this.relative(uri);
            if (ignore.ignores(path)) continue;
            try {
                const stat = await vscode.workspace.fs.stat(uri);
                files.push({ path, size: stat.size, mtime: stat.mtime });
            } catch {
                // Gone since it was listed.
            }
        }
        return files;
    }

    read(path: string): Promise<Uint8Array> {
        return Promise.resolve(vscode.workspace.fs.readFile(this.uri(path)));
    }

    uri(path: string): vscode.Uri {
        return vscode.Uri.joinPath(this.root, ...path.split('/'));
    }

    relative(uri: vscode.Uri): string {
        const base = this.root.path.replace(/\/+$/, '');
        return uri.path.startsWith(`${base}/`)
            ? uri.path.slice(base.length + 1)
            : vscode.workspace.asRelativePath(uri, false);
    }
}

/** The live instance (one per window), for the rebuild command. */
const live = new Set<WorkspaceRetrieval>();

/** "Rebuild Workspace Index": starts over, with progress. */
export async function rebuildWorkspaceIndex(): Promise<void> {
    const [current] = live;
    if (current === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder to index it.'));
        return;
    }
    await current.rebuild();
}

export class WorkspaceRetrieval implements vscode.Disposable {
    private index: WorkspaceIndex | undefined;
    private building: Promise<WorkspaceIndex | undefined> | undefined;
    private cancel: vscode.CancellationTokenSource | undefined;
    private readonly status: vscode.StatusBarItem;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly source: VsCodeSource | undefined;
    private saveTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly client: () => CohereClient,
        private readonly log: Logger,
    ) {
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        this.source = root === undefined ? undefined : new VsCodeSource(root);
        this.status = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 0);
        this.status.name = vscode.l10n.t('Cohere Workspace Index');
        this.status.command = 'cohere.rebuildWorkspaceIndex';
        this.disposables.push(this.status);
        if (this.source === undefined) return;
        live.add(this);
        setWorkspaceSearch(async (question) => {
            const result = await this.ask(question);
            return result;
        });
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root!, '**/*'));
        watcher.onDidChange((uri) => void this.fileChanged(uri), undefined, this.disposables);
        watcher.onDidCreate((uri) => void this.fileChanged(uri), undefined, this.disposables);
        watcher.onDidDelete((uri) => this.fileDeleted(uri), undefined, this.disposables);
        this.disposables.push(watcher);
        // A saved index is loaded and brought up to date at once; without one, it is built on first use.
        void this.loadSaved().then((loaded) => {
            if (loaded) void this.ensureIndex();
        });
    }

    /** Rebuilds from scratch (the command). */
    async rebuild(): Promise<void> {
        this.cancel?.cancel();
        await this.building?.catch(() => undefined);
        this.index = undefined;
        await this.ensureIndex(true);
    }

    /** The index, built (or synced) if needed, with progress. */
    ensureIndex(fresh = false): Promise<WorkspaceIndex | undefined> {
        if (this.source === undefined) return Promise.resolve(undefined);
        if (this.building !== undefined) return this.building;
        const source = this.source;
        const target = fresh || this.index === undefined ? new WorkspaceIndex() : this.index;
        this.cancel = new vscode.CancellationTokenSource();
        const token = this.cancel.token;
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        this.building = Promise.resolve(
            vscode.window.withProgress(
                {
                    location: vscode.ProgressLocation.Window,
                    title: vscode.l10n.t('Indexing the workspace for Cohere'),
                    cancellable: true,
                },
                async (progress, progressToken) => {
                    progressToken.onCancellationRequested(() => controller.abort());
                    this.showStatus(
                        vscode.l10n.t('$(sync~spin) Cohere index'),
                        vscode.l10n.t('Indexing the workspace…'),
                    );
                    const started = Date.now();
                    const report = await target.sync(source, {
                        signal: controller.signal,
                        onProgress: (done, total) => {
                            progress.report({ message: `${done}/${total}` });
                            this.showStatus(
                                vscode.l10n.t(
                                    '$(sync~spin) Cohere index {0}%',
                                    Math.round((done / total) * 100),
                                ),
                                vscode.l10n.t('Indexing the workspace…'),
                            );
                        },
                    });
                    this.log.info(
                        `workspace index: ${report.files} files, ${report.chunks} chunks (+${report.added} ~${report.changed} -${report.removed}, ${report.skipped} skipped) in ${Date.now() - started} ms${report.cancelled ? ', cancelled' : ''}`,
                    );
                    this.index = target;
                    this.scheduleSave();
                    this.showReady();
                    return target;
                },
            ),
        ).finally(() => {
            this.building = undefined;
        });
        return this.building;
    }

    /** The chunks for an `@workspace` question, as one chip with its documents. */
    async ask(question: string): Promise<AttachedItem | undefined> {
        const source = this.source;
        if (source === undefined) return undefined;
        const prepared = await this.prepare(question, () => this.consent());
        if (prepared === undefined) return undefined;
        const result = await askWorkspace({
            ...prepared,
            question,
            uriOf: (path) => source.uri(path).toString(),
        });
        this.log.info(`@workspace: ${result.attachments.length} chunks (${result.method})`);
        return {
            chip: {
                id: 'workspace',
                label: '@workspace',
                kind: 'workspace',
                detail: result.attachments.map((a) => a.title).join('\n'),
            },
            attachments: result.attachments,
        };
    }

    /**
     * The index as search_workspace's search, when the person allowed workspace retrieval for this
     * workspace (never asked from inside a tool loop: undecided means not offered).
     */
    toolSearch(): WorkspaceSearch | undefined {
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        if (this.source === undefined || root?.scheme !== 'file' || this.consentNow() !== 'yes')
            return undefined;
        return indexSearch({
            root: root.fsPath,
            prepare: (query) => this.prepare(query, () => Promise.resolve(true)),
        });
    }

    /** The index (synced first) and, when code may go to Cohere, Rerank and the query's embedding. */
    private async prepare(
        question: string,
        consent: () => Promise<boolean>,
    ): Promise<Omit<AskOptions, 'question' | 'uriOf'> | undefined> {
        const source = this.source;
        const index = await this.ensureIndex();
        if (source === undefined || index === undefined) return undefined;
        // Asked once the index is there, as before the first answer.
        const allowed = await consent();
        const client = this.client();
        const model = setting<string>('rerankModel', 'rerank-v4.0-fast');
        let queryBits: ArrayLike<number> | undefined;
        if (allowed && setting<boolean>('semantic', false)) {
            await this.embedBacklog(index, source);
            const response = await embed(client, {
                model: 'embed-v4.0',
                input_type: 'search_query',
                texts: [question],
                embedding_types: ['ubinary'],
                output_dimension: index.dimensions,
            });
            queryBits = response.embeddings.ubinary?.[0];
        }
        return {
            index,
            source,
            ...(queryBits === undefined ? {} : { queryBits }),
            ...(allowed
                ? {
                      rerank: async (query: string, documents: string[]) =>
                          (await rerank(client, { model, query, documents, top_n: 8 })).results,
                  }
                : {}),
        };
    }

    dispose(): void {
        this.cancel?.cancel();
        if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
        setWorkspaceSearch(undefined);
        live.delete(this);
        for (const disposable of this.disposables) disposable.dispose();
    }

    /** Asks once per workspace whether code may go to Cohere; the answer is kept. */
    private async consent(): Promise<boolean> {
        const decision = this.consentNow();
        if (decision !== 'ask') return decision === 'yes';
        const allow = vscode.l10n.t('Allow');
        const deny = vscode.l10n.t('Keep Local');
        const choice = await vscode.window.showInformationMessage(
            vscode.l10n.t(
                '@workspace can send the best-matching code chunks to Cohere Rerank (and Embed, if semantic search is on) to choose what to cite. The local index never sends anything. Allow for this workspace?',
            ),
            { modal: true },
            allow,
            deny,
        );
        if (choice === undefined) return false;
        await this.context.workspaceState.update(CONSENT_KEY, choice === allow);
        return choice === allow;
    }

    /** The consent as it stands, without asking. */
    private consentNow(): 'yes' | 'no' | 'ask' {
        return consentFor(
            setting<ConsentSetting>('sendCode', 'ask'),
            vscode.workspace.isTrusted,
            this.context.workspaceState.get<boolean>(CONSENT_KEY),
        );
    }

    private async embedBacklog(index: WorkspaceIndex, source: FileSource): Promise<void> {
        const ids = index.unembedded();
        if (ids.length === 0) return;
        const client = this.client();
        await vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Window,
                title: vscode.l10n.t('Embedding the workspace with Cohere'),
                cancellable: true,
            },
            async (progress, token) => {
                const controller = new AbortController();
                token.onCancellationRequested(() => controller.abort());
                await embedMissing({
                    ids,
                    text: async (id) => (await index.chunkText(source, id)) ?? '',
                    embed: async (texts, signal) =>
                        (
                            await embed(
                                client,
                                {
                                    model: 'embed-v4.0',
                                    input_type: 'search_document',
                                    texts,
                                    embedding_types: ['ubinary'],
                                    output_dimension: index.dimensions,
                                },
                                signal === undefined ? {} : { signal },
                            )
                        ).embeddings.ubinary ?? [],
                    store: (id, bits) => index.setVector(id, bits),
                    inputsPerMinute: setting<number>('embedInputsPerMinute', 2000),
                    signal: controller.signal,
                    onProgress: (done, total) => progress.report({ message: `${done}/${total}` }),
                    onRateLimited: (ms) =>
                        progress.report({
                            message: vscode.l10n.t(
                                'rate limited by Cohere: waiting {0} s',
                                Math.ceil(ms / 1000),
                            ),
                        }),
                });
                this.scheduleSave();
            },
        );
    }

    private async loadSaved(): Promise<boolean> {
        const storage = this.context.storageUri;
        if (storage === undefined) return false;
        try {
            const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(storage, INDEX_FILE));
            const loaded = WorkspaceIndex.load(bytes);
            if (loaded === undefined) {
                this.log.info(
                    'workspace index: the saved index is of another format version; it will be rebuilt',
                );
                return false;
            }
            this.index = loaded;
            this.showReady();
            return true;
        } catch {
            return false;
        }
    }

    private scheduleSave(): void {
        if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
        this.saveTimer = setTimeout(() => void this.save(), 2000);
    }

    private async save(): Promise<void> {
        const storage = this.context.storageUri;
        if (storage === undefined || this.index === undefined) return;
        try {
            await vscode.workspace.fs.createDirectory(storage);
            await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(storage, INDEX_FILE), this.index.save());
        } catch (error) {
            this.log.warn(`workspace index not saved: ${String(error)}`);
        }
    }

    private async fileChanged(uri: vscode.Uri): Promise<void> {
        if (this.index === undefined || this.source === undefined || this.building !== undefined) return;
        const path = this.source.relative(uri);
        try {
            const stat = await vscode.workspace.fs.stat(uri);
            if ((stat.type & vscode.FileType.File) === 0) return;
            await this.index.indexFile(this.source, { path, size: stat.size, mtime: stat.mtime });
            this.scheduleSave();
            this.showReady();
        } catch {
            // Deleted again at once: the delete event follows.
        }
    }

    private fileDeleted(uri: vscode.Uri): void {
        if (this.index === undefined || this.source === undefined) return;
        this.index.removeFile(this.source.relative(uri));
        this.scheduleSave();
        this.showReady();
    }

    private showReady(): void {
        const index = this.index;
        if (index === undefined) return;
        this.showStatus(
            vscode.l10n.t('$(database) Cohere index'),
            vscode.l10n.t(
                'Cohere workspace index: {0} files, {1} chunks, {2} embedded. Click to rebuild.',
                index.fileCount,
                index.chunkCount,
                index.embeddedCount,
            ),
        );
    }

    private showStatus(text: string, tooltip: string): void {
        this.status.text = text;
        this.status.tooltip = tooltip;
        this.status.show();
    }
}
