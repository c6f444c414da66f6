// Sets up one end-to-end run: the packaged extension in a fresh code-server profile, the fake Cohere server it
// talks to, and Debian's Chromium driving the workbench. Everything started here is stopped by dispose().
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../setup/chromium';
import {
    createProfile,
    currentLane,
    ensureCodeServer,
    installExtension,
    REPO_ROOT,
    startCodeServer,
    writeSettings,
} from '../../scripts/code-server';
import type { Profile, RunningCodeServer } from '../../scripts/code-server';
import { runToEnd } from '../../scripts/process-group';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';

/** Where screenshots (and failure pictures) go, one folder per VS Code lane (test-results/vscode-1.139.1); git-ignored. */
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', `vscode-${currentLane().vscodeVersion}`);
/** The packaged extension `npm run package` writes. */
export const VSIX = join(REPO_ROOT, 'dist', 'cohere-chat.vsix');

/** Everything a scenario needs. */
export interface E2E {
    page: Page;
    browser: Browser;
    fake: FakeCohere;
    codeServer: RunningCodeServer;
    profile: Profile;
    /** The workspace folder the workbench has open (holds sample files for the selection scenario). */
    workspace: string;
    /** The temporary folder that holds the profile and workspace. */
    baseDir: string;
    /** The key the fake server accepts; the one the person types into "Set API Key". */
    apiKey: string;
    /** code-server's own output so far (the server log). */
    serverOutput(): string;
    dispose(): Promise<void>;
}

/** A sample file for the selection scenario: numbered lines, so a cursor position is easy to check. */
export const SAMPLE_FILE = 'sample.ts';
const SAMPLE_SOURCE = Array.from(
    { length: 30 },
    (_, i) => `export const value${i + 1} = ${(i + 1) * 7}; // line ${i + 1}`,
)
    .join('\n')
    .concat('\n');

function log(message: string): void {
    console.log(`[e2e] ${message}`);
}

/** Builds and packages the extension into dist/cohere-chat.vsix. */
export async function packageExtension(): Promise<void> {
    log('npm run package');
    await runToEnd('npm', ['run', 'package'], { cwd: REPO_ROOT });
}

/** Starts everything; on any failure stops what it had started and rethrows. */
export async function setUpE2E(): Promise<E2E> {
    const cleanups: (() => Promise<void>)[] = [];
    const dispose = async (): Promise<void> => {
        for (const cleanup of cleanups.reverse()) {
            try {
                await cleanup();
            } catch (error) {
                console.error('[e2e] cleanup failed:', error);
            }
        }
        cleanups.length = 0;
    };
    try {
        const [entry] = await Promise.all([ensureCodeServer(), packageExtension()]);
        await mkdir(RESULTS_DIR, { recursive: true });
        // Pictures of an earlier run's failures would only mislead.
        for (const name of await readdir(RESULTS_DIR)) {
            if (name.startsWith('failed-')) await rm(join(RESULTS_DIR, name), { force: true });
        }

        const apiKey = `e2e-key-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
        const fake = await startFakeCohere({ apiKey });
        cleanups.push(() => fake.close());
        log(`fake Cohere server on ${fake.url}`);

        const baseDir = await mkdtemp(join(tmpdir(), 'cohere-e2e-'));
        cleanups.push(() => rm(baseDir, { recursive: true, force: true }));
        const workspace = join(baseDir, 'workspace');
        await mkdir(workspace, { recursive: true });
        await writeFile(join(workspace, SAMPLE_FILE), SAMPLE_SOURCE);
        const profile = await createProfile(baseDir);
        // Written before VS Code starts: the workbench in the browser does not notice later rewrites.
        const runSettings: Record<string, unknown> = {
            'cohere.baseUrl': fake.url,
            'workbench.colorTheme': 'Default Dark Modern',
            // A steady cursor, so two runs take the same pictures.
            'editor.cursorBlinking': 'solid',
        };
        await writeSettings(profile, runSettings);
        await installExtension(entry, profile, VSIX);

        const codeServer = await startCodeServer({
            entry,
            profile,
            folder: workspace,
            // The extension must use only the key typed into "Set API Key", never one from this shell.
            env: { CO_API_KEY: '', COHERE_API_KEY: '', CO_API_URL: '', COHERE_CHAT_DEMO: '' },
        });
        cleanups.push(() => codeServer.stop());
        log(`code-server on ${codeServer.url}`);

        const browser = await chromium.launch({
            executablePath: CHROMIUM_PATH,
            args: CHROMIUM_ARGS,
            headless: true,
        });
        cleanups.push(() => browser.close());
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(15_000);

        return {
            page,
            browser,
            fake,
            codeServer,
            profile,
            workspace,
            baseDir,
            apiKey,
            serverOutput: () => codeServer.process.output(),
            dispose,
        };
    } catch (error) {
        await dispose();
        throw error;
    }
}
