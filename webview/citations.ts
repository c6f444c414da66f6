// Citations drawn on the exact cited words. The server gives each citation a [start, end) span in the
// content block's text. We put a private-use sentinel at each end of the span in the markdown source, render
// it, then walk the rendered text and wrap what lies between the sentinels in `mark.citation` — split at
// element boundaries, so a span inside bold, a list item or a link is highlighted exactly — and finally
// drop the sentinels. A numbered marker button follows each span.
import { t } from './l10n';
import { endSentinel, hasSentinel, readSentinel, startSentinel, SENTINEL_PATTERN } from './sentinels';

/** A citation's span within one content block, with its 1-based number in the reply. */
export interface CitationSpan {
    readonly n: number;
    readonly start: number;
    readonly end: number;
}

// Markdown that only means something at the start of a line. A sentinel put in front of it would turn a
// heading, list item, quote or fence into plain text, so a span starting there starts after it instead.
const LINE_START_SYNTAX =
    /^(?:[ \t]{0,3}(?:#{1,6}[ \t]+|[-+*][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]?|(?:`{3,}|~{3,})[^\n]*\n))+/;

// Bare URLs and link destinations: a sentinel inside one would change the URL (even its punycoded host).
const URL_LIKE = /(?:https?:\/\/|mailto:|www\.)[^\s<>]*|\]\([^)\s]*\)?/gi;

/** Moves `at` out of any URL range: to its start for a span's start, to its end for a span's end. */
function outsideUrls(at: number, ranges: readonly [number, number][], side: 'start' | 'end'): number {
    for (const [from, to] of ranges) {
        if (at > from && at < to) return side === 'start' ? from : to;
    }
    return at;
}

/**
 * `text` (one block of markdown source starting at offset `base` of the content block) with sentinels at
 * the ends of every span that overlaps it, clipped to the block.
 */
export function insertSentinels(text: string, base: number, spans: readonly CitationSpan[]): string {
    const inserts: { at: number; mark: string; order: number }[] = [];
    const urls: [number, number][] =
        spans.length === 0
            ? []
            : Array.from(text.matchAll(URL_LIKE), (match) => [match.index, match.index + match[0].length]);
    for (const span of spans) {
        let start = outsideUrls(Math.max(span.start - base, 0), urls, 'start');
        let end = outsideUrls(Math.min(span.end - base, text.length), urls, 'end');
        if (end <= start) continue;
        if (start === 0 || text[start - 1] === '\n') {
            start += LINE_START_SYNTAX.exec(text.slice(start, end))?.[0].length ?? 0;
        }
        while (end > start && text[end - 1] === '\n') end--;
        if (end <= start) continue;
        // At one offset: close spans before opening the next; open longer spans first so they nest.
        inserts.push({ at: start, mark: startSentinel(span.n), order: 1 });
        inserts.push({ at: end, mark: endSentinel(span.n), order: 0 });
    }
    if (inserts.length === 0) return text;
    inserts.sort((a, b) => a.at - b.at || a.order - b.order);
    let result = '';
    let from = 0;
    for (const insert of inserts) {
        result += text.slice(from, insert.at) + insert.mark;
        from = insert.at;
    }
    return result + text.slice(from);
}

/** Where a citation's marker goes: after a link, inline code or code block the span ends in, never inside. */
function markerAnchor(node: Node, root: Node): Node | undefined {
    let anchor: Node | undefined;
    for (let current = node.parentNode; current !== null && current !== root; current = current.parentNode) {
        if (current instanceof Element && ['A', 'CODE', 'PRE'].includes(current.tagName)) anchor = current;
    }
    return anchor;
}

/** A `button.citation-marker` for citation `n`. */
export function makeMarker(n: number): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'citation-marker';
    button.dataset['citation'] = String(n);
    button.setAttribute('aria-label', t('citation', n));
    button.setAttribute('aria-expanded', 'false');
    button.textContent = String(n);
    return button;
}

function wrapInMarks(text: string, open: readonly number[]): Node {
    let node: Node = document.createTextNode(text);
    for (let i = open.length - 1; i >= 0; i--) {
        const mark = document.createElement('mark');
        mark.className = 'citation';
        mark.dataset['citation'] = String(open[i]);
        mark.append(node);
        node = mark;
    }
    return node;
}

/**
 * Replaces the sentinels under `root` by `mark.citation` spans and markers. Sentinels that were lost (one
 * landed in a URL) leave a span open to the end of `root` or a marker without a span; rendering still works.
 */
export function drawCitations(root: DocumentFragment | Element): void {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) texts.push(node as Text);
    if (!texts.some((text) => hasSentinel(text.data))) return;

    const open: number[] = [];
    const markersAfter = new Map<Node, HTMLButtonElement[]>();
    for (const text of texts) {
        if (!hasSentinel(text.data) && (open.length === 0 || text.data.trim() === '')) continue;
        const replacement = document.createDocumentFragment();
        let run = '';
        const flush = (): void => {
            if (run === '') return;
            replacement.append(open.length === 0 ? document.createTextNode(run) : wrapInMarks(run, open));
            run = '';
        };
        for (const char of text.data) {
            const sentinel = readSentinel(char);
            if (sentinel === undefined) {
                run += char;
                continue;
            }
            flush();
            if (sentinel.kind === 'start') {
                if (!open.includes(sentinel.n)) open.push(sentinel.n);
                continue;
            }
            const index = open.indexOf(sentinel.n);
            if (index >= 0) open.splice(index, 1);
            const marker = makeMarker(sentinel.n);
            const anchor = markerAnchor(text, root);
            if (anchor === undefined) replacement.append(marker);
            else markersAfter.set(anchor, [...(markersAfter.get(anchor) ?? []), marker]);
        }
        flush();
        text.replaceWith(replacement);
    }
    for (const [anchor, markers] of markersAfter) {
        (anchor as ChildNode).after(...markers);
    }
}

/** Removes any sentinel left in the text under `root`. */
export function stripTextSentinels(root: Node): void {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node as Text;
        if (hasSentinel(text.data)) text.data = text.data.replace(SENTINEL_PATTERN, '');
    }
}
