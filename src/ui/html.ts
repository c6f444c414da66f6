// The chat webview's HTML shell. Plain strings and node:crypto only (no vscode import), so the CSP and the
// escaping are unit-tested in plain Node; the caller turns file paths into webview URIs.
import { randomBytes } from 'node:crypto';

/** What the shell needs from the webview it is written for. */
export interface WebviewShellOptions {
    /** `webview.cspSource`: the origin the webview may load styles, images and fonts from. */
    readonly cspSource: string;
    /** `asWebviewUri(dist/webview.js)`, as a string. */
    readonly scriptUri: string;
    /** `asWebviewUri(dist/webview.css)`, as a string. */
    readonly styleUri: string;
    /** A fresh nonce per render, from {@link createNonce}. */
    readonly nonce: string;
    /** The document title (screen readers announce it). */
    readonly title: string;
    /** `<html lang>`, e.g. `vscode.env.language`. */
    readonly lang?: string;
    /** Extra `data-*` attributes on `#app` (names without the `data-` prefix): initial facts for the webview. */
    readonly data?: Readonly<Record<string, string>>;
}

/** A nonce for the CSP: 16 random bytes from the OS, base64 (never Math.random). */
export function createNonce(): string {
    return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy of the chat webview: nothing by default, the one bundled script by nonce,
 * styles, images and fonts only from the extension's own webview origin (plus `data:` images).
 */
export function buildCsp(cspSource: string, nonce: string): string {
    // A nonce or source with a semicolon, comma or line break could add directives: refuse it outright.
    // (The source itself may be a list, e.g. "'self' https://*.vscode-cdn.net" in VS Code for the web.)
    if (!/^[A-Za-z0-9+/_=-]+$/.test(nonce)) throw new Error('invalid CSP nonce');
    if (/[;,\r\n"<>]/.test(cspSource) || cspSource.trim() === '') throw new Error('invalid CSP source');
    return [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src ${cspSource}`,
        `img-src ${cspSource} data:`,
        `font-src ${cspSource}`,
    ].join('; ');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};

/** Escapes text for use inside an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** `data-*` names are limited to what HTML allows after `data-`, lowercase; anything else is dropped. */
function dataAttributes(data: Readonly<Record<string, string>> | undefined): string {
    if (!data) return '';
    return Object.entries(data)
        .filter(([name]) => /^[a-z][a-z0-9-]*$/.test(name))
        .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
        .join('');
}

/** The whole HTML document of the chat webview. Every interpolated value is escaped. */
export function renderWebviewShell(options: WebviewShellOptions): string {
    const csp = buildCsp(options.cspSource, options.nonce);
    const lang = escapeHtml(options.lang ?? 'en');
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
</head>
<body>
<div id="app"${dataAttributes(options.data)}></div>
<script type="module" nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
