// The run's shared state and the checks several scenarios use: the fake server's record of what the
// extension sent, the reply the fake server gives to a request, and a scan of files for the API key.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ChatResponse } from '../../src/cohere/types';
import type { RecordedRequest } from '../fake-cohere/server';
import type { E2E } from './harness';
import { RESULTS_DIR } from './harness';
import type { Frame } from 'playwright-core';
import { chatFrame, clearNotifications, runCommand, visibleErrors } from './workbench';

let current: E2E | undefined;

/** Makes `e2e` the run every scenario uses (set by run.ts once setup succeeded). */
export function useE2E(e2e: E2E | undefined): void {
    current = e2e;
}

/** The running setup; throws (failing the scenario) when setup did not complete. */
export function e2e(): E2E {
    if (!current) throw new Error('the end-to-end setup did not complete (see the first failure)');
    return current;
}

/** The chat requests (POST /v2/chat) the fake server received, oldest first. */
export function chatRequests(): RecordedRequest[] {
    return e2e().fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v2/chat'));
}

/** The last chat request whose last user message contains `marker`; fails when there is none. */
export function lastChatRequestWith(marker: string): RecordedRequest {
    const found = chatRequests().filter((r) => JSON.stringify(r.body).includes(marker));
    const last = found[found.length - 1];
    if (!last)
        throw new Error(`the fake server received no chat request containing ${JSON.stringify(marker)}`);
    return last;
}

/**
 * The complete (non-streamed) reply the fake server gives to the body of a recorded request. The fake server is
 * deterministic and renders a streamed and a non-streamed reply from the same pieces, so this is what the
 * extension must show.
 */
export async function replyTo(request: RecordedRequest): Promise<ChatResponse> {
    const { fake, apiKey } = e2e();
    const body = { ...(request.body as Record<string, unknown>), stream: false };
    const response = await fetch(`${fake.url}/v2/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    if (!response.ok)
        throw new Error(`replaying the request: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as ChatResponse;
}

/** The text of a reply's text blocks. */
export function responseText(response: ChatResponse): string {
    return (response.message.content ?? [])
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('');
}

/** Every file under `dir` whose bytes contain `secret` (as UTF-8 or UTF-16LE, as databases may store it). */
export async function filesContaining(dir: string, secret: string): Promise<string[]> {
    const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
    const hits: string[] = [];
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        const bytes = await readFile(path).catch(() => undefined);
        if (bytes && needles.some((needle) => bytes.includes(needle))) hits.push(path);
    }
    return hits;
}

/**
 * Waits until a file of the profile that `which` accepts (by path) holds `text`: what the extension has
 * written, before a scenario cuts the window off (a reload) and checks what comes back.
 */
export async function waitUntilWritten(
    text: string,
    which: (path: string) => boolean,
    what: string,
): Promise<void> {
    const { page, profile } = e2e();
    const deadline = Date.now() + 20_000;
    for (;;) {
        const files = await filesContaining(profile.userDataDir, text);
        if (files.some(which)) return;
        assert.ok(
            Date.now() < deadline,
            `the extension never wrote ${what} (files holding it: ${JSON.stringify(files)})`,
        );
        await page.waitForTimeout(250);
    }
}

/** Saves what the screen showed and what code-server said when a scenario failed, to test-results/. */
async function recordFailure(name: string): Promise<void> {
    if (!current) return;
    const slug = name.replace(/[^\w]+/g, '-').slice(0, 60);
    await mkdir(RESULTS_DIR, { recursive: true });
    await current.page.screenshot({ path: join(RESULTS_DIR, `failed-${slug}.png`) }).catch(() => undefined);
    await writeFile(join(RESULTS_DIR, 'code-server.log'), current.serverOutput()).catch(() => undefined);
    const errors = await visibleErrors(current.page).catch(() => []);
    if (errors.length > 0) console.log(`[e2e] on screen when "${name}" failed: ${JSON.stringify(errors)}`);
}

/** A scenario: a node:test test with a time limit that, when it fails, leaves a screenshot in test-results/. */
export function scenario(name: string, fn: () => Promise<void>): void {
    void test(name, { timeout: 120_000 }, async () => {
        try {
            await fn();
        } catch (error) {
            await recordFailure(name);
            throw error;
        }
    });
}

/**
 * "Cohere: Chat" from the palette (it opens or reveals the chat tab), with no notification over it; returns
 * the tab's webview frame.
 */
export async function showChatPanel(): Promise<Frame> {
    await clearNotifications(e2e().page);
    await runCommand(e2e().page, 'Cohere: Chat');
    return chatFrame(e2e().page, 'panel');
}
