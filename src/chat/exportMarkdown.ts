// A conversation as a Markdown document: prompts, replies with their citations as footnotes
// (the marker right after each cited span), usage per reply and any finish reason worth knowing.
import { findInText } from '../context/citationLines';
import type { Citation, Source, Usage } from '../cohere/types';
import { markdownAtoms, outsideAtoms } from './markdownAtoms';
import type { Conversation, Turn } from './model';

// Footnote text longer than this is cut: a source snippet can be a whole file.
const MAX_SNIPPET = 200;

/** Renders the whole conversation. Footnote numbers run through the document, as Markdown requires. */
export function conversationToMarkdown(conversation: Conversation): string {
    const parts: string[] = [`# ${oneLine(conversation.title) || 'Chat'}`];
    if (conversation.systemPrompt !== undefined && conversation.systemPrompt.trim() !== '') {
        parts.push(`> **System prompt:** ${oneLine(conversation.systemPrompt)}`);
    }
    const footnotes: Footnotes = { next: 1, byText: new Map() };
    for (const turn of conversation.turns) parts.push(...turnToMarkdown(turn, footnotes));
    return parts.join('\n\n') + '\n';
}

/** Footnote numbers run through the document; identical sources share one footnote, defined once. */
interface Footnotes {
    next: number;
    readonly byText: Map<string, number>;
}

function turnToMarkdown(turn: Turn, footnotes: Footnotes): string[] {
    const parts: string[] = ['## You', turn.prompt];
    for (const attachment of turn.attachments ?? []) {
        parts.push(`> Attached: ${oneLine(attachment.title)}`);
    }
    parts.push(`## Cohere (${turn.request.model})`);
    const definitions: string[] = [];
    // A citation without a content index cites the first text block (as the chat view draws it).
    const firstText = Math.max(
        0,
        turn.reply.content.findIndex((block) => block.type === 'text'),
    );
    turn.reply.content.forEach((block, index) => {
        if (block.type === 'thinking') {
            if (block.thinking.trim() !== '') parts.push(quote(`**Thinking**\n\n${block.thinking}`));
            return;
        }
        const cited = turn.reply.citations.filter(
            (citation) => (citation.content_index ?? firstText) === index,
        );
        const { text, notes } = withFootnotes(block.text, cited, footnotes);
        if (text.trim() !== '') parts.push(text);
        definitions.push(...notes);
    });
    const status = statusLine(turn);
    if (status !== undefined) parts.push(status);
    const usage = usageLine(turn.usage);
    if (usage !== undefined) parts.push(usage);
    if (definitions.length > 0) parts.push(definitions.join('\n'));
    return parts;
}

/**
 * Inserts `[^n]` after each cited span, from the end backwards so earlier offsets stay valid. A span that
 * ends inside a link's text, a URL or inline code gets its marker after that part (a marker inside a link's
 * text would read as part of the link; inside code or a URL, literally). Citations whose sources read the
 * same share one footnote: only a new one is defined.
 */
function withFootnotes(
    text: string,
    citations: readonly Citation[],
    footnotes: Footnotes,
): { text: string; notes: string[] } {
    const atoms = markdownAtoms(text);
    const placed = citations
        .map((citation) => ({ citation, end: outsideAtoms(atoms, spanEnd(text, citation)), number: 0 }))
        .sort((a, b) => a.end - b.end);
    const notes: string[] = [];
    for (const entry of placed) {
        const note = sourcesText(entry.citation.sources ?? [], entry.citation.text);
        const known = footnotes.byText.get(note);
        if (known !== undefined) {
            entry.number = known;
            continue;
        }
        entry.number = footnotes.next++;
        footnotes.byText.set(note, entry.number);
        notes.push(`[^${entry.number}]: ${note}`);
    }
    let result = text;
    for (let i = placed.length - 1; i >= 0; i--) {
        const entry = placed[i];
        if (entry === undefined) continue;
        // The same footnote twice at one place (two citations of one span) is written once.
        const next = placed[i + 1];
        if (next !== undefined && next.end === entry.end && next.number === entry.number) continue;
        result = `${result.slice(0, entry.end)}[^${entry.number}]${result.slice(entry.end)}`;
    }
    return { text: result, notes };
}

/** Where a citation's span ends in `text`; found by its words when the offsets do not match them. */
function spanEnd(text: string, citation: Citation): number {
    const { start, end, text: cited } = citation;
    if (start !== undefined && end !== undefined && end <= text.length && start <= end) {
        if (cited === undefined || text.slice(start, end) === cited) return end;
    }
    if (cited !== undefined && cited !== '') {
        const found = text.indexOf(cited);
        if (found !== -1) return found + cited.length;
    }
    return Math.min(end ?? text.length, text.length);
}

/**
 * The footnote's text: each source once, separated by `; ` — or by a space after one that ends a sentence,
 * so a snippet's full stop is never followed by another mark (`tall.; `).
 */
function sourcesText(sources: readonly Source[], citedText: string | undefined): string {
    if (sources.length === 0) return '(no source given)';
    const pieces = [...new Set(sources.map((source) => sourceText(source, citedText)))];
    return pieces.reduce((text, piece) => `${text}${/[.!?…;:,]$/.test(text) ? ' ' : '; '}${piece}`);
}

/** `path:11` for a code chunk titled `path:10-14` whose line 11 holds the cited words, else the title. */
function linesOf(title: string, snippet: string | undefined, citedText: string | undefined): string {
    const match = /^(.*):(\d+)(?:-(\d+))?$/.exec(title);
    if (match === null || snippet === undefined || citedText === undefined) return title;
    const startLine = Number(match[2]);
    const found = findInText(snippet, citedText);
    if (found === undefined) return title;
    const first = startLine + found.startLine - 1;
    const last = startLine + found.endLine - 1;
    return `${match[1]}:${first === last ? first : `${first}-${last}`}`;
}

function sourceText(source: Source, citedText: string | undefined): string {
    if (source.type === 'tool') return `Tool output ${source.id ?? ''}`.trim();
    const document = source.document ?? {};
    const title = stringField(document, 'title') ?? stringField(document, 'id') ?? source.id ?? 'Document';
    const snippet = stringField(document, 'snippet') ?? stringField(document, 'text');
    const url = stringField(document, 'url');
    let text = `**${oneLine(linesOf(title, snippet, citedText))}**`;
    if (url !== undefined) text += ` <${url}>`;
    if (snippet !== undefined && snippet.trim() !== '')
        text += ` — ${shorten(oneLine(snippet), MAX_SNIPPET)}`;
    return text;
}

function statusLine(turn: Turn): string | undefined {
    if (turn.status === 'failed') {
        const error = turn.error;
        return error === undefined
            ? '*The reply failed.*'
            : `*The reply failed (${error.code}): ${oneLine(error.message)}*`;
    }
    if (turn.status === 'stopped' || turn.status === 'streaming')
        return '*Stopped before the reply was complete.*';
    const reason = turn.finishReason;
    if (reason === undefined || reason === 'COMPLETE' || reason === 'STOP_SEQUENCE') return undefined;
    if (reason === 'MAX_TOKENS') return '*The reply was cut at the maximum number of tokens (MAX_TOKENS).*';
    return `*Finish reason: ${reason}.*`;
}

function usageLine(usage: Usage | undefined): string | undefined {
    if (usage === undefined) return undefined;
    const facts: string[] = [];
    const tokens = usage.tokens;
    if (tokens?.input_tokens !== undefined || tokens?.output_tokens !== undefined) {
        facts.push(`${tokens.input_tokens ?? 0} input + ${tokens.output_tokens ?? 0} output tokens`);
    }
    const billed = usage.billed_units;
    if (billed?.input_tokens !== undefined || billed?.output_tokens !== undefined) {
        facts.push(`billed ${billed.input_tokens ?? 0} input + ${billed.output_tokens ?? 0} output`);
    }
    if (usage.cached_tokens !== undefined) facts.push(`${usage.cached_tokens} cached`);
    return facts.length === 0 ? undefined : `*Usage: ${facts.join(' · ')}*`;
}

function quote(text: string): string {
    return text
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
    const value = record[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
}

function oneLine(text: string): string {
    return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
    const chars = Array.from(text);
    return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
