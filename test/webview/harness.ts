// Runs the real webview bundle (dist/webview.js + dist/webview.css, built by `npm run build`) in Debian's
// headless Chromium, on a page served like VS Code serves it: a strict CSP with a nonce, `#app`, and a stub
// `acquireVsCodeApi` (a nonce'd script) that records what the webview posts into `window.__posted`.
// Host messages are delivered with `window.postMessage`, as VS Code does.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../setup/chromium';
import type { BrowserContext, Page } from 'playwright-core';
import type { HostToWebviewMessage, WebviewToHostMessage } from '../../src/protocol';

// WEBVIEW_DIST lets the benchmark serve another build (a baseline) without touching dist/.
const DIST = process.env['WEBVIEW_DIST'] ?? resolve(__dirname, '../../dist');

/** The few browser shapes page functions use: this folder is type-checked with Node's libraries, no DOM. */
export interface PageElement {
    readonly id: string;
    readonly tagName: string;
    readonly dataset: Record<string, string | undefined>;
    readonly textContent: string | null;
    readonly innerHTML: string;
    readonly attributes: Iterable<{ readonly name: string; readonly value: string }>;
    readonly classList: { contains(name: string): boolean };
    open?: boolean;
    scrollTop: number;
    readonly scrollHeight: number;
    readonly clientHeight: number;
    closest(selector: string): PageElement | null;
    getAttribute(name: string): string | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
    cloneNode(deep: boolean): PageElement;
    remove(): void;
    blur(): void;
    dispatchEvent(event: unknown): boolean;
    /** Set by tests to tell whether a node survived a re-render. */
    __kept?: boolean;
}

/** The page's global object as page functions see it. */
export interface PageWindow {
    __posted: WebviewToHostMessage[];
    __state?: Record<string, unknown>;
    __violations: string[];
    __pwned?: unknown;
    readonly document: { readonly activeElement: PageElement | null; readonly body: PageElement };
    postMessage(message: unknown, targetOrigin: string): void;
    addEventListener(
        type: 'message',
        listener: (event: { data: unknown }) => void,
        options: { signal: unknown },
    ): void;
    requestAnimationFrame(callback: () => void): number;
    readonly Event: new (type: string) => unknown;
}

/** A message the host may send, including ones the protocol union may not list yet. */
export type HostMessage =
    HostToWebviewMessage | { readonly type: 'turnRetrying'; readonly [key: string]: unknown };

/** The test server: the page, the bundle, and every request it saw. */
export interface TestServer {
    readonly origin: string;
    readonly requests: string[];
    close(): Promise<void>;
}

/** Serves dist/ and the test page on 127.0.0.1 at a free port. */
export async function startServer(): Promise<TestServer> {
    for (const file of ['webview.js', 'webview.css']) {
        if (!existsSync(join(DIST, file)))
            throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
    }
    const requests: string[] = [];
    let origin = '';
    const server = createServer((request, response) => {
        const url = request.url ?? '/';
        requests.push(url);
        void (async () => {
            if (url === '/' || url.startsWith('/?')) {
                const nonce = randomBytes(16).toString('base64');
                const csp = contentSecurityPolicy(origin, nonce);
                response.writeHead(200, {
                    'content-type': 'text/html; charset=utf-8',
                    'content-security-policy': csp,
                });
                const strings = new URL(url, origin).searchParams.get('strings');
                response.end(pageHtml(csp, nonce, strings ?? undefined));
                return;
            }
            const match = /^\/dist\/(webview\.(?:js|css)(?:\.map)?|codicon\.ttf)$/.exec(url);
            if (match?.[1] === undefined) {
                response.writeHead(404).end();
                return;
            }
            const type = match[1].endsWith('.css')
                ? 'text/css'
                : match[1].endsWith('.ttf')
                  ? 'font/ttf'
                  : 'text/javascript';
            response.writeHead(200, { 'content-type': `${type}; charset=utf-8` });
            response.end(await readFile(join(DIST, match[1])));
        })().catch((error: unknown) => {
            response.writeHead(500).end(String(error));
        });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        origin,
        requests,
        close: () =>
            new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
            }),
    };
}

function contentSecurityPolicy(origin: string, nonce: string): string {
    return [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src ${origin}`,
        `img-src ${origin} data:`,
        `font-src ${origin}`,
    ].join('; ');
}

// The stub keeps getState/setState in sessionStorage-free memory, but a test can seed it through `?state=`.
const STUB = `
(() => {
    window.__posted = [];
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
    });
    const seeded = new URLSearchParams(location.search).get('state');
    let state = seeded === null ? undefined : JSON.parse(seeded);
    let acquired = false;
    window.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
            postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
            getState: () => state,
            setState: (value) => { state = value; window.__state = value; },
        };
    };
})();
`;

/** Escapes text for a double-quoted attribute. */
function attribute(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page; `strings` is the JSON strings table the host writes into `#app` (as src/ui/webviewSetup.ts). */
function pageHtml(csp: string, nonce: string, strings?: string): string {
    const data = strings === undefined ? '' : ` data-strings="${attribute(strings)}"`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/dist/webview.css">
<script nonce="${nonce}">${STUB}</script>
</head>
<body>
<div id="app"${data}></div>
<script type="module" nonce="${nonce}" src="/dist/webview.js"></script>
</body>
</html>`;
}

/** One headless Chromium with a fresh profile, and the server the pages load from. */
export interface Browser {
    readonly server: TestServer;
    open(options?: { uiState?: unknown; strings?: Record<string, string> }): Promise<ChatPage>;
    close(): Promise<void>;
}

/** Launches Chromium (fresh user-data dir) and starts the server. */
export async function launch(): Promise<Browser> {
    const server = await startServer();
    const profile = await mkdtemp(join(tmpdir(), 'webview-test-'));
    let context: BrowserContext;
    try {
        context = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM_PATH,
            headless: true,
            args: CHROMIUM_ARGS,
            viewport: { width: 900, height: 700 },
        });
    } catch (error) {
        await server.close();
        await rm(profile, { recursive: true, force: true });
        throw error;
    }
    return {
        server,
        open: async (options = {}) => {
            const page = await context.newPage();
            const chat = new ChatPage(page, server.origin);
            const query = new URLSearchParams();
            if (options.uiState !== undefined) query.set('state', JSON.stringify(options.uiState));
            if (options.strings !== undefined) query.set('strings', JSON.stringify(options.strings));
            const search = query.size === 0 ? '' : `?${query.toString()}`;
            await page.goto(`${server.origin}/${search}`);
            await page.waitForFunction(() => (globalThis as unknown as PageWindow).__posted.length > 0);
            return chat;
        },
        close: async () => {
            await context.close();
            await server.close();
            await rm(profile, { recursive: true, force: true });
        },
    };
}

/** A page with the chat loaded, and what happened on it. */
export class ChatPage {
    readonly dialogs: string[] = [];
    readonly errors: string[] = [];
    /** Every URL the page asked for, including ones a policy then blocked. */
    readonly requests: string[] = [];

    constructor(
        readonly page: Page,
        readonly origin: string,
    ) {
        page.on('dialog', (dialog) => {
            this.dialogs.push(dialog.message());
            void dialog.dismiss();
        });
        page.on('pageerror', (error) => this.errors.push(error.message));
        page.on('request', (request) => this.requests.push(request.url()));
    }

    /**
     * Delivers host messages in order and waits until the page handled them and rendered two frames. A final
     * ping message proves the app's listener (registered first) already saw the ones before it.
     */
    async deliver(...messages: readonly HostMessage[]): Promise<void> {
        await this.page.evaluate(async (list) => {
            const page = globalThis as unknown as PageWindow;
            const listening = new AbortController();
            const handled = new Promise<void>((done) => {
                page.addEventListener(
                    'message',
                    (event) => {
                        if ((event.data as { type?: string } | null)?.type !== '__ping') return;
                        listening.abort();
                        done();
                    },
                    { signal: listening.signal },
                );
            });
            for (const message of list) page.postMessage(message, '*');
            page.postMessage({ type: '__ping' }, '*');
            await handled;
            await new Promise<void>((done) =>
                page.requestAnimationFrame(() => page.requestAnimationFrame(done)),
            );
        }, messages);
    }

    /** Everything the webview posted so far. */
    async posted(): Promise<WebviewToHostMessage[]> {
        const all = await this.page.evaluate(() => (globalThis as unknown as PageWindow).__posted);
        return all.filter((message) => message.type !== 'saveDraft');
    }

    /**
     * What the webview posted since the last call of `takePosted`, without the `saveDraft` messages that
     * follow every change of the input (read those with `drafts`).
     */
    async takePosted(): Promise<WebviewToHostMessage[]> {
        const taken = await this.page.evaluate(() => {
            const holder = globalThis as unknown as PageWindow;
            const taken = holder.__posted;
            holder.__posted = [];
            return taken;
        });
        this.draftsPosted.push(...taken.filter((message) => message.type === 'saveDraft'));
        return taken.filter((message) => message.type !== 'saveDraft');
    }

    private readonly draftsPosted: WebviewToHostMessage[] = [];

    /** The drafts the webview handed to the host (`saveDraft`) with their revisions, the latest last. */
    async draftsWithRevisions(): Promise<{ text: string; revision: number }[]> {
        await this.drafts();
        return this.draftsPosted.flatMap((message) =>
            message.type === 'saveDraft' ? [{ text: message.text, revision: message.revision }] : [],
        );
    }

    /** The drafts the webview handed to the host (`saveDraft`), the latest last. */
    async drafts(): Promise<string[]> {
        await this.takePosted().then((rest) =>
            this.page.evaluate((kept) => {
                (globalThis as unknown as PageWindow).__posted.unshift(...kept);
            }, rest),
        );
        return this.draftsPosted.map((message) => (message.type === 'saveDraft' ? message.text : ''));
    }

    /** The last UI state the webview saved. */
    async uiState(): Promise<Record<string, unknown> | undefined> {
        return this.page.evaluate(() => (globalThis as unknown as PageWindow).__state);
    }

    /** CSP violations the page reported. */
    async violations(): Promise<string[]> {
        return this.page.evaluate(() => (globalThis as unknown as PageWindow).__violations);
    }

    async close(): Promise<void> {
        await this.page.close();
    }
}
