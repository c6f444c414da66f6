// The fake Cohere server follows the real recordings where it used to differ: key order, citations
// without content_index by default, a reasoning model's tool turn, and the 2026-12 model catalogue.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { exchange } from '../fake-cohere/wire';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

function chat(body: Record<string, unknown>) {
    return exchange(fake.url, { path: '/v2/chat', body });
}

/**
 * Retired or deprecated names (../shared/docs/cohere-v2-api.md section 7, users-expect.md "Update, 2026-12"):
 * the 2025-09 deprecation of the classic Command models and their aliases, and the 2026-04 retirement of
 * Embed v2 and Aya 8B.
 */
const RETIRED = [
    'command',
    'command-light',
    'command-nightly',
    'command-light-nightly',
    'command-r',
    'command-r-plus',
    'command-r-03-2024',
    'command-r-plus-04-2024',
    'c4ai-aya-expanse-8b',
    'c4ai-aya-vision-8b',
    'embed-english-v2.0',
    'embed-english-light-v2.0',
    'embed-multilingual-v2.0',
    'rerank-english-v2.0',
    'rerank-multilingual-v2.0',
];

const DOCUMENTS = [{ id: 'doc:0', data: { title: 'Penguins', snippet: 'Emperor penguins are tall.' } }];

void describe('the fake server, as the live API records show', () => {
    void test('a reply has its keys in the recorded order: id, message, finish_reason, usage', async () => {
        const answer = await chat({
            model: 'command-a-03-2025',
            messages: [{ role: 'user', content: 'hi' }],
        });
        assert.deepEqual(Object.keys(JSON.parse(answer.text) as object), [
            'id',
            'message',
            'finish_reason',
            'usage',
        ]);
    });

    void test('citations leave content_index out by default, and carry it with content_index=1', async () => {
        const request = {
            model: 'command-a-03-2025',
            messages: [{ role: 'user', content: 'penguins' }],
            documents: DOCUMENTS,
        };
        const plain = JSON.parse((await chat(request)).text) as { message: { citations: object[] } };
        assert.ok(plain.message.citations.length > 0);
        for (const citation of plain.message.citations) assert.ok(!('content_index' in citation));
        const withIndex = JSON.parse(
            (
                await exchange(fake.url, {
                    path: '/v2/chat',
                    body: request,
                    headers: { 'x-fake-scenario': 'rag?content_index=1' },
                })
            ).text,
        ) as { message: { citations: { content_index?: number }[] } };
        for (const citation of withIndex.message.citations) assert.equal(citation.content_index, 0);
    });

    void test("a reasoning model's tool turn is thinking plus tool_calls, without tool_plan", async () => {
        const tools = [
            {
                type: 'function',
                function: {
                    name: 'get_weather',
                    parameters: { type: 'object', properties: { city: { type: 'string' } } },
                },
            },
        ];
        const answer = await chat({
            model: 'command-a-reasoning-08-2025',
            messages: [{ role: 'user', content: 'weather in Paris' }],
            tools,
        });
        const reply = JSON.parse(answer.text) as { finish_reason: string; message: Record<string, unknown> };
        assert.equal(reply.finish_reason, 'TOOL_CALL');
        assert.equal(reply.message['tool_plan'], undefined);
        assert.equal((reply.message['content'] as { type: string }[])[0]?.type, 'thinking');
        assert.ok((reply.message['tool_calls'] as unknown[]).length > 0);
        const plain = JSON.parse(
            (
                await chat({
                    model: 'command-a-03-2025',
                    messages: [{ role: 'user', content: 'weather in Paris' }],
                    tools,
                })
            ).text,
        ) as { message: Record<string, unknown> };
        assert.equal(typeof plain.message['tool_plan'], 'string');
    });

    void test('the model list follows the 2026-12 catalogue', async () => {
        const answer = await exchange(fake.url, { path: '/v1/models?page_size=1000' });
        const models = (
            JSON.parse(answer.text) as {
                models: { name: string; context_length: number; features: string[] }[];
            }
        ).models;
        const byName = new Map(models.map((model) => [model.name, model]));
        for (const name of [
            'command-a-plus-05-2026',
            'north-mini-code-1-0',
            'rerank-v4.0-pro',
            'rerank-v4.0-fast',
        ]) {
            assert.ok(byName.has(name), name);
        }
        assert.deepEqual(
            ['vision', 'reasoning', 'tools'].filter((feature) =>
                byName.get('command-a-plus-05-2026')?.features.includes(feature),
            ),
            ['vision', 'reasoning', 'tools'],
        );
        assert.equal(byName.get('north-mini-code-1-0')?.context_length, 256_000);
        for (const retired of RETIRED) assert.ok(!byName.has(retired), retired);
        // Still live (../shared/docs/cohere-v2-api.md section 7; Cohere's deprecations page lists them as
        // Active, and the 2025-09 deprecation names them as the replacements): listed, not deprecated.
        for (const live of ['command-r-08-2024', 'command-r-plus-08-2024', 'command-r7b-12-2024']) {
            assert.equal(
                (byName.get(live) as { is_deprecated?: boolean } | undefined)?.is_deprecated,
                false,
                live,
            );
        }
    });

    void test("a retired model is refused as the live API refuses it: 404 with the API's words", async () => {
        for (const model of RETIRED.filter(
            (name) => !name.startsWith('embed') && !name.startsWith('rerank'),
        )) {
            const answer = await chat({ model, messages: [{ role: 'user', content: 'hi' }] });
            assert.equal(answer.status, 404, model);
            assert.deepEqual(JSON.parse(answer.text), {
                message: `model '${model}' not found, make sure the correct model ID was used and that you have access to the model.`,
            });
        }
        assert.equal(
            (await chat({ model: 'command-r-08-2024', messages: [{ role: 'user', content: 'hi' }] })).status,
            200,
        );
    });
});
