// Parts of a Markdown text that must stay whole when something is inserted into it: a footnote marker
// inside a link's text (`[words[^1]](url)`), a URL or inline code would change what the text means or show
// up literally. Found with a small scanner rather than a full parser: it only has to be right about where
// these parts end, and when it is unsure it leaves the text alone (a marker in place is never lost).

/** A range `[start, end)` of the text. */
export interface Range {
    readonly start: number;
    readonly end: number;
}

const AUTOLINK = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>/y;
const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?'")\]]/y;

/**
 * The links (and images, their text and target together), autolinks, bare URLs and inline code spans of
 * `text`, in order and not overlapping. A marker that falls inside one goes after it instead.
 */
export function markdownAtoms(text: string): Range[] {
    const atoms: Range[] = [];
    for (let at = 0; at < text.length;) {
        const end = atomAt(text, at);
        if (end !== undefined && end > at) {
            atoms.push({ start: at, end });
            at = end;
        } else at++;
    }
    return atoms;
}

function atomAt(text: string, at: number): number | undefined {
    const char = text[at];
    if (char === '\\') return at + 2;
    if (char === '`') return codeSpanEnd(text, at);
    if (char === '<') return sticky(AUTOLINK, text, at);
    if (char === '[' || (char === '!' && text[at + 1] === '['))
        return linkEnd(text, char === '!' ? at + 1 : at);
    if ((char === 'h' || char === 'w') && (at === 0 || /[\s(*_~]/.test(text[at - 1] ?? '')))
        return sticky(BARE_URL, text, at);
    return undefined;
}

function sticky(pattern: RegExp, text: string, at: number): number | undefined {
    pattern.lastIndex = at;
    return pattern.exec(text) === null ? undefined : pattern.lastIndex;
}

/** The end of the code span opened by the backtick run at `at`: the next run of the same length. */
function codeSpanEnd(text: string, at: number): number {
    const opening = runEnd(text, at);
    const length = opening - at;
    for (let from = opening; ;) {
        const next = text.indexOf('`', from);
        if (next < 0) return opening;
        const end = runEnd(text, next);
        if (end - next === length) return end;
        from = end;
    }
}

function runEnd(text: string, at: number): number {
    let end = at;
    while (text[end] === '`') end++;
    return end;
}

/** The end of `[text](target)` starting at `open`, brackets in the text balanced; undefined when it is not one. */
function linkEnd(text: string, open: number): number | undefined {
    let depth = 0;
    let close = -1;
    for (let i = open; i < text.length; i++) {
        const char = text[i];
        if (char === '\\') {
            i++;
            continue;
        }
        if (char === '\n' && text[i + 1] === '\n') return undefined;
        if (char === '[') depth++;
        else if (char === ']' && --depth === 0) {
            close = i;
            break;
        }
    }
    if (close < 0 || text[close + 1] !== '(') return undefined;
    let parens = 0;
    for (let i = close + 1; i < text.length; i++) {
        const char = text[i];
        if (char === '\\') {
            i++;
            continue;
        }
        if (char === '\n' && text[i + 1] === '\n') return undefined;
        if (char === '(') parens++;
        else if (char === ')' && --parens === 0) return i + 1;
    }
    return undefined;
}

/** Where to put something meant for `offset` so that no atom is cut: the end of the atom holding it. */
export function outsideAtoms(atoms: readonly Range[], offset: number): number {
    let low = 0;
    let high = atoms.length;
    while (low < high) {
        const middle = (low + high) >>> 1;
        const atom = atoms[middle];
        if (atom !== undefined && atom.end <= offset) low = middle + 1;
        else high = middle;
    }
    const atom = atoms[low];
    return atom !== undefined && atom.start < offset && offset < atom.end ? atom.end : offset;
}
