// The key never leaves through the server's words: an error body, a generation error or a non-stream
// reply quoting the key (as is, URL-encoded, base64) is scrubbed before it reaches a turn, the disk, an
// export or the log. The log's own redaction covers the usual shapes of a secret, and credentials in
// the base URL or the proxy URL never reach the log.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { ApiClientHolder } from '../../src/apiClient';
import { redactSecrets } from '../../src/chat/logger';
import { ChatService } from '../../src/chat/service';
import { ConversationStore } from '../../src/chat/store';
import { CohereClient } from '../../src/cohere/index';
import { CapturingLogger, settingsWith } from './chat-fixtures';
import { MESSAGE_START, sendJson, sseEvent, startTestServer } from './cohere-test-server';

const KEY = 'sk-Live/Key+With=Odd:Chars_0123456789abcdef';
const FORMS = [
    KEY,
    encodeURIComponent(KEY),
    Buffer.from(KEY).toString('base64'),
    Buffer.from(KEY).toString('base64url'),
    Buffer.from(`user:${KEY}`).toString('base64').slice(8),
];
const QUOTING = `echo: Authorization: Bearer ${KEY} | url ?api_key=${encodeURIComponent(KEY)} | b64 ${Buffer.from(KEY).toString('base64')} | b64url ${Buffer.from(KEY).toString('base64url')}`;

function assertNoKey(where: string, text: string): void {
    for (const form of [
        KEY,
        encodeURIComponent(KEY),
        Buffer.from(KEY).toString('base64'),
        Buffer.from(KEY).toString('base64url'),
    ]) {
        assert.ok(
            !text.includes(form),
            `${where} holds the key (${form.slice(0, 12)}…): ${text.slice(0, 300)}`,
        );
    }
}

async function startService(t: TestContext, url: string, stream: boolean) {
    const dir = await mkdtemp(path.join(tmpdir(), 'cohere-secrets-'));
    const log = new CapturingLogger();
    const client = new CohereClient({ baseUrl: url, apiKey: KEY });
    const service = await ChatService.create({
        client,
        store: new ConversationStore(dir, log),
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
    return { service, dir, log };
}

const ANSWERS: Record<string, { stream: boolean; answer: (res: ServerResponse) => void }> = {
    'a JSON error body': { stream: false, answer: (res) => sendJson(res, 400, { message: QUOTING }) },
    'an HTML error page': {
        stream: true,
        answer: (res) => {
            res.writeHead(502, { 'content-type': 'text/html' });
            res.end(`<html><head><title>Bad gateway</title></head><body>${QUOTING}</body></html>`);
        },
    },
    'a generation error in a stream': {
        stream: true,
        answer: (res) => {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.end(
                MESSAGE_START +
                    sseEvent({
                        type: 'message-end',
                        delta: { finish_reason: 'ERROR', error: QUOTING, usage: {} },
                    }),
            );
        },
    },
    'a stream that is not an event stream': {
        stream: true,
        answer: (res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end(QUOTING);
        },
    },
};

void describe('server text quoting the key', () => {
    for (const [name, { stream, answer }] of Object.entries(ANSWERS)) {
        void test(`${name} is scrubbed before the turn, the file, the export and the log`, async (t) => {
            const server = await startTestServer((_req, res) => answer(res));
            t.after(() => server.close());
            const { service, dir, log } = await startService(t, server.url, stream);
            const { id } = service.newConversation();
            await service.send(id, 'hi');
            await service.whenIdle();
            const turn = (await service.get(id))?.turns[0];
            assert.equal(turn?.status, 'failed');
            // The quoted key is cut where the server's words are kept: the message, or (a page) the log.
            assert.match(`${turn?.error?.message ?? ''} ${log.text()}`, /\*\*\*/);
            assertNoKey('the turn', JSON.stringify(turn));
            for (const file of await readdir(dir))
                assertNoKey(file, await readFile(path.join(dir, file), 'utf8'));
            assertNoKey('the export', await service.exportMarkdown(id));
            assertNoKey('the log', log.text());
        });
    }
});

void describe('log redaction', () => {
    void test('covers bearer (also URL-encoded), token, x-api-key, api_key= and credentials in URLs', () => {
        const lines = [
            `Authorization: Bearer ${KEY}`,
            `authorization=token ${KEY}`,
            `header token ${KEY}`,
            `x-api-key: ${KEY}`,
            `"x-api-key":"${KEY}"`,
            `GET /v1/models?api_key=${encodeURIComponent(KEY)}&page=2`,
            `apikey=${KEY}`,
            `redirect to /cb?auth=bearer%20${encodeURIComponent(KEY)}`,
            `auth=Bearer+${encodeURIComponent(KEY)}`,
            `proxy http://alice:${encodeURIComponent(KEY)}@proxy.example:3128 refused`,
            `base https://${encodeURIComponent(KEY)}@gateway.example/v2`,
        ];
        for (const line of lines) {
            const redacted = redactSecrets(line);
            for (const form of FORMS.slice(0, 2))
                assert.ok(!redacted.includes(form), `${line} -> ${redacted}`);
            assert.match(redacted, /\*\*\*/);
        }
        assert.equal(
            redactSecrets('tokens in 5 out 3, token budget 1000'),
            'tokens in 5 out 3, token budget 1000',
        );
    });

    void test('credentials in cohere.baseUrl and in the proxy URL never reach the log', (t) => {
        const log = new CapturingLogger();
        const holder = new ApiClientHolder(
            { keys: { getKey: async () => undefined }, log, version: '1.0.0', env: {} },
            settingsWith({ baseUrl: 'https://alice:hunter2secret@gateway.example/cohere' }),
            { proxy: 'http://bob:proxysecret9@127.0.0.1:3128', strictSSL: true },
        );
        t.after(() => holder.dispose());
        const text = log.text();
        assert.match(text, /gateway\.example/);
        assert.doesNotMatch(text, /hunter2secret|proxysecret9|alice|bob/);
    });
});
