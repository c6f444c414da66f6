// What `@cohere` sends and shows, on plain shapes (tested in plain Node): the prompt, the conversation's
// earlier turns and the request's references (files, selections, locations) as Cohere documents — files cut
// into line ranges, so a citation points at the lines it draws on — and the usage line under a reply.
import type { ChatMessage, ChatRequest, Citation, Document, FinishReason, Usage } from '../cohere/types';

/** A piece of the person's code sent as a document: the file and the 1-based, inclusive lines it covers. */
export interface CodeDocument {
    readonly id: string;
    /** `src/app.ts:12-30`: shown as the anchor's title and sent as the document's title. */
    readonly title: string;
    readonly text: string;
    readonly uri: string;
    readonly startLine: number;
    readonly endLine: number;
    /** The length of the last line, so an anchor's range ends where the code does. */
    readonly endCharacter: number;
}

/** One earlier turn of this participant's conversation. */
export interface HistoryTurn {
    readonly role: 'user' | 'assistant';
    readonly text: string;
}

/** The participant's commands. */
export type ParticipantCommand = 'explain' | 'ask' | undefined;

/** How many lines one document holds at most: small enough that a citation names the lines it used. */
export const LINES_PER_DOCUMENT = 40;
/** The most characters of code sent with one request (about 25k tokens), so a large file cannot crowd out the reply. */
export const MAX_DOCUMENT_CHARS = 100_000;

/**
 * A file's text (or a selection's, starting at `firstLine`) as documents of at most LINES_PER_DOCUMENT lines;
 * `idPrefix` keeps ids unique across references.
 */
export function codeDocuments(
    idPrefix: string,
    relativePath: string,
    uri: string,
    text: string,
    firstLine = 1,
): CodeDocument[] {
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const documents: CodeDocument[] = [];
    for (let offset = 0; offset < lines.length; offset += LINES_PER_DOCUMENT) {
        const chunk = lines.slice(offset, offset + LINES_PER_DOCUMENT);
        const startLine = firstLine + offset;
        const endLine = startLine + chunk.length - 1;
        documents.push({
            id: `${idPrefix}:${startLine}`,
            title:
                startLine === endLine
                    ? `${relativePath}:${startLine}`
                    : `${relativePath}:${startLine}-${endLine}`,
            text: chunk.join('\n'),
            uri,
            startLine,
            endLine,
            endCharacter: chunk[chunk.length - 1]?.length ?? 0,
        });
    }
    return documents;
}

/** The documents within the character budget, in the order given (the person's explicit references first). */
export function withinBudget(
    documents: readonly CodeDocument[],
    maxChars = MAX_DOCUMENT_CHARS,
): CodeDocument[] {
    const kept: CodeDocument[] = [];
    let used = 0;
    for (const document of documents) {
        if (used + document.text.length > maxChars) break;
        used += document.text.length;
        kept.push(document);
    }
    return kept;
}

/** What each command asks of the model, as a system message. */
const COMMAND_INSTRUCTIONS: Readonly<Record<NonNullable<ParticipantCommand>, string>> = {
    explain:
        'Explain the code in the documents to a developer: what it does, how, and anything surprising. ' +
        'Refer to it by file and line.',
    ask:
        'Answer only from the documents (the code the developer referenced). If they do not hold the ' +
        'answer, say so.',
};

/** The Cohere request for one `@cohere` turn. */
export function participantRequest(options: {
    model: string;
    prompt: string;
    command: ParticipantCommand;
    history: readonly HistoryTurn[];
    documents: readonly CodeDocument[];
    systemPrompt?: string | undefined;
}): ChatRequest {
    const messages: ChatMessage[] = [];
    const system = [options.systemPrompt?.trim(), options.command && COMMAND_INSTRUCTIONS[options.command]]
        .filter((text): text is string => !!text)
        .join('\n\n');
    if (system !== '') messages.push({ role: 'system', content: system });
    for (const turn of options.history) {
        if (turn.text.trim() === '') continue;
        messages.push({ role: turn.role, content: turn.text });
    }
    const prompt = options.prompt.trim() || (options.command === 'explain' ? 'Explain this code.' : '');
    messages.push({ role: 'user', content: prompt });
    const request: ChatRequest = { model: options.model, messages };
    if (options.documents.length > 0) {
        request.documents = options.documents.map((document): Document => ({
            id: document.id,
            data: { title: document.title, snippet: document.text },
        }));
        // Citations as each cited span completes, so an anchor can follow the words it belongs to.
        request.citation_options = { mode: 'FAST' };
    }
    return request;
}

/** The code documents a citation draws on, each once. */
export function citedCode(citation: Citation, documents: ReadonlyMap<string, CodeDocument>): CodeDocument[] {
    const found: CodeDocument[] = [];
    for (const source of citation.sources ?? []) {
        const document =
            source.type === 'document' && source.id !== undefined ? documents.get(source.id) : undefined;
        // A document without a file (a reference that was only text) has no place to point at.
        if (document && document.uri !== '' && !found.includes(document)) found.push(document);
    }
    return found;
}

/** Words for the usage line, localised by the caller. */
export type Localize = (message: string, ...args: (string | number)[]) => string;

/** The line under a reply: tokens in and out, and why it stopped. */
export function usageLine(
    usage: Usage | undefined,
    finishReason: FinishReason | undefined,
    t: Localize,
): string {
    const input = usage?.tokens?.input_tokens ?? usage?.billed_units?.input_tokens;
    const output = usage?.tokens?.output_tokens ?? usage?.billed_units?.output_tokens;
    const parts: string[] = [];
    if (input !== undefined && output !== undefined) parts.push(t('{0} tokens in, {1} out', input, output));
    if (finishReason !== undefined) parts.push(t('finish: {0}', finishReason));
    return parts.join(' · ');
}
