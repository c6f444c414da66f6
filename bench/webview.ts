// `npm run bench:webview`: the chat webview at any length (issue 9). The real bundle (dist/webview.js,
// built for production) runs in Debian's headless Chromium under its CSP (test/webview/harness.ts serves it),
// beside a floor and a naive peer (bench/webviewPage.ts). Every run gets a fresh page; rounds are
// interleaved (each round runs every workload for every contender, in a rotating order) and medians of the
// rounds are reported. Targets are checked and printed; the figures go to bench/results/webview.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { Turn } from '../src/chat/model';
import { launch } from '../test/webview/harness';
import type { Browser, ChatPage } from '../test/webview/harness';
import { makeContext } from '../test/webview/fixtures';
import { earlierTurns, hugeReply, longBlock, mixedReply } from './webviewWorkloads';
import type { StreamWorkload } from './webviewWorkloads';

const { values: options } = parseArgs({
    options: {
        rounds: { type: 'string', default: '3' },
        label: { type: 'string', default: '' },
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
    behindPx: number;
    maxBehindPx: number;
    longestFrameMs: number;
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
): unknown {
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

async function streamOnce(browser: Browser, args: unknown, label: string): Promise<StreamResult> {
    const chat = await openPage(browser);
    const started = Date.now();
    try {
        const result = await chat.page.evaluate(
            (a) =>
                (
                    globalThis as unknown as { __bench: { stream(a: unknown): Promise<StreamResult> } }
                ).__bench.stream(a),
            args,
        );
        if (chat.errors.length > 0) throw new Error(`page errors: ${chat.errors.join('; ')}`);
        process.stderr.write(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return result;
    } finally {
        await chat.close();
    }
}

async function firstPaintOnce(browser: Browser, turns: Turn[]): Promise<number> {
    const chat = await openPage(browser);
    try {
        return await chat.page.evaluate(
            (state) =>
                (
                    globalThis as unknown as { __bench: { firstPaint(s: unknown): Promise<number> } }
                ).__bench.firstPaint(state),
            stateMessage(turns),
        );
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

async function main(): Promise<void> {
    const startedAt = Date.now();
    const bundleBytes = statSync(
        join(process.env['WEBVIEW_DIST'] ?? join(__dirname, '../dist'), 'webview.js'),
    ).size;
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const browser = await launch();
    const mixed = new Map<string, number[]>();
    const blocks = new Map<string, number[]>();
    const turnsStream = new Map<number, number[]>();
    const turnsPaint = new Map<number, number[]>();
    const push = (map: Map<string | number, number[]>, key: string | number, value: number): void => {
        map.set(key, [...(map.get(key) ?? []), value]);
    };
    const earlier = new Map(TURN_COUNTS.map((n) => [n, earlierTurns(n)]));
    const contenders: Contender[] = ['ours', 'floor', 'naive'];
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
                    push(
                        mixed as Map<string | number, number[]>,
                        `${contender}:${size}`,
                        (result.ms * 1000) / size,
                    );
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
                    push(
                        blocks as Map<string | number, number[]>,
                        `${kind}:${size}`,
                        (result.ms * 1000) / workload.deltas.length,
                    );
                }
            }
            for (const count of rotate(TURN_COUNTS, round)) {
                const turns = earlier.get(count) ?? [];
                push(
                    turnsPaint as Map<string | number, number[]>,
                    count,
                    await firstPaintOnce(browser, turns),
                );
                const workload = mixedReply(5000);
                const result = await streamOnce(
                    browser,
                    streamArgs('ours', workload, turns),
                    `after ${count} turns`,
                );
                push(turnsStream as Map<string | number, number[]>, count, (result.ms * 1000) / 5000);
            }
        }
        process.stderr.write('60 Hz run\n');
        const realTime = await streamOnce(browser, streamArgs('ours', mixedReply(40000), [], true), '60 Hz');
        process.stderr.write('10 MB reply\n');
        const huge = hugeReply(10 * 1024 * 1024, 1024);
        const hugeRun = await streamOnce(
            browser,
            streamArgs('ours', { deltas: huge, citations: [] }, []),
            '10 MB',
        );
        const hugePaint = await firstPaintOnce(browser, [
            {
                id: 'huge',
                prompt: 'Everything',
                request: { model: 'command-a-03-2025', stream: true },
                reply: { content: [{ type: 'text', text: huge.join('') }], citations: [] },
                status: 'complete',
                createdAt: 0,
            } as Turn,
        ]);
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
            huge: { streamMs: hugeRun.ms, longestFrameMs: hugeRun.longestFrameMs, firstPaintMs: hugePaint },
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
    mixed: Map<string, number[]>;
    blocks: Map<string, number[]>;
    turnsStream: Map<number, number[]>;
    turnsPaint: Map<number, number[]>;
    realTime: StreamResult;
    huge: { streamMs: number; longestFrameMs: number; firstPaintMs: number };
}

function report(f: Figures): void {
    const out: string[] = [];
    const med = (map: Map<string | number, number[]>, key: string | number): number =>
        median(map.get(key) ?? []);
    const mixedMap = f.mixed as Map<string | number, number[]>;
    out.push(
        `bench:webview at ${f.commit}${f.label ? ` (${f.label})` : ''}: ${ROUNDS} rounds, ${PER_FRAME} deltas/frame, bundle ${(f.bundleBytes / 1024).toFixed(0)} KB`,
    );
    out.push('');
    out.push('1. mixed reply, µs per delta (median)');
    out.push(
        `   ${'deltas'.padEnd(8)}${'ours'.padStart(9)}${'floor'.padStart(9)}${'naive'.padStart(10)}${'ours/floor'.padStart(12)}${'ours/naive'.padStart(12)}`,
    );
    const perContender: Record<Contender, number[]> = { ours: [], floor: [], naive: [] };
    const mixedRows: Record<string, unknown>[] = [];
    for (const size of MIXED_SIZES) {
        const ours = med(mixedMap, `ours:${size}`);
        const floor = med(mixedMap, `floor:${size}`);
        const naive = med(mixedMap, `naive:${size}`);
        perContender.ours.push(ours);
        perContender.floor.push(floor);
        if (size <= NAIVE_MAX) perContender.naive.push(naive);
        mixedRows.push({
            deltas: size,
            oursUs: ours,
            floorUs: floor,
            naiveUs: size <= NAIVE_MAX ? naive : null,
            oursOverFloor: ours / floor,
            oursOverNaive: size <= NAIVE_MAX ? ours / naive : null,
        });
        out.push(
            `   ${String(size).padEnd(8)}${ours.toFixed(1).padStart(9)}${floor.toFixed(1).padStart(9)}${(size <= NAIVE_MAX ? naive.toFixed(1) : '–').padStart(10)}${(ours / floor).toFixed(2).padStart(12)}${(size <= NAIVE_MAX ? (ours / naive).toFixed(3) : '–').padStart(12)}`,
        );
    }
    const mixedGrowth = {
        ours: growth(perContender.ours),
        floor: growth(perContender.floor),
        naive: growth(perContender.naive),
    };
    out.push(
        `   growth per doubling (geometric mean / worst): ours ${mixedGrowth.ours.mean.toFixed(2)} / ${mixedGrowth.ours.worst.toFixed(2)}, floor ${mixedGrowth.floor.mean.toFixed(2)} / ${mixedGrowth.floor.worst.toFixed(2)}, naive (to ${NAIVE_MAX}) ${mixedGrowth.naive.mean.toFixed(2)} / ${mixedGrowth.naive.worst.toFixed(2)}`,
    );
    const worstOverFloor = Math.max(
        ...MIXED_SIZES.map((s) => med(mixedMap, `ours:${s}`) / med(mixedMap, `floor:${s}`)),
    );
    out.push('');
    out.push('2. single long blocks, µs per delta (median)');
    const blockRows: Record<string, unknown>[] = [];
    const blockGrowth: Record<string, { mean: number; worst: number }> = {};
    for (const [kind, sizes] of Object.entries(BLOCKS)) {
        const values = sizes.map((size) =>
            med(f.blocks as Map<string | number, number[]>, `${kind}:${size}`),
        );
        blockGrowth[kind] = growth(values);
        blockRows.push({ kind, sizes, us: values, growth: blockGrowth[kind] });
        out.push(
            `   ${kind.padEnd(6)} ${sizes.map((s, i) => `${s}: ${(values[i] ?? 0).toFixed(1)}`).join('   ')}   growth ${blockGrowth[kind]?.mean.toFixed(2)} / worst ${blockGrowth[kind]?.worst.toFixed(2)}`,
        );
    }
    out.push('');
    out.push('3. 5k-delta reply after earlier turns');
    const turnRows = TURN_COUNTS.map((count) => ({
        turns: count,
        perDeltaUs: med(f.turnsStream as Map<string | number, number[]>, count),
        firstPaintMs: med(f.turnsPaint as Map<string | number, number[]>, count),
    }));
    for (const row of turnRows)
        out.push(
            `   ${String(row.turns).padEnd(4)} turns: ${row.perDeltaUs.toFixed(1)} µs/delta, first paint ${row.firstPaintMs.toFixed(0)} ms`,
        );
    const first = turnRows[0];
    const lastRow = turnRows[turnRows.length - 1];
    const streamRatio = (lastRow?.perDeltaUs ?? 0) / (first?.perDeltaUs ?? 1);
    const paintRatio = (lastRow?.firstPaintMs ?? 0) / (first?.firstPaintMs ?? 1);
    out.push('');
    out.push(
        `4. at 60 Hz, 40k deltas (${PER_FRAME_60HZ}/frame): ${(f.realTime.ms / 1000).toFixed(1)} s, ${f.realTime.behindPx.toFixed(0)} px from the bottom at the end (most behind ${f.realTime.maxBehindPx.toFixed(0)} px), longest frame ${f.realTime.longestFrameMs.toFixed(0)} ms`,
    );
    out.push(
        `5. 10 MB reply: streamed as 1 KB deltas in ${(f.huge.streamMs / 1000).toFixed(1)} s, longest frame ${f.huge.longestFrameMs.toFixed(0)} ms; shown whole from a state, first paint ${f.huge.firstPaintMs.toFixed(0)} ms`,
    );
    out.push('');
    const targets = [
        {
            target: 'growth per doubling ≤ 2.2, mixed reply (ours)',
            value: mixedGrowth.ours.mean,
            met: mixedGrowth.ours.mean <= 2.2,
        },
        ...Object.entries(blockGrowth).map(([kind, g]) => ({
            target: `growth per doubling ≤ 2.2, ${kind}`,
            value: g.mean,
            met: g.mean <= 2.2,
        })),
        { target: 'ours/floor ≤ 3 at every size', value: worstOverFloor, met: worstOverFloor <= 3 },
        { target: 'per-delta after 500 turns ≤ 1.3× after 10', value: streamRatio, met: streamRatio <= 1.3 },
        { target: 'first paint of 500 turns ≤ 3× that of 10', value: paintRatio, met: paintRatio <= 3 },
        {
            target: 'at 60 Hz at the bottom when a 40k reply ends (px behind)',
            value: f.realTime.behindPx,
            met: f.realTime.behindPx <= 24,
        },
        { target: 'bundle < 400 KB (KB)', value: f.bundleBytes / 1024, met: f.bundleBytes < 400 * 1024 },
    ];
    out.push(`   ${'target'.padEnd(60)}${'value'.padStart(10)}  verdict`);
    for (const t of targets)
        out.push(`   ${t.target.padEnd(60)}${t.value.toFixed(2).padStart(10)}  ${verdict(t.met)}`);
    out.push('');
    out.push(`took ${f.minutes.toFixed(1)} min`);
    process.stdout.write(out.join('\n') + '\n');
    const results = {
        commit: f.commit,
        label: f.label,
        date: new Date().toISOString(),
        rounds: ROUNDS,
        deltasPerFrame: PER_FRAME,
        bundleBytes: f.bundleBytes,
        mixed: mixedRows,
        mixedGrowth,
        blocks: blockRows,
        turns: turnRows,
        realTime60Hz: { deltas: 40000, deltasPerFrame: PER_FRAME_60HZ, ...f.realTime },
        huge10MB: f.huge,
        targets,
        minutes: f.minutes,
    };
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
}

void readFileSync;
main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
