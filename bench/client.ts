// `npm run bench:client`: our Cohere client against the official SDK and the floor, on the fake
// server over loopback (issue 2, section 5). The fake server runs in its own process, so its work is
// not counted in the client's CPU time. Rounds are interleaved (each round runs every workload for
// every contender, in a rotating order) and medians are reported, wall time and client CPU time.
// Peak memory of the stream is measured in a fresh child process per contender.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENDERS, createContender } from './contenders';
import type { Contender, ContenderName } from './contenders';

const ROUNDS = 5;
const REQUESTS = 2000;
const IN_FLIGHT = 16;
/** Each round's 2,000 chats per contender run as blocks of 200, contenders taking turns. */
const BLOCKS = 10;
/** Streams per contender per round; each is one sample. */
const STREAMS_PER_ROUND = 3;
const WORKLOADS = ['sequential', 'parallel16', 'stream'] as const;
type Workload = (typeof WORKLOADS)[number];

interface Sample {
    wallMs: number;
    cpuMs: number;
}

async function measure(run: () => Promise<void>): Promise<Sample> {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function runWorkload(contender: Contender, workload: Workload, requests: number): Promise<void> {
    switch (workload) {
        case 'sequential':
            return (async () => {
                for (let i = 0; i < requests; i++) await contender.roundTrip();
            })();
        case 'parallel16':
            return (async () => {
                let next = 0;
                const worker = async (): Promise<void> => {
                    while (next < requests) {
                        next++;
                        await contender.roundTrip();
                    }
                };
                await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
            })();
        case 'stream':
            return (async () => {
                const length = await contender.stream();
                if (length < 100_000) throw new Error(`the stream came back short: ${length} characters`);
            })();
    }
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1
        ? (sorted[middle] ?? 0)
        : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Starts test/fake-cohere/main.ts in its own process and resolves with its URL. */
async function startFakeProcess(): Promise<{ url: string; child: ChildProcess }> {
    const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, '../test/fake-cohere/main.ts')],
        {
            stdio: ['ignore', 'pipe', 'inherit'],
        },
    );
    const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout?.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            const match = /http:\/\/127\.0\.0\.1:\d+/.exec(seen);
            if (match) resolve(match[0]);
        });
        child.once('exit', (code) => reject(new Error(`the fake server exited (${code})`)));
    });
    return { url, child };
}

/** In a child process: one stream, reporting the peak RSS (from getrusage) before and after it. */
async function memoryChild(name: ContenderName, url: string): Promise<void> {
    const contender = createContender(name, url);
    await contender.roundTrip(); // connection and code paths warm, as in a running extension
    const beforeKb = process.resourceUsage().maxRSS;
    await runWorkload(contender, 'stream', 1);
    const afterKb = process.resourceUsage().maxRSS;
    await contender.close();
    process.stdout.write(JSON.stringify({ beforeKb, afterKb }) + '\n');
}

function measureMemory(name: ContenderName, url: string): { peakMb: number; growthMb: number } {
    const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', __filename, '--memory-child', name, '--url', url],
        {
            encoding: 'utf8',
        },
    );
    const { beforeKb, afterKb } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
        beforeKb: number;
        afterKb: number;
    };
    return { peakMb: afterKb / 1024, growthMb: (afterKb - beforeKb) / 1024 };
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            'memory-child': { type: 'string' },
            url: { type: 'string' },
            rounds: { type: 'string' },
            only: { type: 'string' },
        },
    });
    if (values['memory-child'] !== undefined) {
        await memoryChild(values['memory-child'] as ContenderName, values.url ?? '');
        return;
    }
    const rounds = Number(values.rounds ?? ROUNDS);
    const names = values.only === undefined ? CONTENDERS : (values.only.split(',') as ContenderName[]);
    const fake = await startFakeProcess();
    process.once('exit', () => fake.child.kill());
    const contenders = new Map(names.map((name) => [name, createContender(name, fake.url)]));
    const samples = new Map<string, Sample[]>();
    try {
        process.stdout.write(`fake server ${fake.url}; warming up\n`);
        for (const contender of contenders.values()) {
            for (let i = 0; i < 300; i++) await contender.roundTrip();
            await contender.stream();
        }
        for (let round = 0; round < rounds; round++) {
            for (const workload of WORKLOADS) {
                // Rotate the order each round and reverse it every other round, so no contender always follows the same one.
                const rotated = names.map((_, i) => names[(i + round) % names.length] as ContenderName);
                const order = round % 2 === 0 ? rotated : rotated.reverse();
                // Contenders take turns in small blocks, so a change in machine load falls on all of them.
                const blocks = workload === 'stream' ? STREAMS_PER_ROUND : BLOCKS;
                const totals = new Map<ContenderName, Sample>();
                for (let block = 0; block < blocks; block++) {
                    for (const name of order) {
                        const contender = contenders.get(name) as Contender;
                        const sample = await measure(() =>
                            runWorkload(contender, workload, REQUESTS / BLOCKS),
                        );
                        const key = `${workload}/${name}`;
                        if (workload === 'stream') samples.set(key, [...(samples.get(key) ?? []), sample]);
                        const total = totals.get(name) ?? { wallMs: 0, cpuMs: 0 };
                        totals.set(name, {
                            wallMs: total.wallMs + sample.wallMs,
                            cpuMs: total.cpuMs + sample.cpuMs,
                        });
                    }
                }
                if (workload !== 'stream') {
                    for (const [name, total] of totals) {
                        const key = `${workload}/${name}`;
                        samples.set(key, [...(samples.get(key) ?? []), total]);
                    }
                }
            }
            process.stdout.write(`round ${round + 1}/${rounds} done\n`);
        }
    } finally {
        for (const contender of contenders.values()) await contender.close();
    }
    const memory = new Map(names.map((name) => [name, measureMemory(name, fake.url)]));
    fake.child.kill();
    report(names, samples, memory, rounds);
}

function report(
    names: ContenderName[],
    samples: Map<string, Sample[]>,
    memory: Map<ContenderName, { peakMb: number; growthMb: number }>,
    rounds: number,
): void {
    const medians: Record<string, Record<string, { wallMs: number; cpuMs: number }>> = {};
    const rows: string[][] = [];
    for (const workload of WORKLOADS) {
        medians[workload] = {};
        for (const name of names) {
            const list = samples.get(`${workload}/${name}`) ?? [];
            const value = {
                wallMs: median(list.map((s) => s.wallMs)),
                cpuMs: median(list.map((s) => s.cpuMs)),
            };
            (medians[workload] as Record<string, { wallMs: number; cpuMs: number }>)[name] = value;
        }
    }
    const ratio = (
        workload: Workload,
        other: ContenderName,
        field: 'wallMs' | 'cpuMs',
    ): number | undefined => {
        const ours = medians[workload]?.['ours']?.[field];
        const theirs = medians[workload]?.[other]?.[field];
        return ours === undefined || theirs === undefined || theirs === 0 ? undefined : ours / theirs;
    };
    const fmt = (n: number | undefined, digits = 2): string => (n === undefined ? '-' : n.toFixed(digits));
    rows.push([
        'workload',
        ...names.map((n) => `${n} wall ms`),
        ...names.map((n) => `${n} cpu ms`),
        'ours/sdk wall',
        'ours/floor wall',
        'ours/sdk cpu',
        'ours/floor cpu',
    ]);
    for (const workload of WORKLOADS) {
        rows.push([
            workload,
            ...names.map((n) => fmt(medians[workload]?.[n]?.wallMs, 0)),
            ...names.map((n) => fmt(medians[workload]?.[n]?.cpuMs, 0)),
            fmt(ratio(workload, 'sdk', 'wallMs')),
            fmt(ratio(workload, 'floor', 'wallMs')),
            fmt(ratio(workload, 'sdk', 'cpuMs')),
            fmt(ratio(workload, 'floor', 'cpuMs')),
        ]);
    }
    const widths =
        rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
    const lines = rows.map((row) => row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  '));
    process.stdout.write(
        `\nmedians of ${rounds} interleaved rounds: ${REQUESTS} chats per round (blocks of ${REQUESTS / BLOCKS}, ` +
            `contenders taking turns), sequential and ${IN_FLIGHT} in flight; one 20,000-event stream ` +
            `(${STREAMS_PER_ROUND} per round, each a sample)\n`,
    );
    process.stdout.write(lines.join('\n') + '\n');
    process.stdout.write(
        '\npeak RSS of one 20,000-event stream, fresh child process per contender (getrusage maxRSS)\n',
    );
    for (const [name, m] of memory) {
        process.stdout.write(
            `  ${name.padEnd(6)} peak ${m.peakMb.toFixed(1)} MB, growth during the stream ${m.growthMb.toFixed(1)} MB\n`,
        );
    }
    const targets = {
        stream: { oursOverSdk: 0.3, oursOverFloor: 1.3 },
        roundTrips: { oursOverSdk: 0.4, oursOverFloor: 1.1 },
    };
    const ratios: Record<string, Record<string, number | undefined>> = {};
    for (const workload of WORKLOADS) {
        ratios[workload] = {
            oursOverSdkWall: ratio(workload, 'sdk', 'wallMs'),
            oursOverFloorWall: ratio(workload, 'floor', 'wallMs'),
            oursOverSdkCpu: ratio(workload, 'sdk', 'cpuMs'),
            oursOverFloorCpu: ratio(workload, 'floor', 'cpuMs'),
        };
    }
    const results = {
        date: new Date().toISOString(),
        node: process.version,
        rounds,
        requests: REQUESTS,
        inFlight: IN_FLIGHT,
        streamEvents: 20_000,
        medians,
        ratios,
        targets,
        memory: Object.fromEntries(memory),
        memoryMethod:
            'peak RSS (process.resourceUsage().maxRSS) of a fresh child process per contender; growth = peak after the stream minus peak before it',
        samples: Object.fromEntries(samples),
    };
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'client.json'), JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(`\nwrote ${join(dir, 'client.json')}\n`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
