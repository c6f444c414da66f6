import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConversationSummary } from '../../src/chat/model';
import { replyText } from '../../src/chat/request';
import { ChatService, NO_API_KEY_MESSAGE } from '../../src/chat/service';
import { ConversationStore } from '../../src/chat/store';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { CapturingLogger, conversation, settingsWith, turn } from './chat-fixtures';
import { startHarness, waitForEvent } from './chat-service-harness';
import type { HistoryChange } from '../../src/chat/history';

const SECRET_KEY = 'sk-live-Zq81vX0secret-value-never-logged';
let fake: FakeCohere;
const dirs: string[] = [];

before(async () => {
    fake = await startFakeCohere({ apiKey: SECRET_KEY });
});
after(async () => {
    await fake.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function sharedDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-state-'));
    dirs.push(dir);
    return dir;
}

void describe('ChatService: no API key', () => {
    void test('fails the first message at once as no_api_key, sends nothing, and sends it once a key is set', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY, keyIsSet: false });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Hello without a key');
        const failed = (await h.service.get(id))?.turns[0];
        assert.equal(failed?.status, 'failed');
        assert.equal(failed?.error?.code, 'no_api_key');
        assert.equal(failed?.error?.message, NO_API_KEY_MESSAGE);
        assert.equal(h.chatRequests().length, 0);
        assert.deepEqual(
            h.events.map((event) => event.type),
            ['turnStarted', 'turnFailed'],
        );

        h.keyIsSet.value = true;
        await h.service.retryTurnsWaitingForKey();
        const sent = (await h.service.get(id))?.turns ?? [];
        assert.equal(sent.length, 1, 'the typed message is not duplicated');
        assert.equal(sent[0]?.id, failed?.id);
        assert.equal(sent[0]?.status, 'complete');
        assert.equal(h.chatRequests().length, 1);
        await h.service.retryTurnsWaitingForKey();
        assert.equal(h.chatRequests().length, 1, 'a turn is sent again only once');
    });

    void test('a message typed before a key was set is still sent once it is set after a restart', async (t) => {
        const dir = await sharedDir();
        const first = await startHarness(t, fake, { apiKey: SECRET_KEY, keyIsSet: false, dir });
        const { id } = first.service.newConversation();
        await first.service.send(id, 'Sent after the reload');
        first.service.dispose();
        await first.service.whenIdle();

        const second = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        assert.equal((await second.service.get(id))?.turns[0]?.status, 'failed', 'the chat shows it');
        await second.service.retryTurnsWaitingForKey();
        const turns = (await second.service.get(id))?.turns ?? [];
        assert.equal(turns.length, 1);
        assert.equal(turns[0]?.status, 'complete');
        assert.equal(second.chatRequests().at(-1)?.messages.at(-1)?.content, 'Sent after the reload');
    });

    void test('a key the server rejects fails unauthorized with its words and is resent after a new key', async (t) => {
        const h = await startHarness(t, fake, { apiKey: 'wrong-key' });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Hello with a bad key');
        const failed = (await h.service.get(id))?.turns[0];
        assert.equal(failed?.error?.code, 'unauthorized');
        assert.equal(failed?.error?.status, 401);
        assert.equal(failed?.error?.message, 'invalid api token');
        await h.service.retryTurnsWaitingForKey();
        assert.equal(h.chatRequests().length, 2);
    });
});

void describe('ChatService: persistence and history', () => {
    void test('a conversation survives a restart exactly as it was', async (t) => {
        const dir = await sharedDir();
        const first = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        const { id } = first.service.newConversation();
        assert.deepEqual(first.service.history(), [], 'a new conversation is listed only once it has a turn');
        await first.service.send(id, 'Remember this');
        const before = await first.service.get(id);
        first.service.dispose();
        await first.service.whenIdle();

        const second = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        assert.deepEqual(second.service.history(), [
            { id, title: 'Remember this', updatedAt: before?.updatedAt, turnCount: 1 },
        ]);
        assert.deepEqual(await second.service.get(id), before);
    });

    void test('the service is ready before the saved conversations are listed; the list arrives with an event', async () => {
        const dir = await sharedDir();
        await writeFile(
            path.join(dir, 'saved.json'),
            JSON.stringify(conversation('saved', [turn('t', 'a', 'b')])),
        );
        let release = (): void => undefined;
        const gate = new Promise<void>((resolve) => {
            release = resolve;
        });
        class GatedStore extends ConversationStore {
            override async list(): Promise<ConversationSummary[]> {
                await gate;
                return super.list();
            }
        }
        const log = new CapturingLogger();
        let created = false;
        const creating = ChatService.create({
            client: { chat: () => Promise.reject(new Error('unused')), chatStream: () => assert.fail() },
            store: new GatedStore(dir, log),
            settings: () => settingsWith({}),
            log,
            hasApiKey: async () => true,
        }).then((service) => {
            created = true;
            return service;
        });
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(created, true, 'create did not wait for the list');
        const service = await creating;
        assert.deepEqual(service.history(), []);
        let told = 0;
        service.onHistoryChanged(() => told++);
        release();
        await service.whenHistoryLoaded();
        assert.deepEqual(
            service.history().map((summary) => summary.id),
            ['saved'],
        );
        assert.equal(told, 1);
        service.dispose();
        await service.whenIdle();
    });

    void test('a turn left streaming in a saved file loads as stopped', async (t) => {
        const dir = await sharedDir();
        const saved = conversation('interrupted', [
            turn('t1', 'Go on', 'Half a repl', { status: 'streaming' }),
        ]);
        await writeFile(path.join(dir, 'interrupted.json'), JSON.stringify(saved));
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        const loaded = await h.service.get('interrupted');
        assert.equal(loaded?.turns[0]?.status, 'stopped');
        assert.equal(replyText(loaded?.turns[0]?.reply ?? { content: [], citations: [] }), 'Half a repl');
    });

    void test('a damaged file is set aside and the other conversations still load', async (t) => {
        const dir = await sharedDir();
        await writeFile(
            path.join(dir, 'good.json'),
            JSON.stringify(conversation('good', [turn('t', 'a', 'b')])),
        );
        await writeFile(path.join(dir, 'broken.json'), '{ not json');
        await writeFile(path.join(dir, 'garbled.json'), 'private words, garbled');
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        assert.deepEqual(
            h.service.history().map((summary) => summary.id),
            ['good'],
        );
        assert.ok((await readdir(dir)).includes('broken.json.damaged'));
        assert.match(h.log.text(), /broken\.json is not valid JSON/);
        assert.equal(h.log.text().includes('private'), false, 'no conversation text in the log');
    });

    void test('dispose stops a streaming turn and saves it as stopped', async (t) => {
        const dir = await sharedDir();
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY, dir });
        const { id } = h.service.newConversation();
        const sending = h.service.send(id, 'Slow story [[fake:slow?ms=50]]');
        await waitForEvent(h, (event) => event.type === 'delta');
        h.service.dispose();
        await sending;
        await h.service.whenIdle();
        const saved = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8'));
        assert.equal(saved.turns[0].status, 'stopped');
        assert.ok(saved.turns[0].reply.content.length > 0);
    });

    void test('rename and delete change the history and tell its listeners', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY });
        let changes: HistoryChange[] = [];
        h.service.onHistoryChanged((batch) => changes.push(...batch));
        const { id } = h.service.newConversation();
        await h.service.send(id, 'To be renamed');
        assert.ok(changes.length > 0);
        assert.ok(changes.every((change) => change.kind === 'upsert' && change.summary.id === id));
        changes = [];
        await h.service.rename(id, '  My   plans \n');
        assert.equal(h.service.history()[0]?.title, 'My plans');
        assert.equal((await h.store.load(id))?.title, 'My plans');
        assert.deepEqual(
            changes.map((change) => change.kind === 'upsert' && change.summary.title),
            ['My plans'],
        );
        changes = [];
        await h.service.delete(id);
        assert.deepEqual(h.service.history(), []);
        assert.equal(await h.service.get(id), undefined);
        assert.deepEqual(await readdir(h.dir), []);
        assert.deepEqual(changes, [{ kind: 'remove', conversationId: id }]);
    });

    void test('lists conversations newest first', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY });
        const older = h.service.newConversation();
        await h.service.send(older.id, 'Older');
        const newer = h.service.newConversation();
        await h.service.send(newer.id, 'Newer');
        await h.service.send(older.id, 'Older again');
        assert.deepEqual(
            h.service.history().map((summary) => summary.title),
            ['Older', 'Newer'],
        );
    });

    void test('exports a conversation as Markdown with citations as footnotes and usage', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Summarise the note', [
            { id: 'note', title: 'notes.md:1-2', text: 'The launch is on Monday.' },
        ]);
        const markdown = await h.service.exportMarkdown(id);
        assert.match(markdown, /^# Summarise the note/);
        assert.match(markdown, /\[\^1\]/);
        assert.match(markdown, /^\[\^1\]: \*\*notes\.md:1-2\*\*/m);
        assert.match(markdown, /\*Usage: \d+ input \+ \d+ output tokens/);
    });
});

void describe('ChatService: the key stays secret', () => {
    void test('the key appears in no saved file and no log line, even at trace level', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY, settings: { maxRetries: 1 } });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'Hello [[fake:429-retry-after]]');
        await h.service.send(id, 'Fail [[fake:500]]');
        const other = h.service.newConversation();
        await h.service.send(other.id, 'Stream it');
        assert.ok(
            h.log.lines.some((line) => line.level === 'trace'),
            'trace lines were written',
        );
        assert.ok(h.log.lines.some((line) => line.level === 'info'));
        assert.ok(!h.log.text().includes(SECRET_KEY));
        assert.ok(!h.log.text().toLowerCase().includes('bearer'));
        const files = await readdir(h.dir);
        assert.equal(files.length, 2);
        for (const file of files) {
            const text = await readFile(path.join(h.dir, file), 'utf8');
            assert.ok(!text.includes(SECRET_KEY), file);
        }
    });

    void test('message texts are logged only at trace level', async (t) => {
        const h = await startHarness(t, fake, { apiKey: SECRET_KEY });
        const { id } = h.service.newConversation();
        await h.service.send(id, 'A very private prompt');
        const reply = replyText((await h.service.get(id))?.turns[0]?.reply ?? { content: [], citations: [] });
        for (const line of h.log.lines) {
            if (line.level === 'trace') continue;
            assert.ok(!line.text.includes('very private'), line.text);
            assert.ok(!line.text.includes(reply), line.text);
        }
    });
});
