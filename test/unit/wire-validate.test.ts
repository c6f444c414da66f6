// Malformed structures from a hostile server (streamed and not) and from a damaged saved file are
// dropped where they enter the host, each with one log line, and never reach a turn or the disk.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { ReplyAssembler } from '../../src/chat/assembler';
import type { Reply } from '../../src/chat/model';
import { ChatService } from '../../src/chat/service';
import { ConversationStore } from '../../src/chat/store';
import { CohereClient } from '../../src/cohere/index';
import type { ChatResponse, ChatStreamEvent, Citation } from '../../src/cohere/types';
import { CapturingLogger, settingsWith } from './chat-fixtures';
import { sendJson, sseEvent, startTestServer } from './cohere-test-server';

const GOOD: Citation = {
    start: 0,
    end: 5,
    text: 'Hello',
    type: 'TEXT_CONTENT',
    sources: [{ type: 'document', id: 'doc:0', document: { id: 'doc:0', title: 'T' } }],
};

/** Citations a hostile server sends next to one good one: each must be dropped. */
const BAD_CITATIONS: unknown[] = [
    { ...GOOD, content_index: '__proto__' },
    null,
    'a string',
    { ...GOOD, content_index: -1 },
    { ...GOOD, content_index: 1.5 },
    { ...GOOD, content_index: 7 },
    { ...GOOD, start: 3, end: 999 },
    { ...GOOD, start: 4, end: 2 },
    { ...GOOD, start: '0', end: 5 },
    { ...GOOD, start: undefined },
    { ...GOOD, sources: 'doc:0' },
    { ...GOOD, sources: [null] },
    { ...GOOD, sources: [{ type: 'document', document: 'not an object' }] },
    { ...GOOD, type: 42 },
];

const TEXT = 'Hello world';

function streamEvents(): unknown[] {
    return [
        { type: 'message-start', id: 'gen-1', delta: { message: { role: 'assistant' } } },
        { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
        { type: 'content-delta', index: 0, delta: { message: { content: { text: TEXT } } } },
        // Indexes that are no block number: dropped, never used as a key.
        { type: 'content-delta', index: '__proto__', delta: { message: { content: { text: 'polluted' } } } },
        { type: 'content-delta', index: 1e9, delta: { message: { content: { text: 'sparse' } } } },
        { type: 'content-delta', index: 0, delta: { message: { content: { text: { not: 'text' } } } } },
        { type: 'tool-call-start', index: '__proto__', delta: { message: { tool_calls: { id: 'x' } } } },
        { type: 'content-end', index: 0 },
        ...[GOOD, ...BAD_CITATIONS].map((citation, index) => ({
            type: 'citation-start',
            index,
            delta: { message: { citations: citation } },
        })),
        {
            type: 'message-end',
            delta: {
                finish_reason: 'COMPLETE',
                usage: { tokens: { input_tokens: 'many', output_tokens: 3 } },
            },
        },
    ];
}

function streamBody(): string {
    return (
        streamEvents()
            .map((event) => sseEvent(event))
            .join('') + 'data: [DONE]\n\n'
    );
}

function jsonReply(): unknown {
    return {
        id: 'gen-2',
        finish_reason: 'COMPLETE',
        message: {
            role: 'assistant',
            content: [{ type: 'text', text: TEXT }, null, { type: 'image', url: 'x' }],
            citations: [GOOD, ...BAD_CITATIONS],
            tool_calls: [null, { id: 7 }],
        },
        usage: { billed_units: { input_tokens: 2, output_tokens: '3' } },
    };
}

async function startService(t: TestContext, url: string, stream: boolean) {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-validate-'));
    const log = new CapturingLogger();
    const client = new CohereClient({ baseUrl: url, apiKey: 'test-key' });
    const store = new ConversationStore(dir, log);
    const service = await ChatService.create({
        client,
        store,
        settings: () => settingsWith({ maxRetries: 0, stream }),
        log,
        hasApiKey: async () => true,
    });
    t.after(async () => {
        service.dispose();
        await service.whenIdle();
        await client.close();
        await rm(dir, { recursive: true, force: true });
    });
    return { service, store, dir, log };
}

function droppedLines(log: CapturingLogger): string[] {
    return log.lines.filter((line) => line.text.includes('dropped')).map((line) => line.text);
}

for (const stream of [true, false]) {
    void describe(`a hostile server's ${stream ? 'streamed' : 'complete'} reply`, () => {
        void test('keeps the good citation, drops each bad structure with one log line, and saves only what is valid', async (t) => {
            const server = await startTestServer((_req, res) => {
                if (stream) {
                    res.writeHead(200, { 'content-type': 'text/event-stream' });
                    res.end(streamBody());
                } else {
                    sendJson(res, 200, jsonReply());
                }
            });
            t.after(() => server.close());
            const { service, dir, log } = await startService(t, server.url, stream);
            const conversation = service.newConversation();
            await service.send(conversation.id, 'hi');
            await service.whenIdle();

            const turn = (await service.get(conversation.id))?.turns[0];
            assert.equal(turn?.status, 'complete');
            assert.deepEqual(turn?.reply.content, [{ type: 'text', text: TEXT }]);
            assert.deepEqual(turn?.reply.citations, [{ ...GOOD, content_index: 0 }]);
            assert.equal(turn?.reply.toolCalls, undefined);
            assert.equal(Object.prototype.hasOwnProperty.call(Array.prototype, 'text'), false);
            assert.equal(({} as Record<string, unknown>)['text'], undefined);
            // Each dropped piece is said once, in the log, never more.
            const dropped = droppedLines(log);
            // The bad citations, plus four bad blocks/indexes/tool calls in either shape of reply.
            assert.equal(dropped.length, BAD_CITATIONS.length + 4, dropped.join('\n'));
            assert.ok(dropped.some((line) => line.includes('"__proto__"')));

            // What is on disk reads back the same.
            const fresh = new ConversationStore(dir, new CapturingLogger());
            const saved = await fresh.load(conversation.id);
            assert.deepEqual(saved?.turns[0]?.reply.citations, [{ ...GOOD, content_index: 0 }]);
        });
    });
}

// Each layer checks on its own (the client where the reply enters the host, the chat's assembler for
// whatever client feeds it), so the tests above, which go through both, would pass with either missing.
void describe('each layer drops the bad structures by itself', () => {
    void test('the client hands on only checked events, and its replies hold only the good citation', async (t) => {
        const server = await startTestServer((_req, res, seen) => {
            if ((JSON.parse(seen.body) as { stream?: boolean }).stream === true) {
                res.writeHead(200, { 'content-type': 'text/event-stream' });
                res.end(streamBody());
            } else {
                sendJson(res, 200, jsonReply());
            }
        });
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'test-key', maxRetries: 0 });
        t.after(async () => {
            await client.close();
            await server.close();
        });
        const request = { model: 'command-a-03-2025', messages: [{ role: 'user' as const, content: 'hi' }] };
        for (const stream of [true, false]) {
            const problems: string[] = [];
            let response: ChatResponse;
            const handedOn: unknown[] = [];
            if (stream) {
                const events = client.chatStream(request, {
                    onInvalidData: (problem) => problems.push(problem),
                });
                for await (const event of events) {
                    if (event.type === 'citation-start') handedOn.push(event.delta?.message?.citations);
                }
                response = await events.response;
            } else {
                response = await client.chat(request, { onInvalidData: (problem) => problems.push(problem) });
                handedOn.push(...(response.message.citations ?? []));
            }
            // The client keeps the server's numbering: GOOD has no content_index, and gets none.
            assert.deepEqual(handedOn, [GOOD], stream ? 'streamed' : 'complete');
            assert.deepEqual(response.message.citations, [GOOD]);
            assert.deepEqual(response.message.content, [{ type: 'text', text: TEXT }]);
            assert.equal(problems.length, BAD_CITATIONS.length + 4, problems.join('\n'));
        }
    });

    void test('the chat assembler, fed the raw events or the raw reply, keeps only the good citation', () => {
        for (const stream of [true, false]) {
            const reply: Reply = { content: [], citations: [] };
            const problems: string[] = [];
            const assembler = new ReplyAssembler(reply, false, (problem) => problems.push(problem));
            if (stream) {
                for (const event of streamEvents())
                    assembler.apply(event as ChatStreamEvent, () => undefined);
            } else {
                assembler.applyResponse(jsonReply() as ChatResponse);
            }
            assert.deepEqual(reply.content, [{ type: 'text', text: TEXT }], stream ? 'streamed' : 'complete');
            assert.deepEqual(reply.citations, [{ ...GOOD, content_index: 0 }]);
            assert.equal(reply.toolCalls, undefined);
            assert.equal(problems.length, BAD_CITATIONS.length + 4, problems.join('\n'));
            assert.ok(problems.some((problem) => problem.includes('"__proto__"')));
        }
    });
});

void describe('a saved conversation file with malformed parts', () => {
    void test('loads with the bad citations and other parts dropped, and one log line says so', async (t) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'cohere-validate-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const turn = {
            id: 't1',
            prompt: 'hi',
            request: { model: 'command-a-03-2025', stream: true },
            reply: {
                content: [{ type: 'text', text: TEXT }],
                citations: [{ ...GOOD, content_index: 0 }, ...BAD_CITATIONS],
                toolCalls: [null],
            },
            usage: 'lots',
            finishReason: 7,
            error: { code: 'server' },
            attachments: [{ id: 'sel-1', title: 'a.ts:1-2', text: 'x' }, { id: 3 }],
            status: 'complete',
            createdAt: 1,
        };
        const file = { schemaVersion: 1, id: 'c1', title: 'T', createdAt: 1, updatedAt: 2, turns: [turn] };
        await writeFile(path.join(dir, 'c1.json'), JSON.stringify(file));
        const log = new CapturingLogger();
        const loaded = await new ConversationStore(dir, log).load('c1');
        const loadedTurn = loaded?.turns[0];
        assert.deepEqual(loadedTurn?.reply.citations, [{ ...GOOD, content_index: 0 }]);
        assert.equal(loadedTurn?.reply.toolCalls, undefined);
        assert.equal(loadedTurn?.usage, undefined);
        assert.equal(loadedTurn?.finishReason, undefined);
        assert.equal(loadedTurn?.error, undefined);
        assert.deepEqual(loadedTurn?.attachments, [{ id: 'sel-1', title: 'a.ts:1-2', text: 'x' }]);
        const lines = log.lines.filter((line) => line.text.includes('dropped'));
        assert.equal(lines.length, 1);
        assert.match(lines[0]?.text ?? '', /c1\.json.*"__proto__"/);
        // The file is kept (not set aside): it was readable, only parts of it were bad.
        assert.ok((await readFile(path.join(dir, 'c1.json'), 'utf8')).length > 0);
    });
});
