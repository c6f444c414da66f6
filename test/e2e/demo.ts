// `npm run demo` as a person runs it: the script starts the fake Cohere server and code-server, prints the
// URL, the chat says it is an offline demo and answers without any key; Ctrl+C stops everything it started.
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
import { replyText, sendMessage, waitForStatus } from './chat';
import { CHROMIUM_ARGS } from './harness';
import { chatFrame, openWorkbench, runCommand } from './workbench';

/** Waits until the demo prints the URL it serves, or fails with its output when it exits first. */
async function waitForUrl(demo: GroupProcess, port: number, timeoutMs: number): Promise<string> {
    const pattern = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?folder=\\S+`);
    let exited = false;
    void demo.exited.then(() => (exited = true));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const match = pattern.exec(demo.output());
        if (match) return match[0];
        if (exited) throw new Error(`npm run demo exited early:\n${demo.output().slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`npm run demo printed no URL within ${timeoutMs} ms:\n${demo.output().slice(-4000)}`);
}

async function answers(url: string): Promise<boolean> {
    try {
        await fetch(url);
        return true;
    } catch {
        return false;
    }
}

/** Registers the demo's tests as a suite of their own (its own code-server and browser); `onDone` runs last. */
export function demoSuite(onDone: () => void = () => undefined): void {
    void describe('npm run demo (offline, fake Cohere server)', () => {
        let demo: GroupProcess | undefined;
        let browser: Browser | undefined;
        let page: Page | undefined;
        let url = '';
        let baseDir = '';

        before(
            async () => {
                baseDir = await mkdtemp(join(tmpdir(), 'cohere-demo-'));
                const workspace = join(baseDir, 'workspace');
                await mkdir(workspace);
                const port = await freePort();
                // --browser: code-server even where a desktop `code` is installed, so the test sees it.
                const args = ['run', 'demo', '--', '--browser', '--port', String(port)];
                args.push('--profile-dir', join(baseDir, 'profile'), '--folder', workspace);
                demo = spawnGroup('npm', args, { cwd: REPO_ROOT });
                url = await waitForUrl(demo, port, 240_000);
                browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
                page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
                page.setDefaultTimeout(15_000);
            },
            { timeout: 300_000 },
        );

        after(async () => {
            await browser?.close();
            await demo?.stop();
            if (baseDir) await rm(baseDir, { recursive: true, force: true });
            onDone();
        });

        void test(
            'the chat says it is an offline demo and answers without any key',
            { timeout: 120_000 },
            async () => {
                assert.ok(page, 'the demo started');
                await openWorkbench(page, url);
                await runCommand(page, 'Cohere: Chat');
                const frame = await chatFrame(page, 'panel');
                const banner = frame.locator('#demo-banner');
                await banner.waitFor({ state: 'visible' });
                assert.match(await banner.innerText(), /offline demo/i);
                const turn = await sendMessage(frame, 'Hello, demo');
                await waitForStatus(turn, 'complete');
                assert.match(await replyText(turn), /Hello, demo/);
            },
        );

        void test('Ctrl+C stops the demo and everything it started', { timeout: 60_000 }, async () => {
            assert.ok(demo, 'the demo started');
            await browser?.close();
            browser = undefined;
            const served = new URL(url).origin;
            assert.equal(await answers(served), true, 'code-server answers before Ctrl+C');
            // A terminal sends Ctrl+C to the whole foreground group: npm and the script under it.
            process.kill(-demo.pid, 'SIGINT');
            const code = await Promise.race([
                demo.exited,
                new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000)),
            ]);
            assert.notEqual(code, 'hung', `npm run demo did not stop:\n${demo.output().slice(-2000)}`);
            assert.equal(await answers(served), false, 'code-server still answers after Ctrl+C');
        });
    });
}
