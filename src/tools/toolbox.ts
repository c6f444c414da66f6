// The tool set of one turn: which tools are offered, and running a call of the model against them.
// A call that fails (bad arguments, a refused path, a throwing tool) returns its error to the model as
// the result, so the model can correct itself; it never ends the turn.
import type { ToolStep } from '../chat/model';
import type { Tool } from '../cohere/types';
import {
    COMMAND_TOOL,
    isToolName,
    parseArguments,
    READ_TOOLS,
    SEARCH_WORKSPACE_TOOL,
    toolDefinitions,
    WRITE_TOOLS,
} from './definitions';
import type { ToolName } from './definitions';
import { createFileTool, editFileTool, runCommandTool } from './editTools';
import type { FileEdit } from './editTools';
import {
    findFilesTool,
    getProblemsTool,
    getSelectionTool,
    listDirectoryTool,
    readFileTool,
    searchTextTool,
} from './readTools';
import { errorOutcome, ReadLedger } from './results';
import { searchWorkspaceTool } from './searchWorkspace';
import type { WorkspaceSearch } from './searchWorkspace';
import type { ToolOutcomeDraft } from './results';
import type { ToolApprovals, ToolWorkspace } from './workspace';

/** Where the tools say what they read and wrote: paths at info, contents at trace. */
export interface ToolLog {
    info(message: string): void;
    trace(message: string): void;
}

export interface ToolboxOptions {
    workspace: ToolWorkspace;
    approvals: ToolApprovals;
    /** `cohere.tools.runCommand`: off by default. */
    runCommand: boolean;
    /** The workspace index, when the person allowed workspace retrieval: then search_workspace is offered. */
    workspaceSearch?: WorkspaceSearch;
    log: ToolLog;
}

/** A call as the model made it. */
export interface ToolCallInput {
    id: string;
    name: string;
    arguments: string;
}

export class Toolbox {
    /** What the model read in this turn (shared by its steps), so stale edits are refused. */
    private readonly ledger = new ReadLedger();

    constructor(private readonly options: ToolboxOptions) {}

    /** The tools offered: none in an untrusted workspace or without a folder. */
    names(): ToolName[] {
        const { workspace } = this.options;
        if (!workspace.isTrusted() || workspace.folders.length === 0) return [];
        return [
            ...READ_TOOLS,
            ...(this.options.workspaceSearch === undefined ? [] : [SEARCH_WORKSPACE_TOOL as ToolName]),
            ...WRITE_TOOLS,
            ...(this.options.runCommand ? [COMMAND_TOOL as ToolName] : []),
        ];
    }

    definitions(): Tool[] {
        return toolDefinitions(this.names());
    }

    /** The kept steps of a resumed turn: what they read, and the files their applied or undone edits left. */
    resume(steps: readonly ToolStep[]): void {
        for (const call of steps.flatMap((step) => step.calls)) {
            for (const document of call.documents ?? []) {
                if (document.absolutePath !== undefined && document.fileHash !== undefined)
                    this.ledger.recordFingerprint(document.absolutePath, document.fileHash);
            }
            const change = call.change;
            if (change?.outcome === 'applied' && change.after !== undefined)
                this.ledger.record(change.absolutePath, change.after);
            if (change?.outcome === 'undone' && change.before !== undefined)
                this.ledger.record(change.absolutePath, change.before);
        }
    }

    /** Runs one call; resolves with its outcome (an error outcome for anything that went wrong). */
    async execute(call: ToolCallInput, signal: AbortSignal): Promise<ToolOutcomeDraft> {
        const { log } = this.options;
        if (!isToolName(call.name) || !this.names().includes(call.name)) {
            return errorOutcome(`unknown tool '${call.name}'; the tools are: ${this.names().join(', ')}`);
        }
        const parsed = parseArguments(call.name, call.arguments);
        if (!parsed.ok) {
            log.info(`Tool ${call.name} (${call.id}): bad arguments: ${parsed.error}`);
            return errorOutcome(
                `${parsed.error}. Call ${call.name} again with arguments that match its schema.`,
            );
        }
        let outcome: ToolOutcomeDraft;
        try {
            signal.throwIfAborted();
            outcome = await this.dispatch(call.name, parsed.args, signal);
        } catch (error) {
            if (signal.aborted) throw error;
            const message = error instanceof Error ? error.message : String(error);
            log.info(`Tool ${call.name} (${call.id}): failed: ${message}`);
            return errorOutcome(message);
        }
        log.info(`Tool ${call.name} (${call.id}): ${outcome.summary}${describePaths(outcome)}`);
        for (const document of outcome.documents)
            log.trace(`Tool ${call.id} content: ${JSON.stringify(document.data)}`);
        return outcome;
    }

    private dispatch(
        name: ToolName,
        args: Record<string, unknown>,
        signal: AbortSignal,
    ): Promise<ToolOutcomeDraft> {
        const { workspace, approvals } = this.options;
        const read = { workspace, ledger: this.ledger, signal };
        const write = { ...read, approvals };
        switch (name) {
            case 'read_file':
                return readFileTool(read, args as { path: string; start_line?: number; end_line?: number });
            case 'list_directory':
                return listDirectoryTool(read, args as { path: string });
            case 'find_files':
                return findFilesTool(read, args as { glob: string });
            case 'search_text':
                return searchTextTool(read, args as { query: string; glob?: string });
            case 'search_workspace':
                // names() offers it only with a search; a call without one was refused above.
                return searchWorkspaceTool(read, this.options.workspaceSearch!, args as { query: string });
            case 'get_problems':
                return getProblemsTool(read, args as { path?: string });
            case 'get_selection':
                return Promise.resolve(getSelectionTool(read));
            case 'edit_file':
                return editFileTool(write, args as { path: string; edits: FileEdit[] });
            case 'create_file':
                return createFileTool(write, args as { path: string; content: string });
            case 'run_command':
                return runCommandTool(write, args as { command: string });
        }
    }
}

function describePaths(outcome: ToolOutcomeDraft): string {
    const paths = outcome.documents
        .map((document) =>
            document.path === undefined
                ? undefined
                : document.startLine === undefined
                  ? document.path
                  : `${document.path}:${document.startLine}-${document.endLine}`,
        )
        .filter((text): text is string => text !== undefined);
    const change = outcome.change === undefined ? '' : ` [${outcome.change.outcome} ${outcome.change.path}]`;
    return (paths.length > 0 ? ` (${paths.join(', ')})` : '') + change;
}
