// Model markdown -> safe DOM. The model's text is untrusted: markdown-it runs with raw HTML off, and its
// output still goes through DOMPurify with a strict allow-list before it reaches the page. Links survive
// only for http, https and mailto (and are opened by the host); images become their alt text.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { highlightCode } from './codeBlocks';
import { stripSentinels } from './sentinels';
import { capTables } from './tableCap';

const markdown = new MarkdownIt({
    html: false,
    linkify: true,
    typographer: false,
    highlight: (code, language) => highlightCode(code, language),
});

// Only URLs with a scheme (or www.) become links: fuzzy matching would turn `main.py` into http://main.py.
markdown.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

// Past MAX_TABLE_CELLS a table shows as its text (tableCap.ts).
markdown.use(capTables);

// An image would fetch from wherever the model says; show its alt text instead.
markdown.renderer.rules['image'] = (tokens, index) => markdown.utils.escapeHtml(tokens[index]?.content ?? '');

const ALLOWED_TAGS = [
    'a',
    'b',
    'blockquote',
    'br',
    'code',
    'del',
    'em',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'li',
    'ol',
    'p',
    'pre',
    's',
    'span',
    'strong',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start'];
const SAFE_LINK = /^(?:https?|mailto):/i;

const purify = DOMPurify(window);
purify.addHook('uponSanitizeAttribute', (node, data) => {
    // Classes come only from markdown-it (language-x) and highlight.js (hljs-x); drop anything else.
    if (data.attrName === 'class') {
        const kept = data.attrValue
            .split(/\s+/)
            .filter((name) => /^(?:hljs|language)-[\w+#.-]+$/.test(name) || name === 'hljs');
        data.attrValue = kept.join(' ');
        if (kept.length === 0) data.keepAttr = false;
    }
    if (data.attrName === 'href' && !(node instanceof HTMLAnchorElement)) data.keepAttr = false;
});

/** Whether a link target may be opened (by the host). */
export function isSafeLink(href: string): boolean {
    return SAFE_LINK.test(href.trim());
}

/** Renders `source` (which may hold citation sentinels) into a sanitized fragment. */
export function renderMarkdown(source: string): DocumentFragment {
    const html = markdown.render(source);
    const fragment = purify.sanitize(html, {
        ALLOWED_TAGS,
        ALLOWED_ATTR,
        ALLOWED_URI_REGEXP: SAFE_LINK,
        ALLOW_DATA_ATTR: false,
        ALLOW_ARIA_ATTR: false,
        FORBID_TAGS: ['style', 'svg', 'math', 'img', 'iframe', 'form', 'input'],
        FORBID_ATTR: ['style'],
        RETURN_DOM_FRAGMENT: true,
    });
    cleanAttributes(fragment);
    unwrapUnsafeLinks(fragment);
    return fragment;
}

// A sentinel that landed in a URL, a title or a fence's info string must not leak into an attribute.
function cleanAttributes(root: DocumentFragment): void {
    for (const node of Array.from(root.querySelectorAll('*'))) {
        for (const attribute of Array.from(node.attributes)) {
            const clean = stripSentinels(attribute.value);
            if (clean !== attribute.value) node.setAttribute(attribute.name, clean);
        }
    }
}

// A link whose target was refused keeps its text, unlinked.
function unwrapUnsafeLinks(root: DocumentFragment): void {
    for (const link of Array.from(root.querySelectorAll('a'))) {
        const href = link.getAttribute('href');
        if (href !== null && isSafeLink(href)) {
            link.setAttribute('rel', 'noreferrer noopener');
            continue;
        }
        link.replaceWith(...Array.from(link.childNodes));
    }
}
