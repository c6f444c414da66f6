// Checks a saved conversation where it is loaded. A file is data from disk that anything may have
// written (an older build, another tool, a damaged sync): the parts a view or a request relies on are
// checked with the same rules as the server's replies (../cohere/validate.ts), and a malformed part is
// dropped instead of being shown, sent again or saved back. The store reports what was dropped.
import { checkCitation, checkUsage, isRecord, show } from '../cohere/validate';
import type { ReportProblem } from '../cohere/validate';
import type { Citation, ToolCall } from '../cohere/types';
import type { Attachment, Conversation, Reply, Turn, TurnError } from './model';

/**
 * The conversation with every malformed citation, tool call, attachment, usage, error and finish reason
 * of its turns dropped (in place: it was just parsed, nobody else holds it). `report` is called once,
 * with everything dropped, when anything was. The caller has checked the outline already (schema
 * version, ids, turns with a prompt, a request and text blocks).
 */
export function repairConversation(
    conversation: Conversation,
    report: (dropped: string) => void,
): Conversation {
    const dropped: string[] = [];
    conversation.turns.forEach((turn, index) =>
        repairTurn(turn, (problem) => dropped.push(`turn ${index}: ${problem}`)),
    );
    if (conversation.systemPrompt !== undefined && typeof conversation.systemPrompt !== 'string') {
        dropped.push(`a system prompt that is not a string (${show(conversation.systemPrompt)})`);
        delete conversation.systemPrompt;
    }
    if (dropped.length > 0) report(dropped.join('; '));
    return conversation;
}

function repairTurn(turn: Turn, report: ReportProblem): void {
    repairReply(turn.reply, report);
    const record = turn as unknown as Record<string, unknown>;
    if (record['usage'] !== undefined) {
        const usage = checkUsage(record['usage']);
        if (usage === undefined) {
            report(`usage that is not an object (${show(record['usage'])})`);
            delete turn.usage;
        } else {
            turn.usage = usage;
        }
    }
    if (record['finishReason'] !== undefined && typeof record['finishReason'] !== 'string') {
        report(`a finish reason that is not a string (${show(record['finishReason'])})`);
        delete turn.finishReason;
    }
    if (record['error'] !== undefined) {
        const error = checkTurnError(record['error']);
        if (error === undefined) {
            report(`an error of no known shape (${show(record['error'])})`);
            delete turn.error;
        } else {
            turn.error = error;
        }
    }
    if (record['attachments'] !== undefined) {
        const attachments = Array.isArray(record['attachments']) ? (record['attachments'] as unknown[]) : [];
        const kept = attachments.filter((item): item is Attachment => {
            const ok = isAttachment(item);
            if (!ok) report(`an attachment of no known shape (${show(item)})`);
            return ok;
        });
        if (!Array.isArray(record['attachments'])) report(`attachments that are not an array`);
        if (kept.length > 0) turn.attachments = kept;
        else delete turn.attachments;
    }
    for (const key of ['endedAt', 'attempts'] as const) {
        if (record[key] !== undefined && !Number.isFinite(record[key])) {
            report(`a ${key} that is not a number (${show(record[key])})`);
            delete turn[key];
        }
    }
}

/** Citations are checked against the reply's own blocks: in a saved reply `content_index` is a block of it. */
function repairReply(reply: Reply, report: ReportProblem): void {
    const record = reply as unknown as Record<string, unknown>;
    if (record['toolPlan'] !== undefined && typeof record['toolPlan'] !== 'string') {
        report(`a tool plan that is not a string (${show(record['toolPlan'])})`);
        delete reply.toolPlan;
    }
    const lengthOf = (index: number | undefined, type: string | undefined): number | undefined => {
        if (type === 'PLAN') return reply.toolPlan?.length;
        const kind = type === 'THINKING_CONTENT' ? 'thinking' : 'text';
        const block =
            index === undefined
                ? reply.content.find((candidate) => candidate.type === kind)
                : reply.content[index];
        if (block === undefined) return undefined;
        return block.type === 'text' ? block.text.length : block.thinking.length;
    };
    const citations: Citation[] = [];
    for (const item of reply.citations as unknown[]) {
        const checked = checkCitation(item, lengthOf);
        if (typeof checked === 'string') report(checked);
        else citations.push(checked);
    }
    reply.citations = citations;
    if (record['toolCalls'] !== undefined) {
        const calls = Array.isArray(record['toolCalls']) ? (record['toolCalls'] as unknown[]) : [];
        const kept = calls.filter((call): call is ToolCall => {
            const ok = isToolCall(call);
            if (!ok) report(`a tool call of no known shape (${show(call)})`);
            return ok;
        });
        if (!Array.isArray(record['toolCalls'])) report('tool calls that are not an array');
        if (kept.length > 0) reply.toolCalls = kept;
        else delete reply.toolCalls;
    }
    if (record['id'] !== undefined && typeof record['id'] !== 'string') {
        report(`a reply id that is not a string (${show(record['id'])})`);
        delete reply.id;
    }
}

function checkTurnError(value: unknown): TurnError | undefined {
    if (!isRecord(value) || typeof value['code'] !== 'string' || typeof value['message'] !== 'string')
        return undefined;
    // The code stays as saved even when this version does not know it: the view shows such a code as unknown.
    const error: TurnError = { code: value['code'] as TurnError['code'], message: value['message'] };
    if (Number.isInteger(value['status'])) error.status = value['status'] as number;
    if (Number.isFinite(value['retryAfterMs'])) error.retryAfterMs = value['retryAfterMs'] as number;
    if (typeof value['errorType'] === 'string') error.errorType = value['errorType'];
    return error;
}

function isAttachment(value: unknown): boolean {
    if (!isRecord(value)) return false;
    const { id, title, text, uri, startLine, endLine, languageId, image } = value;
    const line = (n: unknown): boolean => n === undefined || (Number.isInteger(n) && (n as number) >= 1);
    return (
        (image === undefined || isAttachedImage(image)) &&
        typeof id === 'string' &&
        typeof title === 'string' &&
        typeof text === 'string' &&
        (uri === undefined || typeof uri === 'string') &&
        (languageId === undefined || typeof languageId === 'string') &&
        line(startLine) &&
        line(endLine)
    );
}

/** An image goes back to the API as it is: only a data URI of a real size is kept. */
function isAttachedImage(value: unknown): boolean {
    if (!isRecord(value)) return false;
    const { url, width, height, thumbnail } = value;
    const size = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 1;
    return (
        typeof url === 'string' &&
        url.startsWith('data:image/') &&
        size(width) &&
        size(height) &&
        (thumbnail === undefined || (typeof thumbnail === 'string' && thumbnail.startsWith('data:image/')))
    );
}

function isToolCall(value: unknown): boolean {
    if (!isRecord(value)) return false;
    const fn = value['function'];
    if (value['id'] !== undefined && typeof value['id'] !== 'string') return false;
    if (fn === undefined) return true;
    return (
        isRecord(fn) &&
        (fn['name'] === undefined || typeof fn['name'] === 'string') &&
        (fn['arguments'] === undefined || typeof fn['arguments'] === 'string')
    );
}
