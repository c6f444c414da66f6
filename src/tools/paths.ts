// Path rules: a tool acts only inside the workspace folders. No `..`, no absolute paths, no links
// leading out, nothing matched by `files.exclude` or by the built-in deny list (secrets, `.git/`).
import path from 'node:path';
import type { ToolFolder, ToolWorkspace } from './workspace';

/** A path a tool may use: where it is on disk and how the model names it. */
export interface ResolvedPath {
    folder: ToolFolder;
    absolutePath: string;
    /** Relative to the folder, `/`-separated ('' for the folder itself). */
    relativePath: string;
    /** As shown to the model: the relative path, prefixed with the folder's name when there are several. */
    displayPath: string;
}

/** Thrown for a path a tool must not touch; its message goes back to the model. */
export class PathRefusedError extends Error {
    override readonly name = 'PathRefusedError';
}

// Basenames that hold secrets, compared in lower case (file systems on macOS and Windows ignore case).
const DENIED_NAMES = [
    /^\.env(\..*)?$/,
    /^\.envrc$/,
    /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?(\.pub)?$/,
    /\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/,
    /^\.(netrc|npmrc|pypirc|pgpass)$/,
    /^credentials(\.json)?$/,
    /^\.git-credentials$/,
];
// Folders whose whole contents are off limits.
const DENIED_FOLDERS = new Set(['.git', '.ssh', '.gnupg', '.aws']);

/** Why a workspace-relative path is on the deny list, or undefined when it is not. */
export function deniedReason(relativePath: string): string | undefined {
    const segments = relativePath
        .toLowerCase()
        .split('/')
        .filter((segment) => segment !== '');
    for (const segment of segments.slice(0, -1)) {
        if (DENIED_FOLDERS.has(segment)) return `'${segment}/' is off limits`;
    }
    const base = segments.at(-1);
    if (base === undefined) return undefined;
    if (DENIED_FOLDERS.has(base)) return `'${base}/' is off limits`;
    if (DENIED_NAMES.some((pattern) => pattern.test(base))) return `'${base}' may hold secrets`;
    return undefined;
}

/**
 * Checks the text of a path before it is joined to anything: relative, no `..`, no tricks that a
 * decoder or a normaliser further down could turn into one.
 */
export function checkPathText(raw: string): string {
    if (typeof raw !== 'string') throw new PathRefusedError('the path must be a string');
    if ([...raw].some((char) => char.charCodeAt(0) < 0x20))
        throw new PathRefusedError('the path holds control characters');
    // Fullwidth dots and slashes fold to '.' and '/' under NFKC; percent escapes decode to them.
    const folded = raw.normalize('NFKC');
    let decoded = folded;
    try {
        decoded = decodeURIComponent(folded);
    } catch {
        // Not valid percent-encoding: judged as it is.
    }
    for (const candidate of [raw, folded, decoded]) {
        if (
            candidate.startsWith('/') ||
            candidate.startsWith('\\') ||
            /^[A-Za-z]:/.test(candidate) ||
            candidate.startsWith('~')
        ) {
            throw new PathRefusedError(
                'absolute paths are not allowed: give a path relative to the workspace',
            );
        }
        if (/^[a-z][a-z0-9+.-]*:/i.test(candidate))
            throw new PathRefusedError('URIs are not allowed: give a workspace path');
        if (
            candidate
                .split(/[/\\]/)
                .some((segment) => segment.trim() === '..' || /^\.\.[\s.]*$/.test(segment))
        ) {
            throw new PathRefusedError("'..' is not allowed: paths stay inside the workspace");
        }
    }
    // Escapes of '.', '/', '\\' or '%' itself, and lookalikes that fold to them: never in an honest path.
    if (/%(2e|2f|5c|25)/i.test(raw) || raw !== folded) {
        if (/%(2e|2f|5c|25)/i.test(raw) || /[\u2024\u2025\uff0e\uff0f\uff3c\u2215\u2044]/.test(raw)) {
            throw new PathRefusedError('encoded or lookalike path characters are not allowed');
        }
    }
    return raw.replace(/\\/g, '/');
}

/**
 * Resolves a path the model gave to a place inside one of the workspace folders, or throws
 * PathRefusedError. With `mustExist: false` (creating a file) the nearest existing ancestor is
 * checked instead, so a link higher up cannot lead the new file out either.
 */
export async function resolveToolPath(
    workspace: ToolWorkspace,
    raw: string,
    options: { mustExist?: boolean } = {},
): Promise<ResolvedPath> {
    const text = checkPathText(raw.trim() === '' ? '.' : raw.trim());
    const folders = workspace.folders;
    if (folders.length === 0) throw new PathRefusedError('no folder is open in the workspace');
    let segments = text.split('/').filter((segment) => segment !== '' && segment !== '.');
    let folder = folders[0]!;
    if (folders.length > 1 && segments.length > 0) {
        const named = folders.find((candidate) => candidate.name === segments[0]);
        if (named !== undefined) {
            folder = named;
            segments = segments.slice(1);
        }
    }
    const relativePath = segments.join('/');
    const absolutePath = path.join(folder.root, ...segments);
    checkInside(folder.root, absolutePath);
    checkAllowed(workspace, folder, relativePath);

    // Links: the real place must be inside the real folder root, and allowed there too.
    const realRoot = await workspace.realpath(folder.root);
    let existing = absolutePath;
    let rest: string[] = [];
    for (;;) {
        if ((await workspace.lstat(existing)) !== undefined) break;
        if (options.mustExist !== false)
            throw new PathRefusedError(`'${displayOf(folders, folder, relativePath)}' does not exist`);
        if (existing === folder.root) break;
        rest = [path.basename(existing), ...rest];
        existing = path.dirname(existing);
    }
    const real = path.join(await workspace.realpath(existing), ...rest);
    const realRelative = checkInside(realRoot, real);
    checkAllowed(workspace, folder, realRelative);
    return { folder, absolutePath, relativePath, displayPath: displayOf(folders, folder, relativePath) };
}

/** The model's name of a file under a folder. */
export function displayOf(folders: readonly ToolFolder[], folder: ToolFolder, relativePath: string): string {
    if (folders.length <= 1) return relativePath === '' ? '.' : relativePath;
    return relativePath === '' ? folder.name : `${folder.name}/${relativePath}`;
}

/** The relative `/`-path of `target` under `root`, or a refusal when it is outside. */
function checkInside(root: string, target: string): string {
    const relative = path.relative(root, target);
    if (relative === '') return '';
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
        throw new PathRefusedError('the path leads outside the workspace');
    }
    return relative.split(path.sep).join('/');
}

function checkAllowed(workspace: ToolWorkspace, folder: ToolFolder, relativePath: string): void {
    const denied = deniedReason(relativePath);
    if (denied !== undefined) throw new PathRefusedError(`access refused: ${denied}`);
    if (relativePath !== '' && workspace.isExcluded(relativePath, folder)) {
        throw new PathRefusedError('access refused: the path is excluded by files.exclude');
    }
}

/**
 * Whether a path found by a listing or a search may be shown: inside a folder, not denied, not
 * excluded. Links are not followed (they are listed as links; reading one is resolved and checked).
 */
export function visiblePath(
    workspace: ToolWorkspace,
    absolutePath: string,
): { folder: ToolFolder; relativePath: string; displayPath: string } | undefined {
    for (const folder of workspace.folders) {
        const relative = path.relative(folder.root, absolutePath);
        if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) continue;
        const relativePath = relative.split(path.sep).join('/');
        if (deniedReason(relativePath) !== undefined || workspace.isExcluded(relativePath, folder))
            return undefined;
        return { folder, relativePath, displayPath: displayOf(workspace.folders, folder, relativePath) };
    }
    return undefined;
}
