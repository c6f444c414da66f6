// What `npm run bench:webview` streams: a long mixed markdown reply cut into ~5-character deltas with
// citations arriving during the stream, single long blocks, and conversations of earlier turns. Everything
// is generated deterministically, so every contender and every round sees exactly the same text.
import type { Turn } from '../src/chat/model';
import type { Citation } from '../src/cohere/types';

/** Characters per delta: about one token. */
export const DELTA_CHARS = 5;

/** A reply as the host would stream it: the deltas, and citations due after a given delta. */
export interface StreamWorkload {
    readonly deltas: readonly string[];
    /** Citations, each to be delivered right after delta number `after`. */
    readonly citations: readonly { readonly after: number; readonly citation: Citation }[];
}

const LANGUAGES = ['typescript', 'python', 'rust', 'go', 'json', 'bash'];
const WORDS =
    'the model streams tokens while the view renders only what changed since the last frame so that a long answer costs no more per token than a short one'.split(
        ' ',
    );

function sentence(seed: number, words: number): string {
    const picked: string[] = [];
    for (let i = 0; i < words; i++) picked.push(WORDS[(seed * 7 + i * 3) % WORDS.length] ?? 'x');
    const text = picked.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function codeLines(language: string, seed: number, count: number): string {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
        const n = seed * 100 + i;
        if (language === 'python') lines.push(`    value_${n} = compute(${n}, "item ${n}")  # step ${i}`);
        else if (language === 'json') lines.push(`  "key${n}": { "value": ${n}, "name": "item ${n}" },`);
        else if (language === 'bash') lines.push(`echo "step ${n}" && ls -la /tmp/dir${n} | grep item`);
        else if (language === 'rust') lines.push(`    let value_${n}: u64 = compute(${n}, "item ${n}")?;`);
        else if (language === 'go') lines.push(`\tvalue${n} := compute(${n}, "item ${n}") // step ${i}`);
        else lines.push(`    const value${n} = compute(${n}, "item ${n}"); // step ${i}`);
    }
    return lines.join('\n');
}

/** One section of the mixed reply: heading, paragraphs, a list, a table and a code fence. */
function section(index: number): string {
    const language = LANGUAGES[index % LANGUAGES.length] ?? 'text';
    const items = Array.from({ length: 5 }, (_, i) => `- ${sentence(index + i, 6)} \`item${i}\``).join('\n');
    const rows = Array.from(
        { length: 6 },
        (_, i) => `| ${index}.${i} | ${sentence(i, 3)} | ${(index * 13 + i) % 97} |`,
    ).join('\n');
    return [
        `## Part ${index + 1}`,
        `${sentence(index, 18)} ${sentence(index + 1, 14)} **${sentence(index + 2, 4)}**`,
        items,
        `| id | what | n |\n| --- | --- | ---: |\n${rows}`,
        `\`\`\`${language}\n${codeLines(language, index, 12)}\n\`\`\``,
        `> ${sentence(index + 3, 12)}`,
        `${sentence(index + 4, 16)}`,
    ].join('\n\n');
}

/** Cuts `text` into deltas of DELTA_CHARS characters. */
export function cut(text: string): string[] {
    const deltas: string[] = [];
    for (let i = 0; i < text.length; i += DELTA_CHARS) deltas.push(text.slice(i, i + DELTA_CHARS));
    return deltas;
}

/** The mixed reply of exactly `count` deltas, with a citation on every section's first paragraph. */
export function mixedReply(count: number): StreamWorkload {
    let text = '';
    const citations: { after: number; citation: Citation }[] = [];
    for (let index = 0; text.length < count * DELTA_CHARS; index++) {
        const start = text.length === 0 ? 0 : text.length + 2;
        text += (text.length === 0 ? '' : '\n\n') + section(index);
        // The cited words: the section's first sentence; the citation arrives a little after them.
        const paragraph = start + `## Part ${index + 1}\n\n`.length;
        const end = paragraph + sentence(index, 18).length;
        citations.push({
            after: Math.ceil(end / DELTA_CHARS) + 20,
            citation: {
                start: paragraph,
                end,
                text: text.slice(paragraph, end),
                sources: [{ type: 'document', id: `doc-${index}`, document: { title: `Doc ${index}` } }],
            } as Citation,
        });
    }
    const deltas = cut(text.slice(0, count * DELTA_CHARS));
    return { deltas, citations: citations.filter((c) => c.after < deltas.length) };
}

/** One long block: a table of `count` rows, a list of `count` items, or a code fence of `count` lines. */
export function longBlock(kind: 'table' | 'list' | 'code', count: number): StreamWorkload {
    let text: string;
    if (kind === 'table') {
        const rows = Array.from({ length: count }, (_, i) => `| ${i} | row ${i} name | ${(i * 37) % 1000} |`);
        text = `| id | name | value |\n| --- | --- | ---: |\n${rows.join('\n')}\n`;
    } else if (kind === 'list') {
        text = Array.from({ length: count }, (_, i) => `- item ${i}: ${sentence(i, 5)}`).join('\n') + '\n';
    } else {
        text = '```typescript\n' + codeLines('typescript', 1, count) + '\n```\n';
    }
    return { deltas: cut(text), citations: [] };
}

/** `count` finished turns of mixed content, as a saved conversation holds them. */
export function earlierTurns(count: number): Turn[] {
    return Array.from({ length: count }, (_, i) => ({
        id: `earlier-${i}`,
        prompt: `Question ${i}: ${sentence(i, 8)}`,
        request: { model: 'command-a-03-2025', stream: true },
        reply: { content: [{ type: 'text', text: section(i) }], citations: [] },
        status: 'complete',
        createdAt: 1_700_000_000_000 + i,
        finishReason: 'COMPLETE',
        usage: {
            billed_units: { input_tokens: 100, output_tokens: 400 },
            tokens: { input_tokens: 120, output_tokens: 410 },
        },
    })) as Turn[];
}

/** A reply of about `bytes` characters of mixed markdown, as deltas of `deltaChars`. */
export function hugeReply(bytes: number, deltaChars: number): string[] {
    let text = '';
    for (let index = 0; text.length < bytes; index++) text += (index === 0 ? '' : '\n\n') + section(index);
    const deltas: string[] = [];
    for (let i = 0; i < bytes; i += deltaChars) deltas.push(text.slice(i, Math.min(bytes, i + deltaChars)));
    return deltas;
}
