import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { CohereClient } from '../../src/cohere/index';
import { createDispatcher } from '../../src/proxy';
import { startFakeCohere } from '../fake-cohere/server';

// A self-signed certificate for 127.0.0.1 (made once with openssl for these tests; it guards nothing).
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg35CWNSfAhiN8Uuyv
GK1yFQx2cIhbsad4sp00S6UwKwuhRANCAAQatkAl58EG2DBOLHbigEUNPeeZSCr8
oO51ldjfiGbSFxkkonQh+GzgEieqnzFLyXYFRYSWj9927gb7GfvBeekr
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUc8flAJHkeuuYUfpQdGAavTNd2ZowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyOTA1MDAxNVoYDzIxMjYxMTA1
MDUwMDE1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQatkAl58EG2DBOLHbigEUNPeeZSCr8oO51ldjfiGbSFxkkonQh+Gzg
EieqnzFLyXYFRYSWj9927gb7GfvBeekro2QwYjAdBgNVHQ4EFgQUkNcjbWO/RwHl
vPsLMWAJPfJh8P0wHwYDVR0jBBgwFoAUkNcjbWO/RwHlvPsLMWAJPfJh8P0wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQCMYgRh5OgFwTGsAVK7f84JVp7lkE8j01UBEIZCcL/xEwIgUpcTrhR8he3kavte
YWZrdCXWgyyPNfP6FUOJh4nhRgg=
-----END CERTIFICATE-----`;

interface TestProxy {
    url: string;
    /** CONNECT tunnels and absolute-form requests the proxy has handled. */
    connections: number;
    close(): Promise<void>;
}

/** A real forward proxy on loopback: CONNECT is piped to the target, absolute-form requests are relayed. */
async function startProxy(): Promise<TestProxy> {
    const sockets = new Set<net.Socket>();
    const state = { connections: 0 };
    const server = http.createServer((req, res) => {
        state.connections++;
        const target = new URL(req.url ?? '/');
        const upstream = http.request(
            target,
            { method: req.method, headers: { ...req.headers, host: target.host } },
            (upstreamRes) => {
                res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
                upstreamRes.pipe(res);
            },
        );
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
    });
    server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        state.connections++;
        sockets.add(client);
        const [host, port] = (req.url ?? '').split(':');
        const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
    });
    server.on('connection', (socket: net.Socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        get connections() {
            return state.connections;
        },
        close: async () => {
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

async function startTarget(): Promise<{ url: string; port: number; close(): Promise<void> }> {
    const server = http.createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

void describe('createDispatcher', () => {
    let proxy: TestProxy;
    let target: Awaited<ReturnType<typeof startTarget>>;

    before(async () => {
        proxy = await startProxy();
        target = await startTarget();
    });
    after(async () => {
        await proxy.close();
        await target.close();
    });

    async function fetchThrough(dispatcher: Dispatcher): Promise<unknown> {
        try {
            const response = await request(`${target.url}/v1/models`, { dispatcher });
            assert.equal(response.statusCode, 200);
            return await response.body.json();
        } finally {
            await dispatcher.close();
        }
    }

    void test('sends requests through the http.proxy setting', async () => {
        const before = proxy.connections;
        const body = await fetchThrough(createDispatcher({ proxy: proxy.url, strictSSL: true, env: {} }));
        assert.deepEqual(body, { ok: true });
        assert.equal(proxy.connections - before, 1);
    });

    void test('accepts a proxy setting written as host:port', async () => {
        const before = proxy.connections;
        const hostPort = proxy.url.replace('http://', '');
        await fetchThrough(createDispatcher({ proxy: hostPort, strictSSL: true, env: {} }));
        assert.equal(proxy.connections - before, 1);
    });

    void test('sends requests through HTTP_PROXY from the environment', async () => {
        const before = proxy.connections;
        await fetchThrough(createDispatcher({ strictSSL: true, env: { HTTP_PROXY: proxy.url } }));
        assert.equal(proxy.connections - before, 1);
    });

    void test('reads the lower-case http_proxy as well', async () => {
        const before = proxy.connections;
        await fetchThrough(createDispatcher({ strictSSL: false, env: { http_proxy: proxy.url } }));
        assert.equal(proxy.connections - before, 1);
    });

    void test('lets NO_PROXY bypass a proxy from the environment', async () => {
        const before = proxy.connections;
        const env = { HTTP_PROXY: proxy.url, NO_PROXY: `example.com,127.0.0.1:${target.port}` };
        const body = await fetchThrough(createDispatcher({ strictSSL: true, env }));
        assert.deepEqual(body, { ok: true });
        assert.equal(proxy.connections - before, 0);
    });

    void test('lets NO_PROXY bypass the http.proxy setting too', async () => {
        const before = proxy.connections;
        const env = { NO_PROXY: '127.0.0.1' };
        await fetchThrough(createDispatcher({ proxy: proxy.url, strictSSL: true, env }));
        assert.equal(proxy.connections - before, 0);
    });

    void test('uses HTTPS_PROXY only for https targets', async () => {
        const before = proxy.connections;
        await fetchThrough(createDispatcher({ strictSSL: true, env: { HTTPS_PROXY: proxy.url } }));
        assert.equal(proxy.connections - before, 0);
    });

    void test('connects directly with a keep-alive Agent when no proxy is configured', async () => {
        const before = proxy.connections;
        const dispatcher = createDispatcher({ strictSSL: true, env: {} });
        assert.ok(dispatcher instanceof Agent);
        await fetchThrough(dispatcher);
        assert.equal(proxy.connections - before, 0);
    });

    void test('prefers the http.proxy setting over the environment', async () => {
        const before = proxy.connections;
        const env = { HTTP_PROXY: 'http://127.0.0.1:9' };
        await fetchThrough(createDispatcher({ proxy: proxy.url, strictSSL: true, env }));
        assert.equal(proxy.connections - before, 1);
    });

    void test('carries a Cohere chat to the fake server through the proxy', async () => {
        const fake = await startFakeCohere();
        const dispatcher = createDispatcher({ proxy: proxy.url, strictSSL: true, env: {} });
        const client = new CohereClient({ baseUrl: fake.url, apiKey: 'test-key', dispatcher });
        try {
            const before = proxy.connections;
            const response = await client.chat({
                model: 'command-a-03-2025',
                messages: [{ role: 'user', content: 'Through the proxy' }],
            });
            assert.equal(response.finish_reason, 'COMPLETE');
            assert.equal(proxy.connections - before, 1);
            assert.equal(fake.requests.length, 1);
        } finally {
            await client.close();
            await dispatcher.close();
            await fake.close();
        }
    });
});

void describe('createDispatcher with TLS', () => {
    let proxy: TestProxy;
    let server: https.Server;
    let url: string;

    before(async () => {
        proxy = await startProxy();
        server = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, (_req, res) =>
            res.end('{"tls":true}'),
        );
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models`;
    });
    after(async () => {
        await proxy.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function get(dispatcher: Dispatcher): Promise<unknown> {
        try {
            const response = await request(url, { dispatcher });
            return await response.body.json();
        } finally {
            await dispatcher.close();
        }
    }

    void test('refuses a self-signed server certificate when strictSSL is on', async () => {
        await assert.rejects(
            get(createDispatcher({ strictSSL: true, env: {} })),
            /self[- ]signed|certificate/i,
        );
    });

    void test('accepts it when strictSSL is off (http.proxyStrictSSL false)', async () => {
        assert.deepEqual(await get(createDispatcher({ strictSSL: false, env: {} })), { tls: true });
    });

    void test('tunnels https through HTTPS_PROXY, checking the certificate end to end', async () => {
        const env = { HTTPS_PROXY: proxy.url };
        const before = proxy.connections;
        assert.deepEqual(await get(createDispatcher({ strictSSL: false, env })), { tls: true });
        assert.equal(proxy.connections - before, 1);
        await assert.rejects(get(createDispatcher({ strictSSL: true, env })), /self[- ]signed|certificate/i);
    });
});
