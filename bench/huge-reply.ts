// `npm run bench:huge`: one very large reply in the chat webview (issue 7: "a 10 MB reply keeps the panel
// responsive"). The real bundle (dist/, `npm run build`) in headless Chromium, two ways:
// - opened from disk: a `state` holding the finished reply. Measured: the first paint after the state
//   arrives, the longest task of the main thread in the 5 s after it, and how long a key typed into the
//   composer takes to show (the page is busy when that is long);
// - streamed: 1 KB deltas, 16 a frame, with the benchmark page's frame clock (bench/webview-page/page.ts).
//   Measured: the whole stream and its longest frame.
// `--profile` also writes CPU profiles (into the temporary folder) and prints the
// functions with the most self time. Timings only: the behaviour is tested in test/webview/huge-reply.test.ts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { Turn } from '../src/chat/model';
import { makeContext } from '../test/webview/fixtures';
import { launch } from '../test/webview/harness';
import type { Browser, ChatPage, PageWindow } from '../test/webview/harness';
import { hugeReply } from './webviewWorkloads';

const { values: options } = parseArgs({
    options: {
        mb: { type: 'string', default: '10' },
        profile: { type: 'boolean', default: false },
        skip: { type: 'string', default: '' },
        out: { type: 'string', default: join(__dirname, 'results', 'huge-reply.json') },
    },
});
const BYTES = Math.round(Number(options.mb) * 1024 * 1024);
const CONVERSATION = 'bench-conv';

function stateMessage(turns: Turn[]): unknown {
    return {
        type: 'state',
        conversation: {
            schemaVersion: 1,
            id: CONVERSATION,
            title: 'Bench',
            createdAt: 0,
            updatedAt: 0,
            turns,
        },
        context: makeContext(),
    };
}

function finished(text: string): Turn {
    return {
        id: 'huge',
        prompt: 'Write it all.',
        request: { model: 'command-a-03-2025', stream: true },
        reply: { content: [{ type: 'text', text }], citations: [] },
        status: 'complete',
        finishReason: 'COMPLETE',
        createdAt: 1,
    };
}

async function pageScript(): Promise<string> {
    const result = await build({
        entryPoints: [join(__dirname, 'webview-page', 'page.ts')],
        bundle: true,
        format: 'iife',
        write: false,
        minify: true,
        platform: 'browser',
    });
    return result.outputFiles[0]?.text ?? '';
}

interface OpenResult {
    firstPaintMs: number;
    longestTaskMs: number;
    keyEchoMs: number;
    shownChars: number;
}

/** Opens the finished reply from a `state`; see the header for what is measured. */
async function openFromDisk(browser: Browser, text: string, profile: boolean): Promise<OpenResult> {
    const chat: ChatPage = await browser.open();
    try {
        const cdp = profile ? await startProfile(chat) : undefined;
        const state = stateMessage([finished(text)]);
        const firstPaintMs = await chat.page.evaluate((message) => {
            const page = globalThis as unknown as {
                __tasks: number[];
                PerformanceObserver: new (
                    callback: (list: { getEntries(): { duration: number }[] }) => void,
                ) => {
                    observe(options: unknown): void;
                };
            };
            const view = globalThis as unknown as PageWindow;
            page.__tasks = [];
            new page.PerformanceObserver((list) => {
                for (const entry of list.getEntries()) page.__tasks.push(entry.duration);
            }).observe({ type: 'longtask', buffered: false });
            const started = performance.now();
            view.postMessage(message, '*');
            return new Promise<number>((resolve) =>
                view.requestAnimationFrame(() =>
                    view.requestAnimationFrame(() => resolve(performance.now() - started)),
                ),
            );
        }, state);
        // A key typed right after the first paint: how long until the composer shows it.
        const keyStarted = Date.now();
        const input = chat.page.locator('textarea.prompt-input');
        await input.press('x');
        await chat.page.waitForFunction(() =>
            Array.from(
                (globalThis as unknown as PageWindow).document.body.querySelectorAll('textarea.prompt-input'),
            ).some((node) => (node as unknown as { value: string }).value.includes('x')),
        );
        const keyEchoMs = Date.now() - keyStarted;
        await chat.page.waitForTimeout(5000);
        if (cdp !== undefined) await stopProfile(cdp, 'disk');
        const longestTaskMs = await chat.page.evaluate(() =>
            Math.max(0, ...(globalThis as unknown as { __tasks: number[] }).__tasks),
        );
        const shownChars = await chat.page
            .locator('.reply .markdown')
            .evaluate((node) => node.textContent?.length ?? 0);
        if (chat.errors.length > 0) throw new Error(`page errors: ${chat.errors.join('; ')}`);
        return { firstPaintMs, longestTaskMs, keyEchoMs, shownChars };
    } finally {
        await chat.close();
    }
}

type Cdp = Awaited<ReturnType<ReturnType<ChatPage['page']['context']>['newCDPSession']>>;

async function startProfile(chat: ChatPage): Promise<Cdp> {
    const cdp = await chat.page.context().newCDPSession(chat.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
    return cdp;
}

async function stopProfile(cdp: Cdp, name: string): Promise<void> {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const file = join(tmpdir(), `huge-reply-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`${file} (open it in Chromium's DevTools, Performance)\n`);
    process.stderr.write(`${name}: most self time\n`);
    printTopSelfTime(profile);
}

interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
}

function printTopSelfTime(profile: CpuProfile): void {
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const byFunction = new Map<string, number>();
    for (const node of profile.nodes) {
        const frame = node.callFrame;
        const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber}`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + (byNode.get(node.id) ?? 0));
    }
    const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [name, us] of top)
        process.stderr.write(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
}

interface StreamResult {
    ms: number;
    longestFrameMs: number;
    longestAt: number;
    frames: number[];
}

async function streamed(
    browser: Browser,
    deltas: readonly string[],
    profile: boolean,
): Promise<{ ms: number; longestFrameMs: number }> {
    const chat = await browser.open();
    try {
        await chat.page.evaluate(await pageScript());
        const cdp = profile ? await startProfile(chat) : undefined;
        const base = {
            id: 'bench-turn',
            prompt: 'Write it all.',
            request: { model: 'command-a-03-2025', stream: true },
            createdAt: 1,
        };
        const args = {
            contender: 'ours',
            state: stateMessage([]),
            turn: {
                id: base.id,
                conversationId: CONVERSATION,
                started: {
                    type: 'turnStarted',
                    conversationId: CONVERSATION,
                    turn: { ...base, status: 'streaming', reply: { content: [], citations: [] } },
                },
                ended: {
                    type: 'turnEnded',
                    conversationId: CONVERSATION,
                    turn: {
                        ...base,
                        status: 'complete',
                        finishReason: 'COMPLETE',
                        reply: { content: [{ type: 'text', text: deltas.join('') }], citations: [] },
                    },
                },
            },
            deltas,
            citations: [],
            perFrame: 16,
        };
        const result = await chat.page.evaluate(
            (a) =>
                (
                    globalThis as unknown as { __bench: { stream(a: unknown): Promise<StreamResult> } }
                ).__bench.stream(a),
            args,
        );
        if (cdp !== undefined) await stopProfile(cdp, 'stream');
        if (chat.errors.length > 0) throw new Error(`page errors: ${chat.errors.join('; ')}`);
        const sorted = [...result.frames].sort((a, b) => a - b);
        process.stderr.write(
            `  ${result.frames.length} frames, median ${(sorted[sorted.length >> 1] ?? 0).toFixed(0)} ms, longest at delta ${result.longestAt} of ${deltas.length}; the 5 longest: ${sorted
                .slice(-5)
                .map((ms) => ms.toFixed(0))
                .join(', ')} ms\n`,
        );
        const tenth = Math.max(1, Math.floor(result.frames.length / 10));
        const means = Array.from({ length: 10 }, (_, i) => result.frames.slice(i * tenth, (i + 1) * tenth))
            .map((part) => part.reduce((sum, ms) => sum + ms, 0) / Math.max(1, part.length))
            .map((ms) => ms.toFixed(0));
        process.stderr.write(`  mean frame by tenth of the stream: ${means.join(', ')} ms\n`);
        return { ms: result.ms, longestFrameMs: result.longestFrameMs };
    } finally {
        await chat.close();
    }
}

async function main(): Promise<void> {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const deltas = hugeReply(BYTES, 1024);
    const text = deltas.join('');
    const browser = await launch();
    try {
        const skip = options.skip.split(',');
        const disk = skip.includes('disk') ? undefined : await openFromDisk(browser, text, options.profile);
        if (disk !== undefined)
            process.stderr.write(
                `from disk: first paint ${disk.firstPaintMs.toFixed(0)} ms, longest task ${disk.longestTaskMs.toFixed(0)} ms, key shown after ${disk.keyEchoMs} ms (${disk.shownChars} of ${text.length} characters in the DOM after 5 s)\n`,
            );
        const stream = skip.includes('stream') ? undefined : await streamed(browser, deltas, options.profile);
        if (stream !== undefined)
            process.stderr.write(
                `streamed: ${(stream.ms / 1000).toFixed(1)} s, longest frame ${stream.longestFrameMs.toFixed(0)} ms\n`,
            );
        const result = {
            commit,
            date: new Date().toISOString(),
            bytes: BYTES,
            fromDisk: disk,
            streamed: stream,
        };
        if (!options.profile) writeFileSync(options.out, JSON.stringify(result, null, 2) + '\n');
    } finally {
        await browser.close();
    }
}

void main();
