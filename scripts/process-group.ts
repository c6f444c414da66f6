// Child processes that run in a process group of their own, so that stopping one stops everything it started
// (code-server leaves a file watcher and an extension host behind if only its main process is killed).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A detached child (leader of its own process group) that can be stopped with everything below it. */
export interface GroupProcess {
    readonly child: ChildProcess;
    readonly pid: number;
    /** Everything the process printed so far (stdout and stderr interleaved), for failure messages. */
    output(): string;
    /** Resolves with the exit code (or null after a signal) when the group leader exits. */
    readonly exited: Promise<number | null>;
    /** SIGTERM to the whole group, SIGKILL after `graceMs`; idempotent. */
    stop(graceMs?: number): Promise<void>;
}

/** Options for {@link spawnGroup}. */
export interface SpawnGroupOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Called with each chunk of output, e.g. to echo it with a prefix. */
    onOutput?: (text: string) => void;
    /** Let the child share this terminal's stdin (for `npm start`, so Ctrl+C reaches us, not it). */
    inheritStdio?: boolean;
}

const liveGroups = new Set<number>();
let handlersInstalled = false;
/** Set once this process was told to stop: from then on nothing new is started. */
let interrupted = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // ESRCH: the group is already gone.
    }
}

/**
 * Installs, once, handlers that kill every live group when this process exits or is interrupted, so a failed
 * or interrupted run leaves nothing behind even when a `finally` never runs.
 */
function installExitHandlers(): void {
    if (handlersInstalled) return;
    handlersInstalled = true;
    process.on('exit', () => {
        for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => {
            // The test runner goes on to the next tests in the grace period below; they must not start more.
            interrupted = true;
            for (const pid of liveGroups) killGroup(pid, 'SIGTERM');
            // Give the groups a moment to exit cleanly; the 'exit' handler SIGKILLs what is left.
            setTimeout(() => process.exit(130), 500).unref();
        });
    }
}

/** Spawns `command` as the leader of a new process group and tracks it until it is stopped. */
export function spawnGroup(
    command: string,
    args: readonly string[],
    options: SpawnGroupOptions = {},
): GroupProcess {
    installExitHandlers();
    if (interrupted) throw new Error(`not starting ${command}: this run was interrupted`);
    const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: options.inheritStdio ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const pid = child.pid;
    liveGroups.add(pid);
    const chunks: string[] = [];
    const collect = (data: Buffer): void => {
        const text = data.toString('utf8');
        chunks.push(text);
        options.onOutput?.(text);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | null>((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.once('error', () => resolve(null));
    });
    let stopping: Promise<void> | undefined;
    const stop = (graceMs = 3000): Promise<void> => {
        stopping ??= (async () => {
            killGroup(pid, 'SIGTERM');
            const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
            await exited;
            clearTimeout(timer);
            // The leader is gone, but its children (same group) may not be.
            killGroup(pid, 'SIGKILL');
            liveGroups.delete(pid);
        })();
        return stopping;
    };
    return { child, pid, output: () => chunks.join(''), exited, stop };
}

/** Runs a command to completion in its own group; rejects with its output when it fails. */
export async function runToEnd(
    command: string,
    args: readonly string[],
    options: SpawnGroupOptions = {},
): Promise<string> {
    const proc = spawnGroup(command, args, options);
    const [code] = (await Promise.all([proc.exited, once(proc.child, 'close')])) as [number | null, unknown];
    await proc.stop(0);
    if (code !== 0) {
        throw new Error(
            `${command} ${args.join(' ')} exited with ${String(code)}:\n${proc.output().slice(-4000)}`,
        );
    }
    return proc.output();
}
