// POST /v2/chat: scenario selection, faults, validation, then the reply as JSON or as SSE.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatRequest } from '../../src/cohere/types';
import { statusFaultError } from './faults';
import { DONE_FRAME, frameEvent, toChatResponse, toStreamEvents } from './reply';
import { selectionOrError, sendError } from './respond';
import { buildReply, digestOf } from './scenarios';
import type { RouteContext } from './server';
import { defaultScenario, isRecord, lastUserText, markerSpec, numberParam } from './spec';
import type { DeliveryFault, NormalScenario, ScenarioSpec } from './spec';
import { validateChat } from './validate';
import { deliver } from './writer';
import type { Chunking, DeliveryStep } from './writer';

/** A reply rendered to bytes: `frames` for a stream (body = frames + [DONE]), else the JSON body. */
interface Rendered {
    body: Buffer;
    frames?: string[];
}

type ActiveFaults = Map<DeliveryFault, ScenarioSpec<DeliveryFault>>;

const DONE_BYTES = Buffer.byteLength(DONE_FRAME);
const SMALL_BODY = 64 * 1024;

const CACHE_ENTRIES = 64;
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Same request, same bytes: a server keeps its rendered replies (bounded, oldest out first), so
 * benchmarks that repeat a request measure the client, not the building of the reply.
 */
export class ReplyCache {
    private readonly entries = new Map<string, Rendered>();
    private bytes = 0;

    get(key: string): Rendered | undefined {
        return this.entries.get(key);
    }

    set(key: string, rendered: Rendered): void {
        this.entries.set(key, rendered);
        this.bytes += rendered.body.length;
        for (const [oldKey, old] of this.entries) {
            if (this.entries.size <= CACHE_ENTRIES && this.bytes <= CACHE_BYTES) break;
            this.entries.delete(oldKey);
            this.bytes -= old.body.length;
        }
    }
}

/** POST /v2/chat: the reply of the chosen scenario, unless a fault or a validation error answers first. */
export async function handleChat(context: RouteContext): Promise<void> {
    const { res, body, faults } = context;
    const messages =
        isRecord(body) && Array.isArray(body['messages'])
            ? (body['messages'] as ChatRequest['messages'])
            : [];
    const userText = lastUserText(messages);
    const selection = selectionOrError(res, context.headerScenario ?? markerSpec(userText));
    if (selection === undefined) return;
    const statusFault = faults.takeStatusFault(selection.statusFaults, userText);
    if (statusFault !== undefined) {
        sendError(res, statusFaultError(statusFault));
        return;
    }
    const invalid = validateChat(body);
    if (invalid !== undefined) {
        sendError(res, invalid);
        return;
    }
    const request = body as ChatRequest;
    const active: ActiveFaults = new Map();
    for (const fault of selection.deliveryFaults) {
        if (!active.has(fault.name) && faults.take(fault, userText)) active.set(fault.name, fault);
    }
    const normal = selection.normal ?? {
        name: defaultScenario(request),
        params: new URLSearchParams(),
        raw: '',
    };
    const stream = isRecord(body) && body['stream'] === true;
    const rendered = render(
        context.cache,
        request,
        normal,
        digestOf(context.rawBody, context.headerScenario),
        stream,
        active.has('generation-error'),
    );

    const firstByteDelay = active.get('slow-first-byte') ?? (stream ? undefined : active.get('slow'));
    if (firstByteDelay !== undefined) {
        const ms = numberParam(firstByteDelay, 'ms', firstByteDelay.name === 'slow' ? 50 : 2000);
        const waited = await sleep(ms, true, { signal: context.signal }).catch(() => false);
        if (!waited) return;
    }
    const applied = [normal.name, ...active.keys()].join(',');
    if (stream) {
        res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            'x-fake-scenario': applied,
        });
    } else {
        res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': rendered.body.length,
            'x-fake-scenario': applied,
        });
    }
    const steps =
        rendered.frames === undefined ? jsonPlan(rendered.body, active) : streamPlan(rendered, active);
    const chunking = chunkingOf(active);
    const only = steps.length === 1 ? steps[0] : undefined;
    if (only !== undefined && 'bytes' in only && chunking === 'whole' && only.bytes.length <= SMALL_BODY) {
        // The common case (benchmark round trips): one write, no waiting, nothing to cancel.
        res.end(only.bytes);
        return;
    }
    await deliver(res, steps, chunking, context.signal);
}

function render(
    cache: ReplyCache,
    request: ChatRequest,
    normal: ScenarioSpec<NormalScenario>,
    digest: string,
    stream: boolean,
    failed: boolean,
): Rendered {
    const key = `${digest}:${failed}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const reply = buildReply(request, normal, digest, failed);
    let rendered: Rendered;
    if (stream) {
        const frames = toStreamEvents(reply).map(frameEvent);
        rendered = { frames, body: Buffer.from(frames.join('') + DONE_FRAME) };
    } else {
        rendered = { body: Buffer.from(JSON.stringify(toChatResponse(reply))) };
    }
    cache.set(key, rendered);
    return rendered;
}

function chunkingOf(active: ActiveFaults): Chunking {
    if (active.has('split-bytes')) return 'bytes';
    if (active.has('split-utf8')) return 'utf8';
    return 'whole';
}

/** Non-streamed: the whole body, or half of it then a cut or a pause. */
function jsonPlan(body: Buffer, active: ActiveFaults): DeliveryStep[] {
    const half = Math.floor(body.length / 2);
    if (active.has('cut-before-end')) return [{ bytes: body.subarray(0, half) }, { destroy: true }];
    const stall = active.get('stall');
    if (stall !== undefined) {
        return [
            { bytes: body.subarray(0, half) },
            { waitMs: numberParam(stall, 'ms', 2000) },
            { bytes: body.subarray(half) },
        ];
    }
    return [{ bytes: body }];
}

/** Streamed: the frames, with pauses, a cut or no [DONE] as the active faults ask. */
function streamPlan(rendered: Rendered, active: ActiveFaults): DeliveryStep[] {
    const frames = rendered.frames ?? [];
    const cutBefore = active.has('cut-before-end');
    const cutAfter = active.has('cut-after-end');
    const withDone = !cutBefore && !cutAfter && !active.has('no-done');
    // Cut after about half the events: message-start, content-start and some deltas have gone.
    const frameCount = cutBefore
        ? Math.max(2, Math.min(frames.length - 1, Math.floor(frames.length / 2)))
        : frames.length;
    const waits = new Map<number, number>();
    const slow = active.get('slow');
    if (slow !== undefined) {
        for (let i = 1; i <= frameCount; i++) waits.set(i, numberParam(slow, 'ms', 50));
    }
    const stall = active.get('stall');
    if (stall !== undefined) {
        const after = numberParam(stall, 'after', 3);
        if (after <= frameCount) waits.set(after, numberParam(stall, 'ms', 2000));
    }
    const ending: DeliveryStep[] = cutBefore || cutAfter ? [{ destroy: true }] : [];
    if (waits.size === 0 && frameCount === frames.length) {
        const body = withDone ? rendered.body : rendered.body.subarray(0, rendered.body.length - DONE_BYTES);
        return [{ bytes: body }, ...ending];
    }
    const steps: DeliveryStep[] = [];
    let from = 0;
    for (const at of [...waits.keys()].sort((a, b) => a - b)) {
        if (at > from) steps.push({ bytes: Buffer.from(frames.slice(from, at).join('')) });
        steps.push({ waitMs: waits.get(at)! });
        from = Math.max(from, at);
    }
    const rest = frames.slice(from, frameCount).join('') + (withDone ? DONE_FRAME : '');
    if (rest !== '') steps.push({ bytes: Buffer.from(rest) });
    return [...steps, ...ending];
}
