// Reading a response body: decoded as its Content-Encoding says (gzip, deflate, br, as the official SDK
// does through fetch: real replies come gzip-compressed), and never more of it than a cap, so a huge or
// endless reply (or a compression bomb) ends as a clear `protocol` error instead of filling memory.
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { CohereError } from './errors';
import type { Exchange } from './transport';

/**
 * The most a non-streamed reply (or a model list) may be once decoded: 32 MiB. Generous: a reply at a
 * 64K-token output limit is about 256 KB of text, and even citations that repeat large documents stay
 * within a few MB.
 */
export const MAX_REPLY_BODY_BYTES = 32 * 1024 * 1024;

const MIB = 1024 * 1024;

/** The codings of a Content-Encoding header, in the order they were applied; identity left out. */
export function contentCodings(header: string | string[] | undefined): string[] {
    const value = Array.isArray(header) ? header.join(',') : (header ?? '');
    return value
        .split(',')
        .map((coding) => coding.trim().toLowerCase())
        .filter((coding) => coding !== '' && coding !== 'identity');
}

function decoderFor(coding: string): NodeJS.ReadWriteStream | undefined {
    if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
    if (coding === 'deflate') return createInflate();
    if (coding === 'br') return createBrotliDecompress();
    return undefined;
}

/** Marks a decompressor's failure (not the connection's), for telling the two apart. */
const DECODING = Symbol('decoding');

/** The `protocol` error for a body that failed to decode, or undefined when `error` is another failure. */
export function decodeFailure(error: unknown): CohereError | undefined {
    const coding = (error as { [DECODING]?: string } | null)?.[DECODING];
    if (coding === undefined) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    return new CohereError('protocol', `The reply could not be decoded (${coding}): ${reason}`, {
        cause: error,
    });
}

/**
 * The body as the server meant it: through a decompressor per coding, undone last-applied first.
 * Throws `protocol` for a coding this client cannot undo. Failures (of the connection or of a
 * decompressor, see decodeFailure) arrive as 'error' on the returned stream.
 */
export function decodedBody(exchange: Exchange): Readable {
    const codings = contentCodings(exchange.headers['content-encoding']);
    let stream: Readable = exchange.body;
    for (const coding of codings.reverse()) {
        const decoder = decoderFor(coding);
        if (decoder === undefined) {
            exchange.close();
            throw new CohereError(
                'protocol',
                `The server sent the reply encoded as "${coding}", which this client cannot decode.`,
            );
        }
        const source = stream;
        // Registered before any reader's listener, so the mark is on the error before anyone sees it.
        decoder.on('error', (error: Error & { [DECODING]?: string }) => {
            error[DECODING] ??= coding;
        });
        const next = source.pipe(decoder) as unknown as Readable;
        // A failure upstream (the connection) reaches the last stream too, so one listener sees it.
        source.on('error', (error: Error) => next.destroy(error));
        stream = next;
    }
    return stream;
}

/** Reads a whole body as text, decoded, at most `maxBytes` of it; failures become CohereErrors. */
export async function readBodyText(
    exchange: Exchange,
    what: string,
    maxBytes: number = MAX_REPLY_BODY_BYTES,
): Promise<string> {
    const codings = contentCodings(exchange.headers['content-encoding']);
    const declared = Number(exchange.headers['content-length']);
    if (codings.length === 0 && Number.isFinite(declared) && declared <= maxBytes) {
        // The usual case, and the round-trip hot path: a plain body of a known, acceptable length.
        try {
            return await exchange.body.text();
        } catch (error) {
            throw exchange.failure(error);
        } finally {
            exchange.close();
        }
    }
    const body = decodedBody(exchange);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        await new Promise<void>((resolve, reject) => {
            body.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBytes) {
                    reject(
                        new CohereError(
                            'protocol',
                            `The server's ${what} is larger than ${maxBytes / MIB} MiB; it was not read further.`,
                        ),
                    );
                    return;
                }
                chunks.push(chunk);
            });
            body.once('end', resolve);
            body.once('error', (error: unknown) => reject(decodeFailure(error) ?? error));
            body.once('close', () => {
                if (!body.readableEnded)
                    reject(new Error('The connection closed before the reply was complete.'));
            });
        });
    } catch (error) {
        if (error instanceof CohereError) throw error;
        throw exchange.failure(error);
    } finally {
        exchange.close();
        if (body !== exchange.body) body.destroy();
    }
    return Buffer.concat(chunks, size).toString('utf8');
}
