import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONTINUE_PROMPT, replyText } from '../../src/chat/request';
import type { Turn } from '../../src/chat/model';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness, waitForEvent } from './chat-service-harness';
import { settingsWith } from './chat-fixtures';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(async () => {
    await fake.close();
});

function onlyTurn(turns: Turn[] | undefined): Turn {
    assert.equal(turns?.length, 1);
    return turns[0] as Turn;
}

void describe('ChatService: sending', () => {
    void test('sends a multi-turn conversation as system, user, assistant, user', async (t) => {
        const h = await startHarness(t, fake, { settings: { systemPrompt: 'Answer briefly.' } });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'What is a citation?');
        await h.service.send(id, 'And a document?');
        const conversation = await h.service.get(id);
        const [first, second] = conversation?.turns ?? [];
        assert.equal(first?.status, 'complete');
        assert.equal(second?.status, 'complete');
        const requests = h.chatRequests();
        assert.equal(requests.length, 2);
        assert.deepEqual(requests[1]?.messages, [
            { role: 'system', content: 'Answer briefly.' },
            { role: 'user', content: 'What is a citation?' },
            { role: 'assistant', content: replyText(first?.reply ?? { content: [], citations: [] }) },
            { role: 'user', content: 'And a document?' },
        ]);
        assert.equal(requests[1]?.model, 'command-a-03-2025');
        assert.equal(conversation?.title, 'What is a citation?');
        assert.equal(conversation?.systemPrompt, 'Answer briefly.');
        assert.equal(second?.finishReason, 'COMPLETE');
        assert.ok((second?.usage?.tokens?.output_tokens ?? 0) > 0);
        assert.equal(second?.attempts, 1);
    });

    void test('emits the turn start, each delta as it arrives, and the end', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Stream this please');
        const types = h.events.map((event) => event.type);
        assert.equal(types[0], 'turnStarted');
        assert.equal(types.at(-1), 'turnEnded');
        assert.ok(types.filter((type) => type === 'delta').length > 1);
        const streamed = h.events
            .map((event) => (event.type === 'delta' && event.kind === 'text' ? event.text : ''))
            .join('');
        const turn = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(streamed, replyText(turn.reply));
        assert.ok(h.events.every((event) => event.conversationId === id));
    });

    void test('a snapshot taken as a delta is emitted already holds that delta, and is a copy', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        const seen: { snapshot: string; streamed: string }[] = [];
        let streamed = '';
        h.service.onEvent((event) => {
            if (event.type !== 'delta' || event.kind !== 'text') return;
            streamed += event.text;
            const turn = h.service.snapshot(id)?.turns[0];
            seen.push({ snapshot: replyText(turn?.reply ?? { content: [], citations: [] }), streamed });
            // Changing the copy must not change the conversation.
            turn?.reply.content.splice(0);
        });
        await h.service.send(id, 'Stream this please');
        assert.ok(seen.length > 1);
        for (const { snapshot, streamed: soFar } of seen) assert.equal(snapshot, soFar);
        assert.equal(replyText(onlyTurn((await h.service.get(id))?.turns).reply), streamed);
        assert.equal(h.service.snapshot('not-loaded'), undefined);
    });

    void test('gives the same turn whether the reply is streamed or not', async (t) => {
        const h = await startHarness(t, fake, { settings: { stream: true } });
        const attachments = [{ id: 'sel-1', title: 'src/app.ts:1-3', text: 'export const answer = 42;' }];
        const streamedChat = h.service.newConversation();
        await h.service.send(streamedChat.id, 'What does the selection export?', attachments);
        h.settings = settingsWith({ maxRetries: 0, stream: false });
        const completeChat = h.service.newConversation();
        await h.service.send(completeChat.id, 'What does the selection export?', attachments);
        const streamed = onlyTurn((await h.service.get(streamedChat.id))?.turns);
        const complete = onlyTurn((await h.service.get(completeChat.id))?.turns);
        assert.ok(streamed.reply.citations.length > 0, 'the RAG reply cites the attachment');
        assert.deepEqual(streamed.reply.content, complete.reply.content);
        assert.deepEqual(streamed.reply.citations, complete.reply.citations);
        assert.deepEqual(streamed.usage, complete.usage);
        assert.equal(streamed.finishReason, complete.finishReason);
        assert.equal(streamed.status, 'complete');
        assert.equal(complete.status, 'complete');
        assert.equal(complete.request.stream, false);
        assert.deepEqual(h.chatRequests()[1]?.documents, [
            { id: 'sel-1', data: { title: 'src/app.ts:1-3', snippet: 'export const answer = 42;' } },
        ]);
    });

    void test('queues a message sent while a reply is streaming and sends it after, with that reply', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        const first = h.service.send(id, 'First [[fake:slow?ms=5]]');
        const second = h.service.send(id, 'Second');
        await Promise.all([first, second]);
        const turns = (await h.service.get(id))?.turns ?? [];
        assert.deepEqual(
            turns.map((turn) => [turn.prompt, turn.status]),
            [
                ['First [[fake:slow?ms=5]]', 'complete'],
                ['Second', 'complete'],
            ],
        );
        assert.equal(h.chatRequests()[1]?.messages.length, 3);
    });
});

void describe('ChatService: stop, retry, regenerate, edit, continue', () => {
    void test('stop keeps what arrived and marks the turn stopped', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        const sending = h.service.send(id, 'Tell me a long story [[fake:slow?ms=50]]');
        await waitForEvent(h, (event) => event.type === 'delta');
        const started = h.events.find((event) => event.type === 'turnStarted');
        assert.ok(started?.type === 'turnStarted');
        h.service.stop(id, started.turn.id);
        await sending;
        const turn = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(turn.status, 'stopped');
        assert.equal(turn.error, undefined);
        assert.ok(replyText(turn.reply).length > 0, 'the partial reply is kept');
        assert.equal(h.events.at(-1)?.type, 'turnEnded');
        const saved = await h.store.load(id);
        assert.equal(saved?.turns[0]?.status, 'stopped');
        assert.equal(
            replyText(saved?.turns[0]?.reply ?? { content: [], citations: [] }),
            replyText(turn.reply),
        );
    });

    void test('records a failure with its code and the server words, and retry sends it again in place', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Will fail once [[fake:500]]');
        const failed = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(failed.status, 'failed');
        assert.equal(failed.error?.code, 'server');
        assert.equal(failed.error?.status, 500);
        assert.ok((failed.error?.message ?? '').length > 0);
        assert.equal(h.events.at(-1)?.type, 'turnFailed');

        await h.service.retry(id, failed.id);
        const retried = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(retried.id, failed.id);
        assert.equal(retried.status, 'complete');
        assert.equal(retried.error, undefined);
        const lastRequest = h.chatRequests().at(-1);
        assert.deepEqual(lastRequest?.messages, [{ role: 'user', content: 'Will fail once [[fake:500]]' }]);
    });

    void test('records the server words of a bad request', async (t) => {
        const h = await startHarness(t, fake, { settings: { model: 'no-such-model' } });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Hello');
        const turn = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(turn.error?.code, 'not_found');
        assert.equal(turn.error?.status, 404);
        assert.match(turn.error?.message ?? '', /model 'no-such-model' not found/);
    });

    void test('keeps what arrived when the generation fails mid-stream', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Break [[fake:generation-error]]');
        const turn = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(turn.status, 'failed');
        assert.equal(turn.error?.code, 'generation');
        assert.equal(turn.prompt, 'Break [[fake:generation-error]]');
    });

    void test('retry of a stopped turn resets its reply and sends no second user message', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Earlier question');
        const eventsOfFirstTurn = h.events.length;
        const sending = h.service.send(id, 'Slow one [[fake:slow?ms=40]]');
        await waitForEvent(h, (event, index) => event.type === 'delta' && index >= eventsOfFirstTurn);
        const second = (await h.service.get(id))?.turns[1];
        assert.ok(second);
        h.service.stop(id, second.id);
        await sending;
        h.settings = settingsWith({ maxRetries: 0 });
        await h.service.retry(id, second.id);
        const turns = (await h.service.get(id))?.turns ?? [];
        assert.equal(turns.length, 2);
        assert.equal(turns[1]?.id, second.id);
        assert.equal(turns[1]?.status, 'complete');
        const messages = h.chatRequests().at(-1)?.messages ?? [];
        assert.equal(messages.filter((message) => message.role === 'user').length, 2);
        assert.deepEqual(messages.at(-1), { role: 'user', content: 'Slow one [[fake:slow?ms=40]]' });
    });

    void test('regenerate replaces the last reply and ignores earlier turns', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'One');
        await h.service.send(id, 'Two');
        const before = (await h.service.get(id))?.turns ?? [];
        await h.service.regenerate(id, before[0]?.id ?? '');
        assert.equal(h.chatRequests().length, 2, 'regenerating a turn that is not the last sends nothing');
        await h.service.regenerate(id, before[1]?.id ?? '');
        const after = (await h.service.get(id))?.turns ?? [];
        assert.equal(after.length, 2);
        assert.equal(after[1]?.id, before[1]?.id);
        assert.equal(after[1]?.status, 'complete');
        assert.equal(h.chatRequests().length, 3);
        assert.equal(h.chatRequests()[2]?.messages.length, 3);
        const restarts = h.events.filter(
            (event) => event.type === 'turnStarted' && event.turn.id === before[1]?.id,
        );
        assert.equal(restarts.length, 2);
    });

    void test('edit replaces a prompt, drops the turns after it and sends it again', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Original question');
        await h.service.send(id, 'Follow-up');
        await h.service.send(id, 'Another');
        const first = (await h.service.get(id))?.turns[0];
        await h.service.edit(id, first?.id ?? '', 'Better question');
        const turns = (await h.service.get(id))?.turns ?? [];
        assert.equal(turns.length, 1);
        assert.equal(turns[0]?.id, first?.id);
        assert.equal(turns[0]?.prompt, 'Better question');
        assert.equal(turns[0]?.status, 'complete');
        assert.deepEqual(h.chatRequests().at(-1)?.messages, [{ role: 'user', content: 'Better question' }]);
        const restart = h.events.findLast((event) => event.type === 'turnStarted');
        assert.ok(restart?.type === 'turnStarted');
        assert.deepEqual(restart.turnIds, [first?.id], 'the views are told the later turns are gone');
        assert.equal((await h.service.get(id))?.title, 'Better question');
        assert.equal(h.service.history().find((summary) => summary.id === id)?.turnCount, 1);
    });

    void test('continue after MAX_TOKENS sends the partial reply and appends the rest to it', async (t) => {
        const h = await startHarness(t, fake);
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Write at length [[fake:max-tokens]]');
        const cut = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(cut.finishReason, 'MAX_TOKENS');
        const partial = replyText(cut.reply);
        assert.ok(partial.length > 0);

        await h.service.continueTurn(id, cut.id);
        const continued = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(continued.id, cut.id);
        assert.equal(continued.status, 'complete');
        assert.equal(continued.finishReason, 'COMPLETE');
        const text = replyText(continued.reply);
        assert.ok(text.startsWith(partial) && text.length > partial.length, 'the new text follows the old');
        assert.equal(continued.reply.content.filter((block) => block.type === 'text').length, 1);
        assert.deepEqual(h.chatRequests().at(-1)?.messages, [
            { role: 'user', content: 'Write at length [[fake:max-tokens]]' },
            { role: 'assistant', content: partial },
            { role: 'user', content: CONTINUE_PROMPT },
        ]);
        const firstOutput = cut.usage?.tokens?.output_tokens ?? 0;
        assert.ok(
            (continued.usage?.tokens?.output_tokens ?? 0) > firstOutput,
            'usage of both requests adds up',
        );
        const deltas = h.events.filter(
            (event) => event.type === 'delta' && event.turnId === cut.id && event.kind === 'text',
        );
        assert.ok(deltas.every((event) => event.type === 'delta' && event.index === 0));
    });

    void test('a rate-limited request is retried and the wait is announced', async (t) => {
        const h = await startHarness(t, fake, { settings: { maxRetries: 2 } });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Busy hour [[fake:429-retry-after]]');
        const retrying = h.events.find((event) => event.type === 'turnRetrying');
        assert.ok(retrying?.type === 'turnRetrying');
        assert.equal(retrying.attempt, 2);
        assert.equal(retrying.reason.code, 'rate_limited');
        assert.equal(retrying.reason.status, 429);
        const turn = onlyTurn((await h.service.get(id))?.turns);
        assert.equal(turn.status, 'complete');
        assert.equal(turn.attempts, 2);
        assert.equal(h.chatRequests().length, 2);
    });
});
