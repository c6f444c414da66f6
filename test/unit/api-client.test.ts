import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiClientHolder, effectiveBaseUrl, withNoProxy } from '../../src/apiClient';
import { nullLogger } from '../../src/chat/logger';
import { parseSettings } from '../../src/config';
import type { FoundApiKey } from '../../src/secrets';

interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
}

const seen: Seen[] = [];
let baseUrl = '';
const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('/v1/check-api-key')) {
            res.end(JSON.stringify({ valid: true }));
        } else if (req.url?.endsWith('/v2/chat')) {
            res.end(
                JSON.stringify({
                    id: 'gen-1',
                    finish_reason: 'COMPLETE',
                    message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
                }),
            );
        } else {
            res.statusCode = 404;
            res.end(JSON.stringify({ message: 'no such route' }));
        }
    });
});

before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
});

function keyStore(initial: string | undefined): {
    current: string | undefined;
    getKey(): Promise<FoundApiKey | undefined>;
} {
    return {
        current: initial,
        async getKey() {
            return this.current === undefined ? undefined : { key: this.current, source: 'secretStorage' };
        },
    };
}

function settings(values: Record<string, unknown>): ReturnType<typeof parseSettings> {
    return parseSettings((key) => values[key]);
}

void describe('ApiClientHolder', () => {
    void test('reads the key for every request, so a changed key applies to the next one', async (t) => {
        const keys = keyStore('first-key');
        const holder = new ApiClientHolder(
            { keys, log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl }),
            {
                strictSSL: true,
            },
        );
        t.after(() => holder.dispose());
        seen.length = 0;
        await holder.client.checkApiKey();
        keys.current = 'second-key';
        await holder.client.checkApiKey();
        assert.deepEqual(
            seen.map((s) => s.headers.authorization),
            ['Bearer first-key', 'Bearer second-key'],
        );
    });

    void test('names the extension and the host, and adds the custom headers', async (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore('k'), log: nullLogger, version: '1.2.3', hostVersion: '1.100.3', env: {} },
            settings({ baseUrl, requestHeaders: { 'X-Gateway-Team': 'blue' } }),
            { strictSSL: true },
        );
        t.after(() => holder.dispose());
        seen.length = 0;
        await holder.client.checkApiKey();
        const headers = seen[0]?.headers;
        assert.equal(headers?.['user-agent'], 'cohere-chat-vscode/1.2.3 vscode/1.100.3');
        assert.equal(headers?.['x-client-name'], 'cohere-chat-vscode');
        assert.equal(headers?.['x-gateway-team'], 'blue');
    });

    void test('sends chats through the newest client after a rebuild, keeping the path prefix', async (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore('k'), log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl }),
            { strictSSL: true },
        );
        t.after(() => holder.dispose());
        const facade = holder.chatClient;
        seen.length = 0;
        await facade.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
        holder.rebuild(settings({ baseUrl: `${baseUrl}/gateway/` }), { strictSSL: true });
        const reply = await facade.chat({
            model: 'command-a-03-2025',
            messages: [{ role: 'user', content: 'hi' }],
        });
        assert.deepEqual(
            seen.map((s) => `${s.method} ${s.url}`),
            ['POST /v2/chat', 'POST /gateway/v2/chat'],
        );
        assert.equal(reply.id, 'gen-1');
        assert.equal(holder.baseUrl, `${baseUrl}/gateway`);
    });

    void test('keeps its client (and its connections) when only other settings change', (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore('k'), log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl, model: 'command-a-03-2025' }),
            { strictSSL: true },
        );
        t.after(() => holder.dispose());
        const first = holder.client;
        holder.rebuild(settings({ baseUrl, model: 'command-r-08-2024', temperature: 0.3 }), {
            strictSSL: true,
        });
        assert.equal(holder.client, first);
        holder.rebuild(settings({ baseUrl, timeoutSeconds: 5 }), { strictSSL: true });
        assert.notEqual(holder.client, first);
    });

    void test('refuses to send anything when there is no key', async (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore(undefined), log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl }),
            { strictSSL: true },
        );
        t.after(() => holder.dispose());
        seen.length = 0;
        await assert.rejects(holder.client.checkApiKey(), { name: 'CohereError', code: 'no_api_key' });
        assert.equal(seen.length, 0);
    });
});

void describe('the proxy settings', () => {
    // A proxy nobody listens on: a request sent through it fails, one that bypasses it succeeds.
    const deadProxy = { proxy: 'http://127.0.0.1:9', strictSSL: true };

    void test('send requests through http.proxy', async (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore('k'), log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl, maxRetries: 0 }),
            deadProxy,
        );
        t.after(() => holder.dispose());
        await assert.rejects(holder.client.checkApiKey(), { name: 'CohereError', code: 'network' });
    });

    void test('let http.noProxy hosts bypass the proxy', async (t) => {
        const holder = new ApiClientHolder(
            { keys: keyStore('k'), log: nullLogger, version: '1.2.3', env: {} },
            settings({ baseUrl, maxRetries: 0 }),
            { ...deadProxy, noProxy: ['127.0.0.1'] },
        );
        t.after(() => holder.dispose());
        assert.deepEqual(await holder.client.checkApiKey(), { valid: true });
    });

    void test('add http.noProxy hosts to the NO_PROXY of the environment', () => {
        assert.deepEqual(withNoProxy({ NO_PROXY: 'a.example' }, [' b.example ', '']), {
            NO_PROXY: 'a.example,b.example',
            no_proxy: 'a.example,b.example',
        });
        const env = { HOME: '/h' };
        assert.equal(withNoProxy(env, []), env);
    });
});

void describe('effectiveBaseUrl', () => {
    void test('takes the setting, else CO_API_URL, else the Cohere API', () => {
        assert.equal(
            effectiveBaseUrl({ baseUrl: 'http://gw/x' }, { CO_API_URL: 'http://env' }),
            'http://gw/x',
        );
        assert.equal(effectiveBaseUrl({ baseUrl: '  ' }, { CO_API_URL: 'http://env' }), 'http://env');
        assert.equal(effectiveBaseUrl({}, {}), 'https://api.cohere.com');
    });
});
