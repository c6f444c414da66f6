// The replies of the normal scenarios, built from the request alone, so the same request always
// gets the same bytes. Ids come from a hash of the request.
import { createHash } from 'node:crypto';
import type { ChatRequest, Citation, Usage } from '../../src/cohere/types';
import type { Reply, ReplyBlock } from './reply';
import { citeDocuments, citeToolResults, pendingToolResults } from './citations';
import { isReasoningModel } from './models';
import { planToolCalls } from './tools';
import { TOOL_SCENARIOS } from './toolScenarioNames';
import type { ToolScenario } from './toolScenarioNames';
import { toolScenarioReply } from './toolScenarios';
import type { NormalScenario, ScenarioSpec } from './spec';
import { contentText, lastUserText, numberParam, withoutMarkers } from './spec';

/** Tokens the prompt template adds to every request (the real API reports far more than it bills). */
const TEMPLATE_TOKENS = 96;
const QUOTE_LIMIT = 200;

/** What a scenario builder gets: the request, its hash, and the user's words without markers. */
export interface ScenarioInput {
    request: ChatRequest;
    spec: ScenarioSpec<NormalScenario>;
    /** Hex digest of the request; ids are cut from it. */
    digest: string;
    userWords: string;
}

/** Hex digest of a request body and the header scenario: the seed of every id. */
export function digestOf(rawBody: Buffer, headerScenario: string | undefined): string {
    return createHash('sha256')
        .update(rawBody)
        .update('\0' + (headerScenario ?? ''))
        .digest('hex');
}

/** A UUID-shaped id (version 4 layout) cut from a hex digest. */
export function uuidFrom(digest: string): string {
    const hex = digest.padEnd(32, '0');
    return [
        hex.slice(0, 8),
        hex.slice(8, 12),
        '4' + hex.slice(13, 16),
        ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20),
        hex.slice(20, 32),
    ].join('-');
}

/** The words and kind of `generation-error`'s message-end, as recorded from the live API (langchain-cohere `test_sql_agent.yaml`). */
export const GENERATION_ERROR =
    'your request resulted in an invalid tool generation. Try updating the messages or tool definitions';
export const GENERATION_ERROR_TYPE = 'INVALID_TOOL_GENERATION';

/** Builds the reply of a normal scenario; `failed` cuts it short with a generation error. */
export function buildReply(
    request: ChatRequest,
    spec: ScenarioSpec<NormalScenario>,
    digest: string,
    failed = false,
): Reply {
    const input: ScenarioInput = {
        request,
        spec,
        digest,
        userWords: withoutMarkers(lastUserText(request.messages)),
    };
    const reply = BUILDERS[spec.name](input);
    // Recorded replies leave content_index out of citations; `content_index=1` sends it.
    reply.sendContentIndex = numberParam(spec, 'content_index', 0) === 1;
    // A failed generation reports an empty usage, as recorded.
    reply.usage = failed ? {} : usageOf(request, reply);
    if (failed) failGeneration(reply);
    return reply;
}

/** The generation stops halfway through its last block, with finish reason ERROR. */
function failGeneration(reply: Reply): void {
    const last = reply.blocks.length - 1;
    const block = reply.blocks[last];
    if (block !== undefined) {
        block.pieces = block.pieces.slice(0, Math.max(1, Math.floor(block.pieces.length / 2)));
        reply.interruptedBlock = last;
    }
    reply.citations = [];
    reply.toolCalls = [];
    reply.finishReason = 'ERROR';
    reply.error = GENERATION_ERROR;
    reply.errorType = GENERATION_ERROR_TYPE;
}

const BUILDERS: Record<NormalScenario, (input: ScenarioInput) => Reply> = {
    text: (input) => textReply(input, [textBlock(plainText(input.userWords))]),
    reasoning: (input) =>
        textReply(input, [
            { type: 'thinking', pieces: splitWords(thinkingText(input.userWords)) },
            textBlock(plainText(input.userWords)),
        ]),
    rag: (input) => ragReply(input, 'end'),
    'rag-inline': (input) => ragReply(input, 'inline'),
    tools: (input) => toolsReply(input),
    'max-tokens': (input) => maxTokensReply(input),
    markdown: (input) => textReply(input, [textBlock(markdownText(input.userWords))]),
    long: (input) =>
        textReply(input, [{ type: 'text', pieces: longPieces(numberParam(input.spec, 'events', 1000)) }]),
    ...toolScenarioBuilders(),
};

function toolScenarioBuilders(): Record<ToolScenario, (input: ScenarioInput) => Reply> {
    const kit = { textReply, splitWords };
    const entries = TOOL_SCENARIOS.map((name) => [
        name,
        (input: ScenarioInput) => toolScenarioReply(name, input, kit),
    ]);
    return Object.fromEntries(entries) as Record<ToolScenario, (input: ScenarioInput) => Reply>;
}

function textReply(input: ScenarioInput, blocks: ReplyBlock[], citations: Citation[] = []): Reply {
    return {
        id: uuidFrom(input.digest),
        blocks,
        citations,
        citationPlacement: 'end',
        toolPlanPieces: [],
        toolCalls: [],
        finishReason: 'COMPLETE',
        usage: {},
        logprobs: input.request.logprobs === true,
    };
}

function textBlock(text: string): ReplyBlock {
    return { type: 'text', pieces: splitWords(text) };
}

/** The user's words, shortened for quoting. */
export function quoteOf(words: string, limit = QUOTE_LIMIT): string {
    const flat = words.replace(/\s+/g, ' ');
    if (flat.length <= limit) return flat;
    let cut = limit;
    if (/[\uDC00-\uDFFF]/.test(flat.charAt(cut))) cut--;
    return flat.slice(0, cut) + '…';
}

function plainText(words: string): string {
    return (
        `Hello 👋 You said: “${quoteOf(words)}”. This reply comes from the fake Cohere server — ` +
        'the same request always gets the same words.'
    );
}

function thinkingText(words: string): string {
    return `The user wrote “${quoteOf(words, 80)}”. I will greet them and quote their words back, so the answer is easy to check.`;
}

function markdownText(words: string): string {
    return [
        '## A markdown reply',
        '',
        `You asked: “${quoteOf(words, 80)}”. Here is **bold text**, *italic text*, \`inline code\` and a [link to example.com](https://example.com).`,
        '',
        '### A list',
        '',
        '- First item',
        '- Second item with **bold** words',
        '  - A nested item',
        '',
        '1. One',
        '2. Two',
        '',
        '````markdown',
        'A fenced block that holds another fence:',
        '```ts',
        'const answer: number = 42;',
        '```',
        '````',
        '',
        '```python',
        'print("héllo, wörld")',
        '```',
        '',
        '> A quote — with an em dash.',
    ].join('\n');
}

function ragReply(input: ScenarioInput, placement: 'end' | 'inline'): Reply {
    const toolResults = pendingToolResults(input.request.messages);
    const cited =
        toolResults.length > 0
            ? citeToolResults(toolResults)
            : citeDocuments(input.request.documents, input.userWords);
    const mode = String(input.request.citation_options?.mode ?? '').toUpperCase();
    const citations = mode === 'OFF' || mode === 'DISABLED' ? [] : cited.citations;
    const reply = textReply(input, [textBlock(cited.text)], citations);
    reply.citationPlacement = placement;
    return reply;
}

function toolsReply(input: ScenarioInput): Reply {
    // After the tool results come back, the model answers in text and cites them.
    if (pendingToolResults(input.request.messages).length > 0) return ragReply(input, 'end');
    const plan = planToolCalls(input.request.tools, input.userWords, input.digest);
    // A reasoning model thinks its plan instead of sending tool_plan (recorded: command-a-reasoning-08-2025).
    const thinks = isReasoningModel(input.request.model) && input.request.thinking?.type !== 'disabled';
    const reply = textReply(input, thinks ? [{ type: 'thinking', pieces: splitWords(plan.toolPlan) }] : []);
    if (!thinks) reply.toolPlanPieces = splitWords(plan.toolPlan);
    reply.toolCalls = plan.calls;
    reply.finishReason = 'TOOL_CALL';
    return reply;
}

function maxTokensReply(input: ScenarioInput): Reply {
    const pieces = splitWords(plainText(input.userWords) + ' And then it would go on and on, but the limit');
    const limit = input.request.max_tokens;
    const keep =
        typeof limit === 'number' && limit >= 1 ? Math.min(limit, pieces.length - 1) : pieces.length - 4;
    const reply = textReply(input, [{ type: 'text', pieces: pieces.slice(0, keep) }]);
    reply.finishReason = 'MAX_TOKENS';
    return reply;
}

const LONG_WORDS = ['stream', 'token', 'café', 'delta', 'event', 'naïve', 'reply', 'bytes', 'fake', 'Cohere'];

/** `count` pieces of about 6 characters each: 20,000 of them frame to about 2 MB. */
export function longPieces(count: number): string[] {
    const pieces = new Array<string>(Math.floor(count));
    for (let i = 0; i < pieces.length; i++) {
        pieces[i] = (i % 12 === 11 ? '\n\n' : ' ') + LONG_WORDS[i % LONG_WORDS.length];
    }
    if (pieces.length > 0) pieces[0] = pieces[0]!.trimStart();
    return pieces;
}

/** Splits a text into word-sized deltas whose concatenation is the text (a surrogate pair is never split). */
export function splitWords(text: string): string[] {
    const pieces = text.match(/\s*\S+/g) ?? [];
    const joined = pieces.join('');
    if (joined.length < text.length) {
        if (pieces.length === 0) return text === '' ? [] : [text];
        pieces[pieces.length - 1] += text.slice(joined.length);
    }
    return pieces;
}

function countWords(text: string): number {
    let count = 0;
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        const space = code === 32 || code === 10 || code === 9 || code === 13;
        if (!space && !inWord) count++;
        inWord = !space;
    }
    return count;
}

/** Token counts derived from the request and the reply: words in, pieces out. */
/** Recorded: 259 image tokens for one image, 518 for two (langchain-cohere cassettes). */
const TOKENS_PER_IMAGE = 259;

function imageTokensOf(request: ChatRequest): number {
    let images = 0;
    for (const message of request.messages) {
        if (!Array.isArray(message.content)) continue;
        for (const part of message.content as { type?: unknown }[]) if (part.type === 'image_url') images++;
    }
    return images * TOKENS_PER_IMAGE;
}

function usageOf(request: ChatRequest, reply: Reply): Usage {
    let earlier = 0;
    let last = 0;
    request.messages.forEach((message, index) => {
        const words = countWords(contentText(message.content));
        if (index === request.messages.length - 1) last = words;
        else earlier += words;
    });
    let documents = 0;
    for (const document of request.documents ?? []) {
        documents += countWords(
            typeof document === 'string' ? document : JSON.stringify(document.data ?? {}),
        );
    }
    let output = reply.toolPlanPieces.length;
    for (const block of reply.blocks) output += block.pieces.length;
    for (const call of reply.toolCalls) output += call.argumentPieces.length;
    // Each image of the request costs what the recorded single-image reply reports (embed doc §5.4).
    const images = imageTokensOf(request);
    const billedInput = earlier + last + documents + images;
    return {
        billed_units: { input_tokens: billedInput, output_tokens: output },
        tokens: {
            input_tokens: billedInput + TEMPLATE_TOKENS,
            output_tokens: output + 2,
            ...(images > 0 ? { image_tokens: images } : {}),
        },
        // The template and every earlier turn are served from the prompt cache.
        cached_tokens: TEMPLATE_TOKENS + earlier,
    };
}
