// ChatStream: the events of one streamed reply, yielded as they arrive, and the reply they add up to.
// Events are queued until someone iterates, so `response` works whether or not anyone does; an
// iterator that is left early (break, throw) cancels the request.
import { ResponseAssembler } from './assemble';
import type { Readable } from 'node:stream';
import { decodeFailure, decodedBody } from './body';
import { CohereError } from './errors';
import { timeoutError } from './failures';
import { SseDecoder, SseSizeError, isDoneMarker } from './sse';
import type { Exchange } from './transport';
import type { ChatResponse, ChatStreamEvent } from './types';
import type { ReportProblem } from './validate';

/** A streamed reply: iterate it for the events; await `response` for the assembled reply. */
export interface ChatStream extends AsyncIterable<ChatStreamEvent> {
    /** Resolves after `message-end`; rejects with a CohereError after every event that arrived was yielded. */
    readonly response: Promise<ChatResponse>;
    /** The reply as assembled so far (for keeping what arrived when a stream fails or is stopped). */
    snapshot(): ChatResponse;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** The receiving end of a stream: the client feeds it events and its outcome; readers iterate it. */
export class ChatStreamState implements ChatStream {
    readonly response: Promise<ChatResponse>;
    readonly assembler = new ResponseAssembler();
    /** Events handed on so far; once there is one, the request is never sent again. */
    delivered = 0;
    private resolveResponse!: (response: ChatResponse) => void;
    private rejectResponse!: (error: CohereError) => void;
    private queue: ChatStreamEvent[] = [];
    private head = 0;
    private waiter: ((result: IteratorResult<ChatStreamEvent>) => void) | undefined;
    private waiterReject: ((error: unknown) => void) | undefined;
    private settled = false;
    private failure: CohereError | undefined;
    private readonly cancel: () => void;
    private readonly report: ReportProblem;
    /** Applied to the error the stream fails with (the client scrubs the key in use from it). */
    scrub: (error: CohereError) => CohereError = (error) => error;

    /** `report` hears of each malformed piece of the reply that was dropped. */
    constructor(cancel: () => void, report: ReportProblem = noop) {
        this.cancel = cancel;
        this.report = report;
        this.response = new Promise<ChatResponse>((resolve, reject) => {
            this.resolveResponse = resolve;
            this.rejectResponse = reject;
        });
        // Nobody may await `response` (an iterating reader sees the error too): never an unhandled rejection.
        this.response.catch(noop);
    }

    get finished(): boolean {
        return this.settled;
    }

    /** Hands on one event, once checked; a malformed one is dropped (and reported), never handed on. */
    push(raw: ChatStreamEvent): void {
        if (this.settled) return;
        const event = this.assembler.accept(raw, this.report);
        if (event === undefined) return;
        this.delivered++;
        const waiter = this.waiter;
        if (waiter !== undefined) {
            this.waiter = undefined;
            this.waiterReject = undefined;
            waiter({ done: false, value: event });
        } else {
            this.queue.push(event);
        }
    }

    /** Ends the stream with its assembled reply (or the generation's error). */
    complete(): void {
        if (this.settled) return;
        const { error, errorType } = this.assembler;
        if (error !== undefined || this.assembler.response().finish_reason === 'ERROR') {
            const words = error || 'The model failed while generating the reply.';
            this.fail(
                new CohereError('generation', errorType === undefined ? words : `${words} (${errorType})`, {
                    ...(errorType === undefined ? {} : { errorType }),
                }),
            );
            return;
        }
        this.settled = true;
        this.resolveResponse(this.assembler.response());
        this.wake();
    }

    /** Ends the stream with an error, after the queued events. */
    fail(unscrubbed: CohereError): void {
        if (this.settled) return;
        const error = this.scrub(unscrubbed);
        this.settled = true;
        this.failure = error;
        this.rejectResponse(error);
        this.wake();
    }

    snapshot(): ChatResponse {
        return this.assembler.response();
    }

    private wake(): void {
        const waiter = this.waiter;
        if (waiter === undefined) return;
        const reject = this.waiterReject;
        this.waiter = undefined;
        this.waiterReject = undefined;
        if (this.failure !== undefined) reject?.(this.failure);
        else waiter(DONE);
    }

    private next(): Promise<IteratorResult<ChatStreamEvent>> {
        if (this.head < this.queue.length) {
            const value = this.queue[this.head++] as ChatStreamEvent;
            if (this.head === this.queue.length) {
                this.queue = [];
                this.head = 0;
            }
            return Promise.resolve({ done: false, value });
        }
        if (this.settled) {
            return this.failure === undefined ? Promise.resolve(DONE) : Promise.reject(this.failure);
        }
        return new Promise((resolve, reject) => {
            this.waiter = resolve;
            this.waiterReject = reject;
        });
    }

    [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
        return {
            next: () => this.next(),
            return: () => {
                if (!this.settled) this.cancel();
                this.queue = [];
                this.head = 0;
                return Promise.resolve(DONE);
            },
        };
    }
}

function noop(): void {
    // Nothing to do.
}

/**
 * Reads an event-stream body into `stream`. Resolves at `message-end` (the body is then drained in
 * the background so the connection can be reused); rejects with the failure otherwise. The caller
 * decides whether a failure may be retried (only while `stream.delivered` is 0).
 *
 * The idle gap counts complete events, not bytes: undici's body timeout restarts on every chunk, so
 * a server that trickles keep-alive comments or one byte at a time would otherwise hold the request
 * open for ever. One interval timer per stream looks whether events moved on, so an event costs
 * only a counter increment (and a gap is noticed at most a quarter gap late).
 */
export function pipeEventStream(exchange: Exchange, stream: ChatStreamState): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        const raw = exchange.body;
        let body: Readable;
        try {
            body = decodedBody(exchange);
        } catch (error) {
            reject(error);
            return;
        }
        const gapMs = exchange.timeoutMs;
        // Events only bump a counter; a timer looks every quarter gap whether it moved.
        let events = 0;
        let seenEvents = 0;
        let lastMoveAt = performance.now();
        let done = false;
        const timer = setInterval(
            () => {
                const now = performance.now();
                if (events !== seenEvents) {
                    seenEvents = events;
                    lastMoveAt = now;
                } else if (now - lastMoveAt >= gapMs) {
                    finish(timeoutError(gapMs, 'event'));
                }
            },
            Math.max(10, gapMs / 4),
        );
        const finish = (error?: CohereError): void => {
            if (done) return;
            done = true;
            clearInterval(timer);
            if (error === undefined) resolve();
            else {
                exchange.close();
                if (body !== raw) body.destroy();
                reject(error);
            }
        };
        const onEvent = (data: string): void => {
            if (done) return;
            events++;
            if (isDoneMarker(data)) {
                if (!stream.assembler.ended) {
                    finish(new CohereError('protocol', 'The stream ended ([DONE]) before message-end.'));
                }
                return;
            }
            let event: ChatStreamEvent;
            try {
                event = JSON.parse(data) as ChatStreamEvent;
            } catch (error) {
                finish(protocolError(`An event is not JSON: ${data.slice(0, 200)}`, error));
                return;
            }
            if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
                finish(protocolError(`An event has no type: ${data.slice(0, 200)}`));
                return;
            }
            stream.push(event);
            if (event.type === 'message-end') {
                stream.complete();
                finish();
            }
        };
        // Events are dispatched on their JSON `type` (as both SDKs do), so the `event:` lines are not read.
        const decoder = new SseDecoder(onEvent, { eventNames: false });
        body.on('data', (chunk: Buffer) => {
            try {
                decoder.push(chunk);
            } catch (error) {
                finish(
                    error instanceof SseSizeError
                        ? protocolError(`${error.message} The reply was stopped there.`, error)
                        : protocolError('The event stream could not be read.', error),
                );
            }
        });
        body.once('end', () => {
            try {
                decoder.end();
            } catch (error) {
                finish(protocolError('The event stream could not be read.', error));
            }
            if (!done) finish(cutError(stream));
            exchange.close();
        });
        body.once('error', (error: unknown) => {
            // After message-end a broken connection loses nothing (some hosts drop it before [DONE]).
            finish(decodeFailure(error) ?? cutError(stream, exchange.failure(error)));
            exchange.close();
        });
        raw.once('close', () => {
            if (done || raw.readableEnded) return;
            finish(cutError(stream, exchange.failure(new Error('The connection closed mid-stream.'))));
        });
    });
}

/**
 * The failure of a stream that stopped before message-end. Once part of the reply has arrived the
 * person is told how far it got: a cut connection is `interrupted` (not "could not reach Cohere"), a
 * body that ended cleanly without message-end is the server breaking the protocol. Before any event
 * it is the transport's own error, retryable as such.
 */
function cutError(stream: ChatStreamState, transport?: CohereError): CohereError {
    if (transport?.code === 'aborted' || transport?.code === 'timeout') return transport;
    const received = stream.assembler.characters;
    if (transport === undefined) {
        return new CohereError(
            'protocol',
            stream.delivered === 0
                ? 'The stream ended before message-end.'
                : `The stream ended after ${received} characters of the reply, before message-end.`,
            { retryable: true },
        );
    }
    if (stream.delivered === 0) return transport;
    return new CohereError(
        'interrupted',
        `The connection was cut after ${received} characters of the reply, before it was complete.`,
        { cause: transport },
    );
}

function protocolError(message: string, cause?: unknown): CohereError {
    return new CohereError('protocol', message, cause === undefined ? {} : { cause });
}
