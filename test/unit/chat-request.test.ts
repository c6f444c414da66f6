import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChatRequest, CONTINUE_PROMPT, turnRequestOf } from '../../src/chat/request';
import { titleFromPrompt, UNTITLED } from '../../src/chat/title';
import { conversation, settingsWith, turn } from './chat-fixtures';

void describe('buildChatRequest', () => {
    void test('sends the system prompt, earlier turns and the new prompt in order', () => {
        const chat = conversation('c', [turn('t1', 'Hi', 'Hello!'), turn('t2', 'How are you?', '')]);
        const request = buildChatRequest(chat, settingsWith({ systemPrompt: 'Be kind.' }), { turnIndex: 1 });
        assert.deepEqual(request, {
            model: 'command-a-03-2025',
            messages: [
                { role: 'system', content: 'Be kind.' },
                { role: 'user', content: 'Hi' },
                { role: 'assistant', content: 'Hello!' },
                { role: 'user', content: 'How are you?' },
            ],
        });
    });

    void test('sends no turns after the one being sent', () => {
        const chat = conversation('c', [
            turn('t1', 'One', 'A'),
            turn('t2', 'Two', 'B'),
            turn('t3', 'Three', 'C'),
        ]);
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 1 });
        assert.deepEqual(request.messages, [
            { role: 'user', content: 'One' },
            { role: 'assistant', content: 'A' },
            { role: 'user', content: 'Two' },
        ]);
    });

    void test('sends a stopped partial reply as it is and leaves out turns without reply text', () => {
        const chat = conversation('c', [
            turn('t1', 'Story?', 'Once upon', { status: 'stopped' }),
            turn('t2', 'Failed one', '', { status: 'failed', error: { code: 'server', message: 'boom' } }),
            turn('t3', 'Thinking only', '', {
                status: 'stopped',
                reply: { content: [{ type: 'thinking', thinking: 'hmm' }], citations: [] },
            }),
            turn('t4', 'Next', ''),
        ]);
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 3 });
        assert.deepEqual(request.messages, [
            { role: 'user', content: 'Story?' },
            { role: 'assistant', content: 'Once upon' },
            { role: 'user', content: 'Next' },
        ]);
    });

    void test('sends only the text blocks of a reply, joined, never its thinking', () => {
        const chat = conversation('c', [
            turn('t1', 'Q', '', {
                reply: {
                    content: [
                        { type: 'thinking', thinking: 'secret reasoning' },
                        { type: 'text', text: 'Part one, ' },
                        { type: 'text', text: 'part two.' },
                    ],
                    citations: [],
                },
            }),
            turn('t2', 'Q2', ''),
        ]);
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 1 });
        assert.deepEqual(request.messages[1], { role: 'assistant', content: 'Part one, part two.' });
    });

    void test('puts the attachments of every sent turn in top-level documents, once per id', () => {
        const attachment = {
            id: 'sel-1',
            title: 'src/a.ts:1-3',
            text: 'let a = 1;',
            uri: 'file:///a.ts',
            startLine: 1,
        };
        const chat = conversation('c', [
            turn('t1', 'About a', 'It sets a.', { attachments: [attachment] }),
            turn('t2', 'Left out', '', {
                status: 'failed',
                attachments: [{ id: 'sel-2', title: 'x', text: 'x' }],
            }),
            turn('t3', 'And b?', '', {
                attachments: [{ id: 'sel-3', title: 'b.ts:4', text: 'b()' }, attachment],
            }),
        ]);
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 2 });
        assert.deepEqual(request.documents, [
            { id: 'sel-1', data: { title: 'src/a.ts:1-3', snippet: 'let a = 1;' } },
            { id: 'sel-3', data: { title: 'b.ts:4', snippet: 'b()' } },
        ]);
    });

    void test('maps every set parameter to its snake_case field and leaves unset ones out', () => {
        const chat = conversation('c', [turn('t1', 'Q', '')]);
        const settings = settingsWith({
            model: 'command-r-08-2024',
            temperature: 0.2,
            maxTokens: 100,
            stopSequences: ['STOP'],
            frequencyPenalty: 0.3,
            presencePenalty: 0.4,
            safetyMode: 'STRICT',
            thinking: 'on',
            thinkingTokenBudget: 1024,
            citationMode: 'FAST',
        });
        const request = buildChatRequest(chat, settings, { turnIndex: 0 });
        assert.deepEqual(request, {
            model: 'command-r-08-2024',
            messages: [{ role: 'user', content: 'Q' }],
            temperature: 0.2,
            max_tokens: 100,
            stop_sequences: ['STOP'],
            frequency_penalty: 0.3,
            presence_penalty: 0.4,
            safety_mode: 'STRICT',
            thinking: { type: 'enabled', token_budget: 1024 },
            citation_options: { mode: 'FAST' },
        });
        const plain = buildChatRequest(chat, settingsWith(), { turnIndex: 0 });
        assert.deepEqual(Object.keys(plain).sort(), ['messages', 'model']);
        assert.ok(!JSON.stringify(plain).includes('null'));
    });

    void test('sends thinking disabled when it is off, without a budget', () => {
        const chat = conversation('c', [turn('t1', 'Q', '')]);
        const request = buildChatRequest(chat, settingsWith({ thinking: 'off', thinkingTokenBudget: 99 }), {
            turnIndex: 0,
        });
        assert.deepEqual(request.thinking, { type: 'disabled' });
    });

    void test('leaves safety_mode out when documents are sent, as the API refuses both together', () => {
        const chat = conversation('c', [
            turn('t1', 'Q', '', { attachments: [{ id: 'd', title: 't', text: 'x' }] }),
        ]);
        const request = buildChatRequest(chat, settingsWith({ safetyMode: 'STRICT' }), { turnIndex: 0 });
        assert.equal(request.safety_mode, undefined);
        assert.equal(request.documents?.length, 1);
    });

    void test('continues a cut reply by sending it as the assistant message, then the continue prompt', () => {
        const chat = conversation('c', [
            turn('t1', 'Write a lot', 'The first half', { finishReason: 'MAX_TOKENS' }),
        ]);
        const request = buildChatRequest(chat, settingsWith(), { turnIndex: 0, continuing: true });
        assert.deepEqual(request.messages, [
            { role: 'user', content: 'Write a lot' },
            { role: 'assistant', content: 'The first half' },
            { role: 'user', content: CONTINUE_PROMPT },
        ]);
    });

    void test('refuses a turn index that does not exist', () => {
        assert.throws(
            () => buildChatRequest(conversation('c', []), settingsWith(), { turnIndex: 0 }),
            RangeError,
        );
    });
});

void describe('turnRequestOf', () => {
    void test('records the model and the parameters that were set', () => {
        assert.deepEqual(turnRequestOf(settingsWith({ stream: false, temperature: 0.7, thinking: 'on' })), {
            model: 'command-a-03-2025',
            stream: false,
            temperature: 0.7,
            thinking: { type: 'enabled' },
        });
    });
});

void describe('titleFromPrompt', () => {
    void test('keeps a short prompt as it is, on one line', () => {
        assert.equal(titleFromPrompt('  What is\n RAG?  '), 'What is RAG?');
    });

    void test('shortens a long prompt at a word boundary with an ellipsis', () => {
        const title = titleFromPrompt(
            'Explain how retrieval augmented generation works with citations in the Cohere API please',
        );
        assert.ok(title.length <= 60, title);
        assert.ok(title.endsWith('…'));
        assert.ok(
            'Explain how retrieval augmented generation works with citations'.startsWith(title.slice(0, -1)),
        );
    });

    void test('drops code fences of a selection sent as a prompt', () => {
        assert.equal(titleFromPrompt('```ts\nconst a = 1;\n```'), 'const a = 1;');
    });

    void test('names an empty prompt as a new chat', () => {
        assert.equal(titleFromPrompt(' \n '), UNTITLED);
    });
});
