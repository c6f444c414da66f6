// The undici dispatcher every Cohere request goes through: VS Code's `http.proxy` first, then the
// conventional HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables, else a plain keep-alive pool.
import { PROXY_TIMEOUT_CODE } from './cohere/failures';
import { Agent, EnvHttpProxyAgent, Pool } from './cohere/undici';
import type { Dispatcher } from 'undici';

export interface DispatcherOptions {
    /** VS Code's `http.proxy` (empty or undefined when not set). */
    proxy?: string;
    /** VS Code's `http.proxyStrictSSL`: verify TLS certificates of the proxy and the server. */
    strictSSL: boolean;
    /** The environment to read proxy variables from; process.env when left out. */
    env?: NodeJS.ProcessEnv;
    /**
     * `cohere.timeoutSeconds` in ms: bounds connecting (directly or to the proxy), the proxy's answer to
     * CONNECT, and the head and body waits. Default 300000.
     */
    timeoutMs?: number;
}

// Idle sockets are kept this long so consecutive turns skip the TCP and TLS handshakes.
const KEEP_ALIVE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Builds the dispatcher for the Cohere client. An explicit proxy applies to every host except
 * those NO_PROXY names, exactly like a proxy from the environment does.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
    const env = options.env ?? process.env;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const tls = { rejectUnauthorized: options.strictSSL, timeout: timeoutMs };
    const agentOptions = {
        keepAliveTimeout: KEEP_ALIVE_MS,
        connect: tls,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
    };
    const explicit = normalizeProxyUrl(options.proxy);
    const httpProxy = explicit ?? normalizeProxyUrl(envValue(env, 'HTTP_PROXY'));
    const httpsProxy = explicit ?? normalizeProxyUrl(envValue(env, 'HTTPS_PROXY')) ?? httpProxy;
    if (httpProxy === undefined && httpsProxy === undefined) return new Agent(agentOptions);
    return new EnvHttpProxyAgent({
        ...agentOptions,
        // Empty strings rather than undefined: undici would otherwise fall back to process.env,
        // and the caller's `env` must be the only source.
        httpProxy: httpProxy ?? '',
        httpsProxy: httpsProxy ?? '',
        noProxy: envValue(env, 'NO_PROXY') ?? '',
        requestTls: tls,
        proxyTls: tls,
        // undici asks the proxy for its tunnel through a pool of its own, built with undici's default
        // 300 s head timeout: a proxy that accepts the connection and never answers CONNECT would hold
        // the request that long whatever cohere.timeoutSeconds says.
        clientFactory: (origin: URL, factoryOptions: object) =>
            proxyPool(
                origin,
                { ...factoryOptions, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
                timeoutMs,
            ),
    });
}

/** The pool that talks to the proxy itself, whose CONNECT failures say that it was the proxy. */
function proxyPool(origin: URL, options: object, timeoutMs: number): Dispatcher {
    const pool = new Pool(origin, options);
    const connect = pool.connect.bind(pool) as (
        params: Dispatcher.ConnectOptions,
    ) => Promise<Dispatcher.ConnectData>;
    const proxy = redactUrl(origin.href);
    // ProxyAgent only ever calls the promise form of connect().
    (pool as unknown as { connect: typeof connect }).connect = async (params) => {
        try {
            return await connect(params);
        } catch (error) {
            const code = (error as { code?: unknown } | null)?.code;
            if (code !== 'UND_ERR_HEADERS_TIMEOUT' && code !== 'UND_ERR_CONNECT_TIMEOUT') throw error;
            const failure = new Error(
                `The proxy ${proxy} did not answer the request to open a tunnel (CONNECT) within ${timeoutMs} ms.`,
                { cause: error },
            );
            throw Object.assign(failure, { code: PROXY_TIMEOUT_CODE });
        }
    };
    return pool;
}

/** A URL without its user name and password, for messages and logs. */
export function redactUrl(value: string): string {
    try {
        const url = new URL(value);
        if (url.username === '' && url.password === '') return value;
        url.username = '';
        url.password = '';
        return url.href.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, '$1***@');
    } catch {
        return value.replace(/\/\/[^/@\s]*@/, '//***@');
    }
}

/** Upper or lower case, as curl and undici accept both; lower case wins, as it does in undici. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
    const value = env[name.toLowerCase()] ?? env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `host:port` is common in proxy settings; undici needs a URL with a scheme. */
function normalizeProxyUrl(value: string | undefined): string | undefined {
    const trimmed = value?.trim();
    if (trimmed === undefined || trimmed === '') return undefined;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
    try {
        const url = new URL(withScheme);
        return url.protocol === 'http:' || url.protocol === 'https:' ? withScheme : undefined;
    } catch {
        return undefined;
    }
}
