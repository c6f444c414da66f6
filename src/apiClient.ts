// Owns the one CohereClient the extension uses, and builds a new one when the settings it depends on change
// (base URL, timeout, retries, headers, proxy). No vscode import: the caller passes plain settings in.
import type { Dispatcher } from 'undici';
import type { Logger } from './chat/logger';
import { CohereClient, DEFAULT_BASE_URL, type ChatStream, type RetryInfo } from './cohere';
import type { ChatSettings } from './config';
import { createDispatcher, redactUrl } from './proxy';
import type { ApiKeyStore } from './secrets';

/** VS Code's `http.proxy`, `http.proxyStrictSSL` and `http.noProxy`. */
export interface ProxySettings {
    readonly proxy?: string;
    readonly strictSSL: boolean;
    /** Hosts reached without the proxy, added to NO_PROXY. */
    readonly noProxy?: readonly string[];
}

export interface ApiClientDeps {
    readonly keys: Pick<ApiKeyStore, 'getKey'>;
    readonly log: Logger;
    /** The extension's version, for the User-Agent. */
    readonly version: string;
    /** The host's version (e.g. `vscode.version`), for the User-Agent. */
    readonly hostVersion?: string;
    readonly env?: NodeJS.ProcessEnv;
}

interface Built {
    readonly client: CohereClient;
    readonly dispatcher: Dispatcher;
    /** What the client was built from, to tell whether a settings change concerns it. */
    readonly inputs: string;
}

/** The settings a client is built from; a change to any other setting (the model, say) keeps the client. */
function clientInputs(settings: ChatSettings, proxy: ProxySettings): string {
    const { baseUrl, timeoutMs, maxRetries, requestHeaders } = settings;
    return JSON.stringify([baseUrl ?? '', timeoutMs, maxRetries, requestHeaders, proxy]);
}

/** The environment with VS Code's `http.noProxy` hosts added to NO_PROXY (both spellings, as undici reads either). */
export function withNoProxy(env: NodeJS.ProcessEnv, hosts: readonly string[] | undefined): NodeJS.ProcessEnv {
    const extra = (hosts ?? []).map((host) => host.trim()).filter((host) => host !== '');
    if (extra.length === 0) return env;
    const current = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').trim();
    const merged = [...(current === '' ? [] : [current]), ...extra].join(',');
    return { ...env, no_proxy: merged, NO_PROXY: merged };
}

/** The endpoint requests go to: the setting, else CO_API_URL, else Cohere's API. */
export function effectiveBaseUrl(settings: Pick<ChatSettings, 'baseUrl'>, env: NodeJS.ProcessEnv): string {
    const fromSetting = settings.baseUrl?.trim();
    if (fromSetting) return fromSetting;
    const fromEnv = env['CO_API_URL']?.trim();
    return fromEnv || DEFAULT_BASE_URL;
}

/**
 * Holds the current CohereClient. `chatClient` is a stable facade for ChatService that always forwards
 * to the newest client, so a settings change applies to the next request without rebuilding the service.
 */
export class ApiClientHolder {
    private built: Built;
    private disposed = false;

    /** What ChatService calls: forwards to whichever client is current. */
    readonly chatClient: Pick<CohereClient, 'chat' | 'chatStream'> = {
        chat: (body, options) => this.client.chat(body, options),
        chatStream: (body, options): ChatStream => this.client.chatStream(body, options),
    };

    constructor(
        private readonly deps: ApiClientDeps,
        settings: ChatSettings,
        proxy: ProxySettings,
    ) {
        this.built = this.build(settings, proxy);
    }

    get client(): CohereClient {
        return this.built.client;
    }

    /** The endpoint the current client talks to (for messages and logs; never with the key). */
    get baseUrl(): string {
        return this.built.client.baseUrl;
    }

    /**
     * Replaces the client when a setting it depends on changed (its pooled connections are kept otherwise).
     * The old one is closed once its requests have finished, so no reply is cut.
     */
    rebuild(settings: ChatSettings, proxy: ProxySettings): void {
        if (this.disposed || clientInputs(settings, proxy) === this.built.inputs) return;
        const previous = this.built;
        this.built = this.build(settings, proxy);
        void this.release(previous);
    }

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        void this.release(this.built);
    }

    private build(settings: ChatSettings, proxy: ProxySettings): Built {
        const env = this.deps.env ?? process.env;
        const dispatcher = createDispatcher({
            ...(proxy.proxy ? { proxy: proxy.proxy } : {}),
            strictSSL: proxy.strictSSL,
            env: withNoProxy(env, proxy.noProxy),
            timeoutMs: settings.timeoutMs,
        });
        const baseUrl = effectiveBaseUrl(settings, env);
        const host = this.deps.hostVersion ? ` vscode/${this.deps.hostVersion}` : '';
        const client = new CohereClient({
            // A function, so the key is read for every request: a key set or cleared in any window applies at once.
            apiKey: async () => (await this.deps.keys.getKey())?.key,
            baseUrl,
            timeoutMs: settings.timeoutMs,
            maxRetries: settings.maxRetries,
            headers: settings.requestHeaders,
            clientName: 'cohere-chat-vscode',
            userAgent: `cohere-chat-vscode/${this.deps.version}${host}`,
            dispatcher,
            onRetry: (info) => this.logRetry(info),
        });
        this.deps.log.info(
            // A base URL may carry credentials (user:pass@): they never reach the log.
            `Cohere client ready: ${redactUrl(baseUrl)}, timeout ${settings.timeoutMs} ms, ${settings.maxRetries} retries` +
                (proxy.proxy ? ', through http.proxy' : ''),
        );
        return { client, dispatcher, inputs: clientInputs(settings, proxy) };
    }

    private logRetry(info: RetryInfo): void {
        this.deps.log.warn(
            `retrying (attempt ${info.attempt}) in ${info.delayMs} ms after ${info.error.code}` +
                (info.error.status === undefined ? '' : ` ${info.error.status}`) +
                `: ${info.error.message}`,
        );
    }

    private async release(built: Built): Promise<void> {
        try {
            await built.client.close();
            // The client leaves a dispatcher it was given to its owner; close() lets running replies finish.
            await built.dispatcher.close();
        } catch (error) {
            this.deps.log.debug(`closing an old Cohere client: ${String(error)}`);
        }
    }
}
