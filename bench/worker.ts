// One contender of the client benchmark, in its own process so that no contender's heap or garbage
// collector weighs on another's numbers. Driven over IPC by bench/client.ts; with `--memory` it runs
// one stream in a fresh process and prints its peak RSS instead.
import { parseArgs } from 'node:util';
import { createContender } from './contenders';
import type { Contender, ContenderName } from './contenders';

export const WORKLOADS = ['sequential', 'parallel16', 'stream'] as const;
export type Workload = (typeof WORKLOADS)[number];
export const IN_FLIGHT = 16;

export interface Sample {
    wallMs: number;
    /** CPU time of this process (user + system, all threads) during the sample. */
    cpuMs: number;
}

/** What the orchestrator asks a worker to do. */
export type WorkerCommand =
    { type: 'warmup' } | { type: 'run'; workload: Workload; requests: number } | { type: 'close' };

async function measure(run: () => Promise<void>): Promise<Sample> {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function runWorkload(contender: Contender, workload: Workload, requests: number): Promise<void> {
    switch (workload) {
        case 'sequential':
            for (let i = 0; i < requests; i++) await contender.roundTrip();
            return;
        case 'parallel16': {
            let started = 0;
            const worker = async (): Promise<void> => {
                while (started < requests) {
                    started++;
                    await contender.roundTrip();
                }
            };
            await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
            return;
        }
        case 'stream': {
            const length = await contender.stream();
            if (length < 100_000) throw new Error(`the stream came back short: ${length} characters`);
            return;
        }
    }
}

async function serve(contender: Contender): Promise<void> {
    const send = (message: unknown): void => {
        process.send?.(message);
    };
    process.on('message', (command: WorkerCommand) => {
        void (async () => {
            try {
                switch (command.type) {
                    case 'warmup':
                        for (let i = 0; i < 500; i++) await contender.roundTrip();
                        for (let i = 0; i < 5; i++) await runWorkload(contender, 'stream', 1);
                        send({ ok: true });
                        return;
                    case 'run':
                        send(await measure(() => runWorkload(contender, command.workload, command.requests)));
                        return;
                    case 'close':
                        await contender.close();
                        send({ ok: true });
                        process.disconnect();
                        return;
                }
            } catch (error) {
                send({ error: String(error) });
            }
        })();
    });
    send({ ready: true });
}

/** One stream in a fresh process: peak RSS (getrusage maxRSS) before and after it. */
async function measureMemory(contender: Contender): Promise<void> {
    await contender.roundTrip(); // connection and code paths warm, as in a running extension
    const beforeKb = process.resourceUsage().maxRSS;
    await runWorkload(contender, 'stream', 1);
    const afterKb = process.resourceUsage().maxRSS;
    await contender.close();
    process.stdout.write(JSON.stringify({ beforeKb, afterKb }) + '\n');
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: { contender: { type: 'string' }, url: { type: 'string' }, memory: { type: 'boolean' } },
    });
    const contender = createContender(values.contender as ContenderName, values.url ?? '');
    if (values.memory === true) await measureMemory(contender);
    else await serve(contender);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
}
