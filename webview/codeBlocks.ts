// Fenced code: syntax highlighting (highlight.js core with a handful of languages registered explicitly,
// which keeps the bundle small; CSS alone would add 13 KB) and the Copy / Insert at Cursor toolbar of each block.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { iconButton } from './dom';
import { t } from './l10n';
import { stripSentinels } from './sentinels';

const LANGUAGES = {
    bash,
    c,
    cpp,
    csharp,
    diff,
    go,
    java,
    javascript,
    json,
    markdown,
    python,
    rust,
    sql,
    typescript,
    xml,
    yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) {
    hljs.registerLanguage(name, language);
}

/** The code of each decorated block, read when its Copy or Insert button is pressed. */
const codeOfBlock = new WeakMap<Element, string>();

/**
 * Code longer than this is shown without highlighting: highlight.js takes about 6 µs a character, so a
 * 1 MB block froze the view for 6 s (issue 7). 50,000 characters (about 1,500 lines) stay under 0.3 s.
 */
export const MAX_HIGHLIGHT_CHARS = 50_000;

/** Code with a line longer than this is made a scroll container from the start (style.css: `.wide`). */
const WIDE_LINE_CHARS = 80;

function hasWideLine(code: string): boolean {
    return code.split('\n').some((line) => line.length > WIDE_LINE_CHARS);
}

/** Lines per element while code streams in, so appending a line lays out one chunk, not the whole code. */
const LINES_PER_CHUNK = 64;

/** The chunk a streaming `code` element appends to, and how many complete lines it holds. */
const openChunk = new WeakMap<Element, { element: Element; lines: number; atLineStart: boolean }>();

/**
 * Highlighted HTML for `code` in `language`, or '' to let markdown-it escape it plainly. highlight.js escapes
 * the code itself and only adds `<span class="hljs-…">`; the result still goes through the sanitizer.
 */
export function highlightCode(code: string, language: string): string {
    const name = stripSentinels(language).trim().toLowerCase();
    if (name === '' || code.length > MAX_HIGHLIGHT_CHARS || hljs.getLanguage(name) === undefined) return '';
    try {
        return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    } catch {
        return '';
    }
}

/** Wraps every `pre > code` under `root` in a `.code-block` with Copy and Insert buttons. */
export function decorateCodeBlocks(root: ParentNode): void {
    for (const pre of Array.from(root.querySelectorAll('pre'))) {
        const code = pre.querySelector('code');
        if (code === null || pre.parentElement?.classList.contains('code-block') === true) continue;
        const wrapper = document.createElement('div');
        wrapper.className = 'code-block';
        const language = /\blanguage-([\w+#.-]+)/.exec(code.className)?.[1];
        const toolbar = document.createElement('div');
        toolbar.className = 'code-toolbar';
        if (language !== undefined) {
            const label = document.createElement('span');
            label.className = 'code-language';
            label.textContent = language;
            toolbar.append(label);
        }
        toolbar.append(
            iconButton('copy-code', 'copy', t('copyCode')),
            iconButton('insert-code', 'insert', t('insertCode')),
            iconButton('apply-code', 'apply', t('applyCode')),
        );
        pre.replaceWith(wrapper);
        wrapper.append(toolbar, pre);
        const text = stripSentinels(code.textContent ?? '');
        if (hasWideLine(text)) pre.classList.add('wide');
        codeOfBlock.set(wrapper, text);
    }
}

/** Adds streamed `text` (plain, unhighlighted) to the end of a decorated block's `code` element. */
export function extendCodeBlock(block: Element, code: Element, text: string): void {
    let chunk = openChunk.get(code);
    // Right after a whole render the code is one run of text; its last line may still be growing.
    chunk ??= {
        element: code,
        lines: LINES_PER_CHUNK,
        atLineStart: code.textContent?.endsWith('\n') === true,
    };
    const lines = text.split('\n');
    lines.forEach((line, i) => {
        const complete = i < lines.length - 1;
        const piece = complete ? `${line}\n` : line;
        if (piece === '' || chunk === undefined) return;
        if (chunk.atLineStart && chunk.lines >= LINES_PER_CHUNK) {
            // Block-level chunks (see style.css) that end where a line ends read as one text.
            const element = document.createElement('span');
            element.className = 'code-chunk';
            code.append(element);
            chunk = { element, lines: 0, atLineStart: true };
        }
        chunk.element.append(piece);
        chunk.atLineStart = complete;
        if (complete) chunk.lines++;
    });
    if (chunk !== undefined) openChunk.set(code, chunk);
    if (hasWideLine(text)) code.parentElement?.classList.add('wide');
    codeOfBlock.set(block, (codeOfBlock.get(block) ?? '') + stripSentinels(text));
}

/**
 * Removes the last `length` characters of a decorated block's code, all in its last text node (a line shown
 * by a whole render that is held back while it is still arriving). Nothing is removed when they are not.
 */
export function dropCodeTail(block: Element, code: Element, length: number): void {
    const last = code.lastChild;
    if (!(last instanceof Text) || last.length < length) return;
    last.deleteData(last.length - length, length);
    const text = codeOfBlock.get(block);
    if (text !== undefined) codeOfBlock.set(block, text.slice(0, text.length - length));
}

/** The code of the block a Copy or Insert button belongs to. */
export function codeForButton(button: Element): string | undefined {
    const block = button.closest('.code-block');
    return block === null ? undefined : codeOfBlock.get(block)?.replace(/\n$/, '');
}
