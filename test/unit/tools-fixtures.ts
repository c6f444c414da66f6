// A temporary workspace for the tool tests: a folder with a few files, a secret or two, and links
// that lead out of it. Everything is removed after the test.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { NodeWorkspace } from '../../src/tools/nodeWorkspace';
import type { NodeWorkspaceOptions } from '../../src/tools/nodeWorkspace';
import type { WorkspaceSearch } from '../../src/tools/searchWorkspace';
import { Toolbox } from '../../src/tools/toolbox';
import type { ChangeOutcome, ProposedChange, ToolApprovals } from '../../src/tools/workspace';

export interface ToolFixture {
    /** The workspace folder. */
    root: string;
    /** A folder beside it, outside the workspace. */
    outside: string;
    workspace: NodeWorkspace;
    toolbox: Toolbox;
    /** Another Toolbox over the same workspace, as a new turn or a new window makes: it knows nothing read. */
    freshToolbox(): Toolbox;
    proposals: ProposedChange[];
    commands: string[];
    /** What the next proposal is answered with. */
    answer: { change: ChangeOutcome; command: 'ran' | 'declined' };
    logs: { level: string; text: string }[];
    call(name: string, args: unknown): ReturnType<Toolbox['execute']>;
}

export const FILES: Record<string, string> = {
    'src/app.ts':
        'import { greet } from "./greet";\n\nexport function main(): void {\n    console.log(greet("world"));\n}\n',
    'src/greet.ts': 'export function greet(name: string): string {\n    return `Hello, ${name}!`;\n}\n',
    'README.md': '# Demo\n\nA small demo project.\n',
    '.env': 'SECRET=hunter2\n',
    '.env.local': 'SECRET=hunter3\n',
    'keys/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    'certs/server.pem': '-----BEGIN PRIVATE KEY-----\n',
    '.git/config': '[core]\n',
    'build/out.js': 'console.log(1);\n',
};

export async function makeToolFixture(
    t: TestContext,
    options: Partial<NodeWorkspaceOptions> & {
        runCommand?: boolean;
        /** Built over the fixture's folder once it is written (search_workspace is offered with it). */
        workspaceSearch?: (root: string) => Promise<WorkspaceSearch>;
    } = {},
): Promise<ToolFixture> {
    const base = await mkdtemp(path.join(tmpdir(), 'cohere-tools-'));
    t.after(() => rm(base, { recursive: true, force: true }));
    const root = path.join(base, 'project');
    const outside = path.join(base, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), 'OUTSIDE-SECRET\n');
    for (const [name, text] of Object.entries(FILES)) {
        await mkdir(path.dirname(path.join(root, name)), { recursive: true });
        await writeFile(path.join(root, name), text);
    }
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
    await symlink(outside, path.join(root, 'dir-out'));
    await symlink(path.join(root, '.env'), path.join(root, 'notes.txt'));
    await symlink(path.join(root, 'src', 'greet.ts'), path.join(root, 'greet-link.ts'));
    const { workspaceSearch: makeSearch, runCommand, ...workspaceOptions } = options;
    const workspace = new NodeWorkspace({
        folders: [{ name: 'project', root }],
        exclude: ['build/**'],
        ...workspaceOptions,
    });
    const workspaceSearch = await makeSearch?.(root);
    const proposals: ProposedChange[] = [];
    const commands: string[] = [];
    const answer: ToolFixture['answer'] = { change: 'applied', command: 'declined' };
    const approvals: ToolApprovals = {
        async proposeChange(change) {
            proposals.push(change);
            if (answer.change === 'applied') {
                await mkdir(path.dirname(change.absolutePath), { recursive: true });
                await writeFile(change.absolutePath, change.after);
            }
            return answer.change;
        },
        async runCommand(command) {
            commands.push(command);
            return answer.command === 'ran' ? { outcome: 'ran', detail: 'ok' } : { outcome: 'declined' };
        },
    };
    const logs: { level: string; text: string }[] = [];
    const makeToolbox = (): Toolbox =>
        new Toolbox({
            workspace,
            approvals,
            runCommand: runCommand ?? false,
            ...(workspaceSearch === undefined ? {} : { workspaceSearch }),
            log: {
                info: (text) => logs.push({ level: 'info', text }),
                trace: (text) => logs.push({ level: 'trace', text }),
            },
        });
    const toolbox = makeToolbox();
    let counter = 0;
    return {
        root,
        outside,
        workspace,
        toolbox,
        freshToolbox: makeToolbox,
        proposals,
        commands,
        answer,
        logs,
        call: (name, args) =>
            toolbox.execute(
                {
                    id: `${name}_${counter++}`,
                    name,
                    arguments: typeof args === 'string' ? args : JSON.stringify(args),
                },
                new AbortController().signal,
            ),
    };
}
