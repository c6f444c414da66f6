// What the tools need from the workspace, as a small interface: implemented over node:fs for tests
// (nodeWorkspace.ts) and over vscode.workspace in src/workspace/toolsWorkspace.ts.

/** One workspace folder: its name (used as a path prefix when there are several) and its root on disk. */
export interface ToolFolder {
    readonly name: string;
    /** Absolute file-system path of the folder's root. */
    readonly root: string;
}

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** `lstat`: a link is reported as a link, never followed. */
export interface EntryStat {
    kind: EntryKind;
    size: number;
    mtimeMs: number;
}

export interface DirectoryEntry {
    name: string;
    kind: EntryKind;
}

/** A diagnostic of a file, 1-based lines. */
export interface Problem {
    /** Absolute path of the file. */
    file: string;
    line: number;
    severity: 'error' | 'warning' | 'information' | 'hint';
    message: string;
    source?: string;
}

/** The active editor's selection, 1-based inclusive lines. */
export interface EditorSelection {
    /** Absolute path of the file. */
    file: string;
    startLine: number;
    endLine: number;
    text: string;
}

/** Files and the workspace, as the tools see them. Every path in and out is absolute. */
export interface ToolWorkspace {
    readonly folders: readonly ToolFolder[];
    /** Untrusted workspaces get no tools at all. */
    isTrusted(): boolean;
    /** undefined when nothing is there. */
    lstat(absolutePath: string): Promise<EntryStat | undefined>;
    /** The path with every link resolved (throws when it does not exist). */
    realpath(absolutePath: string): Promise<string>;
    readFile(absolutePath: string): Promise<string>;
    readDirectory(absolutePath: string): Promise<DirectoryEntry[]>;
    /** Whether `files.exclude` hides the path (relative to its folder, `/`-separated). */
    isExcluded(relativePath: string, folder: ToolFolder): boolean;
    /** Absolute paths of files matching a glob (relative to the folders), at most `limit`. */
    findFiles(glob: string, limit: number, signal: AbortSignal): Promise<string[]>;
    /** Diagnostics of one file, or of the whole workspace. */
    problems(absolutePath?: string): Promise<Problem[]>;
    selection(): EditorSelection | undefined;
}

/** A change a writing tool wants to make, shown to the person before anything is written. */
export interface ProposedChange {
    /** Workspace path, as the model names it. */
    path: string;
    absolutePath: string;
    /** The file as it is now; undefined for a new file. */
    before: string | undefined;
    after: string;
    /** Shown with the diff, e.g. why a fragment could not be placed. */
    note?: string;
}

export type ChangeOutcome = 'applied' | 'rejected';

export interface CommandOutcome {
    outcome: 'ran' | 'declined';
    /** What the person should know (the output, when it was captured). */
    detail?: string;
}

/** The person's say over writing tools: every change and every command is approved first. */
export interface ToolApprovals {
    proposeChange(change: ProposedChange, signal: AbortSignal): Promise<ChangeOutcome>;
    runCommand(command: string, signal: AbortSignal): Promise<CommandOutcome>;
}
