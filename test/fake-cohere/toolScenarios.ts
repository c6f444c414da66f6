// Scripted multi-step tool scenarios, shaped as the real API shapes them (tool plan or thinking, then
// tool_calls with JSON-string arguments in fragments; finish TOOL_CALL; the answer cites `<call id>:0`).
// Which step a request is at is read from the request itself: the tool rounds after the last user
// message, and what their results said. So the same conversation always gets the same replies.
//
//   tools-read       list_directory(dir) -> read_file x2 (files, else the first two files listed) -> answer citing both
//   tools-edit       read_file(file) -> edit_file(file, line 1 + " (edited)") -> answer saying what became of it
//   tools-bad-args   read_file with {"path": 42} -> (the error comes back) read_file(file) -> answer citing it
//   tools-reasoning  thinking + read_file(file), no tool_plan -> thinking + answer citing it
//   tools-command    run_command(command) -> a text quoting its result
//   tools-loop       read_file(file) again and again, never answering (for step limits and Stop)
//   tools-search     search_workspace(query) -> answer citing the passages found
//   tools-code-block no tool call: a reply with one fenced block of `code` for `file` (Apply on a code block)
import type { ChatMessage, Citation } from '../../src/cohere/types';
import { citeToolResults, pendingToolResults } from './citations';
import type { Reply, ReplyBlock, ReplyToolCall } from './reply';
import type { ScenarioInput } from './scenarios';
import { isRecord } from './spec';
import { fragment } from './tools';

import type { ToolScenario } from './toolScenarioNames';

/** What the builders borrow from scenarios.ts (passed in, so the two files do not import each other in a circle). */
export interface ReplyKit {
    textReply(input: ScenarioInput, blocks: ReplyBlock[], citations?: Citation[]): Reply;
    splitWords(text: string): string[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The reply of a tool scenario at the step the request is at. */
export function toolScenarioReply(name: ToolScenario, input: ScenarioInput, kit: ReplyKit): Reply {
    const rounds = toolRounds(input.request.messages);
    const file = input.spec.params.get('file') ?? 'README.md';
    const call = (tool: string, args: unknown, index = 0): ReplyToolCall => ({
        id: `${tool}_${callIdSuffix(input.digest, index)}`,
        name: tool,
        argumentPieces: fragment(typeof args === 'string' ? args : JSON.stringify(args)),
    });
    const calling = (plan: string | undefined, calls: ReplyToolCall[], thinking?: string): Reply => {
        const reply = kit.textReply(
            input,
            thinking === undefined ? [] : [{ type: 'thinking', pieces: kit.splitWords(thinking) }],
        );
        if (plan !== undefined) reply.toolPlanPieces = kit.splitWords(plan);
        reply.toolCalls = calls;
        reply.finishReason = 'TOOL_CALL';
        return reply;
    };
    const answer = (thinking?: string): Reply => {
        const cited = citeToolResults(pendingToolResults(input.request.messages));
        const blocks: ReplyBlock[] = [];
        if (thinking !== undefined) blocks.push({ type: 'thinking', pieces: kit.splitWords(thinking) });
        blocks.push({ type: 'text', pieces: kit.splitWords(cited.text) });
        const index = blocks.length - 1;
        return kit.textReply(
            input,
            blocks,
            cited.citations.map((citation) => ({ ...citation, content_index: index })),
        );
    };

    // tool_choice NONE (the last step a client allows): the model answers in text from what it has.
    if (input.request.tool_choice === 'NONE') return answer();
    switch (name) {
        case 'tools-read': {
            if (rounds.length === 0) {
                const dir = input.spec.params.get('dir') ?? '.';
                return calling(`I will list ${dir} first, then read the files that look relevant.`, [
                    call('list_directory', { path: dir }),
                ]);
            }
            if (rounds.length === 1) {
                const dir = input.spec.params.get('dir') ?? '.';
                const listed = input.spec.params.get('files')?.split(',') ?? filesListed(rounds[0]!, dir);
                const files = listed.slice(0, 2);
                if (files.length === 0) return answer();
                return calling(
                    `I will read ${files.join(' and ')}.`,
                    files.map((path, index) => call('read_file', { path }, index + 1)),
                );
            }
            return answer();
        }
        case 'tools-edit': {
            if (rounds.length === 0)
                return calling(`I will read ${file} before changing it.`, [
                    call('read_file', { path: file }),
                ]);
            if (rounds.length === 1) {
                const text = resultField(rounds[0]!, 'text') ?? '';
                const firstLine = text.split('\n')[0] ?? '';
                return calling(`I will change the first line of ${file}.`, [
                    call(
                        'edit_file',
                        {
                            path: file,
                            edits: [{ start_line: 1, end_line: 1, new_text: `${firstLine} (edited)` }],
                        },
                        1,
                    ),
                ]);
            }
            const result =
                resultField(rounds[rounds.length - 1]!, 'result') ??
                resultField(rounds[rounds.length - 1]!, 'error') ??
                'no result';
            return kit.textReply(input, [
                { type: 'text', pieces: kit.splitWords(`I proposed an edit to ${file}. ${result}`) },
            ]);
        }
        case 'tools-bad-args': {
            if (rounds.length === 0)
                return calling(`I will read ${file}.`, [call('read_file', '{"path": 42}')]);
            if (rounds.length === 1 && resultField(rounds[0]!, 'error') !== undefined) {
                return calling('The path must be a string; I will call it again.', [
                    call('read_file', { path: file }, 1),
                ]);
            }
            return answer();
        }
        case 'tools-reasoning': {
            if (rounds.length === 0) {
                return calling(
                    undefined,
                    [call('read_file', { path: file })],
                    `The person asks about ${file}. I should read it before answering.`,
                );
            }
            return answer(`I have read ${file}; now I can answer and cite it.`);
        }
        case 'tools-command': {
            const command = input.spec.params.get('command') ?? 'echo hello';
            if (rounds.length === 0)
                return calling(`I will run ${command}.`, [call('run_command', { command })]);
            const result =
                resultField(rounds[0]!, 'result') ?? resultField(rounds[0]!, 'error') ?? 'no result';
            return kit.textReply(input, [
                { type: 'text', pieces: kit.splitWords(`About ${command}: ${result}`) },
            ]);
        }
        case 'tools-search': {
            const query = input.spec.params.get('query') ?? 'main';
            if (rounds.length === 0)
                return calling(`I will search the workspace for ${query}.`, [
                    call('search_workspace', { query }),
                ]);
            return answer();
        }
        case 'tools-code-block': {
            const code = input.spec.params.get('code') ?? 'export const answer = 42;';
            const info = [input.spec.params.get('lang') ?? 'ts', input.spec.params.get('file') ?? '']
                .join(' ')
                .trim();
            const text = `Here is the change:\n\n\`\`\`${info}\n${code.replace(/\n$/, '')}\n\`\`\`\n`;
            return kit.textReply(input, [{ type: 'text', pieces: kit.splitWords(text) }]);
        }
        case 'tools-loop':
            return calling(`Round ${rounds.length + 1}: I will read ${file} again.`, [
                call('read_file', { path: file }, rounds.length),
            ]);
    }
}

interface Round {
    results: ChatMessage[];
}

/** The tool rounds after the last user message: each assistant turn with tool calls and the results after it. */
function toolRounds(messages: readonly ChatMessage[]): Round[] {
    let start = 0;
    messages.forEach((message, index) => {
        if (message.role === 'user') start = index + 1;
    });
    const rounds: Round[] = [];
    for (const message of messages.slice(start)) {
        if (message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0)
            rounds.push({ results: [] });
        else if (message.role === 'tool') rounds.at(-1)?.results.push(message);
    }
    return rounds;
}

/** A field of the first document of a round's first result. */
function resultField(round: Round, field: string): string | undefined {
    for (const result of round.results) {
        for (const data of documentsOf(result)) {
            const value = data[field];
            if (typeof value === 'string') return value;
        }
    }
    return undefined;
}

function documentsOf(message: ChatMessage): Record<string, unknown>[] {
    if (message.role !== 'tool') return [];
    if (typeof message.content === 'string') {
        try {
            const parsed: unknown = JSON.parse(message.content);
            return isRecord(parsed) ? [parsed] : [];
        } catch {
            return [{ text: message.content }];
        }
    }
    return message.content.flatMap((item) =>
        item.type === 'document' && isRecord(item.document.data) ? [item.document.data] : [],
    );
}

/** The files (not folders) a list_directory result named, as paths from the workspace root. */
function filesListed(round: Round, dir: string): string[] {
    const entries = resultField(round, 'entries') ?? '';
    const prefix = dir === '.' || dir === '' ? '' : `${dir.replace(/\/$/, '')}/`;
    return entries
        .split('\n')
        .filter((entry) => entry !== '' && !entry.endsWith('/') && !entry.includes(' '))
        .map((entry) => prefix + entry);
}

function callIdSuffix(digest: string, index: number): string {
    let suffix = '';
    for (let i = 0; i < 12; i++) {
        const byte = parseInt(digest.substr(((index * 12 + i) * 2) % 60, 2), 16);
        suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
    }
    return suffix;
}

/** The API's checks of tool messages: each answers a call of the assistant message before it. */
export function checkToolMessages(messages: readonly unknown[]): string | undefined {
    let calls: Set<string> | undefined;
    let answered = new Set<string>();
    for (const message of messages) {
        if (!isRecord(message)) continue;
        if (message['role'] === 'assistant') {
            const toolCalls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
            if (toolCalls.length > 0 && hasText(message['content'])) {
                return "text content is not allowed when tool_calls are provided. If you wish to pass a tool plan, either pass thinking content (with thinking enabled) or use 'tool_plan'";
            }
            calls = new Set(toolCalls.map((call) => (isRecord(call) ? String(call['id']) : '')));
            answered = new Set();
        } else if (message['role'] === 'tool') {
            const id = message['tool_call_id'];
            if (typeof id !== 'string' || calls === undefined || !calls.has(id))
                return 'tool call id not found in previous tool calls';
            if (answered.has(id)) return 'cannot have duplicate tool ids';
            answered.add(id);
        } else {
            calls = undefined;
        }
    }
    return undefined;
}

function hasText(content: unknown): boolean {
    if (typeof content === 'string') return content.trim() !== '';
    if (!Array.isArray(content)) return false;
    return content.some(
        (item) => isRecord(item) && item['type'] === 'text' && String(item['text'] ?? '').trim() !== '',
    );
}
