// The tools of each new reply: offered when cohere.tools.enabled is on, the workspace is trusted and
// has a folder, and the model supports tools (from /v1/models); search_workspace too when the person
// allowed workspace retrieval. A new Toolbox per turn, so what the
// model read is known for that turn's edits.
import * as vscode from 'vscode';
import type { Logger } from '../chat/logger';
import type { ToolSession } from '../chat/toolLoop';
import type { ModelInfo } from '../cohere/types';
import { parseToolSettings, toolsOffered } from '../tools/settings';
import { Toolbox } from '../tools/toolbox';
import type { WorkspaceSearch } from '../tools/searchWorkspace';
import type { ToolApprovals } from '../tools/workspace';
import { VscodeToolWorkspace } from './toolsWorkspace';

export interface ToolSessionDeps {
    log: Logger;
    approvals: ToolApprovals;
    model: () => string;
    knownModels: () => readonly ModelInfo[] | undefined;
    lastEditor: () => vscode.TextEditor | undefined;
    /** The workspace index for search_workspace, when the person allowed workspace retrieval. */
    workspaceSearch: () => WorkspaceSearch | undefined;
}

/** Reads the tool settings (`cohere.tools.*`) now. */
export function readToolSettings(): ReturnType<typeof parseToolSettings> {
    const configuration = vscode.workspace.getConfiguration('cohere');
    return parseToolSettings((key) => configuration.get(key));
}

export function toolSessions(deps: ToolSessionDeps): () => ToolSession | undefined {
    return () => {
        const settings = readToolSettings();
        const workspace = new VscodeToolWorkspace(deps.lastEditor);
        const model = deps.model();
        const features = deps.knownModels()?.find((candidate) => candidate.name === model)?.features;
        if (
            !toolsOffered({
                settings,
                trusted: workspace.isTrusted(),
                hasFolder: workspace.folders.length > 0,
                features,
            })
        ) {
            return undefined;
        }
        const workspaceSearch = deps.workspaceSearch();
        const runner = new Toolbox({
            workspace,
            approvals: deps.approvals,
            runCommand: settings.runCommand,
            ...(workspaceSearch === undefined ? {} : { workspaceSearch }),
            log: deps.log,
        });
        return { runner, maxSteps: settings.maxSteps };
    };
}
