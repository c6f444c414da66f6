import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markdownFileName } from '../../src/commands/fileName';
import { buildChatContext, isDemoMode } from '../../src/ui/chatContext';

void describe('buildChatContext', () => {
    void test('tells the view the model, its context length, whether a key exists, demo, streaming and history', async () => {
        const history = [{ id: 'c1', title: 'Hello', updatedAt: 5, turnCount: 1 }];
        const context = await buildChatContext({
            settings: () => ({ model: 'command-a-03-2025', stream: false }),
            models: { contextLength: (name) => (name === 'command-a-03-2025' ? 256000 : undefined) },
            hasApiKey: async () => true,
            history: () => history,
            demo: true,
        });
        assert.deepEqual(context, {
            model: 'command-a-03-2025',
            contextLength: 256000,
            hasApiKey: true,
            demo: true,
            stream: false,
            history,
            models: [],
        });
    });

    void test("lists the endpoint's current chat models, with their context length, for the composer's picker", async () => {
        const context = await buildChatContext({
            settings: () => ({ model: 'command-a-03-2025', stream: true }),
            models: {
                contextLength: () => undefined,
                known: () => [
                    { name: 'command-r-08-2024', context_length: 128000, is_deprecated: true },
                    { name: 'command-a-03-2025', context_length: 256000 },
                    { name: 'north-mini' },
                ],
            },
            hasApiKey: async () => true,
            history: () => [],
            demo: false,
        });
        assert.deepEqual(context.models, [
            { name: 'command-a-03-2025', contextLength: 256000 },
            { name: 'north-mini' },
        ]);
    });

    void test('leaves the context length out when the model list does not know the model', async () => {
        const context = await buildChatContext({
            settings: () => ({ model: 'my-finetune', stream: true }),
            models: { contextLength: () => undefined },
            hasApiKey: async () => false,
            history: () => [],
            demo: false,
        });
        assert.equal('contextLength' in context, false);
        assert.equal(context.hasApiKey, false);
    });
});

void describe('isDemoMode', () => {
    void test('is on only for COHERE_CHAT_DEMO=1', () => {
        assert.equal(isDemoMode({ COHERE_CHAT_DEMO: '1' }), true);
        assert.equal(isDemoMode({ COHERE_CHAT_DEMO: 'true' }), false);
        assert.equal(isDemoMode({}), false);
    });
});

void describe('markdownFileName', () => {
    void test('makes a safe .md name from a conversation title', () => {
        assert.equal(markdownFileName('Explain src/app.ts: why?'), 'Explain src app.ts why.md');
        assert.equal(markdownFileName('..hidden'), 'hidden.md');
        assert.equal(markdownFileName('  '), 'chat.md');
        assert.equal(markdownFileName('a\u0000b\nc'), 'a b c.md');
        assert.equal(markdownFileName('x'.repeat(200)).length, 83);
    });
});
