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
        assert.ok(markdown.includes('[^1]: **Sky** — The sky is blue.; Tool output weather_1'), markdown);
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
                            sources: [{ type: 'document', id: 'd', document: { title: 'D' } }],
                        },
                    ],
                },
            });
        const markdown = conversationToMarkdown(conversation('c', [cited('a'), cited('b')]));
        assert.ok(markdown.includes('Answer[^1]'));
        assert.ok(markdown.includes('Answer[^2]'));
        assert.ok(markdown.includes('[^2]: **D**'));
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
});
