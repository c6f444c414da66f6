// One turn against the API: streamed or not (per the settings), applied to the Turn as it arrives,
// cancellable at once, and recorded at the end (status, usage, finish reason, error, attempts).
import type { ChatSettings } from '../config';
import { isCohereError } from '../cohere/errors';
import type { CohereClient, RequestOptions, RetryInfo } from '../cohere/index';
import type { ChatRequest, ChatResponse, Usage } from '../cohere/types';
import type { HostToWebview } from '../protocol';
import { ReplyAssembler } from './assembler';
import type { ReplyChange } from './assembler';
import type { Logger } from './logger';
import type { Turn, TurnError } from './model';
import { replyText } from './request';

/** What the chat service tells its views about a conversation's turns. */
export type ConversationEvent =
    | HostToWebview.TurnStarted
    | HostToWebview.Delta
    | HostToWebview.CitationAdded
    | HostToWebview.TurnRetrying
    | HostToWebview.TurnEnded
    | HostToWebview.TurnFailed;

export interface RunTurnInput {
    client: Pick<CohereClient, 'chat' | 'chatStream'>;
    conversationId: string;
    /** Updated in place: reply, status, usage, finish reason, error, attempts, endedAt. */
    turn: Turn;
    request: ChatRequest;
    settings: ChatSettings;
    /** Continue the turn's reply instead of filling an empty one. */
    append: boolean;
    /** Aborting it stops the turn at once; what arrived is kept and the turn ends `stopped`. */
    signal: AbortSignal;
    emit: (event: ConversationEvent) => void;
    log: Logger;
    now: () => number;
}

/** Sends the turn and records how it ended. Never throws for a failure of the API: it is in `turn.error`. */
export async function runTurn(input: RunTurnInput): Promise<void> {
    const { turn, settings, log, now, conversationId } = input;
    const startedAt = now();
    let firstEventAt: number | undefined;
    let attempts = 1;
    const onRetry = (info: RetryInfo): void => {
        attempts = info.attempt;
        const reason = toTurnError(info.error);
        log.warn(
            `Turn ${turn.id}: ${reason.code}${reason.status === undefined ? '' : ` (${reason.status})`}, ` +
                `attempt ${info.attempt} in ${info.delayMs} ms`,
        );
        input.emit({
            type: 'turnRetrying',
            conversationId,
            turnId: turn.id,
            attempt: info.attempt,
            delayMs: info.delayMs,
            reason,
        });
    };
    // One log line per malformed piece the server sent; what was dropped never reaches the turn.
    const onInvalidData = (problem: string): void =>
        log.warn(`Turn ${turn.id}: dropped from the server's reply: ${problem}`);
    const options: RequestOptions = {
        signal: input.signal,
        onInvalidData,
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        headers: settings.requestHeaders,
        onRetry,
    };
    const onChange = (change: ReplyChange): void => {
        if (change.kind === 'delta') {
            input.emit({
                type: 'delta',
                conversationId,
                turnId: turn.id,
                index: change.index,
                kind: change.blockKind,
                text: change.text,
            });
        } else {
            input.emit({ type: 'citation', conversationId, turnId: turn.id, citation: change.citation });
        }
    };
    const previousUsage = input.append ? turn.usage : undefined;
    const assembler = new ReplyAssembler(turn.reply, input.append, onInvalidData);
    log.info(
        `Turn ${turn.id}: sending to ${input.request.model} (${settings.stream ? 'streamed' : 'complete'}, ${input.request.messages.length} messages)`,
    );
    log.trace(`Turn ${turn.id} prompt: ${turn.prompt}`);
    let partial: ChatResponse | undefined;
    try {
        let response: ChatResponse;
        if (settings.stream) {
            const stream = input.client.chatStream(input.request, options);
            try {
                for await (const event of stream) {
                    firstEventAt ??= now();
                    assembler.apply(event, onChange);
                }
                response = await stream.response;
            } catch (error) {
                partial = stream.snapshot();
                throw error;
            }
        } else {
            response = await input.client.chat(input.request, options);
            firstEventAt = now();
            assembler.applyResponse(response);
        }
        turn.status = 'complete';
        turn.finishReason = response.finish_reason;
        turn.usage = addUsage(previousUsage, response.usage);
        delete turn.error;
    } catch (error) {
        const turnError = toTurnError(error);
        if (input.signal.aborted) {
            turn.status = 'stopped';
            delete turn.error;
        } else {
            turn.status = 'failed';
            turn.error = turnError;
        }
        // What the server said before the failure (a generation error still reports usage).
        // A finish reason is known only when message-end arrived (a generation error); a cut stream has
        // none, and its snapshot's default COMPLETE would be a lie in the turn and its log line.
        if (turnError.code === 'generation' && partial?.finish_reason)
            turn.finishReason = partial.finish_reason;
        else delete turn.finishReason;
        // The whole of what the server answered (an HTML error page, say) goes to the log, not the view.
        if (isCohereError(error) && error.detail !== undefined) {
            log.info(`Turn ${turn.id}: the server answered: ${error.detail}`);
        }
        if (partial?.usage !== undefined) turn.usage = addUsage(previousUsage, partial.usage);
    }
    turn.attempts = attempts;
    turn.endedAt = now();
    log.info(describeEnd(turn, startedAt, firstEventAt));
    log.trace(`Turn ${turn.id} reply: ${replyText(turn.reply)}`);
}

/** A failure as it is recorded in a turn: the client's code and the server's own words. */
export function toTurnError(error: unknown): TurnError {
    if (isCohereError(error)) {
        const recorded: TurnError = { code: error.code, message: error.message };
        if (error.status !== undefined) recorded.status = error.status;
        if (error.retryAfterMs !== undefined) recorded.retryAfterMs = error.retryAfterMs;
        if (error.errorType !== undefined) recorded.errorType = error.errorType;
        return recorded;
    }
    return { code: 'protocol', message: error instanceof Error ? error.message : String(error) };
}

/** Usage of a continued reply: both requests were billed, so both count. */
export function addUsage(before: Usage | undefined, after: Usage | undefined): Usage | undefined {
    if (before === undefined || after === undefined) return after ?? before;
    const sum = (a?: number, b?: number): number | undefined =>
        a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
    const total: Usage = {};
    const billed = {
        input_tokens: sum(before.billed_units?.input_tokens, after.billed_units?.input_tokens),
        output_tokens: sum(before.billed_units?.output_tokens, after.billed_units?.output_tokens),
    };
    if (billed.input_tokens !== undefined || billed.output_tokens !== undefined)
        total.billed_units = withoutUndefined(billed);
    const tokens = {
        input_tokens: sum(before.tokens?.input_tokens, after.tokens?.input_tokens),
        output_tokens: sum(before.tokens?.output_tokens, after.tokens?.output_tokens),
    };
    if (tokens.input_tokens !== undefined || tokens.output_tokens !== undefined)
        total.tokens = withoutUndefined(tokens);
    const cached = sum(before.cached_tokens, after.cached_tokens);
    if (cached !== undefined) total.cached_tokens = cached;
    return total;
}

function withoutUndefined<T extends Record<string, number | undefined>>(
    record: T,
): { [K in keyof T]?: number } {
    const result: Record<string, number> = {};
    for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
    return result as { [K in keyof T]?: number };
}

function describeEnd(turn: Turn, startedAt: number, firstEventAt: number | undefined): string {
    const facts = [`status ${turn.status}`];
    if (turn.finishReason !== undefined) facts.push(`finish ${turn.finishReason}`);
    if (turn.error !== undefined) {
        facts.push(
            `error ${turn.error.code}${turn.error.status === undefined ? '' : ` ${turn.error.status}`}: ${turn.error.message}`,
        );
    }
    facts.push(`attempts ${turn.attempts ?? 1}`);
    if (firstEventAt !== undefined) facts.push(`first data after ${firstEventAt - startedAt} ms`);
    facts.push(`total ${(turn.endedAt ?? startedAt) - startedAt} ms`);
    const tokens = turn.usage?.tokens;
    if (tokens !== undefined)
        facts.push(`tokens in ${tokens.input_tokens ?? '?'} out ${tokens.output_tokens ?? '?'}`);
    return `Turn ${turn.id}: ${facts.join(', ')}`;
}
