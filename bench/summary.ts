// The last part of `npm run bench:webview`: every target of issue 9 in one table, read from the results the
// benchmarks just wrote (bench/results/webview.json, history.json) and from the last `npm run
// bench:first-paint` (first-paint.json, which runs code-server and so only under the e2e lock, on its own).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row {
    target: string;
    limit: string;
    value: string;
    verdict: string;
    from: string;
}

const DIR = join(__dirname, 'results');

function read(name: string): Record<string, unknown> | undefined {
    const file = join(DIR, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

function day(results: Record<string, unknown>): string {
    return typeof results['date'] === 'string' ? results['date'].slice(0, 16).replace('T', ' ') : '?';
}

const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
const rows: Row[] = [];

const webview = read('webview.json');
if (webview !== undefined) {
    const from = `webview.json ${day(webview)}`;
    for (const t of webview['targets'] as {
        target: string;
        limit?: number;
        wall?: number;
        /** Results written before CPU time was measured have one value. */
        value?: number;
        cpu?: number | null;
        met: boolean;
        metCpu?: boolean | null;
    }[]) {
        const wall = t.wall ?? t.value ?? NaN;
        rows.push({
            target: t.target,
            limit: t.limit === undefined ? '' : `≤ ${t.limit}`,
            value: typeof t.cpu === 'number' ? `${wall.toFixed(2)} / ${t.cpu.toFixed(2)}` : wall.toFixed(2),
            verdict:
                typeof t.metCpu === 'boolean' ? `${verdict(t.met)} / ${verdict(t.metCpu)}` : verdict(t.met),
            from,
        });
    }
}
const history = read('history.json');
if (history !== undefined) {
    for (const t of history['targets'] as { target: string; ratio: number; limit: number; met: boolean }[])
        rows.push({
            target: t.target.replace('<=', '/').replace(/ \d+x/, ''),
            limit: `≤ ${t.limit}`,
            value: t.ratio.toFixed(2),
            verdict: verdict(t.met),
            from: `history.json ${day(history)}`,
        });
}
const firstPaint = read('first-paint.json');
if (firstPaint !== undefined) {
    const t = firstPaint['target'] as { valueMs: number; met: boolean };
    rows.push({
        target: 'VS Code: Enter -> first painted text over server first byte (ms)',
        limit: '≤ 33',
        value: t.valueMs.toFixed(1),
        verdict: verdict(t.met),
        from: `first-paint.json ${day(firstPaint)}`,
    });
} else {
    rows.push({
        target: 'VS Code: Enter -> first painted text over server first byte (ms)',
        limit: '≤ 33',
        value: '–',
        verdict: 'not run',
        from: 'npm run bench:first-paint (under the e2e lock)',
    });
}

const out = [
    '',
    'issue 9 targets (value: wall / main-thread CPU where both are measured)',
    `   ${'target'.padEnd(64)}${'limit'.padStart(7)}${'value'.padStart(15)}  ${'verdict'.padEnd(15)} from`,
    ...rows.map(
        (row) =>
            `   ${row.target.padEnd(64)}${row.limit.padStart(7)}${row.value.padStart(15)}  ${row.verdict.padEnd(15)} ${row.from}`,
    ),
];
process.stdout.write(out.join('\n') + '\n');
