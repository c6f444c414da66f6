// A small glob matcher for workspace-relative `/` paths: `**`, `*`, `?`, `{a,b}` and `[abc]`, the
// subset files.exclude and find_files use. A glob without a `/` matches at any depth, as VS Code's do.

const cache = new Map<string, RegExp>();

/** Whether `relativePath` (`/`-separated, no leading slash) matches `glob`. */
export function matchesGlob(glob: string, relativePath: string): boolean {
    let pattern = cache.get(glob);
    if (pattern === undefined) {
        pattern = globToRegExp(glob);
        if (cache.size > 500) cache.clear();
        cache.set(glob, pattern);
    }
    return pattern.test(relativePath);
}

/** The regular expression of a glob (case-sensitive, anchored). */
export function globToRegExp(glob: string): RegExp {
    let source = '';
    let depth = 0;
    // `dir/**` covers the folder itself too, as files.exclude hides it.
    const text = glob
        .replace(/^\.\//, '')
        .replace(/^\//, '')
        .replace(/\/\*\*$/, '');
    for (let i = 0; i < text.length; i++) {
        const char = text.charAt(i);
        if (char === '*') {
            if (text.charAt(i + 1) === '*') {
                const slashAfter = text.charAt(i + 2) === '/';
                source += slashAfter ? '(?:[^/]*/)*' : '.*';
                i += slashAfter ? 2 : 1;
            } else {
                source += '[^/]*';
            }
        } else if (char === '?') {
            source += '[^/]';
        } else if (char === '{') {
            depth++;
            source += '(?:';
        } else if (char === '}' && depth > 0) {
            depth--;
            source += ')';
        } else if (char === ',' && depth > 0) {
            source += '|';
        } else if (char === '[') {
            const close = text.indexOf(']', i + 1);
            if (close === -1) {
                source += '\\[';
            } else {
                const body = text
                    .slice(i + 1, close)
                    .replace(/^!/, '^')
                    .replace(/\\/g, '\\\\');
                source += `[${body}]`;
                i = close;
            }
        } else {
            source += char.replace(/[.+^$()|\\/]/g, '\\$&');
        }
    }
    while (depth-- > 0) source += ')';
    const anyDepth = !glob.includes('/') && !text.startsWith('**');
    return new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${source}(?:/.*)?$`);
}
