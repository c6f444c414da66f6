// Codicons, the icon font VS Code itself uses (@vscode/codicons, bundled as dist/codicon.ttf and loaded
// under the webview's CSP through `font-src`). Only the glyphs used here are named; style.css draws each
// with a `.codicon-<name>::before` rule holding its code point (listed here), so the 90 KB of codicon.css
// stays out of the bundle and no private-use character enters the DOM's text (where the citation
// sentinels live).

/** Each icon's code point in the codicon font (style.css's rules must match). */
export const CODE_POINTS = {
    add: 0xea60,
    history: 0xea82,
    copy: 0xebcc,
    insert: 0xec11,
    apply: 0xeb43,
    edit: 0xea73,
    refresh: 0xeb37,
    retry: 0xead2,
    continue: 0xeacf,
    export: 0xebac,
    send: 0xec0f,
    stop: 0xead7,
    key: 0xeb11,
    output: 0xeb9d,
    close: 0xea76,
    check: 0xeab2,
    sparkle: 0xec10,
    account: 0xeb99,
    chevronDown: 0xeab4,
    attach: 0xec34,
    warning: 0xea6c,
    error: 0xea87,
    info: 0xea74,
    loading: 0xeb19,
} as const;

/** The name of a codicon this webview draws. */
export type IconName = keyof typeof CODE_POINTS;

/** A `span.codicon` showing `name`; hidden from screen readers (the control around it carries the name). */
export function icon(name: IconName): HTMLElement {
    const span = document.createElement('span');
    span.className = `codicon codicon-${name}`;
    span.setAttribute('aria-hidden', 'true');
    return span;
}
