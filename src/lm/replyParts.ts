// Cohere's stream events turned into what a language-model provider reports: text as it arrives, and each
// tool call once its argument string is complete (VS Code's LanguageModelToolCallPart takes an object, so
// fragments are joined and parsed at tool-call-end). Plain shapes: tested in plain Node.
import type { ChatStreamEvent, FinishReason, Usage } from '../cohere/types';

/** What the provider reports for an event. */
export type ReplyPart =
    | { readonly kind: 'text'; readonly value: string }
    | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: object };

interface PendingCall {
    id: string;
    name: string;
    arguments: string;
}

/** Turns the events of one streamed reply into parts; remembers the finish reason and usage. */
export class ReplyPartMapper {
    private readonly calls = new Map<number, PendingCall>();
    private callCount = 0;
    finishReason: FinishReason | undefined;
    usage: Usage | undefined;
    /** The generation's own error, when the stream ended with one. */
    error: string | undefined;

    /** The parts an event adds (none for most events). */
    map(event: ChatStreamEvent): ReplyPart[] {
        switch (event.type) {
            case 'content-start':
            case 'content-delta': {
                // Thinking is left out: VS Code shows it only through a proposed API.
                const text = event.delta?.message?.content?.text;
                return text ? [{ kind: 'text', value: text }] : [];
            }
            case 'tool-plan-delta': {
                // What the model says before its tool calls: VS Code shows it as text, and sends it back with
                // the calls, where it becomes the tool plan again.
                const plan = event.delta?.message?.tool_plan;
                return plan ? [{ kind: 'text', value: plan }] : [];
            }
            case 'tool-call-start': {
                const call = event.delta?.message?.tool_calls;
                const index = event.index ?? this.callCount;
                this.callCount++;
                this.calls.set(index, {
                    id: call?.id ?? `call_${index}`,
                    name: call?.function?.name ?? '',
                    arguments: call?.function?.arguments ?? '',
                });
                return [];
            }
            case 'tool-call-delta': {
                const fragment = event.delta?.message?.tool_calls?.function?.arguments ?? '';
                const call = this.calls.get(event.index ?? this.callCount - 1);
                if (call) call.arguments += fragment;
                return [];
            }
            case 'tool-call-end': {
                const index = event.index ?? this.callCount - 1;
                const call = this.calls.get(index);
                this.calls.delete(index);
                return call
                    ? [{ kind: 'toolCall', callId: call.id, name: call.name, input: parseArguments(call) }]
                    : [];
            }
            case 'message-end':
                this.finishReason = event.delta?.finish_reason;
                this.usage = event.delta?.usage;
                this.error = event.delta?.error;
                return [];
            case 'message-start':
            case 'content-end':
            case 'citation-start':
            case 'citation-end':
            case 'debug':
                return [];
        }
    }
}

/** A call's complete argument string as the object VS Code passes to the tool; bad JSON is an error. */
function parseArguments(call: PendingCall): object {
    const text = call.arguments.trim() === '' ? '{}' : call.arguments;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new Error(
            `The model called ${call.name} with arguments that are not JSON: ${text.slice(0, 200)}`,
        );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error(
            `The model called ${call.name} with arguments that are not an object: ${text.slice(0, 200)}`,
        );
    }
    return parsed;
}
