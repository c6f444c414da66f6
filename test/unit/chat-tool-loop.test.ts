// The tool loop against the fake Cohere server over loopback: scripted multi-step scenarios, the
// history shapes the API accepts (the fake answers 400 to anything else), the step limit, Stop, a
// throwing tool, and a reload mid-loop followed by Retry from the last complete step.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import type { Turn } from '../../src/chat/model';
import type { ToolRunner, ToolSession } from '../../src/chat/toolLoop';
import type { AssistantMessage, ChatRequest, ToolMessage } from '../../src/cohere/types';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness, waitForEvent } from './chat-service-harness';
import type { Harness } from './chat-service-harness';
import { makeToolFixture } from './tools-fixtures';
import type { ToolFixture } from './tools-fixtures';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(async () => {
    await fake.close();
});

async function setUp(
    t: TestContext,
    options: {
        stream?: boolean;
        maxSteps?: number;
        runner?: (fixture: ToolFixture) => ToolRunner;
        dir?: string;
    } = {},
): Promise<{ harness: Harness; fixture: ToolFixture }> {
    const fixture = await makeToolFixture(t);
    const runner = options.runner?.(fixture) ?? fixture.toolbox;
    const session: ToolSession = { runner, maxSteps: options.maxSteps ?? 5 };
    const harness = await startHarness(t, fake, {
        settings: { stream: options.stream ?? true },
        tools: () => session,
        ...(options.dir === undefined ? {} : { dir: options.dir }),
    });
    return { harness, fixture };
}

async function ask(harness: Harness, text: string): Promise<{ id: string; turn: Turn }> {
    const conversation = harness.service.newConversation();
    await harness.service.send(conversation.id, text);
    const saved = await harness.service.get(conversation.id);
    return { id: conversation.id, turn: saved!.turns.at(-1)! };
}

function assistantWithCalls(request: ChatRequest): AssistantMessage[] {
    return request.messages.filter(
        (message): message is AssistantMessage =>
            message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0,
    );
}

for (const stream of [true, false]) {
    void describe(`the tool loop (${stream ? 'streamed' : 'complete'} replies)`, () => {
        void test('lists, reads two files, then answers citing what it read', async (t) => {
            const { harness } = await setUp(t, { stream });
            const { turn } = await ask(harness, 'What does the app do? [[fake:tools-read?dir=src]]');
            assert.equal(turn.status, 'complete', JSON.stringify(turn.error));
            assert.equal(turn.steps?.length, 2);
            assert.deepEqual(
                turn.steps?.map((step) => step.calls.map((call) => call.name)),
                [['list_directory'], ['read_file', 'read_file']],
            );
            const reads = turn.steps![1]!.calls;
            assert.deepEqual(
                reads.map((call) => call.documents?.[0]?.path),
                ['src/app.ts', 'src/greet.ts'],
            );
            assert.equal(reads[0]?.documents?.[0]?.startLine, 1);
            assert.equal(reads[0]?.documents?.[0]?.endLine, 5);
            // The answer cites both files by the ids of the documents the reads returned.
            const cited = turn.reply.citations.flatMap(
                (citation) => citation.sources?.map((source) => source.id) ?? [],
            );
            for (const call of reads)
                assert.ok(cited.includes(`${call.id}:0`), `${call.id}:0 in ${cited.join(',')}`);
            const requests = harness.chatRequests();
            assert.equal(requests.length, 3);
            // What went back: the assistant turn with tool_calls and tool_plan, never text content.
            const [listing] = assistantWithCalls(requests[1]!);
            assert.equal(listing?.content, undefined);
            assert.match(listing?.tool_plan ?? '', /list src/);
            const results = requests[2]!.messages.filter(
                (message): message is ToolMessage => message.role === 'tool',
            );
            assert.deepEqual(
                results.map((message) => message.tool_call_id),
                [turn.steps![0]!.calls[0]!.id, reads[0]!.id, reads[1]!.id],
            );
            assert.ok(
                requests.every((request) =>
                    request.tools?.some((tool) => tool.function.name === 'read_file'),
                ),
            );
            assert.ok(turn.usage?.billed_units?.input_tokens !== undefined);
        });
    });
}

void describe('the tool loop', () => {
    void test("a later turn sends the earlier turn's calls, plans and results back as the API accepts them", async (t) => {
        const { harness } = await setUp(t);
        const { id } = await ask(harness, 'Read the source [[fake:tools-read?dir=src]]');
        await harness.service.send(id, 'Thanks! [[fake:text]]');
        const conversation = await harness.service.get(id);
        assert.equal(
            conversation?.turns[1]?.status,
            'complete',
            JSON.stringify(conversation?.turns[1]?.error),
        );
        const last = harness.chatRequests().at(-1)!;
        assert.deepEqual(
            last.messages.map((message) => message.role),
            ['user', 'assistant', 'tool', 'assistant', 'tool', 'tool', 'assistant', 'user'],
        );
        assert.equal(typeof last.messages[6]?.content, 'string');
    });

    void test("a reasoning model's tool turn: its thinking goes back instead of a plan", async (t) => {
        const { harness } = await setUp(t);
        const { turn } = await ask(harness, 'Explain the readme [[fake:tools-reasoning?file=README.md]]');
        assert.equal(turn.status, 'complete', JSON.stringify(turn.error));
        assert.equal(turn.steps?.[0]?.plan, undefined);
        assert.match(turn.steps?.[0]?.thinking ?? '', /read it before answering/);
        const [sent] = assistantWithCalls(harness.chatRequests()[1]!);
        assert.equal(sent?.tool_plan, undefined);
        assert.deepEqual(sent?.content, [{ type: 'thinking', thinking: turn.steps![0]!.thinking }]);
        assert.deepEqual(
            turn.reply.content.map((block) => block.type),
            ['thinking', 'text'],
        );
        assert.ok(turn.reply.citations.length > 0);
    });

    void test('bad arguments go back to the model as an error, and it corrects itself', async (t) => {
        const { harness } = await setUp(t);
        const { turn } = await ask(harness, 'Read it [[fake:tools-bad-args?file=README.md]]');
        assert.equal(turn.status, 'complete');
        assert.equal(turn.steps?.[0]?.calls[0]?.status, 'error');
        assert.match(turn.steps![0]!.calls[0]!.documents![0]!.data['error']!, /path must be a string/);
        assert.equal(turn.steps?.[1]?.calls[0]?.status, 'done');
    });

    void test('a tool that throws returns its error as the result; the turn goes on', async (t) => {
        const { harness } = await setUp(t, {
            runner: (fixture) => ({
                definitions: () => fixture.toolbox.definitions(),
                execute: () => Promise.reject(new Error('disk on fire')),
            }),
        });
        const { turn } = await ask(harness, 'Read it [[fake:tools-bad-args?file=README.md]]');
        assert.equal(turn.status, 'complete');
        assert.equal(turn.steps?.[0]?.calls[0]?.status, 'error');
        const sent = harness
            .chatRequests()[1]!
            .messages.find((message) => message.role === 'tool') as ToolMessage;
        assert.match(JSON.stringify(sent.content), /disk on fire/);
    });

    void test('the step limit: the last allowed request asks for an answer without tools', async (t) => {
        const { harness } = await setUp(t, { maxSteps: 2 });
        const { turn } = await ask(harness, 'Loop [[fake:tools-loop?file=README.md]]');
        assert.equal(turn.status, 'complete');
        assert.equal(turn.steps?.length, 2);
        const requests = harness.chatRequests();
        assert.equal(requests.length, 3);
        assert.equal(requests[1]?.tool_choice, undefined);
        assert.equal(requests[2]?.tool_choice, 'NONE');
    });

    void test('an edit proposal: the person applies it and the model hears so', async (t) => {
        const { harness, fixture } = await setUp(t);
        const { turn } = await ask(harness, 'Fix the title [[fake:tools-edit?file=README.md]]');
        assert.equal(turn.status, 'complete');
        assert.equal(turn.steps?.[1]?.calls[0]?.change?.outcome, 'applied');
        assert.equal(fixture.proposals.length, 1);
        assert.match(await readFile(path.join(fixture.root, 'README.md'), 'utf8'), /^# Demo \(edited\)\n/);
        assert.match(turn.reply.content[0]?.type === 'text' ? turn.reply.content[0].text : '', /applied/);
    });

    void test('an applied change marked undone is saved and shown so; any other change is left as it is', async (t) => {
        const { harness } = await setUp(t);
        const { id, turn } = await ask(harness, 'Fix the title [[fake:tools-edit?file=README.md]]');
        const callId = turn.steps![1]!.calls[0]!.id;
        const shown = waitForEvent(
            harness,
            (event) =>
                event.type === 'turnStarted' && event.turn.steps?.[1]?.calls[0]?.change?.outcome === 'undone',
        );
        await harness.service.markChangeUndone(id, turn.id, callId);
        await shown;
        const saved = await harness.store.load(id);
        assert.equal(saved?.turns[0]?.steps?.[1]?.calls[0]?.change?.outcome, 'undone');
        // Undone once is undone: a second time, or a call without an applied change, changes nothing.
        await harness.service.markChangeUndone(id, turn.id, turn.steps![0]!.calls[0]!.id);
        await harness.service.markChangeUndone(id, turn.id, callId);
        const again = await harness.service.get(id);
        assert.equal(again?.turns[0]?.steps?.[0]?.calls[0]?.change, undefined);
        assert.equal(again?.turns[0]?.steps?.[1]?.calls[0]?.change?.outcome, 'undone');
    });

    void test('Stop during a tool call cancels it at once and sends nothing more', async (t) => {
        let running: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (running = resolve));
        const { harness } = await setUp(t, {
            runner: (fixture) => ({
                definitions: () => fixture.toolbox.definitions(),
                execute: (_call, signal) =>
                    new Promise((_, reject) => {
                        running();
                        signal.addEventListener('abort', () => reject(new Error('aborted')));
                    }),
            }),
        });
        const conversation = harness.service.newConversation();
        const sent = harness.service.send(conversation.id, 'Read [[fake:tools-edit?file=README.md]]');
        await started;
        const turnId = harness.service.snapshot(conversation.id)!.turns[0]!.id;
        harness.service.stop(conversation.id, turnId);
        await sent;
        const turn = (await harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(turn.status, 'stopped');
        assert.equal(turn.steps?.[0]?.calls[0]?.status, 'cancelled');
        assert.equal(harness.chatRequests().length, 1);
    });

    void test('a reload mid-loop restores every step, and Retry goes on from the last complete one', async (t) => {
        let block = false;
        let running: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (running = resolve));
        const runner = (fixture: ToolFixture): ToolRunner => ({
            definitions: () => fixture.toolbox.definitions(),
            execute: (call, signal) => {
                if (!block || call.name !== 'read_file') return fixture.toolbox.execute(call, signal);
                running();
                // The window closes while this read runs: it never finishes (until the test disposes it).
                return new Promise((_, reject) =>
                    signal.addEventListener('abort', () => reject(new Error('closed'))),
                );
            },
        });
        const first = await setUp(t, { runner });
        block = true;
        const conversation = first.harness.service.newConversation();
        void first.harness.service.send(conversation.id, 'What is in src? [[fake:tools-read?dir=src]]');
        await started;
        await waitForEvent(
            first.harness,
            (event) => event.type === 'turnStarted' && (event.turn.steps?.length ?? 0) === 2,
        );
        // The step is saved as it starts; wait until the file on disk has it.
        while (((await first.harness.store.load(conversation.id))?.turns[0]?.steps?.length ?? 0) < 2) {
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        // A new window: a new service over the same folder, the first one never heard of again.
        const second = await setUp(t, { dir: first.harness.dir });
        const reloaded = (await second.harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(reloaded.status, 'stopped');
        assert.equal(reloaded.steps?.length, 2);
        assert.equal(reloaded.steps?.[0]?.calls[0]?.status, 'done');
        // The read the closed window was running shows as cancelled, not as running forever.
        assert.equal(reloaded.steps?.[1]?.calls[0]?.status, 'cancelled');
        await second.harness.service.retry(conversation.id, reloaded.id);
        const retried = (await second.harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(retried.status, 'complete', JSON.stringify(retried.error));
        assert.equal(retried.steps?.[0]?.calls[0]?.id, reloaded.steps?.[0]?.calls[0]?.id);
        assert.equal(retried.steps?.length, 2);
        assert.ok(retried.steps?.[1]?.calls.every((call) => call.status === 'done'));
        // The first request after Retry already carries the complete listing step.
        const resumed = second.harness.chatRequests()[0]!;
        assert.equal(assistantWithCalls(resumed).length, 1);
    });

    void test('a reload while an edit waits for the person: Retry proposes it again, the read before it still counts', async (t) => {
        let waiting: () => void = () => undefined;
        const proposed = new Promise<void>((resolve) => (waiting = resolve));
        const first = await setUp(t, {
            runner: (fixture) => ({
                definitions: () => fixture.toolbox.definitions(),
                execute: (call, signal) => {
                    if (call.name !== 'edit_file') return fixture.toolbox.execute(call, signal);
                    waiting();
                    // The diff is open when the window closes: no answer ever comes.
                    return new Promise((_, reject) =>
                        signal.addEventListener('abort', () => reject(new Error('closed'))),
                    );
                },
            }),
        });
        const conversation = first.harness.service.newConversation();
        void first.harness.service.send(conversation.id, 'Fix the title [[fake:tools-edit?file=README.md]]');
        await proposed;
        while (((await first.harness.store.load(conversation.id))?.turns[0]?.steps?.length ?? 0) < 2) {
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        // The new window has a new Toolbox over the same folder: it knows nothing of what was read.
        const second = await setUp(t, { dir: first.harness.dir, runner: () => first.fixture.freshToolbox() });
        const reloaded = (await second.harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(reloaded.steps?.[1]?.calls[0]?.status, 'cancelled');
        await second.harness.service.retry(conversation.id, reloaded.id);
        const retried = (await second.harness.service.get(conversation.id))!.turns[0]!;
        assert.equal(retried.status, 'complete', JSON.stringify(retried.error));
        assert.equal(retried.steps?.[1]?.calls[0]?.change?.outcome, 'applied', JSON.stringify(retried.steps));
        assert.match(
            await readFile(path.join(first.fixture.root, 'README.md'), 'utf8'),
            /^# Demo \(edited\)\n/,
        );
    });
});
