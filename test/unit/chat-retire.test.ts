// A document the person removes from what later messages carry: saved, not sent with the next message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness } from './chat-service-harness';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(() => fake.close());

void test('a retired document is saved as such and left out of the next request', async (t) => {
    const h = await startHarness(t, fake);
    const chat = h.service.newConversation();
    const attachments = [
        { id: 'sel-1', title: 'src/a.ts:1-3', text: 'export const a = 1;' },
        { id: 'sel-2', title: 'src/b.ts:4', text: 'export const b = 2;' },
    ];
    await h.service.send(chat.id, 'What do these export?', attachments);
    await h.service.retireDocuments(chat.id, new Set(['sel-1']));
    await h.service.send(chat.id, 'And now?');
    const last = h.chatRequests().at(-1);
    assert.deepEqual(
        last?.documents?.map((document) => (typeof document === 'string' ? document : document.id)),
        ['sel-2'],
    );
    const saved = await h.store.load(chat.id);
    assert.equal(saved?.turns[0]?.attachments?.[0]?.retired, true);
});
