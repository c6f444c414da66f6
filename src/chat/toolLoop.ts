// The tool loop of one turn: model -> tool calls -> results -> model, until the reply completes or
// the step limit is reached. Each step is kept in the turn (and saved) as it happens, so a reload
// mid-loop shows every step and Retry goes on from the last complete one. Stop ends it at once: a
// running tool is cancelled through the same signal.
import type { ChatRequest, Tool, Usage } from '../cohere/types';
import type { Logger } from './logger';
import type { ToolResultDocument, ToolStep, ToolStepCall, Turn } from './model';
import { addUsage, runTurn } from './runner';
import type { RunTurnInput } from './runner';
import { isStepComplete } from './toolMessages';

/** A tool call's outcome as the tools give it (src/tools' Toolbox fits this). */
export interface ToolCallOutcome {
    status: 'ok' | 'error';
    summary: string;
    documents: Omit<ToolResultDocument, 'id'>[];
    truncated?: boolean;
    change?: ToolStepCall['change'];
}

/** What the loop needs of the tools. */
export interface ToolRunner {
    definitions(): Tool[];
    /**
     * A turn goes on after Stop or a reload (Retry) with these steps kept: the runner learns what they
     * read and wrote, as if it had run them (edits of files read then are not refused as unread).
     */
    resume?(steps: readonly ToolStep[]): void;
    /** Never rejects for a failing tool (that is an error outcome); rejects only when `signal` aborted. */
    execute(
        call: { id: string; name: string; arguments: string },
        signal: AbortSignal,
    ): Promise<ToolCallOutcome>;
}

/** The tools of one turn and how many rounds it may make. */
export interface ToolSession {
    runner: ToolRunner;
    maxSteps: number;
}

export interface ToolLoopInput extends Omit<RunTurnInput, 'request' | 'append'> {
    tools: ToolSession;
    /** The request for the turn as it stands (its steps so far included). */
    buildRequest: () => ChatRequest;
    /** A step started, a call ran: tell the views and save. */
    changed: () => void;
}

/** Said when the model still calls tools on its last allowed step. */
export const STEP_LIMIT_MESSAGE =
    'The model was still calling tools when the step limit (cohere.tools.maxSteps) was reached.';

/** Runs the turn with tools. Never throws for a failure of the API or a tool: it is in the turn. */
export async function runToolLoop(input: ToolLoopInput): Promise<void> {
    const { turn, tools, log, signal } = input;
    // Resuming (Retry): the complete steps stay, an interrupted one is asked for again.
    const steps = (turn.steps ??= []);
    const firstIncomplete = steps.findIndex((step) => !isStepComplete(step));
    if (firstIncomplete !== -1) steps.splice(firstIncomplete);
    if (steps.length > 0) tools.runner.resume?.(steps);
    const definitions = tools.runner.definitions();
    let usage: Usage | undefined = steps.length > 0 ? turn.usage : undefined;
    for (;;) {
        const request: ChatRequest = { ...input.buildRequest(), tools: definitions };
        // The API refuses safety_mode together with tools.
        delete request.safety_mode;
        const last = steps.length >= tools.maxSteps;
        if (last) request.tool_choice = 'NONE';
        turn.reply = { content: [], citations: [] };
        delete turn.usage;
        await runTurn({ ...input, request, append: false });
        usage = addUsage(usage, turn.usage);
        if (usage !== undefined) turn.usage = usage;
        const calls = turn.reply.toolCalls ?? [];
        if (
            (turn.status as Turn['status']) !== 'complete' ||
            turn.finishReason !== 'TOOL_CALL' ||
            calls.length === 0
        ) {
            return;
        }
        if (last) {
            turn.status = 'failed';
            turn.error = { code: 'protocol', message: STEP_LIMIT_MESSAGE };
            return;
        }
        const step = stepOf(turn, steps.length);
        steps.push(step);
        turn.reply = { content: [], citations: [] };
        turn.status = 'streaming';
        delete turn.finishReason;
        delete turn.endedAt;
        input.changed();
        const stopped = await runCalls(step, tools.runner, signal, log, turn.id);
        input.changed();
        if (stopped) {
            turn.status = 'stopped';
            turn.endedAt = input.now();
            log.info(`Turn ${turn.id}: stopped during tool step ${steps.length}`);
            return;
        }
    }
}

/** The step of the reply just received: its plan (or thinking) and its calls, none run yet. */
function stepOf(turn: Turn, index: number): ToolStep {
    const reply = turn.reply;
    const step: ToolStep = {
        calls: (reply.toolCalls ?? []).map((call, position) => ({
            // An id is required to send the result back; the API always gives one.
            id: call.id ?? `call_${index}_${position}`,
            name: call.function?.name ?? '',
            arguments: call.function?.arguments ?? '',
            status: 'running',
        })),
    };
    if (reply.toolPlan) step.plan = reply.toolPlan;
    const thinking = reply.content.map((block) => (block.type === 'thinking' ? block.thinking : '')).join('');
    if (thinking !== '') step.thinking = thinking;
    return step;
}

/** Runs the step's calls one after another; true when Stop cut it short. */
async function runCalls(
    step: ToolStep,
    runner: ToolRunner,
    signal: AbortSignal,
    log: Logger,
    turnId: string,
): Promise<boolean> {
    for (const call of step.calls) {
        if (signal.aborted) {
            call.status = 'cancelled';
            continue;
        }
        try {
            const outcome = await runner.execute(
                { id: call.id, name: call.name, arguments: call.arguments },
                signal,
            );
            call.status = outcome.status === 'ok' ? 'done' : 'error';
            call.summary = outcome.summary;
            call.documents = outcome.documents.map((document, n) => ({ ...document, id: `${call.id}:${n}` }));
            if (outcome.truncated === true) call.truncated = true;
            if (outcome.change !== undefined) call.change = outcome.change;
        } catch (error) {
            if (signal.aborted) {
                call.status = 'cancelled';
                continue;
            }
            // A tool that throws: its error goes back to the model as the result.
            const message = error instanceof Error ? error.message : String(error);
            log.warn(`Turn ${turnId}: tool ${call.name} threw: ${message}`);
            call.status = 'error';
            call.summary = message;
            call.documents = [{ id: `${call.id}:0`, data: { error: message } }];
        }
    }
    return signal.aborted;
}
