// The person's say over the writing tools. A proposed change opens in VS Code's diff editor (the file
// as it is, left; as proposed, right) with Apply and Reject (a notification, and buttons in the diff's
// title bar); Apply writes it as one undoable WorkspaceEdit. A command is shown exactly, in a modal
// dialog, and runs in a VS Code terminal only once the person says so.
import * as vscode from 'vscode';
import type { ChangeOutcome, CommandOutcome, ProposedChange, ToolApprovals } from '../tools/workspace';

export const PROPOSAL_SCHEME = 'cohere-proposal';
export const APPLY_PROPOSAL_COMMAND = 'cohere.applyProposal';
export const REJECT_PROPOSAL_COMMAND = 'cohere.rejectProposal';

type Choice = 'apply' | 'reject';

interface Pending {
    right: vscode.Uri;
    decide: (choice: Choice) => void;
}

/** Proposals waiting for the person, and the read-only documents that show them. */
export class ToolApprovalsUi implements ToolApprovals, vscode.Disposable {
    private readonly texts = new Map<string, string>();
    private readonly pending = new Map<string, Pending>();
    private readonly disposables: vscode.Disposable[] = [];
    private counter = 0;

    constructor(private readonly terminalCwd: () => string | undefined) {
        this.disposables.push(
            vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
                provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? '',
            }),
            vscode.commands.registerCommand(APPLY_PROPOSAL_COMMAND, (uri?: vscode.Uri) =>
                this.decide(uri, 'apply'),
            ),
            vscode.commands.registerCommand(REJECT_PROPOSAL_COMMAND, (uri?: vscode.Uri) =>
                this.decide(uri, 'reject'),
            ),
        );
        // Diffs of proposals from before a reload were restored by VS Code, empty and undecidable now
        // (the turn that proposed them was stopped): they go.
        void closeDiffsWhere((tab) => tab.modified.scheme === PROPOSAL_SCHEME);
    }

    async proposeChange(change: ProposedChange, signal: AbortSignal): Promise<ChangeOutcome> {
        const { left, right } = this.documentsOf(change.path, change.before, change.after);
        const title =
            change.note === undefined
                ? vscode.l10n.t('{0} ↔ proposed by Cohere', change.path)
                : vscode.l10n.t('{0} ↔ proposed by Cohere ({1})', change.path, change.note);
        const choice = new Promise<Choice>((resolve) => {
            this.pending.set(right.toString(), { right, decide: resolve });
            signal.addEventListener('abort', () => resolve('reject'), { once: true });
        });
        // Beside the chat, so the conversation stays in view while the person decides.
        await vscode.commands.executeCommand('vscode.diff', left, right, title, {
            preview: false,
            viewColumn: vscode.ViewColumn.Beside,
        });
        const apply = vscode.l10n.t('Apply');
        const reject = vscode.l10n.t('Reject');
        void vscode.window
            .showInformationMessage(
                (change.before === undefined
                    ? vscode.l10n.t('Cohere proposes a new file {0}. Apply it?', change.path)
                    : vscode.l10n.t('Cohere proposes a change to {0}. Apply it?', change.path)) +
                    (change.note === undefined ? '' : ` ${change.note}`),
                apply,
                reject,
            )
            .then((answer) =>
                this.pending.get(right.toString())?.decide(answer === apply ? 'apply' : 'reject'),
            );
        const decided = await choice;
        this.pending.delete(right.toString());
        await closeDiff(right);
        // Stopped, or the window closed: nothing is written, and the call is cancelled (so Retry asks
        // again), never recorded as the person's "no".
        signal.throwIfAborted();
        if (decided === 'reject') return 'rejected';
        return (await applyChange(change)) ? 'applied' : 'rejected';
    }

    async runCommand(command: string, signal: AbortSignal): Promise<CommandOutcome> {
        const run = vscode.l10n.t('Run');
        const answer = await vscode.window.showWarningMessage(
            vscode.l10n.t('Cohere wants to run this command in a terminal:'),
            { modal: true, detail: command },
            run,
        );
        if (answer !== run || signal.aborted) return { outcome: 'declined' };
        const cwd = this.terminalCwd();
        const terminal = vscode.window.createTerminal({
            name: 'Cohere',
            ...(cwd === undefined ? {} : { cwd }),
        });
        terminal.show(true);
        terminal.sendText(command, true);
        return {
            outcome: 'ran',
            detail: 'It was started in the VS Code terminal "Cohere"; its output is not captured.',
        };
    }

    /** Shows a change again (from the chat's link), read-only. */
    async showChange(path: string, before: string | undefined, after: string): Promise<void> {
        const { left, right } = this.documentsOf(path, before, after);
        await vscode.commands.executeCommand(
            'vscode.diff',
            left,
            right,
            vscode.l10n.t('{0} ↔ proposed by Cohere', path),
            {
                preview: true,
            },
        );
    }

    dispose(): void {
        // Pending proposals are left undecided: the turn's abort (the chat service is disposed too)
        // ends them as cancelled, where a "reject" here would be saved as the person's answer.
        for (const disposable of this.disposables) disposable.dispose();
    }

    private documentsOf(
        path: string,
        before: string | undefined,
        after: string,
    ): { left: vscode.Uri; right: vscode.Uri } {
        const id = ++this.counter;
        const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${path}`, query: `proposal=${id}` });
        const left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${path}`, query: `before=${id}` });
        this.texts.set(right.toString(), after);
        this.texts.set(left.toString(), before ?? '');
        return { left, right };
    }

    private decide(uri: vscode.Uri | undefined, choice: Choice): void {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri;
        const pending =
            (target === undefined ? undefined : this.pending.get(target.toString())) ??
            // From the command palette with the focus elsewhere: the latest proposal.
            [...this.pending.values()].at(-1);
        pending?.decide(choice);
    }
}

/** Writes the change as one WorkspaceEdit (one Undo), then saves; false when the file moved on meanwhile. */
async function applyChange(change: ProposedChange): Promise<boolean> {
    const uri = vscode.Uri.file(change.absolutePath);
    const edit = new vscode.WorkspaceEdit();
    if (change.before === undefined) {
        edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(change.after) });
        if (!(await vscode.workspace.applyEdit(edit))) return false;
        return true;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() !== change.before) {
        void vscode.window.showWarningMessage(
            vscode.l10n.t('{0} changed while the proposal was open: nothing was applied.', change.path),
        );
        return false;
    }
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(uri, whole, change.after);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    await document.save();
    return true;
}

function closeDiff(right: vscode.Uri): Promise<void> {
    return closeDiffsWhere((diff) => diff.modified.toString() === right.toString());
}

async function closeDiffsWhere(wanted: (diff: vscode.TabInputTextDiff) => boolean): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const open = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && wanted(tab.input));
    if (open.length > 0) await vscode.window.tabGroups.close(open);
}
