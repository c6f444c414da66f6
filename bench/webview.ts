// `npm run bench:webview`: the chat webview at any length (issue 9). The real bundle (dist/webview.js,
// built for production) runs in Debian's headless Chromium under its CSP (test/webview/harness.ts serves it),
// beside a floor and a naive peer (bench/webviewPage.ts). Every run gets a fresh page; rounds are
// interleaved (each round runs every workload for every contender, in a rotating order) and medians of the
// rounds are reported. Targets are checked and printed; the figures go to bench/results/webview.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { Turn } from '../src/chat/model';
import { launch } from '../test/webview/harness';
import type { Browser, ChatPage } from '../test/webview/harness';
import type { CDPSession } from 'playwright-core';
import { makeContext } from '../test/webview/fixtures';
import { earlierTurns, hugeReply, longBlock, mixedReply } from './webviewWorkloads';
import type { StreamWorkload } from './webviewWorkloads';

const { values: options } = parseArgs({
    options: {
        rounds: { type: 'string', default: '3' },
        label: { type: 'string', default: '' },
        // The 10 MB reply (issue 7) takes minutes and is no target of issue 9; `npm run bench:huge` measures
        // it on its own. Only with --huge.
        huge: { type: 'boolean', default: false },
        out: { type: 'string', default: join(__dirname, 'results', 'webview.json') },
    },
});
const ROUNDS = Number(options.rounds);
/** Deltas per frame: 80 characters, a fast model at 60 Hz. */
const PER_FRAME = 16;
/** At real 60 Hz: 100 characters a frame, so the 40k-delta reply ends within the time budget. */
const PER_FRAME_60HZ = 20;
const MIXED_SIZES = [2500, 5000, 10000, 20000, 40000];
/** The naive peer is quadratic (10k deltas: 40-75 s a run here); beyond this size it is left out. */
const NAIVE_MAX = 5000;
const BLOCKS = {
    table: [100, 200, 400],
    list: [100, 200, 400],
    code: [500, 1000, 2000],
} as const;
const TURN_COUNTS = [10, 100, 500];
const CONVERSATION = 'bench-conv';

type Contender = 'ours' | 'floor' | 'naive';

interface StreamResult {
    ms: number;
    /** Main-thread task time of the page over the same stretch (DevTools' TaskDuration). */
    cpuMs: number;
    behindPx: number;
    maxBehindPx: number;
    longestFrameMs: number;
}

/** One DevTools session per page, enabled once: `Performance.enable` starts the page's counters afresh. */
const performanceSessions = new WeakMap<ChatPage, Promise<CDPSession>>();

/**
 * The time the page's main thread spent in tasks so far (ms; DevTools' TaskDuration). On a machine shared
 * with other work, wall time also counts the time the page waited for a core; this counts only its own
 * work, so both are reported. (ThreadTime read back near zero here, and a session per reading restarted
 * the counters.)
 */
async function threadMs(chat: ChatPage): Promise<number> {
    let session = performanceSessions.get(chat);
    if (session === undefined) {
        session = (async () => {
            const opened = await chat.page.context().newCDPSession(chat.page);
            await opened.send('Performance.enable');
            return opened;
        })();
        performanceSessions.set(chat, session);
    }
    const { metrics } = await (await session).send('Performance.getMetrics');
    return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? NaN) * 1000;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
    return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

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

function streamArgs(
    contender: Contender,
    workload: StreamWorkload,
    turns: Turn[],
    realFrames = false,
): { state: unknown; [key: string]: unknown } {
    const id = 'bench-turn';
    const base = {
        id,
        prompt: 'Write it all.',
        request: { model: 'command-a-03-2025', stream: true },
        createdAt: 1,
    };
    const text = workload.deltas.join('');
    return {
        contender,
        state: stateMessage(turns),
        turn: {
            id,
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
                    reply: {
                        content: [{ type: 'text', text }],
                        citations: workload.citations.map((c) => c.citation),
                    },
                },
            },
        },
        deltas: workload.deltas,
        citations: workload.citations,
        perFrame: realFrames ? PER_FRAME_60HZ : PER_FRAME,
        realFrames,
    };
}

let pageScript = '';
async function pageScriptSource(): Promise<string> {
    if (pageScript !== '') return pageScript;
    const result = await build({
        entryPoints: [join(__dirname, 'webview-page', 'page.ts')],
        bundle: true,
        format: 'iife',
        write: false,
        minify: true,
        platform: 'browser',
    });
    pageScript = result.outputFiles[0]?.text ?? '';
    return pageScript;
}

async function openPage(browser: Browser): Promise<ChatPage> {
    const chat = await browser.open();
    await chat.page.evaluate(await pageScriptSource());
    return chat;
}

type Streamed = Omit<StreamResult, 'cpuMs'>;

function runStream(chat: ChatPage, args: unknown): Promise<Streamed> {
    return chat.page.evaluate(
        (a) =>
            (globalThis as unknown as { __bench: { stream(a: unknown): Promise<Streamed> } }).__bench.stream(
                a,
            ),
        args,
    );
}

async function streamOnce(
    browser: Browser,
    args: ReturnType<typeof streamArgs>,
    label: string,
): Promise<StreamResult> {
    const chat = await openPage(browser);
    const started = Date.now();
    try {
        // The conversation and the streaming turn first, on their own, so the CPU time read around the
        // stream is the stream's (the wall time in the page never counted them).
        const ours = args['contender'] === 'ours';
        if (ours) await runStream(chat, { ...args, deltas: [], citations: [] });
        const cpuBefore = await threadMs(chat);
        const result = await runStream(chat, ours ? { ...args, state: undefined } : args);
        const cpuMs = (await threadMs(chat)) - cpuBefore;
        if (chat.errors.length > 0) throw new Error(`page errors: ${chat.errors.join('; ')}`);
        process.stderr.write(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return { ...result, cpuMs };
    } finally {
        await chat.close();
    }
}

interface Timed {
    ms: number;
    cpuMs: number;
}

async function firstPaintOnce(browser: Browser, turns: Turn[]): Promise<Timed> {
    const chat = await openPage(browser);
    try {
        // Handed over first, so the CPU time read around the paint is not the transfer's.
        await chat.page.evaluate((state) => {
            (globalThis as unknown as { __benchState: unknown }).__benchState = state;
        }, stateMessage(turns));
        const cpuBefore = await threadMs(chat);
        const ms = await chat.page.evaluate(() => {
            const page = globalThis as unknown as {
                __benchState: unknown;
                __bench: { firstPaint(s: unknown): Promise<number> };
            };
            return page.__bench.firstPaint(page.__benchState);
        });
        return { ms, cpuMs: (await threadMs(chat)) - cpuBefore };
    } finally {
        await chat.close();
    }
}

function rotate<T>(list: readonly T[], by: number): T[] {
    return list.map((_, i) => list[(i + by) % list.length] as T);
}

function growth(perDelta: readonly number[]): { mean: number; worst: number } {
    // Total time ratio per doubling of the size: 2 when the cost per delta is flat.
    const ratios = perDelta.slice(1).map((value, i) => (2 * value) / (perDelta[i] ?? value));
    const mean = Math.pow(
        ratios.reduce((product, ratio) => product * ratio, 1),
        1 / Math.max(1, ratios.length),
    );
    return { mean, worst: Math.max(...ratios) };
}

function verdict(met: boolean): string {
    return met ? 'met' : 'MISSED';
}

/** Samples per key, for wall and CPU time alike. */
class Samples {
    private readonly wall = new Map<string, number[]>();
    private readonly cpu = new Map<string, number[]>();

    push(key: string | number, wall: number, cpu: number): void {
        const name = String(key);
        this.wall.set(name, [...(this.wall.get(name) ?? []), wall]);
        this.cpu.set(name, [...(this.cpu.get(name) ?? []), cpu]);
    }

    median(key: string | number, clock: Clock): number {
        return median((clock === 'wall' ? this.wall : this.cpu).get(String(key)) ?? []);
    }

    count(key: string | number): number {
        return this.wall.get(String(key))?.length ?? 0;
    }
}

type Clock = 'wall' | 'cpu';
const CLOCKS: readonly Clock[] = ['wall', 'cpu'];

async function main(): Promise<void> {
    const startedAt = Date.now();
    const bundleBytes = statSync(
        join(process.env['WEBVIEW_DIST'] ?? join(__dirname, '../dist'), 'webview.js'),
    ).size;
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const browser = await launch();
    const mixed = new Samples();
    const blocks = new Samples();
    const turnsStream = new Samples();
    const turnsPaint = new Samples();
    const earlier = new Map(TURN_COUNTS.map((n) => [n, earlierTurns(n)]));
    const contenders: Contender[] = ['ours', 'floor', 'naive'];
    const perDelta = (samples: Samples, key: string | number, result: Timed, deltas: number): void =>
        samples.push(key, (result.ms * 1000) / deltas, (result.cpuMs * 1000) / deltas);
    try {
        for (let round = 0; round < ROUNDS; round++) {
            process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
            for (const size of rotate(MIXED_SIZES, round)) {
                const workload = mixedReply(size);
                for (const contender of rotate(contenders, round)) {
                    if (contender === 'naive' && size > NAIVE_MAX) continue;
                    const result = await streamOnce(
                        browser,
                        streamArgs(contender, workload, []),
                        `${contender} mixed ${size}`,
                    );
                    perDelta(mixed, `${contender}:${size}`, result, size);
                }
            }
            for (const [kind, sizes] of rotate(Object.entries(BLOCKS), round)) {
                for (const size of rotate(sizes, round)) {
                    const workload = longBlock(kind as 'table' | 'list' | 'code', size);
                    const result = await streamOnce(
                        browser,
                        streamArgs('ours', workload, []),
                        `${kind} ${size}`,
                    );
                    perDelta(blocks, `${kind}:${size}`, result, workload.deltas.length);
                }
            }
            for (const count of rotate(TURN_COUNTS, round)) {
                const turns = earlier.get(count) ?? [];
                const paint = await firstPaintOnce(browser, turns);
                turnsPaint.push(count, paint.ms, paint.cpuMs);
                const result = await streamOnce(
                    browser,
                    streamArgs('ours', mixedReply(5000), turns),
                    `after ${count} turns`,
                );
                perDelta(turnsStream, count, result, 5000);
            }
        }
        process.stderr.write('60 Hz run\n');
        const realTime = await streamOnce(browser, streamArgs('ours', mixedReply(40000), [], true), '60 Hz');
        let huge: Figures['huge'];
        if (options.huge === true) {
            process.stderr.write('10 MB reply\n');
            const hugeDeltas = hugeReply(10 * 1024 * 1024, 1024);
            const hugeRun = await streamOnce(
                browser,
                streamArgs('ours', { deltas: hugeDeltas, citations: [] }, []),
                '10 MB',
            );
            const hugePaint = await firstPaintOnce(browser, [
                {
                    id: 'huge',
                    prompt: 'Everything',
                    request: { model: 'command-a-03-2025', stream: true },
                    reply: { content: [{ type: 'text', text: hugeDeltas.join('') }], citations: [] },
                    status: 'complete',
                    createdAt: 0,
                } as Turn,
            ]);
            huge = {
                streamMs: hugeRun.ms,
                longestFrameMs: hugeRun.longestFrameMs,
                firstPaintMs: hugePaint.ms,
            };
        }
        report({
            commit,
            label: options.label,
            bundleBytes,
            minutes: (Date.now() - startedAt) / 60000,
            mixed,
            blocks,
            turnsStream,
            turnsPaint,
            realTime,
            huge,
        });
    } finally {
        await browser.close();
    }
}

interface Figures {
    commit: string;
    label: string | undefined;
    bundleBytes: number;
    minutes: number;
    mixed: Samples;
    blocks: Samples;
    turnsStream: Samples;
    turnsPaint: Samples;
    realTime: StreamResult;
    huge: { streamMs: number; longestFrameMs: number; firstPaintMs: number } | undefined;
}

interface Target {
    target: string;
    limit: number;
    wall: number;
    cpu: number | null;
    met: boolean;
    metCpu: boolean | null;
}

function target(name: string, limit: number, wall: number, cpu: number | null): Target {
    return { target: name, limit, wall, cpu, met: wall <= limit, metCpu: cpu === null ? null : cpu <= limit };
}

function report(f: Figures): void {
    const out: string[] = [];
    out.push(
        `bench:webview at ${f.commit}${f.label ? ` (${f.label})` : ''}: ${ROUNDS} rounds interleaved, medians; ${PER_FRAME} deltas/frame; bundle ${(f.bundleBytes / 1024).toFixed(0)} KB`,
    );
    out.push('µs per delta: wall time in the page / main-thread CPU time of the page');
    out.push('');
    out.push('1. mixed reply, µs per delta');
    out.push(
        `   ${'deltas'.padEnd(8)}${'ours'.padStart(15)}${'floor'.padStart(15)}${'naive'.padStart(17)}${'ours/floor'.padStart(14)}${'ours/naive'.padStart(14)}`,
    );
    const series: Record<Clock, Record<Contender, number[]>> = {
        wall: { ours: [], floor: [], naive: [] },
        cpu: { ours: [], floor: [], naive: [] },
    };
    const mixedRows: Record<string, unknown>[] = [];
    const pair = (wall: number, cpu: number, digits = 1): string =>
        `${wall.toFixed(digits)} / ${cpu.toFixed(digits)}`;
    for (const size of MIXED_SIZES) {
        const row: Record<string, unknown> = { deltas: size };
        for (const clock of CLOCKS) {
            for (const contender of ['ours', 'floor', 'naive'] as const) {
                if (contender === 'naive' && size > NAIVE_MAX) continue;
                series[clock][contender].push(f.mixed.median(`${contender}:${size}`, clock));
            }
        }
        const get = (contender: Contender, clock: Clock): number =>
            f.mixed.median(`${contender}:${size}`, clock);
        const hasNaive = size <= NAIVE_MAX;
        for (const clock of CLOCKS) {
            const suffix = clock === 'wall' ? 'Us' : 'CpuUs';
            row[`ours${suffix}`] = get('ours', clock);
            row[`floor${suffix}`] = get('floor', clock);
            row[`naive${suffix}`] = hasNaive ? get('naive', clock) : null;
            row[`oursOverFloor${clock === 'wall' ? '' : 'Cpu'}`] = get('ours', clock) / get('floor', clock);
            row[`oursOverNaive${clock === 'wall' ? '' : 'Cpu'}`] = hasNaive
                ? get('ours', clock) / get('naive', clock)
                : null;
        }
        mixedRows.push(row);
        out.push(
            `   ${String(size).padEnd(8)}${pair(get('ours', 'wall'), get('ours', 'cpu')).padStart(15)}${pair(get('floor', 'wall'), get('floor', 'cpu')).padStart(15)}${(hasNaive ? pair(get('naive', 'wall'), get('naive', 'cpu')) : '–').padStart(17)}${pair(get('ours', 'wall') / get('floor', 'wall'), get('ours', 'cpu') / get('floor', 'cpu'), 2).padStart(14)}${(hasNaive ? pair(get('ours', 'wall') / get('naive', 'wall'), get('ours', 'cpu') / get('naive', 'cpu'), 3) : '–').padStart(14)}`,
        );
    }
    const mixedGrowth = {
        ours: growth(series.wall.ours),
        floor: growth(series.wall.floor),
        naive: growth(series.wall.naive),
        oursCpu: growth(series.cpu.ours),
        floorCpu: growth(series.cpu.floor),
    };
    out.push(
        `   growth per doubling (geometric mean / worst), wall: ours ${mixedGrowth.ours.mean.toFixed(2)} / ${mixedGrowth.ours.worst.toFixed(2)}, floor ${mixedGrowth.floor.mean.toFixed(2)} / ${mixedGrowth.floor.worst.toFixed(2)}, naive (to ${NAIVE_MAX}) ${mixedGrowth.naive.mean.toFixed(2)}; CPU: ours ${mixedGrowth.oursCpu.mean.toFixed(2)} / ${mixedGrowth.oursCpu.worst.toFixed(2)}, floor ${mixedGrowth.floorCpu.mean.toFixed(2)} / ${mixedGrowth.floorCpu.worst.toFixed(2)}`,
    );
    const worstOverFloor = (clock: Clock): number =>
        Math.max(
            ...MIXED_SIZES.map(
                (size) => f.mixed.median(`ours:${size}`, clock) / f.mixed.median(`floor:${size}`, clock),
            ),
        );
    out.push('');
    out.push('2. single long blocks, µs per delta');
    const blockRows: Record<string, unknown>[] = [];
    const blockGrowth: Record<string, Record<Clock, { mean: number; worst: number }>> = {};
    for (const [kind, sizes] of Object.entries(BLOCKS)) {
        const values = (clock: Clock): number[] =>
            sizes.map((size) => f.blocks.median(`${kind}:${size}`, clock));
        const g = { wall: growth(values('wall')), cpu: growth(values('cpu')) };
        blockGrowth[kind] = g;
        blockRows.push({
            kind,
            sizes,
            us: values('wall'),
            cpuUs: values('cpu'),
            growth: g.wall,
            growthCpu: g.cpu,
        });
        out.push(
            `   ${kind.padEnd(6)} ${sizes.map((size, i) => `${size}: ${pair(values('wall')[i] ?? 0, values('cpu')[i] ?? 0)}`).join('   ')}   growth ${pair(g.wall.mean, g.cpu.mean, 2)}`,
        );
    }
    out.push('');
    out.push('3. 5k-delta reply after earlier turns');
    const turnRows = TURN_COUNTS.map((count) => ({
        turns: count,
        perDeltaUs: f.turnsStream.median(count, 'wall'),
        perDeltaCpuUs: f.turnsStream.median(count, 'cpu'),
        firstPaintMs: f.turnsPaint.median(count, 'wall'),
        firstPaintCpuMs: f.turnsPaint.median(count, 'cpu'),
    }));
    for (const row of turnRows)
        out.push(
            `   ${String(row.turns).padEnd(4)} turns: ${pair(row.perDeltaUs, row.perDeltaCpuUs)} µs/delta, first paint ${pair(row.firstPaintMs, row.firstPaintCpuMs, 0)} ms`,
        );
    const first = turnRows[0];
    const lastRow = turnRows[turnRows.length - 1];
    const ratio = (key: 'perDeltaUs' | 'perDeltaCpuUs' | 'firstPaintMs' | 'firstPaintCpuMs'): number =>
        (lastRow?.[key] ?? 0) / (first?.[key] ?? 1);
    out.push('');
    out.push(
        `4. at 60 Hz, 40k deltas (${PER_FRAME_60HZ}/frame): ${(f.realTime.ms / 1000).toFixed(1)} s, ${f.realTime.behindPx.toFixed(0)} px from the bottom at the end (most behind ${f.realTime.maxBehindPx.toFixed(0)} px), longest frame ${f.realTime.longestFrameMs.toFixed(0)} ms`,
    );
    out.push(
        f.huge === undefined
            ? '5. 10 MB reply: left out (--huge; npm run bench:huge)'
            : `5. 10 MB reply: streamed as 1 KB deltas in ${(f.huge.streamMs / 1000).toFixed(1)} s, longest frame ${f.huge.longestFrameMs.toFixed(0)} ms; shown whole from a state, first paint ${f.huge.firstPaintMs.toFixed(0)} ms`,
    );
    out.push('');
    const targets: Target[] = [
        target(
            'growth per doubling, mixed reply (ours)',
            2.2,
            mixedGrowth.ours.mean,
            mixedGrowth.oursCpu.mean,
        ),
        ...Object.entries(blockGrowth).map(([kind, g]) =>
            target(`growth per doubling, ${kind}`, 2.2, g.wall.mean, g.cpu.mean),
        ),
        target('ours/floor at every size', 3, worstOverFloor('wall'), worstOverFloor('cpu')),
        target('per-delta after 500 turns / after 10', 1.3, ratio('perDeltaUs'), ratio('perDeltaCpuUs')),
        target('first paint of 500 turns / of 10', 3, ratio('firstPaintMs'), ratio('firstPaintCpuMs')),
        target('at 60 Hz, px from the bottom when a 40k reply ends', 24, f.realTime.behindPx, null),
        target('bundle (KB)', 400, f.bundleBytes / 1024, null),
    ];
    out.push(
        `   ${'target'.padEnd(52)}${'limit'.padStart(7)}${'wall'.padStart(9)}${'CPU'.padStart(9)}  verdict (wall / CPU)`,
    );
    for (const t of targets)
        out.push(
            `   ${t.target.padEnd(52)}${`≤ ${t.limit}`.padStart(7)}${t.wall.toFixed(2).padStart(9)}${(t.cpu === null ? '–' : t.cpu.toFixed(2)).padStart(9)}  ${verdict(t.met)}${t.metCpu === null ? '' : ` / ${verdict(t.metCpu)}`}`,
        );
    out.push('');
    out.push(`took ${f.minutes.toFixed(1)} min`);
    process.stdout.write(out.join('\n') + '\n');
    const results = {
        commit: f.commit,
        label: f.label,
        date: new Date().toISOString(),
        rounds: ROUNDS,
        samplesPerFigure: f.mixed.count(`ours:${MIXED_SIZES[0]}`),
        deltasPerFrame: PER_FRAME,
        bundleBytes: f.bundleBytes,
        mixed: mixedRows,
        mixedGrowth,
        blocks: blockRows,
        turns: turnRows,
        realTime60Hz: { deltas: 40000, deltasPerFrame: PER_FRAME_60HZ, ...f.realTime },
        huge10MB: f.huge ?? null,
        targets,
        minutes: f.minutes,
    };
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
