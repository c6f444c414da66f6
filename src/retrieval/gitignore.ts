// `.gitignore` rules as git reads them (the common part: comments, `!` negation, a trailing `/` for
// folders only, a leading or inner `/` anchoring to the file's folder, `*`, `?`, `**`, `[...]`),
// turned into one matcher per file. The last rule that matches decides.

interface Rule {
    regex: RegExp;
    /** The rule's pattern matching a folder path exactly (for folder-only rules). */
    folder: RegExp;
    negated: boolean;
    foldersOnly: boolean;
}

function globToRegex(glob: string, anchored: boolean, inside = true): RegExp {
    let out = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i] ?? '';
        if (c === '*') {
            if (glob[i + 1] === '*') {
                // `**/` any folders, `/**` everything inside, `**` alone anything.
                if (glob[i + 2] === '/') {
                    out += '(?:.*/)?';
                    i += 2;
                } else {
                    out += '.*';
                    i += 1;
                }
            } else {
                out += '[^/]*';
            }
        } else if (c === '?') {
            out += '[^/]';
        } else if (c === '[') {
            const end = glob.indexOf(']', i + 1);
            if (end < 0) out += '\\[';
            else {
                out += `[${glob
                    .slice(i + 1, end)
                    .replace(/^!/, '^')
                    .replace(/\\/g, '\\\\')}]`;
                i = end;
            }
        } else if (c === '\\' && i + 1 < glob.length) {
            out += glob[++i]?.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') ?? '';
        } else {
            out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        }
    }
    // A rule matches the path itself or anything inside it.
    return new RegExp(`${anchored ? '^' : '^(?:.*/)?'}${out}${inside ? '(?:/.*)?' : ''}$`);
}

/** The rules of one `.gitignore` text. */
export function parseGitignore(text: string): Rule[] {
    const rules: Rule[] = [];
    for (const raw of text.split(/\r?\n/)) {
        let line = raw.replace(/(?<!\\)\s+$/, '');
        if (line === '' || line.startsWith('#')) continue;
        const negated = line.startsWith('!');
        if (negated) line = line.slice(1);
        const foldersOnly = line.endsWith('/');
        if (foldersOnly) line = line.slice(0, -1);
        const anchored = line.includes('/');
        if (line.startsWith('/')) line = line.slice(1);
        if (line === '') continue;
        rules.push({
            regex: globToRegex(line, anchored),
            folder: globToRegex(line, anchored, false),
            negated,
            foldersOnly,
        });
    }
    return rules;
}

/** The `.gitignore` files of a tree, each applying below its own folder. */
export class GitignoreSet {
    private readonly byFolder: { folder: string; rules: Rule[] }[] = [];

    /** `folder` is the path of the folder holding the file ('' for the root), with `/` separators. */
    add(folder: string, text: string): void {
        this.byFolder.push({ folder: folder.replace(/\/+$/, ''), rules: parseGitignore(text) });
        // Deeper files are read last so their rules win, as in git.
        this.byFolder.sort((a, b) => a.folder.split('/').length - b.folder.split('/').length);
    }

    /** Whether a file at `path` (relative, `/` separators) is ignored. */
    ignores(path: string): boolean {
        let ignored = false;
        for (const { folder, rules } of this.byFolder) {
            if (folder !== '' && !path.startsWith(`${folder}/`)) continue;
            const local = folder === '' ? path : path.slice(folder.length + 1);
            for (const rule of rules) {
                if (rule.negated !== ignored) continue;
                if (!matches(rule, local)) continue;
                ignored = !rule.negated;
            }
        }
        return ignored;
    }
}

function matches(rule: Rule, path: string): boolean {
    if (!rule.foldersOnly) return rule.regex.test(path);
    // A folder-only rule matches a file through one of its parent folders.
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
        if (rule.folder.test(segments.slice(0, i).join('/'))) return true;
    }
    return false;
}
