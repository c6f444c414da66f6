// `npm start` / `npm run demo`: build and package the extension, then open VS Code with it.
// Desktop VS Code (`code` on the PATH) loads it with --extensionDevelopmentPath; otherwise code-server serves
// VS Code on http://127.0.0.1:8080 until Ctrl+C. `--demo` points the extension at the local fake Cohere
// server (any key accepted) and tells the chat it is an offline demo.
//
// Flags: --demo, --port N (code-server's port, default 8080), --folder PATH (the folder to open), --browser
// (code-server even when `code` is on the PATH), --profile-dir DIR (code-server's user-data and extensions
// folders; default .cache/start-profile or .cache/demo-profile, kept between runs).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeCohere } from '../test/fake-cohere/server';
import type { FakeCohere } from '../test/fake-cohere/server';
import {
    createProfile,
    ensureCodeServer,
    installExtension,
    REPO_ROOT,
    startCodeServer,
    writeSettings,
} from './code-server';
import type { Profile } from './code-server';
import { runToEnd, spawnGroup } from './process-group';

const { values: flags } = parseArgs({
    options: {
        demo: { type: 'boolean', default: false },
        port: { type: 'string', default: '8080' },
        folder: { type: 'string' },
        browser: { type: 'boolean', default: false },
        'profile-dir': { type: 'string' },
    },
});

const VSIX = join(REPO_ROOT, 'dist', 'cohere-chat.vsix');

function say(message: string): void {
    console.log(`[start] ${message}`);
}

/** The full path of `name` on the PATH, if it is there and executable. */
function onPath(name: string): string | undefined {
    for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
        if (dir === '') continue;
        const candidate = join(dir, name);
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            // Not in this directory.
        }
    }
    return undefined;
}

/** The settings a profile already has (a person may have changed them in an earlier session). */
function existingSettings(profile: Profile): Record<string, unknown> {
    const file = join(profile.userDataDir, 'User', 'settings.json');
    if (!existsSync(file)) return {};
    try {
        return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
        say(`could not read ${file} (comments?); starting from the default settings`);
        return {};
    }
}

/** Resolves when the person presses Ctrl+C (or the process is told to stop), or `exited` settles. */
function untilStopped(exited: Promise<unknown>): Promise<string> {
    return Promise.race([
        new Promise<string>((ok) => process.once('SIGINT', () => ok('Ctrl+C'))),
        new Promise<string>((ok) => process.once('SIGTERM', () => ok('SIGTERM'))),
        exited.then(() => 'VS Code exited'),
    ]);
}

async function startFake(): Promise<FakeCohere> {
    const fake = await startFakeCohere({ acceptAnyKey: true });
    say(`offline demo: fake Cohere server on ${fake.url} (any key is accepted)`);
    return fake;
}

/** The environment the extension host gets: the person's key (CO_API_KEY) or, in the demo, a stand-in. */
function extensionEnv(fake: FakeCohere | undefined): NodeJS.ProcessEnv {
    if (!fake) return { ...process.env };
    return {
        ...process.env,
        COHERE_CHAT_DEMO: '1',
        CO_API_URL: fake.url,
        // The fake server takes any key; the person's real key never needs to leave their machine for it.
        CO_API_KEY: 'demo-key',
        COHERE_API_KEY: '',
    };
}

async function runDesktop(code: string, folder: string, fake: FakeCohere | undefined): Promise<void> {
    const args = ['--new-window', '--wait', `--extensionDevelopmentPath=${REPO_ROOT}`];
    if (fake) {
        // A profile of its own: a new VS Code process (so it gets the demo environment) whose settings
        // point at the fake server without touching the person's own.
        const profile = await createProfile(join(REPO_ROOT, '.cache', 'demo-desktop'));
        await writeSettings(profile, { ...existingSettings(profile), 'cohere.baseUrl': fake.url });
        args.push('--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir);
    }
    args.push(folder);
    say(`code ${args.join(' ')}`);
    const desktop = spawnGroup(code, args, { env: extensionEnv(fake), inheritStdio: true });
    say(`VS Code is open with the extension; close its window (or press Ctrl+C here) to stop`);
    say(`stopping (${await untilStopped(desktop.exited)})`);
    await desktop.stop();
}

async function runCodeServer(folder: string, fake: FakeCohere | undefined): Promise<void> {
    const entry = await ensureCodeServer();
    // A lasting profile per mode, so conversations and settings survive from one `npm start` to the next.
    const profileDir =
        flags['profile-dir'] ?? join(REPO_ROOT, '.cache', fake ? 'demo-profile' : 'start-profile');
    const profile = await createProfile(resolve(profileDir));
    const settings = { ...existingSettings(profile) };
    if (fake) settings['cohere.baseUrl'] = fake.url;
    await writeSettings(profile, settings);
    await installExtension(entry, profile, VSIX);
    const port = Number(flags.port);
    const server = await startCodeServer({ entry, profile, folder, port, env: extensionEnv(fake) });
    say(`VS Code (code-server) with the extension: ${server.url}/?folder=${encodeURIComponent(folder)}`);
    say(
        fake
            ? 'open it in a browser; the chat says it is an offline demo'
            : 'open it in a browser; set your key with "Cohere: Set API Key" (or start with CO_API_KEY set)',
    );
    say('press Ctrl+C to stop');
    try {
        say(`stopping (${await untilStopped(server.process.exited)})`);
    } finally {
        await server.stop();
    }
}

async function main(): Promise<void> {
    const folder = resolve(flags.folder ?? REPO_ROOT);
    await mkdir(join(REPO_ROOT, '.cache'), { recursive: true });
    say('building and packaging the extension');
    await runToEnd('npm', ['run', 'package'], { cwd: REPO_ROOT });
    const fake = flags.demo ? await startFake() : undefined;
    try {
        const code = flags.browser ? undefined : onPath('code');
        if (code) await runDesktop(code, folder, fake);
        else await runCodeServer(folder, fake);
    } finally {
        await fake?.close();
    }
    say('stopped');
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
