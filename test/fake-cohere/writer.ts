// Writing a response body: a plan of byte runs, pauses and a possible cut, written whole (in large
// slices that respect backpressure) or split at every byte / inside multi-byte characters.
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** One step of a delivery plan. */
export type DeliveryStep = { bytes: Buffer } | { waitMs: number } | { destroy: true };

/** How the bytes are cut into writes. */
export type Chunking = 'whole' | 'bytes' | 'utf8';

const SLICE = 64 * 1024;

/**
 * Runs a plan on a response whose head is set. Ends the response after the last step unless a
 * step destroyed it. Stops quietly when the client goes away or `signal` aborts (server closing).
 */
export async function deliver(
    res: ServerResponse,
    steps: readonly DeliveryStep[],
    chunking: Chunking,
    signal: AbortSignal,
): Promise<void> {
    try {
        for (const step of steps) {
            if (signal.aborted || res.destroyed) return;
            if ('bytes' in step) {
                await writeBytes(res, step.bytes, chunking, signal);
            } else if ('waitMs' in step) {
                if (!res.headersSent) res.flushHeaders();
                await sleep(step.waitMs, undefined, { signal });
            } else {
                // Flush what was written, then drop the connection without the final chunk.
                await waitForFlush(res, signal);
                res.destroy();
                return;
            }
        }
        if (!res.destroyed) res.end();
    } catch (error) {
        if (!signal.aborted && !res.destroyed) throw error;
    }
}

async function writeBytes(
    res: ServerResponse,
    bytes: Buffer,
    chunking: Chunking,
    signal: AbortSignal,
): Promise<void> {
    if (chunking === 'whole') {
        for (let offset = 0; offset < bytes.length && !res.destroyed; offset += SLICE) {
            await write(res, bytes.subarray(offset, offset + SLICE), signal);
        }
        return;
    }
    const cuts = chunking === 'bytes' ? everyByte(bytes.length) : insideCharacters(bytes);
    let offset = 0;
    for (const cut of [...cuts, bytes.length]) {
        if (res.destroyed || signal.aborted) return;
        if (cut <= offset) continue;
        await write(res, bytes.subarray(offset, cut), signal);
        offset = cut;
        // A turn of the event loop lets each piece leave as its own TCP segment (Nagle is off).
        await nextTurn(undefined, { signal });
    }
}

function everyByte(length: number): number[] {
    return Array.from({ length }, (_, index) => index + 1);
}

/** Offsets that fall inside multi-byte UTF-8 characters: one cut in each such character. */
export function insideCharacters(bytes: Buffer): number[] {
    const cuts: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i]!;
        if (byte < 0xc0) continue;
        const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
        // Alternate between cutting after the lead byte and before the last byte.
        cuts.push(cuts.length % 2 === 0 ? i + 1 : i + length - 1);
        i += length - 1;
    }
    return cuts;
}

async function write(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
    if (res.write(chunk)) return;
    await new Promise<void>((resolve) => {
        const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            signal.removeEventListener('abort', done);
            resolve();
        };
        res.once('drain', done);
        res.once('close', done);
        signal.addEventListener('abort', done, { once: true });
    });
}

/** Waits until the socket has handed every written byte to the OS, so a cut keeps them. */
async function waitForFlush(res: ServerResponse, signal: AbortSignal): Promise<void> {
    // http corks the socket until the next tick; let the bytes reach it first.
    await nextTurn(undefined, { signal });
    const socket = res.socket;
    if (socket === null || socket.writableLength === 0) return;
    await new Promise<void>((resolve) => {
        socket.write('', () => resolve());
        signal.addEventListener('abort', () => resolve(), { once: true });
    });
}
