import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCsp, createNonce, escapeHtml, renderWebviewShell } from '../../src/ui/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function shell(overrides: Partial<Parameters<typeof renderWebviewShell>[0]> = {}): string {
    return renderWebviewShell({
        cspSource: CSP_SOURCE,
        scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
        styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
        nonce: 'bm9uY2Utb2YtdGVzdA==',
        title: 'Cohere Chat',
        ...overrides,
    });
}

function metaCsp(html: string): string {
    const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(match, 'the shell has a CSP meta tag');
    return match[1] ?? '';
}

void describe('the webview CSP', () => {
    void test('allows nothing by default, the script only by nonce, and styles, images and fonts from the webview origin', () => {
        assert.equal(
            buildCsp(CSP_SOURCE, 'abc123+/='),
            "default-src 'none'; script-src 'nonce-abc123+/='; style-src https://file+.vscode-resource.vscode-cdn.net; " +
                'img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net',
        );
    });

    void test('accepts the source list VS Code for the web gives, quotes and all', () => {
        assert.equal(
            buildCsp("'self' https://*.vscode-cdn.net", 'abc'),
            "default-src 'none'; script-src 'nonce-abc'; style-src 'self' https://*.vscode-cdn.net; " +
                "img-src 'self' https://*.vscode-cdn.net data:; font-src 'self' https://*.vscode-cdn.net",
        );
    });

    void test('never allows inline code, eval or remote origins', () => {
        const csp = buildCsp(CSP_SOURCE, createNonce());
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+\.vscode-resource)/);
    });

    void test('refuses a nonce or source that could smuggle in another directive', () => {
        assert.throws(() => buildCsp(CSP_SOURCE, "x'; script-src *"), /invalid CSP nonce/);
        assert.throws(() => buildCsp(`${CSP_SOURCE}; script-src *`, 'abc'), /invalid CSP source/);
        assert.throws(() => buildCsp('', 'abc'), /invalid CSP source/);
        assert.throws(() => buildCsp(`${CSP_SOURCE}\nscript-src *`, 'abc'), /invalid CSP source/);
    });
});

void describe('createNonce', () => {
    void test('gives 16 random bytes in base64, different every time', () => {
        const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
        assert.equal(nonces.size, 50);
        for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
    });
});

void describe('the webview shell', () => {
    void test('carries the CSP, the stylesheet, the app root and one module script with the nonce', () => {
        const html = shell();
        assert.equal(metaCsp(html), escapeHtml(buildCsp(CSP_SOURCE, 'bm9uY2Utb2YtdGVzdA==')));
        assert.match(
            html,
            /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.css">/,
        );
        assert.match(html, /<div id="app"><\/div>/);
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        assert.deepEqual(scripts, [
            '<script type="module" nonce="bm9uY2Utb2YtdGVzdA==" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js">',
        ]);
    });

    void test('escapes every interpolated value, so none can open a tag or leave its attribute', () => {
        const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
        const html = shell({
            title: hostile,
            lang: hostile,
            scriptUri: `https://x/${hostile}`,
            styleUri: `https://x/${hostile}`,
            data: { surface: hostile },
        });
        assert.equal((html.match(/<script\b/g) ?? []).length, 1);
        assert.doesNotMatch(html, /<img|onerror=alert\(2\)>/);
        assert.match(html, /data-surface="&quot;&gt;&lt;script&gt;/);
    });

    void test('writes data attributes with valid names and drops the rest', () => {
        const html = shell({ data: { surface: 'sidebar', demo: 'true', 'bad name': 'x', 'on"click': 'y' } });
        assert.match(html, /<div id="app" data-surface="sidebar" data-demo="true"><\/div>/);
    });
});

void describe('escapeHtml', () => {
    void test('escapes the five characters that matter in text and quoted attributes', () => {
        assert.equal(
            escapeHtml(`<a href="x" title='y'>&</a>`),
            '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
        );
    });
});
