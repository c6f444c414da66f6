// The context layer in plain Node: chunking along lines, documents and their ids and titles, problems,
// the token budget (against the fake server's tokenizer too), refusals, and citations back to lines.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Attachment, Conversation, Turn } from '../../src/chat/model';
import { buildChatRequest, carriedAttachments, settingsNotSentWithDocuments } from '../../src/chat/request';
import type { CohereClient } from '../../src/cohere/index';
import { countTokens } from '../../src/cohere/index';
import {
    chunkText,
    citedLines,
    estimateTokens,
    fileAttachments,
    leftOutText,
    locateNow,
    looksBinary,
    narrowIn,
    planBudget,
    problemAttachments,
    refusalOf,
    refusalText,
} from '../../src/context/index';
import { settingsWith } from './chat-fixtures';
import { useFakeCohereClient } from './fake-cohere-client';

function numbered(count: number, every?: number): string {
    return Array.from({ length: count }, (_, i) =>
        every !== undefined && i % every === 0 && i > 0 ? '' : `line ${i + 1}`,
    ).join('\n');
}

void describe('chunking', () => {
    void test('a small file is one chunk with its whole line range', () => {
        assert.deepEqual(chunkText('a\nb\nc\n'), [{ startLine: 1, endLine: 3, text: 'a\nb\nc' }]);
        assert.deepEqual(chunkText(''), []);
    });

    void test('chunks cover every line once, in order, within the limits', () => {
        const text = numbered(1000);
        const chunks = chunkText(text, { maxLines: 50, maxChars: 100_000 });
        assert.equal(chunks[0]?.startLine, 1);
        for (let i = 1; i < chunks.length; i++)
            assert.equal(chunks[i]?.startLine, (chunks[i - 1]?.endLine ?? 0) + 1);
        assert.equal(chunks.at(-1)?.endLine, 1000);
        assert.ok(chunks.every((chunk) => chunk.endLine - chunk.startLine + 1 <= 50));
        assert.equal(chunks.map((chunk) => chunk.text).join('\n'), text);
    });

    void test('a cut prefers a top-level declaration, then a blank line, over the hard limit', () => {
        const lines: string[] = [];
        for (let f = 0; f < 4; f++) {
            lines.push(`function f${f}() {`);
            for (let i = 0; i < 28; i++) lines.push(`    step(${i});`);
            lines.push('}', '');
        }
        const chunks = chunkText(lines.join('\n'), { maxLines: 40, minLines: 10 });
        // Each chunk starts at a function, never in the middle of one.
        for (const chunk of chunks) assert.match(chunk.text, /^function f\d\(\) \{/);
        const blank = chunkText(numbered(100, 30), { maxLines: 40, minLines: 10 });
        assert.equal(blank[0]?.endLine, 31);
    });

    void test('the character cap cuts too, and one very long line is still one chunk', () => {
        const long = 'x'.repeat(10_000);
        const chunks = chunkText(`a\n${long}\nb`, { maxChars: 1000 });
        assert.deepEqual(
            chunks.map((chunk) => [chunk.startLine, chunk.endLine]),
            [
                [1, 1],
                [2, 2],
                [3, 3],
            ],
        );
    });
});

void describe('documents', () => {
    const file = {
        relativePath: 'src/app.ts',
        uri: 'file:///w/src/app.ts',
        text: numbered(200),
        languageId: 'typescript',
    };

    void test('a file becomes documents titled path:start-end, with ids stable across calls', () => {
        const first = fileAttachments(file, { maxLines: 80 });
        const second = fileAttachments(file, { maxLines: 80 });
        assert.deepEqual(
            first.map((a) => a.title),
            ['src/app.ts:1-80', 'src/app.ts:81-160', 'src/app.ts:161-200'],
        );
        assert.deepEqual(
            first.map((a) => a.id),
            second.map((a) => a.id),
        );
        assert.equal(new Set(first.map((a) => a.id)).size, 3);
        assert.equal(first[1]?.startLine, 81);
        assert.equal(first[1]?.kind, 'file');
        const other = fileAttachments({ ...file, relativePath: 'src/other.ts' }, { maxLines: 80 });
        assert.notEqual(other[0]?.id, first[0]?.id);
    });

    void test('problems are documents with file, range, severity, message and source, worst first', () => {
        const { attachments, leftOut } = problemAttachments(
            [
                {
                    relativePath: 'a.ts',
                    uri: 'file:///a.ts',
                    startLine: 9,
                    startColumn: 2,
                    endLine: 9,
                    endColumn: 5,
                    severity: 'warning',
                    message: 'unused x',
                    source: 'eslint',
                    code: 'no-unused-vars',
                },
                {
                    relativePath: 'a.ts',
                    uri: 'file:///a.ts',
                    startLine: 3,
                    startColumn: 1,
                    endLine: 4,
                    endColumn: 1,
                    severity: 'error',
                    message: "Cannot find name 'y'.",
                    source: 'ts',
                    code: '2304',
                },
                {
                    relativePath: 'b.ts',
                    uri: 'file:///b.ts',
                    startLine: 1,
                    startColumn: 1,
                    endLine: 1,
                    endColumn: 1,
                    severity: 'hint',
                    message: 'h',
                },
            ],
            2,
        );
        assert.equal(leftOut, 1);
        assert.deepEqual(
            attachments.map((a) => a.title),
            ['a.ts:3-4', 'a.ts:9'],
        );
        assert.equal(attachments[0]?.text, "a.ts:3:1 error: Cannot find name 'y'. (ts 2304)");
        assert.equal(attachments[1]?.text, 'a.ts:9:2 warning: unused x (eslint no-unused-vars)');
        assert.equal(attachments[0]?.kind, 'problem');
    });

    void test('binary files and files over the cap are refused with the reason', () => {
        assert.equal(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1])), true);
        assert.equal(
            looksBinary(new Uint8Array([0xff, 0xfe, 0xfd, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85])),
            true,
        );
        assert.equal(looksBinary(Buffer.from('héllo wörld ✓')), false);
        // A multi-byte character cut by the 8 KB sample is still text.
        const cut = Buffer.concat([Buffer.alloc(8191, 'a'), Buffer.from('✓')]);
        assert.equal(looksBinary(cut), false);
        assert.equal(refusalOf(Buffer.from('text'), 4), undefined);
        const big = refusalOf(Buffer.from('text'), 3 * 1024 * 1024, 1024 * 1024);
        assert.deepEqual(big, { kind: 'tooLarge', size: 3 * 1024 * 1024, cap: 1024 * 1024 });
        assert.equal(
            refusalText('big.log', big!),
            'big.log was not attached: it is 3.0 MB, over the 1.0 MB limit.',
        );
        assert.equal(
            refusalText('a.png', { kind: 'binary' }),
            'a.png was not attached: it is a binary file.',
        );
    });
});

void describe('token budget', () => {
    let client: CohereClient;
    useFakeCohereClient((running) => ({ client } = running));

    const doc = (id: string, size: number): Attachment => ({
        id,
        title: `${id}.ts:1-9`,
        text: 'x'.repeat(size),
    });

    void test('keeps documents in order while they fit and lists what is left out', async () => {
        const plan = await planBudget({
            contextLength: 1000,
            replyTokens: 200,
            messageTokens: 100,
            documents: [doc('a', 900), doc('b', 1500), doc('c', 300)],
            perDocumentTokens: 0,
        });
        assert.deepEqual(
            plan.kept.map((d) => d.id),
            ['a', 'c'],
        );
        assert.deepEqual(
            plan.leftOut.map((d) => d.id),
            ['b'],
        );
        assert.equal(plan.available, 700);
        assert.equal(
            leftOutText(plan),
            "1 of 3 documents do not fit the model's context and will not be sent: b.ts:1-9.",
        );
        assert.equal(leftOutText({ ...plan, leftOut: [] }), undefined);
    });

    void test('the local estimate never counts fewer tokens than the fake tokenizer, on code and prose', async () => {
        const samples = [
            'export function parseHeaders(raw: string): Map<string, string> { return new Map(); }',
            'The quick brown fox jumps over the lazy dog, again and again.',
            'a b c d e f g h i j',
            'const x=1;const y=2;const z=x+y;',
        ];
        for (const sample of samples) {
            const counted = await countTokens(client, sample, 'command-a-03-2025');
            assert.ok(estimateTokens(sample) >= counted, `${sample}: ${estimateTokens(sample)} < ${counted}`);
        }
        // The budget can run on the server's count instead of the estimate.
        const plan = await planBudget(
            {
                contextLength: 30,
                replyTokens: 0,
                messageTokens: 0,
                documents: [doc('a', 3), doc('b', 3)],
                perDocumentTokens: 0,
            },
            (text) => countTokens(client, text, 'command-a-03-2025'),
        );
        assert.equal(plan.kept.length, 2);
    });
});

void describe('citations back to lines', () => {
    const chunk: Attachment = {
        id: 'code-1',
        title: 'src/h.ts:10-14',
        text: 'export function parseHeaders(raw) {\n    const lines = raw.split(CRLF);\n    return lines.map(splitHeader);\n}\n',
        uri: 'file:///w/src/h.ts',
        startLine: 10,
        endLine: 14,
        kind: 'file',
    };

    void test('narrows to the lines of the cited text inside the chunk, else the whole chunk', () => {
        assert.deepEqual(citedLines(chunk, 'raw.split(CRLF)'), { startLine: 11, endLine: 11 });
        assert.deepEqual(citedLines(chunk, '`parseHeaders`'), { startLine: 10, endLine: 10 });
        assert.deepEqual(citedLines(chunk, 'splits the lines'), { startLine: 10, endLine: 14 });
        assert.deepEqual(citedLines(chunk, undefined), { startLine: 10, endLine: 14 });
        assert.deepEqual(citedLines(chunk, 'RAW.SPLIT(crlf);\n    return lines'), {
            startLine: 11,
            endLine: 12,
        });
    });

    void test('after a change: unchanged, moved (the best match) or changed (the recorded range)', () => {
        const before = Array.from({ length: 9 }, (_, i) => `// ${i + 1}`).join('\n');
        const now = `${before}\n${chunk.text}`;
        assert.deepEqual(locateNow(chunk, now), { kind: 'unchanged', range: { startLine: 10, endLine: 14 } });
        const shifted = `// new\n// new\n${now}`;
        assert.deepEqual(locateNow(chunk, shifted), { kind: 'moved', range: { startLine: 12, endLine: 15 } });
        const edited = shifted.replace(
            'return lines.map(splitHeader);',
            'return lines.map(splitHeaderLine);',
        );
        const located = locateNow(chunk, edited);
        assert.equal(located?.kind, 'moved');
        assert.equal(located?.range.startLine, 12);
        assert.deepEqual(narrowIn(edited, located!.range, 'raw.split(CRLF)'), { startLine: 13, endLine: 13 });
        const gone = locateNow(chunk, 'nothing\nhere');
        assert.deepEqual(gone, { kind: 'changed', range: { startLine: 2, endLine: 2 } });
    });
});

void describe('documents later messages carry', () => {
    function turn(id: string, attachments: Attachment[], replied = true): Turn {
        return {
            id,
            prompt: `q ${id}`,
            attachments,
            request: { model: 'command-a-03-2025', stream: true },
            reply: { content: replied ? [{ type: 'text', text: 'answer' }] : [], citations: [] },
            status: replied ? 'complete' : 'streaming',
            createdAt: 1,
        } as Turn;
    }
    const a: Attachment = { id: 'sel-1', title: 'a.ts:1', text: 'a' };
    const b: Attachment = { id: 'sel-2', title: 'b.ts:1', text: 'b' };

    void test('a removed document is shown no more and not sent with later messages, but still with its own turn', () => {
        const conversation = {
            schemaVersion: 1,
            id: 'c',
            title: 't',
            createdAt: 1,
            updatedAt: 1,
            turns: [turn('t1', [{ ...a, retired: true }]), turn('t2', [b]), turn('t3', [], false)],
        } as unknown as Conversation;
        assert.deepEqual(
            carriedAttachments(conversation).map((x) => x.id),
            ['sel-2'],
        );
        const later = buildChatRequest(conversation, settingsWith(), { turnIndex: 2 });
        assert.deepEqual(
            later.documents?.map((d) => (typeof d === 'string' ? d : d.id)),
            ['sel-2'],
        );
        const own = buildChatRequest(conversation, settingsWith(), { turnIndex: 0 });
        assert.deepEqual(
            own.documents?.map((d) => (typeof d === 'string' ? d : d.id)),
            ['sel-1'],
        );
    });

    void test('says which settings documents keep from being sent', () => {
        assert.deepEqual(settingsNotSentWithDocuments({ safetyMode: 'STRICT' }), [
            'cohere.safetyMode (STRICT)',
        ]);
        assert.deepEqual(settingsNotSentWithDocuments({}), []);
    });
});

void describe('export of code citations', () => {
    void test('a footnote names the cited lines of a code chunk as path:lines', async () => {
        const { conversationToMarkdown } = await import('../../src/chat/exportMarkdown.js');
        const markdown = conversationToMarkdown({
            schemaVersion: 1,
            id: 'c',
            title: 'Export',
            createdAt: 1,
            updatedAt: 1,
            turns: [
                {
                    id: 't',
                    prompt: 'How are headers split?',
                    request: { model: 'command-a-03-2025', stream: true },
                    reply: {
                        content: [{ type: 'text', text: 'It calls raw.split(CRLF) first.' }],
                        citations: [
                            {
                                start: 9,
                                end: 24,
                                text: 'raw.split(CRLF)',
                                sources: [
                                    {
                                        type: 'document',
                                        id: 'code-1',
                                        document: {
                                            title: 'src/h.ts:10-13',
                                            snippet:
                                                'export function parseHeaders(raw) {\n    const lines = raw.split(CRLF);\n}',
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                    status: 'complete',
                    createdAt: 1,
                },
            ],
        } as unknown as Conversation);
        assert.match(markdown, /\[\^1\]: \*\*src\/h\.ts:11\*\*/);
    });
});
