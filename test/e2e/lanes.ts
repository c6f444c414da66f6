// `npm run test:e2e` (so `npm test`): the whole end-to-end suite (run.ts) once per VS Code lane, oldest first, as
// rust-analyzer tests on its minimum and on stable: code-server 4.100.3 (VS Code 1.100, the engines.vscode
// minimum, Node 20) and code-server 4.139.1 (VS Code 1.139, Node 24). Each lane runs in a process of its own
// with COHERE_CODE_SERVER set, so everything it starts (code-server, `npm start`) uses that VS Code. Every
// lane runs even when an earlier one failed; the run fails when any did. COHERE_CODE_SERVER set by the caller
// runs just that lane (`npm run test:e2e:minimum`, `test:e2e:newest`); arguments are Node options for each
// lane's run, e.g. `npm run test:e2e:newest -- --test-name-pattern='^N'` runs only the scenarios whose names start
// with N.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { currentLane, LANES } from '../../scripts/code-server';
import type { CodeServerLane } from '../../scripts/code-server';

interface LaneResult {
    lane: CodeServerLane;
    seconds: number;
    code: number | null;
}

async function runLane(lane: CodeServerLane, args: readonly string[]): Promise<LaneResult> {
    const label = `code-server ${lane.version} (VS Code ${lane.vscodeVersion}, Node ${lane.nodeVersion ?? process.versions.node})`;
    console.log(`\n[e2e] lane ${label}`);
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args, join(__dirname, 'run.ts')], {
        stdio: 'inherit',
        env: { ...process.env, COHERE_CODE_SERVER: lane.version },
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    const seconds = (Date.now() - started) / 1000;
    console.log(`[e2e] lane ${label}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s`);
    return { lane, seconds, code };
}

async function main(): Promise<void> {
    const lanes = process.env['COHERE_CODE_SERVER'] ? [currentLane()] : LANES;
    const results: LaneResult[] = [];
    for (const lane of lanes) results.push(await runLane(lane, process.argv.slice(2)));
    console.log('\n[e2e] lanes:');
    for (const { lane, seconds, code } of results) {
        const verdict = code === 0 ? 'passed' : `FAILED (exit ${String(code)})`;
        console.log(`[e2e]   VS Code ${lane.vscodeVersion}: ${verdict}, ${seconds.toFixed(1)} s`);
    }
    if (results.some((result) => result.code !== 0)) process.exitCode = 1;
}

void main();
