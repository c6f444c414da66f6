import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conversationToMarkdown } from '../../src/chat/exportMarkdown';
import { conversation, turn } from './chat-fixtures';

void describe('conversationToMarkdown', () => {
    void test('writes prompts and replies under headings, with the title on top', () => {
        const markdown = conversationToMarkdown(
            conversation('c', [turn('t1', 'Hi there', 'Hello!')], { title: 'Greetings' }),
        );
        assert.equal(
            markdown,
            '# Greetings\n\n## You\n\nHi there\n\n## Cohere (command-a-03-2025)\n\nHello!\n',
        );
    });

    void test('puts a footnote marker right after each cited span, with its sources as the footnote text', () => {
        const text = 'The sky is blue and grass is green.';
        const chat = conversation('c', [
            turn('t1', 'Colours?', text, {
                reply: {
                    content: [{ type: 'text', text }],
                    citations: [
                        {
                            start: 28,
                            end: 34,
                            text: 'green.',
                            content_index: 0,
                            sources: [
                                {
                                    type: 'document',
                                    id: 'doc:1',
                                    document: { id: 'doc:1', title: 'Plants', snippet: 'Grass is green.' },
                                },
                            ],
                        },
                        {
                            start: 11,
                            end: 15,
                            text: 'blue',
                            content_index: 0,
                            sources: [
                                {
                                    type: 'document',
                                    id: 'doc:0',
                                    document: { id: 'doc:0', title: 'Sky', snippet: 'The sky\nis blue.' },
                                },
                                { type: 'tool', id: 'weather_1' },
                            ],
                        },
                    ],
                },
            }),
        ]);
        const markdown = conversationToMarkdown(chat);
        assert.ok(markdown.includes('The sky is blue[^1] and grass is green.[^2]'), markdown);
        assert.ok(markdown.includes('[^1]: **Sky** — The sky is blue. Tool output weather_1'), markdown);
        assert.ok(markdown.includes('[^2]: **Plants** — Grass is green.'), markdown);
    });

    void test('numbers footnotes through the whole document', () => {
        const cited = (id: string) =>
            turn(id, 'Q', 'Answer', {
                reply: {
                    content: [{ type: 'text', text: 'Answer' }],
                    citations: [
                        {
                            start: 0,
                            end: 6,
                            text: 'Answer',
                            sources: [{ type: 'document', id: 'd', document: { title: `D ${id}` } }],
                        },
                    ],
                },
            });
        const markdown = conversationToMarkdown(conversation('c', [cited('a'), cited('b')]));
        assert.ok(markdown.includes('Answer[^1]'));
        assert.ok(markdown.includes('Answer[^2]'));
        assert.ok(markdown.includes('[^2]: **D b**'));
    });

    void test('writes usage per reply and says why a reply is incomplete', () => {
        const chat = conversation('c', [
            turn('t1', 'Long', 'Cut', {
                finishReason: 'MAX_TOKENS',
                usage: {
                    billed_units: { input_tokens: 5, output_tokens: 7 },
                    tokens: { input_tokens: 9, output_tokens: 7 },
                    cached_tokens: 2,
                },
            }),
            turn('t2', 'Stop', 'Half', { status: 'stopped' }),
            turn('t3', 'Fail', '', {
                status: 'failed',
                error: { code: 'rate_limited', message: 'too many requests' },
            }),
        ]);
        const markdown = conversationToMarkdown(chat);
        assert.ok(
            markdown.includes('*Usage: 9 input + 7 output tokens · billed 5 input + 7 output · 2 cached*'),
            markdown,
        );
        assert.ok(markdown.includes('MAX_TOKENS'));
        assert.ok(markdown.includes('*Stopped before the reply was complete.*'));
        assert.ok(markdown.includes('*The reply failed (rate_limited): too many requests*'));
    });

    void test('quotes thinking and lists attachments', () => {
        const chat = conversation('c', [
            turn('t1', 'Explain', '', {
                attachments: [{ id: 'sel-1', title: 'src/a.ts:1-2', text: 'x' }],
                reply: {
                    content: [
                        { type: 'thinking', thinking: 'Step 1\nStep 2' },
                        { type: 'text', text: 'Done.' },
                    ],
                    citations: [],
                },
            }),
        ]);
        const markdown = conversationToMarkdown(chat);
        assert.ok(markdown.includes('> Attached: src/a.ts:1-2'));
        assert.ok(markdown.includes('> **Thinking**\n>\n> Step 1\n> Step 2'), markdown);
    });

    void test('a citation without a content index is a footnote of the first text block, after thinking', () => {
        const chat = conversation('c', [
            turn('t1', 'Explain', '', {
                reply: {
                    content: [
                        { type: 'thinking', thinking: 'Let me see.' },
                        { type: 'text', text: 'Penguins swim.' },
                    ],
                    citations: [
                        {
                            start: 0,
                            end: 8,
                            text: 'Penguins',
                            sources: [{ type: 'document', id: 'd1', document: { title: 'Birds' } }],
                        },
                    ],
                },
            }),
        ]);
        const markdown = conversationToMarkdown(chat);
        assert.ok(markdown.includes('Penguins[^1] swim.'), markdown);
        assert.ok(markdown.includes('[^1]: **Birds**'), markdown);
    });

    void test('a footnote never doubles punctuation: after a source that ends a sentence comes a space, not "; "', () => {
        const sources = [
            { type: 'document' as const, id: 'a', document: { title: 'A', snippet: 'Penguins are tall.' } },
            { type: 'document' as const, id: 'b', document: { title: 'B', snippet: 'They swim!' } },
            { type: 'document' as const, id: 'c', document: { title: 'C', snippet: 'Cold water' } },
            { type: 'document' as const, id: 'd', document: { title: 'D' } },
        ];
        const text = 'Penguins are tall swimmers.';
        const markdown = conversationToMarkdown(
            conversation('c', [
                turn('t1', 'Q', text, {
                    reply: {
                        content: [{ type: 'text', text }],
                        citations: [{ start: 0, end: 27, text, sources }],
                    },
                }),
            ]),
        );
        assert.ok(
            markdown.includes(
                '[^1]: **A** — Penguins are tall. **B** — They swim! **C** — Cold water; **D**\n',
            ),
            markdown,
        );
        assert.doesNotMatch(markdown, /[.!?;:,] ?[.;:,]/);
        assert.ok(markdown.includes('Penguins are tall swimmers.[^1]'), markdown);
    });

    void test('a footnote goes after a link, an autolink, a URL or inline code its span ends in, never inside', () => {
        const text =
            'Read [the penguin page](https://example.com/p "Penguins") now. ' +
            'Or <https://example.com/auto> and https://example.com/bare ok, ' +
            'run `npm test` here, see ![a chart](https://example.com/c.png) and [a [nested] link](https://e.com/(x)).';
        const cite = (words: string, n: number) => {
            const start = text.indexOf(words);
            return {
                start,
                end: start + words.length,
                text: words,
                sources: [{ type: 'document' as const, id: `d${n}`, document: { title: `Doc ${n}` } }],
            };
        };
        const markdown = conversationToMarkdown(
            conversation('c', [
                turn('t1', 'Q', text, {
                    reply: {
                        content: [{ type: 'text', text }],
                        citations: [
                            cite('penguin page', 1),
                            cite('example.com/auto', 2),
                            cite('https://example.com/bare', 3),
                            cite('npm', 4),
                            cite('a chart', 5),
                            cite('nested', 6),
                        ],
                    },
                }),
            ]),
        );
        assert.ok(
            markdown.includes('[the penguin page](https://example.com/p "Penguins")[^1] now.'),
            markdown,
        );
        assert.ok(markdown.includes('<https://example.com/auto>[^2] and'), markdown);
        assert.ok(markdown.includes('https://example.com/bare[^3] ok'), markdown);
        assert.ok(markdown.includes('`npm test`[^4] here'), markdown);
        assert.ok(markdown.includes('![a chart](https://example.com/c.png)[^5] and'), markdown);
        assert.ok(markdown.includes('[a [nested] link](https://e.com/(x))[^6].'), markdown);
    });

    void test('identical sources share one footnote, across citations and turns; different ones do not', () => {
        const penguins = (id: string) => ({
            type: 'document' as const,
            id,
            document: { id, title: 'Penguins', snippet: 'Emperor penguins are tall.' },
        });
        const other = { type: 'document' as const, id: 'x', document: { title: 'Seals' } };
        const text = 'Tall birds. Tall indeed. Seals too.';
        const reply = {
            content: [{ type: 'text' as const, text }],
            citations: [
                { start: 0, end: 10, text: 'Tall birds', sources: [penguins('doc:0')] },
                { start: 12, end: 23, text: 'Tall indeed', sources: [penguins('doc:1'), penguins('doc:0')] },
                { start: 12, end: 23, text: 'Tall indeed', sources: [penguins('doc:1')] },
                { start: 25, end: 34, text: 'Seals too', sources: [other] },
            ],
        };
        const markdown = conversationToMarkdown(
            conversation('c', [turn('t1', 'Q', text, { reply }), turn('t2', 'Again', text, { reply })]),
        );
        const definitions = markdown.split('\n').filter((line) => /^\[\^\d+\]: /.test(line));
        assert.deepEqual(definitions, ['[^1]: **Penguins** — Emperor penguins are tall.', '[^2]: **Seals**']);
        assert.equal(markdown.split('Tall birds[^1]. Tall indeed[^1]. Seals too[^2].').length, 3, markdown);
    });
});
