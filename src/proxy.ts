// The undici dispatcher every Cohere request goes through: VS Code's `http.proxy` first, then the
// conventional HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables, else a plain keep-alive pool.
import { Agent, EnvHttpProxyAgent } from './cohere/undici';
import type { Dispatcher } from 'undici';

export interface DispatcherOptions {
    /** VS Code's `http.proxy` (empty or undefined when not set). */
    proxy?: string;
    /** VS Code's `http.proxyStrictSSL`: verify TLS certificates of the proxy and the server. */
    strictSSL: boolean;
    /** The environment to read proxy variables from; process.env when left out. */
    env?: NodeJS.ProcessEnv;
}

// Idle sockets are kept this long so consecutive turns skip the TCP and TLS handshakes.
const KEEP_ALIVE_MS = 30_000;

/**
 * Builds the dispatcher for the Cohere client. An explicit proxy applies to every host except
 * those NO_PROXY names, exactly like a proxy from the environment does.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
    const env = options.env ?? process.env;
    const tls = { rejectUnauthorized: options.strictSSL };
    const agentOptions = { keepAliveTimeout: KEEP_ALIVE_MS, connect: tls };
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
    });
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
