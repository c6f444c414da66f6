// The layout rule of issue 8, measured inside the chat's webview in VS Code itself: nothing wider than the
// view, headers and toolbars not clipped, action targets at least 24×24 px (WCAG 2.2, 2.5.8), text legible
// against what is behind it (WCAG contrast, from the computed styles), and the colours the body shows.
// The page function is a string: tsx would wrap the helpers of a TypeScript function in a `__name` call
// the page does not have.
import type { Frame } from 'playwright-core';

/** One piece of text and its contrast against the background it is drawn on. */
export interface ShownContrast {
    what: string;
    text: string;
    ratio: number;
    color: string;
    background: string;
}

/** What the probe found in one webview. */
export interface LookReport {
    /** Elements wider than their box or sticking out of the view. */
    overflow: string[];
    /** Children of a header or toolbar that lie outside it, and text cut off without an ellipsis. */
    clipped: string[];
    /** Controls smaller than 24×24 px. */
    small: string[];
    /** Every piece of text looked at, lowest contrast first. */
    contrast: ShownContrast[];
    /** The body's text colour and the colour behind the chat, as rgb(); the theme kind VS Code gave it. */
    body: { color: string; background: string; kind: string; themeName: string; fontSize: string };
    /** How many controls were measured (a probe that found none measured nothing). */
    controls: number;
    /** The view's width in CSS pixels. */
    width: number;
}

const PROBE = String.raw`(() => {
    const report = { overflow: [], clipped: [], small: [], contrast: [], body: {}, controls: 0, width: 0 };
    const root = document.documentElement;
    const view = root.clientWidth;
    report.width = view;
    const shown = (el) => {
        if (el.closest('[hidden], .visually-hidden') !== null) return false;
        if (el.getClientRects().length === 0) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none';
    };
    const nameOf = (el) => {
        let name = el.tagName.toLowerCase();
        if (el.id) name += '#' + el.id;
        if (typeof el.className === 'string' && el.className.trim() !== '')
            name += '.' + el.className.trim().split(/\s+/).join('.');
        if (el.dataset && el.dataset.action) name += '[' + el.dataset.action + ']';
        return name;
    };

    // Nothing wider than the view: the document, the main containers, and every box outside the code
    // blocks and tables (which scroll inside their own box).
    if (root.scrollWidth > root.clientWidth) report.overflow.push('document ' + root.scrollWidth + ' > ' + view);
    const containers = 'body, #app, .chat-header, #messages, .turns, .turn, .request, .response, .reply, ' +
        '.prompt, .composer, .input-box, .composer-toolbar, .meters, #history, .history-groups, ' +
        '.citation-sources, .empty-state, .turn-error, .thinking, .attachment-bar';
    for (const el of document.querySelectorAll(containers)) {
        if (!shown(el)) continue;
        if (el.scrollWidth > el.clientWidth)
            report.overflow.push(nameOf(el) + ': scrollWidth ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    for (const el of document.querySelectorAll('#app *')) {
        if (el.closest('pre, table') !== null || !shown(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        if (rect.right > view + 0.5 || rect.left < -0.5)
            report.overflow.push(nameOf(el) + ' [' + Math.round(rect.left) + ', ' + Math.round(rect.right) + ']');
    }

    // Text cut off by its box without an ellipsis that says so.
    for (const el of document.querySelectorAll('#app *')) {
        if (el.closest('pre, table') !== null || !shown(el)) continue;
        const style = getComputedStyle(el);
        if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') continue;
        // A flex or grid box draws no ellipsis: its text sits in anonymous items of its own.
        const ellipsis = style.textOverflow === 'ellipsis' && !/flex|grid/.test(style.display);
        if (el.scrollWidth > el.clientWidth + 1 && !ellipsis)
            report.clipped.push(nameOf(el) + ' cuts its content off: ' + el.scrollWidth + ' > ' + el.clientWidth);
    }

    // Headers and toolbars show all they hold.
    for (const bar of document.querySelectorAll('.chat-header, .composer-toolbar, .message-header, .history-header')) {
        if (!shown(bar)) continue;
        const box = bar.getBoundingClientRect();
        if (box.right > view + 0.5) report.clipped.push(nameOf(bar) + ' ends at ' + Math.round(box.right));
        for (const child of bar.children) {
            if (!shown(child)) continue;
            const r = child.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
                report.clipped.push(nameOf(child) + ' outside ' + nameOf(bar));
        }
    }

    // Targets: every control a person clicks.
    const controls = 'button, select, summary, vscode-button, [data-action], [role="button"], .citation-marker';
    for (const el of document.querySelectorAll(controls)) {
        if (!shown(el) || el.closest('.prompt-input') !== null) continue;
        report.controls++;
        const r = el.getBoundingClientRect();
        if (r.width < 24 || r.height < 24)
            report.small.push(nameOf(el) + ' ' + r.width.toFixed(1) + '×' + r.height.toFixed(1));
    }

    // Contrast, from the computed colours: the text's colour (with its opacity) over the backgrounds behind it.
    const parse = (css) => {
        const m = /rgba?\(([^)]*)\)/.exec(css);
        if (m === null) return undefined;
        const p = m[1].split(/[\s,\/]+/).filter((s) => s !== '').map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => {
        const a = top[3];
        return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
    };
    const backdrop = (el) => {
        const chain = [];
        for (let node = el; node !== null; node = node.parentElement) chain.push(node);
        let base = [255, 255, 255, 1];
        for (const node of chain.reverse()) {
            const bg = parse(getComputedStyle(node).backgroundColor);
            if (bg !== undefined && bg[3] > 0) base = over(bg, base);
        }
        return base;
    };
    const opacity = (el) => {
        let value = 1;
        for (let node = el; node !== null; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
        return value;
    };
    const lum = (c) => {
        const ch = (v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
    };
    const css = (c) => 'rgb(' + c.slice(0, 3).map((v) => Math.round(v)).join(', ') + ')';
    const measure = (el, text) => {
        const fg = parse(getComputedStyle(el).color);
        if (fg === undefined) return;
        const seen = opacity(el);
        // Actions faded out until hover or focus are not text a person reads in that state.
        if (seen < 0.5) return;
        const bg = backdrop(el);
        const color = over([fg[0], fg[1], fg[2], fg[3] * seen], bg);
        const [high, low] = [lum(color), lum(bg)].sort((x, y) => y - x);
        report.contrast.push({ what: nameOf(el), text: text.slice(0, 40), ratio: (high + 0.05) / (low + 0.05), color: css(color), background: css(bg) });
    };
    for (const el of document.querySelectorAll('#app *')) {
        if (!shown(el)) continue;
        let own = '';
        for (const node of el.childNodes) if (node.nodeType === 3) own += node.textContent;
        own = own.trim();
        if (own !== '') measure(el, own);
    }
    for (const el of document.querySelectorAll('#prompt, #model-picker')) {
        if (shown(el) && el.value !== '') measure(el, el.value);
    }
    report.contrast.sort((a, b) => a.ratio - b.ratio);

    const app = document.getElementById('app');
    const messages = document.getElementById('messages');
    report.body = {
        color: css(parse(getComputedStyle(document.body).color)),
        background: css(backdrop(app === null ? document.body : app)),
        kind: document.body.dataset.vscodeThemeKind || '',
        themeName: document.body.dataset.vscodeThemeName || '',
        fontSize: getComputedStyle(messages === null ? document.body : messages).fontSize,
    };
    return report;
})()`;

/** Measures the chat in `frame` (the webview's content frame). */
export async function probeLook(frame: Frame): Promise<LookReport> {
    return (await frame.evaluate(PROBE)) as LookReport;
}

/**
 * The theme's colours as the workbench itself holds them (its `--vscode-*` variables), in rgb(): what the
 * webview's body must show.
 */
export async function workbenchColors(
    frame: Frame,
    names: readonly string[],
): Promise<Record<string, string>> {
    const script = String.raw`((names) => {
        const bench = document.querySelector('.monaco-workbench');
        const out = {};
        for (const name of names) {
            const value = getComputedStyle(bench).getPropertyValue(name).trim();
            const probe = document.createElement('span');
            probe.style.color = value;
            bench.appendChild(probe);
            out[name] = value === '' ? '' : getComputedStyle(probe).color;
            probe.remove();
        }
        return out;
    })(${JSON.stringify(names)})`;
    return (await frame.evaluate(script)) as Record<string, string>;
}
