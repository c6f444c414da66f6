// `node --import tsx bench/sse-line.ts [MB] [--decoder]`: what one huge SSE `data:` line costs (issue 7,
// §1 sizes). A loopback server streams a reply whose one content-delta line is MB megabytes; the real
// client reads it (and stops at its 16 Mi-character cap). With --decoder the line goes straight into
// an SseDecoder with the cap lifted, in 64 KB chunks, to show that assembling a line is linear in its
// length. Reports wall time, the peak growth of the process's resident memory, and how it ended. Run
// it in a fresh process (the peak is the process's own).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CohereClient } from '../src/cohere/index';
import { SseDecoder } from '../src/cohere/sse';

const megabytes = Number(process.argv[2] ?? 50);

function decoderOnly(): void {
    const rssBefore = process.memoryUsage().rss;
    const began = performance.now();
    let length = 0;
    const decoder = new SseDecoder((data) => (length = data.length), {
        maxLineChars: Infinity,
        maxEventChars: Infinity,
    });
    const encoder = new TextEncoder();
    decoder.push(encoder.encode('data: '));
    const chunk = encoder.encode('x'.repeat(64 * 1024));
    const chunks = Math.ceil((megabytes * 1024 * 1024) / chunk.length);
    let peak = rssBefore;
    for (let i = 0; i < chunks; i++) {
        decoder.push(chunk);
        if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    decoder.push(encoder.encode('\n\n'));
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - began) / 1000;
    console.log(
        `${megabytes} MB data line, decoder only: ${seconds.toFixed(2)} s, peak RSS +${((peak - rssBefore) / 1048576).toFixed(0)} MB, event of ${length} characters`,
    );
}

function frame(data: unknown): string {
    return `event: x\ndata: ${JSON.stringify(data)}\n\n`;
}

async function main(): Promise<void> {
    const head = frame({ type: 'message-start', id: 'g', delta: { message: { role: 'assistant' } } });
    const start = frame({
        type: 'content-start',
        index: 0,
        delta: { message: { content: { type: 'text' } } },
    });
    const prefix =
        'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"';
    const suffix = '"}}}}\n\n' + frame({ type: 'message-end', delta: { finish_reason: 'COMPLETE' } });
    const piece = Buffer.from('x'.repeat(64 * 1024));
    const pieces = Math.ceil((megabytes * 1024 * 1024) / piece.length);
    const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(head + start + prefix);
        let sent = 0;
        const pump = (): void => {
            while (sent < pieces) {
                sent++;
                if (!res.write(piece)) {
                    res.once('drain', pump);
                    return;
                }
            }
            res.end(suffix);
        };
        pump();
        res.on('close', () => (sent = pieces));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new CohereClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', maxRetries: 0 });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const began = performance.now();
    let outcome: string;
    try {
        const response = await client.chatStream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
            .response;
        const text = response.message.content?.[0];
        outcome = `complete, ${text?.type === 'text' ? text.text.length : 0} characters`;
    } catch (error) {
        outcome = `failed: ${(error as Error & { code?: string }).code}: ${(error as Error).message}`;
    }
    const seconds = (performance.now() - began) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    clearInterval(sampler);
    console.log(
        `${megabytes} MB data line: ${seconds.toFixed(2)} s, peak RSS +${((peak - rssBefore) / 1048576).toFixed(0)} MB, ${outcome}`,
    );
    await client.close();
    server.closeAllConnections();
    server.close();
}

if (process.argv.includes('--decoder')) decoderOnly();
else void main();
