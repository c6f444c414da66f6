// A reply still streaming is saved every few seconds, so a killed extension host loses at most those
// seconds of it; after the restart the turn shows as interrupted (stopped, with Retry and Continue).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Conversation } from '../../src/chat/model';
import { replyText } from '../../src/chat/request';
import { startFakeCohere } from '../fake-cohere/server';
import type { FakeCohere } from '../fake-cohere/server';
import { startHarness } from './chat-service-harness';

let fake: FakeCohere;
before(async () => {
    fake = await startFakeCohere();
});
after(async () => {
    await fake.close();
});

async function readSaved(file: string): Promise<Conversation | undefined> {
    try {
        return JSON.parse(await readFile(file, 'utf8')) as Conversation;
    } catch {
        return undefined;
    }
}

void describe('ChatService checkpoints', () => {
    void test('a killed host leaves the streamed part on disk, shown as a stopped turn that can continue', async (t) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'cohere-crash-'));
        t.after(() => rm(dir, { recursive: true, force: true }));
        const worker = spawn(
            process.execPath,
            ['--import', 'tsx', path.join(__dirname, 'chat-service-crash-worker.ts'), dir, fake.url, '100'],
            { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const exited = new Promise<void>((resolve) => worker.on('exit', () => resolve()));
        t.after(async () => {
            worker.kill('SIGKILL');
            await exited;
        });
        let stderr = '';
        worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const id = await new Promise<string>((resolve, reject) => {
            worker.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
            worker.once('exit', () => reject(new Error(`worker ended early: ${stderr}`)));
        });
        const file = path.join(dir, `${id}.json`);
        // Wait (boundedly) until a checkpoint holds some of the reply while it still streams, then kill.
        let saved: Conversation | undefined;
        for (let waited = 0; ; waited += 20) {
            saved = await readSaved(file);
            const turn = saved?.turns[0];
            if (turn?.status === 'streaming' && replyText(turn.reply).length > 20) break;
            if (waited > 8000) assert.fail(`no checkpoint of the streaming reply: ${JSON.stringify(saved)}`);
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        worker.kill('SIGKILL');
        await exited;

        // The restart: a new service on the same folder.
        const h = await startHarness(t, fake, { dir });
        const reopened = await h.service.get(id);
        const turn = reopened?.turns[0];
        assert.equal(turn?.status, 'stopped');
        assert.ok(replyText(turn.reply).length > 20, 'the streamed part is kept');
        // Continue appends to the same reply.
        const before = replyText(turn.reply);
        await h.service.continueTurn(id, turn.id);
        const continued = (await h.service.get(id))?.turns[0];
        assert.equal(continued?.status, 'complete');
        assert.ok(replyText(continued.reply).startsWith(before));
    });
});
