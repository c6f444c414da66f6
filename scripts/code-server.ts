// Real VS Code on this machine: code-server 4.100.3 (VS Code 1.100.3, the engines.vscode minimum), installed
// once from npm into .cache/code-server with the offline sequence of shared/docs/vscode-in-browser.md, then
// started on a loopback port with a fresh user-data and extensions folder.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { runToEnd, spawnGroup } from './process-group';
import type { GroupProcess } from './process-group';

/** The code-server release whose VS Code (1.100.3) matches `engines.vscode` and runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root (scripts/ sits directly below it). */
export const REPO_ROOT = resolve(__dirname, '..');

const CACHE_DIR = join(REPO_ROOT, '.cache', 'code-server');
const PACKAGE_DIR = join(CACHE_DIR, 'node_modules', 'code-server');
const MARKER = join(CACHE_DIR, `installed-${CODE_SERVER_VERSION}`);
/** code-server's own entry point; run with this Node rather than through the bin shim. */
const ENTRY = join(PACKAGE_DIR, 'out', 'node', 'entry.js');

function progress(message: string): void {
    console.log(`[code-server] ${message}`);
}

async function npm(
    cwd: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
    progress(`npm ${args.join(' ')}   (in ${cwd.replace(REPO_ROOT + '/', '')})`);
    await runToEnd('npm', args, { cwd, env });
}

/**
 * Installs code-server into .cache/code-server unless a marker says a previous install completed; returns the
 * path of its entry script. Each step is the documented one: the plain `npm install code-server` fails here
 * (root postinstall, ripgrep download, kerberos headers).
 */
export async function ensureCodeServer(): Promise<string> {
    if (existsSync(MARKER) && existsSync(ENTRY)) return ENTRY;
    // Several test runs share one checkout here: one installs, the others wait for its marker.
    await acquireInstallLock();
    try {
        if (existsSync(MARKER) && existsSync(ENTRY)) return ENTRY;
        await install();
        return ENTRY;
    } finally {
        await rm(LOCK, { recursive: true, force: true });
    }
}

const LOCK = `${CACHE_DIR}.lock`;
/** The lock's owner: the process id of the run that installs. */
const LOCK_OWNER = join(LOCK, 'pid');
/** An install takes about a minute; a lock this old, or one whose owner is gone, was left by a run that died. */
const STALE_LOCK_MS = 10 * 60_000;

/** Whether the run that took the lock has died (killed, say, in the middle of an install). */
async function lockOwnerGone(): Promise<boolean> {
    const pid = Number(await readFile(LOCK_OWNER, 'utf8').catch(() => ''));
    // No pid yet: the owner is between mkdir and writeFile; the age rule covers one that died right there.
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return false;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
}

async function acquireInstallLock(): Promise<void> {
    await mkdir(dirname(LOCK), { recursive: true });
    for (let waited = false; ; waited = true) {
        try {
            await mkdir(LOCK); // Atomic: exactly one run creates it.
            await writeFile(LOCK_OWNER, String(process.pid));
            return;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age > STALE_LOCK_MS || (await lockOwnerGone())) {
            progress('a run that died left the install lock; taking it over');
            await rm(LOCK, { recursive: true, force: true });
            continue;
        }
        if (!waited) progress('another run is installing code-server; waiting for it');
        await new Promise((r) => setTimeout(r, 1_000));
    }
}

async function install(): Promise<void> {
    const started = Date.now();
    progress(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (about a minute, once)`);
    await rm(CACHE_DIR, { recursive: true, force: true });
    await mkdir(CACHE_DIR, { recursive: true });
    // A package.json of its own so npm installs here and not into the repository.
    await writeFile(
        join(CACHE_DIR, 'package.json'),
        JSON.stringify({ name: 'code-server-cache', private: true }),
    );
    await npm(CACHE_DIR, [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `code-server@${CODE_SERVER_VERSION}`,
    ]);
    await npm(CACHE_DIR, ['rebuild', 'argon2']);
    const vscodeDir = join(PACKAGE_DIR, 'lib', 'vscode');
    await npm(vscodeDir, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
    // node-pty's rebuild runs `npx node-gyp`, which would stop to ask without npm_config_yes.
    await npm(
        vscodeDir,
        ['rebuild', 'node-pty', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog'],
        {
            ...process.env,
            npm_config_yes: 'true',
        },
    );
    const asar = join(vscodeDir, 'node_modules.asar');
    await rm(asar, { force: true });
    await symlink('node_modules', asar);
    await npm(join(vscodeDir, 'extensions'), [
        'install',
        '--omit=dev',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
    ]);
    if (!existsSync(ENTRY)) throw new Error(`code-server installed, but ${ENTRY} is missing`);
    await writeFile(MARKER, new Date().toISOString() + '\n');
    progress(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(0, '127.0.0.1', ok);
    });
    const address = server.address();
    await new Promise<void>((ok) => server.close(() => ok()));
    if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
    return address.port;
}

/** The folders one VS Code profile lives in. */
export interface Profile {
    userDataDir: string;
    extensionsDir: string;
}

/** Creates an empty user-data and extensions folder under `baseDir`. */
export async function createProfile(baseDir: string): Promise<Profile> {
    const profile = { userDataDir: join(baseDir, 'user-data'), extensionsDir: join(baseDir, 'extensions') };
    await mkdir(join(profile.userDataDir, 'User'), { recursive: true });
    await mkdir(profile.extensionsDir, { recursive: true });
    return profile;
}

/** The settings every run starts from: no trust dialog, no welcome page, nothing that reaches the network. */
export const BASE_SETTINGS: Readonly<Record<string, unknown>> = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
    'git.enabled': false,
};

/** Writes User/settings.json of a profile (BASE_SETTINGS overlaid with `settings`). */
export async function writeSettings(
    profile: Profile,
    settings: Readonly<Record<string, unknown>>,
): Promise<void> {
    const file = join(profile.userDataDir, 'User', 'settings.json');
    await writeFile(file, JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 4) + '\n');
}

/** Installs a packaged extension into a profile with code-server's own CLI. */
export async function installExtension(entry: string, profile: Profile, vsix: string): Promise<void> {
    progress(`installing ${vsix.replace(REPO_ROOT + '/', '')}`);
    const args = [entry, ...profileArgs(profile), '--install-extension', vsix, '--force'];
    const output = await runToEnd(process.execPath, args);
    if (!/successfully installed/i.test(output)) throw new Error(`extension not installed:\n${output}`);
}

function profileArgs(profile: Profile): string[] {
    return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Options for {@link startCodeServer}. */
export interface StartOptions {
    entry: string;
    profile: Profile;
    /** 0 or absent: a free loopback port. */
    port?: number;
    /** The folder the workbench opens. */
    folder: string;
    /** Extra environment for code-server; it passes its environment on to the extension host. */
    env?: NodeJS.ProcessEnv;
    /** Extra command-line arguments (e.g. `--extensions-dir` for a development extension). */
    extraArgs?: readonly string[];
    onOutput?: (text: string) => void;
}

/** A running code-server. */
export interface RunningCodeServer {
    url: string;
    port: number;
    process: GroupProcess;
    /** The workbench URL that opens `folder`. */
    workbenchUrl: string;
    stop(): Promise<void>;
}

/** Starts code-server without authentication on 127.0.0.1 and waits until it answers. */
export async function startCodeServer(options: StartOptions): Promise<RunningCodeServer> {
    const port = options.port || (await freePort());
    const args = [
        options.entry,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        ...profileArgs(options.profile),
        ...(options.extraArgs ?? []),
        options.folder,
    ];
    const proc = spawnGroup(process.execPath, args, {
        env: { ...process.env, ...options.env },
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
    const url = `http://127.0.0.1:${port}`;
    try {
        await waitForHealth(url, proc, 30_000);
    } catch (error) {
        await proc.stop();
        throw error;
    }
    return {
        url,
        port,
        process: proc,
        workbenchUrl: `${url}/?folder=${encodeURIComponent(options.folder)}`,
        stop: () => proc.stop(),
    };
}

async function waitForHealth(url: string, proc: GroupProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void proc.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
        if (exitCode !== undefined) {
            throw new Error(`code-server exited with ${String(exitCode)}:\n${proc.output().slice(-4000)}`);
        }
        try {
            const response = await fetch(`${url}/healthz`);
            if (response.ok) return;
        } catch {
            // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
        `code-server did not answer on ${url} within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`,
    );
}

// `node --import tsx scripts/code-server.ts install` installs it on its own (e.g. to warm a CI cache).
if (require.main === module && process.argv[2] === 'install') {
    ensureCodeServer().then(
        (entry) => progress(`ready: ${entry}`),
        (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
        },
    );
}
