// The webview's only source of words. The host writes the translated strings table into `#app`'s
// `data-strings` (src/ui/webviewSetup.ts); a key it did not send (an older host, the test page) falls back to
// the English in src/webviewStrings.ts. Nothing else in webview/ spells text a person reads.
import { WEBVIEW_STRINGS, type WebviewStringKey } from '../src/webviewStrings';

function readTable(): Partial<Record<WebviewStringKey, string>> {
    const raw = document.getElementById('app')?.dataset['strings'];
    if (raw === undefined || raw === '') return {};
    try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null) return {};
        const table: Partial<Record<WebviewStringKey, string>> = {};
        for (const key of Object.keys(WEBVIEW_STRINGS) as WebviewStringKey[]) {
            const value = (parsed as Record<string, unknown>)[key];
            if (typeof value === 'string') table[key] = value;
        }
        return table;
    } catch {
        return {};
    }
}

const table = readTable();

/** The string `key`, with `{0}`, `{1}` … replaced by `args` (a placeholder without an argument stays). */
export function t(key: WebviewStringKey, ...args: readonly (string | number)[]): string {
    const template = table[key] ?? WEBVIEW_STRINGS[key];
    if (args.length === 0) return template;
    return template.replace(/\{(\d+)\}/g, (match, index: string) => {
        const value = args[Number(index)];
        return value === undefined ? match : String(value);
    });
}
