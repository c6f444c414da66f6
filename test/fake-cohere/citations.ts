// RAG replies: a text that quotes the documents (or tool results) and citations on exact spans of it.
// Spans fall inside **bold**, a list item, a [link](https://example.com) and plain text, so a
// renderer has to draw citations across markdown.
import type {
    ChatMessage,
    Citation,
    Document,
    DocumentSource,
    Source,
    ToolSource,
} from '../../src/cohere/types';
import { isRecord } from './spec';

/** A reply text and its citations (content index 0). */
export interface CitedText {
    text: string;
    citations: Citation[];
}

/** Documents to quote when a RAG scenario is asked for without any. */
const FALLBACK_DOCUMENTS: Document[] = [
    {
        id: 'doc:0',
        data: { title: 'Emperor penguins', snippet: 'Emperor penguins are the tallest penguins.' },
    },
    {
        id: 'doc:1',
        data: { title: 'Penguin habitats', snippet: 'Emperor penguins only live in Antarctica.' },
    },
];

const PHRASE_WORDS = 8;

/** Appends text and remembers the UTF-16 offsets of cited spans. */
class CitingWriter {
    text = '';
    readonly citations: Citation[] = [];

    add(text: string): this {
        this.text += text;
        return this;
    }

    cite(span: string, sources: Source[]): this {
        const start = this.text.length;
        this.text += span;
        this.citations.push({
            start,
            end: this.text.length,
            text: span,
            sources,
            content_index: 0,
            type: 'TEXT_CONTENT',
        });
        return this;
    }
}

interface QuotableSource {
    source: Source;
    /** Texts to quote from, best first (title, snippet, text, other string fields). */
    quotes: string[];
    used: number;
}

/** A RAG answer over the request's documents: five citations, one of them with every source. */
export function citeDocuments(documents: readonly Document[] | undefined, userWords: string): CitedText {
    const list = documents !== undefined && documents.length > 0 ? documents : FALLBACK_DOCUMENTS;
    return composeAnswer(list.map(documentSource), userWords);
}

function documentSource(document: Document, index: number): QuotableSource {
    if (typeof document === 'string') {
        const id = `doc:${index}`;
        const source: DocumentSource = { type: 'document', id, document: { id, snippet: document } };
        return { source, quotes: [document], used: 0 };
    }
    const data = isRecord(document.data) ? document.data : {};
    const id = typeof document.id === 'string' && document.id !== '' ? document.id : `doc:${index}`;
    const source: DocumentSource = { type: 'document', id, document: { id, ...data } };
    return { source, quotes: quotesOf(data), used: 0 };
}

function quotesOf(data: Record<string, unknown>): string[] {
    const preferred = ['title', 'snippet', 'text'].map((key) => data[key]);
    const others = Object.entries(data)
        .filter(([key]) => !['title', 'snippet', 'text', 'id'].includes(key))
        .map(([, value]) => value);
    return [...preferred, ...others].filter(
        (value): value is string => typeof value === 'string' && phraseOf(value) !== '',
    );
}

/** The tool results sent after the last assistant turn (the model has not answered them yet). */
export function pendingToolResults(messages: readonly ChatMessage[]): ChatMessage[] {
    const results: ChatMessage[] = [];
    for (let i = messages.length - 1; i >= 0; i--) {
        const message = messages[i];
        if (message?.role !== 'tool') break;
        results.unshift(message);
    }
    return results;
}

/** The answer after tool results: it quotes and cites each tool output. */
export function citeToolResults(results: readonly ChatMessage[]): CitedText {
    const sources: QuotableSource[] = results.map((message) => {
        const callId = message.role === 'tool' ? message.tool_call_id : 'tool';
        const output = toolOutput(message.content);
        const source: ToolSource = { type: 'tool', id: `${callId}:0`, tool_output: output };
        return { source, quotes: flatStrings(output), used: 0 };
    });
    const writer = new CitingWriter().add('Here is what the tools returned: ');
    sources.forEach((entry, index) => {
        if (index > 0) writer.add(index === sources.length - 1 ? ' and ' : ', ');
        writer.cite(nextPhrase(entry, 'the result'), [entry.source]);
    });
    writer.add('. That answers the question.');
    return writer;
}

function toolOutput(content: ChatMessage['content'] | undefined): Record<string, unknown> {
    if (typeof content === 'string') {
        try {
            const parsed: unknown = JSON.parse(content);
            return isRecord(parsed) ? parsed : { result: parsed };
        } catch {
            return { text: content };
        }
    }
    const output: Record<string, unknown> = {};
    for (const block of Array.isArray(content) ? (content as unknown[]) : []) {
        if (!isRecord(block)) continue;
        if (block['type'] === 'text') output['text'] = block['text'];
        if (block['type'] === 'document' && isRecord(block['document']))
            Object.assign(output, block['document']['data']);
    }
    return output;
}

function flatStrings(value: unknown): string[] {
    if (typeof value === 'string') return phraseOf(value) === '' ? [] : [value];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (Array.isArray(value)) return value.flatMap(flatStrings);
    if (isRecord(value)) return Object.values(value).flatMap(flatStrings);
    return [];
}

function composeAnswer(sources: QuotableSource[], userWords: string): CitedText {
    const pick = (n: number): QuotableSource => sources[n % sources.length]!;
    const about = phraseOf(userWords).slice(0, 60) || 'your question';
    const writer = new CitingWriter().add(`Here is what the documents say about “${about}” 📚\n\n`);
    const bold = pick(0);
    writer
        .add('**')
        .cite(nextPhrase(bold, 'the first source'), [bold.source])
        .add('** — that is the first point.\n\n');
    const listed = pick(1);
    writer.add('- ').cite(nextPhrase(listed, 'the second source'), [listed.source]).add('\n');
    writer.add('- a second item that no source backs\n\n');
    const linked = pick(2);
    writer.add('Read more in [').cite(nextPhrase(linked, 'the third source'), [linked.source]);
    writer.add('](https://example.com). In short, ');
    const plain = pick(3);
    writer.cite(nextPhrase(plain, 'the last source'), [plain.source]).add(', and ');
    writer
        .cite(
            'all the sources agree',
            sources.map((entry) => entry.source),
        )
        .add('.');
    return writer;
}

function nextPhrase(entry: QuotableSource, fallback: string): string {
    if (entry.quotes.length === 0) return fallback;
    const phrase = phraseOf(entry.quotes[entry.used % entry.quotes.length]!);
    entry.used++;
    return phrase || fallback;
}

/**
 * The first words of a text, without the characters that would break the markdown around a
 * span (emphasis, brackets, code ticks, headings), on one line.
 */
export function phraseOf(text: string): string {
    const words = text
        .replace(/[*_[\]()`#<>|\\~]/g, ' ')
        .split(/\s+/)
        .filter((word) => word !== '');
    // A leading list marker or number followed by a dot would turn the line into a list.
    while (words.length > 0 && /^([-+=]+|\d+[.)])$/.test(words[0]!)) words.shift();
    return words.slice(0, PHRASE_WORDS).join(' ');
}
