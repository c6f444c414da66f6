// What a failed turn says, through the chat service against the fake Cohere server: a stream cut
// mid-reply says how far it got (not "could not reach Cohere"), an HTML error page shows its status and
// title (the page goes to the log), a generation error keeps its error_type, and the log line of a
// failed turn never claims `finish COMPLETE`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GENERATION_ERROR } from '../fake-cohere/scenarios';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness } from './chat-service-harness';
import type { Harness } from './chat-service-harness';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

async function failedTurn(h: Harness, prompt: string) {
    const { id } = h.service.newConversation();
    await h.service.send(id, prompt);
    await h.service.whenIdle();
    const turn = (await h.service.get(id))?.turns[0];
    assert.equal(turn?.status, 'failed');
    const endLine = h.log.lines.find((line) => line.text.startsWith(`Turn ${turn?.id}: status failed`));
    assert.ok(endLine !== undefined, h.log.text());
    return { turn, endLine: endLine.text };
}

void describe('a failed turn says what happened', () => {
    for (const stream of [true, false]) {
        void test(`an HTML error page shows its status and title, the page goes to the log (${stream ? 'streamed' : 'complete'})`, async (t) => {
            const h = await startHarness(t, fake, { settings: { stream } });
            const { turn } = await failedTurn(h, 'hi [[fake:502-html?times=inf]]');
            assert.equal(turn?.error?.code, 'server');
            assert.equal(turn?.error?.message, 'HTTP 502: Bad Gateway');
            assert.match(h.log.text(), /the server answered: <html>[\s\S]*nginx/);
        });
    }

    void test('a stream cut mid-reply says the connection was cut after N characters, and no finish reason', async (t) => {
        const h = await startHarness(t, fake, { settings: { stream: true } });
        const { turn, endLine } = await failedTurn(h, 'hi [[fake:cut-before-end]]');
        const received =
            turn?.reply.content
                .map((block) => (block.type === 'text' ? block.text : block.thinking))
                .join('') ?? '';
        assert.ok(received.length > 0);
        assert.equal(turn?.error?.code, 'interrupted');
        assert.equal(
            turn?.error?.message,
            `The connection was cut after ${received.length} characters of the reply, before it was complete.`,
        );
        assert.equal(turn?.finishReason, undefined);
        assert.doesNotMatch(endLine, /finish COMPLETE/);
        assert.doesNotMatch(turn?.error?.message ?? '', /Could not/);
    });

    void test("a generation error keeps the server's error_type on the error and in its words", async (t) => {
        const h = await startHarness(t, fake, { settings: { stream: true } });
        const { turn, endLine } = await failedTurn(h, 'hi [[fake:generation-error]]');
        assert.equal(turn?.error?.code, 'generation');
        assert.equal(turn?.error?.errorType, 'INVALID_TOOL_GENERATION');
        assert.equal(turn?.error?.message, `${GENERATION_ERROR} (INVALID_TOOL_GENERATION)`);
        assert.equal(turn?.finishReason, 'ERROR');
        assert.match(endLine, /finish ERROR/);
    });
});
