// The chat's tool actions that need VS Code: show a tool's change again as a diff, undo an applied
// one, and Apply a reply's code block (to the file its fence or the conversation names, else the
// active editor) as a diff first, with Undo on the notice that it was applied.
import * as vscode from 'vscode';
import type { Logger } from '../chat/logger';
import type { Conversation, Turn } from '../chat/model';
import type { WebviewToHost } from '../protocol';
import { replyText } from '../chat/request';
import { fenceTarget, findFenceInfo, mergeBlock } from '../tools/codeApply';
import { PathRefusedError, resolveToolPath } from '../tools/paths';
import type { ToolApprovalsUi } from './toolsApprovals';
import { undoAppliedChange } from './toolsUndo';
import { VscodeToolWorkspace } from './toolsWorkspace';

/** The internal command the chat session hands these messages to. */
export const TOOL_MESSAGE_COMMAND = 'cohere.internal.toolMessage';

export interface ToolCommandDeps {
    conversation: (id: string) => Promise<Conversation | undefined>;
    approvals: ToolApprovalsUi;
    log: Logger;
    /** Records in the conversation that the call's change was undone. */
    markUndone: (conversationId: string, turnId: string, callId: string) => Promise<void>;
}

export function registerToolCommands(deps: ToolCommandDeps): vscode.Disposable {
    return vscode.commands.registerCommand(
        TOOL_MESSAGE_COMMAND,
        async (
            message: WebviewToHost.ShowToolChange | WebviewToHost.UndoToolChange | WebviewToHost.ApplyCode,
        ) => {
            const conversation = await deps.conversation(message.conversationId);
            const turn = conversation?.turns.find((candidate) => candidate.id === message.turnId);
            if (turn === undefined) return;
            if (message.type === 'showToolChange') return showToolChange(deps, turn, message.callId);
            if (message.type === 'undoToolChange')
                return undoToolChange(deps, message.conversationId, turn, message.callId);
            return applyCode(deps, turn, message.code, message.info);
        },
    );
}

async function showToolChange(deps: ToolCommandDeps, turn: Turn, callId: string): Promise<void> {
    const change = turn.steps?.flatMap((step) => step.calls).find((call) => call.id === callId)?.change;
    if (change?.after === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('This change can no longer be shown.'));
        return;
    }
    await deps.approvals.showChange(change.path, change.before, change.after);
}

async function undoToolChange(
    deps: ToolCommandDeps,
    conversationId: string,
    turn: Turn,
    callId: string,
): Promise<void> {
    const change = turn.steps?.flatMap((step) => step.calls).find((call) => call.id === callId)?.change;
    if (change?.outcome !== 'applied' || change.after === undefined) return;
    const undone = await undoAppliedChange({ ...change, after: change.after });
    deps.log.info(`Undo of the change to ${change.path}: ${undone ? 'undone' : 'not undone'}`);
    if (undone) await deps.markUndone(conversationId, turn.id, callId);
}

/** The workspace path the block is for: its fence, else the last file the turn's tools wrote or read, else the editor. */
function targetOf(turn: Turn, info: string): string | undefined {
    const named = fenceTarget(info);
    if (named !== undefined) return named;
    const calls = (turn.steps ?? []).flatMap((step) => step.calls).reverse();
    const touched = calls.find((call) => call.change !== undefined)?.change?.path;
    if (touched !== undefined) return touched;
    const read = calls.find((call) => call.name === 'read_file' && call.documents?.[0]?.path !== undefined);
    if (read !== undefined) return read.documents![0]!.path;
    const attached = turn.attachments?.find((attachment) => attachment.uri?.startsWith('file:'));
    if (attached?.uri !== undefined)
        return vscode.workspace.asRelativePath(vscode.Uri.parse(attached.uri), true);
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    return editor?.document.uri.scheme === 'file'
        ? vscode.workspace.asRelativePath(editor.document.uri, true)
        : undefined;
}

async function applyCode(deps: ToolCommandDeps, turn: Turn, code: string, language: string): Promise<void> {
    const info = findFenceInfo(replyText(turn.reply), code) ?? language;
    const target = targetOf(turn, info);
    if (target === undefined) {
        void vscode.window.showInformationMessage(
            vscode.l10n.t('Name the file in the code fence, or open the file to apply the code to.'),
        );
        return;
    }
    const workspace = new VscodeToolWorkspace(() => vscode.window.activeTextEditor);
    let resolved;
    try {
        resolved = await resolveToolPath(workspace, target, { mustExist: false });
    } catch (error) {
        const reason = error instanceof PathRefusedError ? error.message : String(error);
        void vscode.window.showWarningMessage(
            vscode.l10n.t('Cannot apply the code to {0}: {1}', target, reason),
        );
        return;
    }
    const exists = (await workspace.lstat(resolved.absolutePath)) !== undefined;
    const before = exists ? await workspace.readFile(resolved.absolutePath) : undefined;
    const merged = before === undefined ? undefined : mergeBlock(before, code);
    const after = merged?.after ?? (code.endsWith('\n') ? code : `${code}\n`);
    const note =
        merged?.placement === 'appended'
            ? vscode.l10n.t('The code could not be placed in the file: it is appended at the end.')
            : undefined;
    deps.log.info(
        `Apply code block to ${resolved.displayPath} (${merged?.placement ?? 'new file'}${merged?.startLine === undefined ? '' : ` lines ${merged.startLine}-${merged.endLine}`})`,
    );
    const outcome = await deps.approvals.proposeChange(
        {
            path: resolved.displayPath,
            absolutePath: resolved.absolutePath,
            before,
            after,
            ...(note === undefined ? {} : { note }),
        },
        new AbortController().signal,
    );
    deps.log.info(`Apply code block to ${resolved.displayPath}: ${outcome}`);
    if (outcome !== 'applied') return;
    const undo = vscode.l10n.t('Undo');
    // Not awaited: the notice stays as long as the person leaves it, the chat goes on meanwhile.
    void vscode.window
        .showInformationMessage(vscode.l10n.t('Applied the code to {0}.', resolved.displayPath), undo)
        .then(async (answer) => {
            if (answer !== undo) return;
            const undone = await undoAppliedChange({
                path: resolved.displayPath,
                absolutePath: resolved.absolutePath,
                ...(before === undefined ? {} : { before }),
                after,
            });
            deps.log.info(
                `Undo of the code applied to ${resolved.displayPath}: ${undone ? 'undone' : 'not undone'}`,
            );
        });
}
