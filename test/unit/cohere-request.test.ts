// What the client puts on the wire: key, URL, headers and body.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CLIENT_VERSION, CohereClient, CohereError } from '../../src/cohere/index';
import {
    CONTENT_START,
    MESSAGE_END,
    MESSAGE_START,
    USER_HELLO,
    chatReply,
    contentDelta,
    sendJson,
    startTestServer,
} from './cohere-test-server';
import type { TestServer } from './cohere-test-server';

const ENV_NAMES = ['CO_API_KEY', 'COHERE_API_KEY', 'CO_API_URL'] as const;

/** Runs `body` with the given environment variables (undefined = unset), then restores them. */
async function withEnv<T>(
    values: Partial<Record<(typeof ENV_NAMES)[number], string>>,
    body: () => Promise<T>,
): Promise<T> {
    const saved = new Map(ENV_NAMES.map((name) => [name, process.env[name]]));
    for (const name of ENV_NAMES) {
        const value = values[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    try {
        return await body();
    } finally {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    }
}

let server: TestServer;
before(async () => {
    server = await startTestServer((req, res) => {
        if (req.url?.endsWith('/v2/chat') && req.headers.accept === 'text/event-stream') {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.end(MESSAGE_START + CONTENT_START + contentDelta('hi') + MESSAGE_END + 'data: [DONE]\n\n');
            return;
        }
        sendJson(res, 200, chatReply());
    });
});
after(() => server.close());
beforeEach(() => {
    server.requests.length = 0;
});

/** Every Authorization value a request carried, as sent. */
function authorizationLines(rawHeaders: string[]): string[] {
    const values: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
        if (rawHeaders[i]?.toLowerCase() === 'authorization') values.push(rawHeaders[i + 1] ?? '');
    }
    return values;
}

function lastHeaders(): Record<string, string | string[] | undefined> {
    const last = server.requests.at(-1);
    assert.ok(last, 'the server saw a request');
    return last.headers;
}

void describe('the API key', () => {
    void test('without any key the call rejects no_api_key (not unauthorized: nothing was sent) and nothing is sent', async () => {
        await withEnv({}, async () => {
            const client = new CohereClient({ baseUrl: server.url });
            await assert.rejects(client.chat(USER_HELLO), (error: unknown) => {
                return (
                    error instanceof CohereError &&
                    error.code === 'no_api_key' &&
                    /Nothing was sent/.test(error.message)
                );
            });
            const stream = client.chatStream(USER_HELLO);
            await assert.rejects(stream.response, { code: 'no_api_key' });
            await client.close();
        });
        assert.equal(server.requests.length, 0);
    });

    void test('an empty key counts as no key', async () => {
        await withEnv({ CO_API_KEY: '  ' }, async () => {
            const client = new CohereClient({ baseUrl: server.url, apiKey: '' });
            await assert.rejects(client.chat(USER_HELLO), { code: 'no_api_key' });
            await client.close();
        });
        assert.equal(server.requests.length, 0);
    });

    void test('the key option is sent as a bearer token', async () => {
        await withEnv({ CO_API_KEY: 'from-env' }, async () => {
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'from-option' });
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(lastHeaders()['authorization'], 'Bearer from-option');
    });

    void test('a key function is called for every request, so a rotated key applies at once', async () => {
        let calls = 0;
        const client = new CohereClient({ baseUrl: server.url, apiKey: () => `key-${++calls}` });
        await client.chat(USER_HELLO);
        await client.chat(USER_HELLO);
        await client.chatStream(USER_HELLO).response;
        await client.close();
        assert.equal(calls, 3);
        assert.deepEqual(
            server.requests.map((r) => r.headers.authorization),
            ['Bearer key-1', 'Bearer key-2', 'Bearer key-3'],
        );
    });

    void test('a key function that throws rejects no_api_key and sends nothing', async () => {
        const client = new CohereClient({
            baseUrl: server.url,
            apiKey: () => {
                throw new Error('secret storage is locked');
            },
        });
        await assert.rejects(client.chat(USER_HELLO), (error: unknown) => {
            return (
                error instanceof CohereError && error.code === 'no_api_key' && /locked/.test(error.message)
            );
        });
        await client.close();
        assert.equal(server.requests.length, 0);
    });

    void test('an async key function works', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: async () => 'async-key' });
        await client.chat(USER_HELLO);
        await client.close();
        assert.equal(lastHeaders()['authorization'], 'Bearer async-key');
    });

    void test('without the option CO_API_KEY is used, read at request time', async () => {
        await withEnv({ COHERE_API_KEY: 'second' }, async () => {
            const client = new CohereClient({ baseUrl: server.url });
            process.env['CO_API_KEY'] = 'set-after-construction';
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(lastHeaders()['authorization'], 'Bearer set-after-construction');
    });

    void test('without the option nor CO_API_KEY, COHERE_API_KEY is used', async () => {
        await withEnv({ COHERE_API_KEY: 'cohere-env' }, async () => {
            const client = new CohereClient({ baseUrl: server.url });
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(lastHeaders()['authorization'], 'Bearer cohere-env');
    });

    void test('a key function that returns nothing falls back to the environment', async () => {
        await withEnv({ CO_API_KEY: 'env-key' }, async () => {
            const client = new CohereClient({ baseUrl: server.url, apiKey: () => undefined });
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(lastHeaders()['authorization'], 'Bearer env-key');
    });
});

void describe('the base URL', () => {
    void test('a path prefix is kept and a trailing slash trimmed', async () => {
        const client = new CohereClient({ baseUrl: `${server.url}/gateway/cohere/`, apiKey: 'k' });
        await client.chat(USER_HELLO);
        await client.chatStream(USER_HELLO).response;
        await client.listModels();
        await client.checkApiKey();
        await client.close();
        assert.deepEqual(
            server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`),
            [
                'POST /gateway/cohere/v2/chat',
                'POST /gateway/cohere/v2/chat',
                'GET /gateway/cohere/v1/models',
                'POST /gateway/cohere/v1/check-api-key',
            ],
        );
    });

    void test('without the option CO_API_URL is used', async () => {
        await withEnv({ CO_API_URL: `${server.url}/from-env/` }, async () => {
            const client = new CohereClient({ apiKey: 'k' });
            assert.equal(client.baseUrl, `${server.url}/from-env`);
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(server.requests.at(-1)?.url, '/from-env/v2/chat');
    });

    void test('the option wins over CO_API_URL', async () => {
        await withEnv({ CO_API_URL: 'http://127.0.0.1:9/never' }, async () => {
            const client = new CohereClient({ baseUrl: server.url, apiKey: 'k' });
            await client.chat(USER_HELLO);
            await client.close();
        });
        assert.equal(server.requests.at(-1)?.url, '/v2/chat');
    });

    void test('without option or environment the URL is https://api.cohere.com', async () => {
        await withEnv({}, async () => {
            const client = new CohereClient({ apiKey: 'k' });
            assert.equal(client.baseUrl, 'https://api.cohere.com');
            await client.close();
        });
    });

    void test('a base URL that is not http(s) is refused', () => {
        assert.throws(() => new CohereClient({ baseUrl: 'ftp://example.com' }), { code: 'bad_request' });
        assert.throws(() => new CohereClient({ baseUrl: 'not a url' }), { code: 'bad_request' });
    });
});

void describe('headers', () => {
    void test('sends bearer auth, X-Client-Name, a versioned User-Agent, Content-Type and Accept', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', clientName: 'my-ext' });
        await client.chat(USER_HELLO);
        const json = lastHeaders();
        await client.chatStream(USER_HELLO).response;
        const sse = lastHeaders();
        await client.close();
        assert.equal(json['authorization'], 'Bearer k');
        assert.equal(json['x-client-name'], 'my-ext');
        assert.equal(json['user-agent'], `cohere-chat-vscode/${CLIENT_VERSION}`);
        assert.equal(json['content-type'], 'application/json');
        assert.equal(json['accept'], 'application/json');
        assert.equal(sse['accept'], 'text/event-stream');
    });

    void test('the User-Agent version is the package version', () => {
        const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
            version: string;
        };
        assert.equal(CLIENT_VERSION, manifest.version);
    });

    void test('custom headers are sent but can never replace Authorization, in any case', async () => {
        const client = new CohereClient({
            baseUrl: server.url,
            apiKey: 'real',
            headers: { 'X-Gateway': 'gw', AUTHORIZATION: 'Bearer stolen', Authorization: 'Basic x' },
        });
        await client.chat(USER_HELLO, { headers: { authorization: 'Bearer per-call', 'X-Trace': 't1' } });
        await client.close();
        const headers = lastHeaders();
        assert.equal(headers['authorization'], 'Bearer real');
        assert.equal(headers['x-gateway'], 'gw');
        assert.equal(headers['x-trace'], 't1');
    });

    void test('a client-wide Authorization header is never sent, on repeated calls without per-call headers either', async () => {
        let calls = 0;
        const client = new CohereClient({
            baseUrl: server.url,
            apiKey: () => `key-${++calls}`,
            headers: { Authorization: 'Basic x', 'X-Gateway': 'gw' },
        });
        await client.chat(USER_HELLO);
        await client.chat(USER_HELLO);
        await client.checkApiKey();
        await client.close();
        assert.deepEqual(
            server.requests.map((r) => authorizationLines(r.rawHeaders)),
            [['Bearer key-1'], ['Bearer key-2'], ['Bearer key-3']],
        );
        assert.ok(server.requests.every((r) => r.headers['x-gateway'] === 'gw'));
    });

    void test('a header value undici cannot send rejects bad_request without a request', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
        await assert.rejects(client.chat(USER_HELLO, { headers: { 'X-Bad': 'line\r\nbreak' } }), {
            code: 'bad_request',
        });
        await client.close();
        assert.equal(server.requests.length, 0);
    });

    void test('per-call headers override client headers of the same name', async () => {
        const client = new CohereClient({
            baseUrl: server.url,
            apiKey: 'k',
            headers: { 'X-Mode': 'client' },
        });
        await client.chat(USER_HELLO, { headers: { 'x-mode': 'call' } });
        await client.close();
        assert.equal(lastHeaders()['x-mode'], 'call');
    });
});

void describe('the body', () => {
    void test('a body that is not JSON-serialisable rejects bad_request, for chat and chatStream', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k' });
        const cyclic: Record<string, unknown> = {};
        cyclic['self'] = cyclic;
        const body = {
            ...USER_HELLO,
            response_format: { type: 'json_object' as const, json_schema: cyclic },
        };
        await assert.rejects(client.chat(body), { code: 'bad_request' });
        await assert.rejects(client.chatStream(body).response, { code: 'bad_request' });
        await client.close();
        assert.equal(server.requests.length, 0);
    });

    void test('chat sends stream false, chatStream stream true, and no undefined field is sent', async () => {
        const client = new CohereClient({ baseUrl: server.url, apiKey: 'k' });
        const body = {
            ...USER_HELLO,
            temperature: undefined,
            documents: [{ id: 'd1', data: { text: 'x' } }],
        };
        await client.chat(body);
        await client.chatStream(body).response;
        await client.close();
        const [json, sse] = server.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
        assert.equal(json?.['stream'], false);
        assert.equal(sse?.['stream'], true);
        assert.ok(!('temperature' in (json ?? {})));
        assert.deepEqual(json?.['documents'], [{ id: 'd1', data: { text: 'x' } }]);
        assert.deepEqual(json?.['messages'], USER_HELLO.messages);
    });
});
