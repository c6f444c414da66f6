// A turn's tool steps as the API takes them back: for each step the assistant message with its
// tool_calls (and its tool_plan, or a reasoning model's thinking, never text content: the API
// rejects text beside tool calls), then one `tool` message per call whose content is the documents.
import type { AssistantMessage, ChatMessage, ToolMessage } from '../cohere/types';
import type { ToolStep, ToolStepCall, Turn } from './model';

/** Whether every call of the step has a result that can be sent back. */
export function isStepComplete(step: ToolStep): boolean {
    return (
        step.calls.length > 0 && step.calls.every((call) => call.status === 'done' || call.status === 'error')
    );
}

/** The messages of the turn's complete steps, in order; the first incomplete step and those after it are left out. */
export function stepMessages(turn: Turn): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const step of turn.steps ?? []) {
        if (!isStepComplete(step)) break;
        const assistant: AssistantMessage = {
            role: 'assistant',
            tool_calls: step.calls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
            })),
        };
        if (step.thinking !== undefined && step.thinking !== '') {
            assistant.content = [{ type: 'thinking', thinking: step.thinking }];
        } else if (step.plan !== undefined && step.plan !== '') {
            assistant.tool_plan = step.plan;
        }
        messages.push(assistant, ...step.calls.map(toolMessageOf));
    }
    return messages;
}

function toolMessageOf(call: ToolStepCall): ToolMessage {
    const documents = call.documents ?? [];
    return {
        role: 'tool',
        tool_call_id: call.id,
        content:
            documents.length === 0
                ? [
                      {
                          type: 'document',
                          document: { id: `${call.id}:0`, data: { result: call.summary ?? '' } },
                      },
                  ]
                : documents.map((document) => ({
                      type: 'document',
                      document: { id: document.id, data: document.data },
                  })),
    };
}
