// `npm start` and `npm run demo` as a person runs them: the script builds, starts code-server (and, for the
// demo, the fake Cohere server), prints the URL; the chat works in the browser; Ctrl+C stops everything.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { freePort, REPO_ROOT } from '../../scripts/code-server';
import { spawnGroup } from '../../scripts/process-group';
import type { GroupProcess } from '../../scripts/process-group';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { replyText, sendMessage, waitForStatus } from './chat';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../setup/chromium';
import { RESULTS_DIR } from './harness';
import { chatFrame, openWorkbench, runCommand } from './workbench';

/** Waits until the script prints the URL it serves, or fails with its output when it exits first. */
async function waitForUrl(script: GroupProcess, port: number, timeoutMs: number): Promise<string> {
    const pattern = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?folder=\\S+`);
    let exited = false;
    void script.exited.then(() => (exited = true));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const match = pattern.exec(script.output());
        if (match) return match[0];
        if (exited) throw new Error(`the script exited early:\n${script.output().slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the script printed no URL within ${timeoutMs} ms:\n${script.output().slice(-4000)}`);
}

async function answers(url: string): Promise<boolean> {
    try {
        await fetch(url);
        return true;
    } catch {
        return false;
    }
}

/** One run of `npm start` or `npm run demo`, with a browser on what it serves. */
interface ScriptRun {
    script: GroupProcess;
    url: string;
    page: Page;
    browser: Browser;
    baseDir: string;
}

async function launch(npmArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
    const baseDir = await mkdtemp(join(tmpdir(), 'cohere-start-'));
    const workspace = join(baseDir, 'workspace');
    await mkdir(workspace);
    const port = await freePort();
    // --browser: code-server even where a desktop `code` is installed, so the test can see it.
    const args = [...npmArgs, '--', '--browser', '--port', String(port)];
    args.push('--profile-dir', join(baseDir, 'profile'), '--folder', workspace);
    let script: GroupProcess | undefined;
    try {
        script = spawnGroup('npm', args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
        const url = await waitForUrl(script, port, 240_000);
        const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(15_000);
        return { script, url, page, browser, baseDir };
    } catch (error) {
        await script?.stop();
        await rm(baseDir, { recursive: true, force: true });
        throw error;
    }
}

/** Ctrl+C as a terminal sends it (to the whole foreground group: npm and the script), then checks all stopped. */
async function pressCtrlC(run: ScriptRun): Promise<void> {
    await run.browser.close();
    const served = new URL(run.url).origin;
    assert.equal(await answers(served), true, 'code-server answers before Ctrl+C');
    process.kill(-run.script.pid, 'SIGINT');
    const code = await Promise.race([
        run.script.exited,
        new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000)),
    ]);
    assert.notEqual(code, 'hung', `the script did not stop:\n${run.script.output().slice(-2000)}`);
    assert.equal(await answers(served), false, 'code-server still answers after Ctrl+C');
}

async function dispose(run: ScriptRun | undefined): Promise<void> {
    if (!run) return;
    await run.browser.close();
    await run.script.stop();
    await rm(run.baseDir, { recursive: true, force: true });
}

/** Opens the chat tab, sends `words` and returns the finished reply's text (a picture in test-results/ if not). */
async function chatOnce(run: ScriptRun, words: string): Promise<string> {
    try {
        await openWorkbench(run.page, run.url);
        await runCommand(run.page, 'Cohere: Chat');
        const frame = await chatFrame(run.page, 'panel');
        const turn = await sendMessage(frame, words);
        await waitForStatus(turn, 'complete');
        return await replyText(turn);
    } catch (error) {
        const name = `failed-${words.replace(/[^\w]+/g, '-')}.png`;
        await run.page.screenshot({ path: join(RESULTS_DIR, name) }).catch(() => undefined);
        throw error;
    }
}

/** Registers the suites of both scripts; `onDone` runs when the last one has stopped everything. */
export function startScriptSuites(onDone: () => void = () => undefined): void {
    void describe('npm start (code-server on the person key from CO_API_KEY)', () => {
        let run: ScriptRun | undefined;
        let fake: FakeCohere | undefined;
        const key = `start-key-${Date.now().toString(36)}`;

        before(
            async () => {
                // Cohere itself is out of reach here: CO_API_URL points the extension at the fake server.
                fake = await startFakeCohere({ apiKey: key });
                run = await launch(['start'], { CO_API_KEY: key, CO_API_URL: fake.url, COHERE_API_KEY: '' });
            },
            { timeout: 300_000 },
        );
        after(async () => {
            await dispose(run);
            await fake?.close();
        });

        void test('the extension uses the key from CO_API_KEY', { timeout: 120_000 }, async () => {
            assert.ok(run && fake, 'npm start started');
            assert.match(await chatOnce(run, 'Hello from npm start'), /Hello from npm start/);
            const chat = fake.requests.filter((r) => r.path.startsWith('/v2/chat'));
            assert.equal(chat.at(-1)?.headers.authorization, `Bearer ${key}`);
        });

        void test('Ctrl+C stops npm start and everything it started', { timeout: 60_000 }, async () => {
            assert.ok(run, 'npm start started');
            await pressCtrlC(run);
        });
    });

    void describe('npm run demo (offline, fake Cohere server)', () => {
        let run: ScriptRun | undefined;

        before(
            async () => {
                // No key at all in the environment: the demo needs none.
                run = await launch(['run', 'demo'], { CO_API_KEY: '', COHERE_API_KEY: '', CO_API_URL: '' });
            },
            { timeout: 300_000 },
        );
        after(async () => {
            await dispose(run);
            onDone();
        });

        void test(
            'the chat says it is an offline demo and answers without any key',
            { timeout: 120_000 },
            async () => {
                assert.ok(run, 'the demo started');
                assert.match(await chatOnce(run, 'Hello, demo'), /Hello, demo/);
                const banner = (await chatFrame(run.page, 'panel')).locator('#demo-banner');
                await banner.waitFor({ state: 'visible' });
                assert.match(await banner.innerText(), /offline demo/i);
            },
        );

        void test('Ctrl+C stops the demo and everything it started', { timeout: 60_000 }, async () => {
            assert.ok(run, 'the demo started');
            await pressCtrlC(run);
        });
    });
}
