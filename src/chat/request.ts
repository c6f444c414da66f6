// Builds the V2 chat request for one turn from the conversation and the settings in force.
import type { ChatSettings } from '../config';
import type { ChatMessage, ChatRequest, Document, ImageUrlContent, TextContent } from '../cohere/types';
import { documentData } from '../context/documents';
import type { Attachment, Conversation, Reply, Turn, TurnRequest } from './model';
import { stepMessages } from './toolMessages';

/**
 * Sent after a reply cut by MAX_TOKENS, behind the partial reply. A conversation that ends with a
 * user message is always valid for the API (one ending with an assistant message is not
 * documented to work), and the answer is appended to the same reply, so the person sees one reply.
 */
export const CONTINUE_PROMPT =
    'Continue exactly where you stopped. Do not repeat anything you already wrote and do not add any preamble.';

export interface BuildRequestOptions {
    /** The turn being sent: turns before it are the history, turns after it are not sent. */
    turnIndex: number;
    /** Continue the turn's partial reply instead of answering its prompt afresh. */
    continuing?: boolean;
    /**
     * Whether the model takes images (default true). When it does not, the images of earlier turns are
     * left out of their messages (the server would refuse the request; the composer says so), and a new
     * turn has none: its image chips were refused before sending.
     */
    imageInput?: boolean;
}

/**
 * The request for `conversation.turns[turnIndex]`: the system prompt, then earlier turns that have a
 * reply (a stopped reply is sent as far as it got; a turn with no reply text is left out, so its
 * prompt does not stand unanswered), then this turn's prompt. Attachments of every sent turn go to
 * the top-level `documents`. Unset settings are left out, so the model's defaults apply.
 */
export function buildChatRequest(
    conversation: Conversation,
    settings: ChatSettings,
    options: BuildRequestOptions,
): ChatRequest {
    const target = conversation.turns[options.turnIndex];
    if (target === undefined) throw new RangeError(`no turn at index ${options.turnIndex}`);
    const messages: ChatMessage[] = [];
    if (settings.systemPrompt !== undefined)
        messages.push({ role: 'system', content: settings.systemPrompt });
    const sentTurns: Turn[] = [];
    for (const turn of conversation.turns.slice(0, options.turnIndex)) {
        const answer = replyText(turn.reply);
        if (answer.trim() === '') continue;
        messages.push(userMessage(turn, options.imageInput ?? true), ...stepMessages(turn), {
            role: 'assistant',
            content: answer,
        });
        sentTurns.push(turn);
    }
    messages.push(userMessage(target, options.imageInput ?? true));
    // The tool rounds this turn has made so far (a loop under way, or one resumed by Retry).
    if (options.continuing !== true) messages.push(...stepMessages(target));
    sentTurns.push(target);
    if (options.continuing === true) {
        const partial = replyText(target.reply);
        if (partial !== '') messages.push({ role: 'assistant', content: partial });
        messages.push({ role: 'user', content: CONTINUE_PROMPT });
    }

    const request: ChatRequest = { model: settings.model, messages };
    const documents = documentsOf(sentTurns, target);
    if (documents.length > 0) request.documents = documents;
    if (settings.temperature !== undefined) request.temperature = settings.temperature;
    if (settings.maxTokens !== undefined) request.max_tokens = settings.maxTokens;
    if (settings.stopSequences.length > 0) request.stop_sequences = [...settings.stopSequences];
    if (settings.frequencyPenalty !== undefined) request.frequency_penalty = settings.frequencyPenalty;
    if (settings.presencePenalty !== undefined) request.presence_penalty = settings.presencePenalty;
    // The API refuses safety_mode together with documents; the attachment matters more.
    if (settings.safetyMode !== undefined && documents.length === 0)
        request.safety_mode = settings.safetyMode;
    const thinking = thinkingOf(settings);
    if (thinking !== undefined) {
        request.thinking = { type: thinking.type };
        if (thinking.tokenBudget !== undefined) request.thinking.token_budget = thinking.tokenBudget;
    }
    if (settings.citationMode !== undefined) request.citation_options = { mode: settings.citationMode };
    return request;
}

/** The parameters recorded on a turn, so a reload shows what it was sent with. */
export function turnRequestOf(settings: ChatSettings): TurnRequest {
    const recorded: TurnRequest = { model: settings.model, stream: settings.stream };
    if (settings.temperature !== undefined) recorded.temperature = settings.temperature;
    if (settings.maxTokens !== undefined) recorded.maxTokens = settings.maxTokens;
    if (settings.stopSequences.length > 0) recorded.stopSequences = [...settings.stopSequences];
    if (settings.frequencyPenalty !== undefined) recorded.frequencyPenalty = settings.frequencyPenalty;
    if (settings.presencePenalty !== undefined) recorded.presencePenalty = settings.presencePenalty;
    if (settings.safetyMode !== undefined) recorded.safetyMode = settings.safetyMode;
    const thinking = thinkingOf(settings);
    if (thinking !== undefined) recorded.thinking = thinking;
    return recorded;
}

/** The reply's text blocks joined: what is sent back as the assistant's message. */
export function replyText(reply: Reply): string {
    let text = '';
    for (const block of reply.content) if (block.type === 'text') text += block.text;
    return text;
}

function thinkingOf(settings: ChatSettings): TurnRequest['thinking'] {
    if (settings.thinking === 'off') return { type: 'disabled' };
    if (settings.thinking !== 'on') return undefined;
    return settings.thinkingTokenBudget === undefined
        ? { type: 'enabled' }
        : { type: 'enabled', tokenBudget: settings.thinkingTokenBudget };
}

/** A turn's prompt as its user message: plain text, or text then its images as `image_url` parts. */
function userMessage(turn: Turn, imageInput: boolean): ChatMessage {
    const images = imageInput ? (turn.attachments ?? []).filter((attachment) => attachment.image) : [];
    if (images.length === 0) return { role: 'user', content: turn.prompt };
    const content: (TextContent | ImageUrlContent)[] = [{ type: 'text', text: turn.prompt }];
    for (const attachment of images) {
        // `auto`: the server picks low or high detail from the size (the docs' default, said explicitly).
        if (attachment.image !== undefined)
            content.push({ type: 'image_url', image_url: { url: attachment.image.url, detail: 'auto' } });
    }
    return { role: 'user', content };
}

function documentsOf(turns: readonly Turn[], target: Turn): Document[] {
    const documents: Document[] = [];
    const seen = new Set<string>();
    for (const turn of turns) {
        for (const attachment of turn.attachments ?? []) {
            // Images travel in their message's content, not as documents.
            if (attachment.image !== undefined) continue;
            // A document the person removed from the conversation is still sent with its own turn.
            if (attachment.retired === true && turn !== target) continue;
            // The API rejects duplicate document ids; the first one sent wins.
            if (seen.has(attachment.id)) continue;
            seen.add(attachment.id);
            documents.push({ id: attachment.id, data: documentData(attachment) });
        }
    }
    return documents;
}

/**
 * The documents a new message of this conversation would carry from earlier turns (those whose reply
 * is sent back as history, minus the ones the person removed), first of each id: what the composer shows.
 */
export function carriedAttachments(conversation: Pick<Conversation, 'turns'>): Attachment[] {
    const carried: Attachment[] = [];
    const seen = new Set<string>();
    for (const turn of conversation.turns) {
        if (replyText(turn.reply).trim() === '') continue;
        for (const attachment of turn.attachments ?? []) {
            // An image stays with its own message (sent again as part of it), it is not a carried document.
            if (attachment.image !== undefined) continue;
            if (attachment.retired === true || seen.has(attachment.id)) continue;
            seen.add(attachment.id);
            carried.push(attachment);
        }
    }
    return carried;
}

/** Whether an earlier turn of the conversation sent images (they are left out for a model without vision). */
export function hasEarlierImages(conversation: Pick<Conversation, 'turns'>): boolean {
    return conversation.turns.some((turn) => (turn.attachments ?? []).some((attachment) => attachment.image));
}

/** Settings that a request with documents leaves out (the API refuses them together), to be said, not hidden. */
export function settingsNotSentWithDocuments(settings: Pick<ChatSettings, 'safetyMode'>): string[] {
    return settings.safetyMode === undefined ? [] : [`cohere.safetyMode (${settings.safetyMode})`];
}
