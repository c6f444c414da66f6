// `npm run bench:client`: our Cohere client against the official SDK and the floor, on the fake
// server over loopback (issue 2, section 5). The fake server and every contender run in processes of
// their own (bench/worker.ts), so the CPU time of a contender is its own and no heap weighs on
// another. Rounds are interleaved: in each round every workload runs for every contender in blocks,
// contenders taking turns in a rotating order. Medians of wall time and of client CPU time are
// reported. Peak memory of the stream is measured in a fresh process per contender.
import { execFileSync, fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENDERS } from './contenders';
import type { ContenderName } from './contenders';
import { IN_FLIGHT, WORKLOADS } from './worker';
import type { Sample, Workload, WorkerCommand } from './worker';

const ROUNDS = 5;
const REQUESTS = 2000;
/** Each round's 2,000 chats per contender run as blocks of 200, contenders taking turns. */
const BLOCKS = 10;
/** Streams per contender per round; each is one sample. */
const STREAMS_PER_ROUND = 3;
const WORKER = join(__dirname, 'worker.ts');

/** A contender's process and a way to ask it something and wait for its answer. */
interface WorkerHandle {
    child: ChildProcess;
    ask(command: WorkerCommand): Promise<unknown>;
}

function startWorker(name: ContenderName, url: string): Promise<WorkerHandle> {
    const child = fork(WORKER, ['--contender', name, '--url', url], { execArgv: ['--import', 'tsx'] });
    let pending: ((message: unknown) => void) | undefined;
    child.on('message', (message) => {
        const wake = pending;
        pending = undefined;
        wake?.(message);
    });
    const next = (): Promise<unknown> => new Promise((resolve) => (pending = resolve));
    const ask = async (command: WorkerCommand): Promise<unknown> => {
        const answer = next();
        child.send(command);
        const message = await answer;
        if (typeof message === 'object' && message !== null && 'error' in message) {
            throw new Error(`${name}: ${String((message as { error: unknown }).error)}`);
        }
        return message;
    };
    return next().then(() => ({ child, ask }));
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
    return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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

function measureMemory(name: ContenderName, url: string): { peakMb: number; growthMb: number } {
    const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', WORKER, '--memory', '--contender', name, '--url', url],
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
    const { values } = parseArgs({ options: { rounds: { type: 'string' }, only: { type: 'string' } } });
    const rounds = Number(values.rounds ?? ROUNDS);
    const names = values.only === undefined ? CONTENDERS : (values.only.split(',') as ContenderName[]);
    const fake = await startFakeProcess();
    const workers = new Map<ContenderName, WorkerHandle>();
    process.once('exit', () => {
        fake.child.kill();
        for (const worker of workers.values()) worker.child.kill();
    });
    for (const name of names) workers.set(name, await startWorker(name, fake.url));
    const samples = new Map<string, Sample[]>();
    const add = (key: string, sample: Sample): void => {
        samples.set(key, [...(samples.get(key) ?? []), sample]);
    };
    process.stdout.write(`fake server ${fake.url}; warming up\n`);
    for (const worker of workers.values()) await worker.ask({ type: 'warmup' });
    for (let round = 0; round < rounds; round++) {
        for (const workload of WORKLOADS) {
            // Rotate the order each round and reverse it every other round: no contender always follows the same one.
            const rotated = names.map((_, i) => names[(i + round) % names.length] as ContenderName);
            const order = round % 2 === 0 ? rotated : rotated.reverse();
            const blocks = workload === 'stream' ? STREAMS_PER_ROUND : BLOCKS;
            const totals = new Map<ContenderName, Sample>();
            for (let block = 0; block < blocks; block++) {
                for (const name of order) {
                    const command: WorkerCommand = { type: 'run', workload, requests: REQUESTS / BLOCKS };
                    const sample = (await workers.get(name)?.ask(command)) as Sample;
                    if (workload === 'stream') add(`${workload}/${name}`, sample);
                    const total = totals.get(name) ?? { wallMs: 0, cpuMs: 0 };
                    totals.set(name, {
                        wallMs: total.wallMs + sample.wallMs,
                        cpuMs: total.cpuMs + sample.cpuMs,
                    });
                }
            }
            if (workload !== 'stream') for (const [name, total] of totals) add(`${workload}/${name}`, total);
        }
        process.stdout.write(`round ${round + 1}/${rounds} done\n`);
    }
    for (const worker of workers.values()) await worker.ask({ type: 'close' });
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
    process.stdout.write(
        '\ntargets (wall time): ours/sdk <= 0.4 and ours/floor <= 1.1 on round trips; <= 0.3 and <= 1.3 on the stream\n',
    );
    for (const workload of WORKLOADS) {
        const target = workload === 'stream' ? targets.stream : targets.roundTrips;
        const sdk = ratio(workload, 'sdk', 'wallMs');
        const floor = ratio(workload, 'floor', 'wallMs');
        const verdict = (value: number | undefined, limit: number): string =>
            value === undefined ? 'not measured' : `${value.toFixed(2)} ${value <= limit ? 'met' : 'MISSED'}`;
        process.stdout.write(
            `  ${workload.padEnd(10)} ours/sdk ${verdict(sdk, target.oursOverSdk)}, ours/floor ${verdict(floor, target.oursOverFloor)}\n`,
        );
    }
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
