// The automatic title of a conversation: its first prompt, shortened to fit a history list.

/** Longest automatic title, in characters (the ellipsis included). */
export const MAX_TITLE_LENGTH = 60;
export const UNTITLED = 'New chat';

/**
 * A one-line title from a prompt: code fences dropped (a selection sent as a prompt starts with
 * one), whitespace collapsed, cut at a word boundary when it is long.
 */
export function titleFromPrompt(prompt: string): string {
    const words = prompt
        .split('\n')
        .filter((line) => !/^\s*(```|~~~)/.test(line))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
    if (words === '') return UNTITLED;
    const chars = Array.from(words);
    if (chars.length <= MAX_TITLE_LENGTH) return words;
    const cut = chars.slice(0, MAX_TITLE_LENGTH - 1).join('');
    const lastSpace = cut.lastIndexOf(' ');
    // Cut at a word boundary unless that would throw away most of the title.
    const shortened = lastSpace > MAX_TITLE_LENGTH / 2 ? cut.slice(0, lastSpace) : cut;
    return `${shortened.trimEnd()}…`;
}

/** A title given by the person: one line, trimmed, at most `max` characters; undefined when empty. */
export function cleanTitle(title: string, max = 200): string | undefined {
    const line = title.replace(/\s+/g, ' ').trim();
    if (line === '') return undefined;
    return Array.from(line).slice(0, max).join('');
}
