// Reads the settings from VS Code and hands them to the plain parsers (src/config.ts), so the rest of the
// extension sees one typed, clamped snapshot.
import * as vscode from 'vscode';
import type { ProxySettings } from './apiClient';
import { CONFIG_SECTION, parseSettings, type ChatSettings } from './config';

// A folder's .vscode/settings.json must not be able to send the person's key to another server or add
// headers to it: in an untrusted workspace these two come from the user's own settings only.
const USER_ONLY_WHEN_UNTRUSTED: ReadonlySet<string> = new Set(['baseUrl', 'requestHeaders']);

function readCohereSetting(config: vscode.WorkspaceConfiguration, key: string): unknown {
    if (!vscode.workspace.isTrusted && USER_ONLY_WHEN_UNTRUSTED.has(key)) {
        const values = config.inspect(key);
        return values?.globalValue ?? values?.defaultValue;
    }
    return config.get(key);
}

/** The `cohere.*` settings as they are now. */
export function readChatSettings(): ChatSettings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    return parseSettings((key) => readCohereSetting(config, key));
}

/** VS Code's own proxy settings (`http.proxy`, `http.proxyStrictSSL`, `http.noProxy`), which the Cohere client follows before the proxy environment variables. */
export function readProxySettings(): ProxySettings {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<unknown>('proxy');
    const strictSSL = http.get<unknown>('proxyStrictSSL');
    const noProxy = http.get<unknown>('noProxy');
    const hosts = Array.isArray(noProxy)
        ? noProxy.filter((host): host is string => typeof host === 'string')
        : [];
    return {
        ...(typeof proxy === 'string' && proxy.trim() !== '' ? { proxy: proxy.trim() } : {}),
        strictSSL: typeof strictSSL === 'boolean' ? strictSSL : true,
        ...(hosts.length > 0 ? { noProxy: hosts } : {}),
    };
}

/** True when a configuration change affects the client or the chat context. */
export function affectsChat(event: vscode.ConfigurationChangeEvent): boolean {
    return (
        event.affectsConfiguration(CONFIG_SECTION) ||
        event.affectsConfiguration('http.proxy') ||
        event.affectsConfiguration('http.proxyStrictSSL') ||
        event.affectsConfiguration('http.noProxy')
    );
}

/** Writes the model new messages go to, in the user's settings. */
export async function writeModelSetting(model: string): Promise<void> {
    await vscode.workspace
        .getConfiguration(CONFIG_SECTION)
        .update('model', model, vscode.ConfigurationTarget.Global);
}
