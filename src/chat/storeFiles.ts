// File-level helpers of the conversation store: reading one entry of the folder without ever blocking on
// or following something that is not a plain file inside it, and writing a file atomically.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';

/** Marks a temporary file of an atomic write (`<name><marker><random>`). */
export const TEMP_MARKER = '.tmp-';

// Opening a FIFO for reading blocks until a writer appears (forever, in the thread pool) unless it is
// opened non-blocking. Windows has no FIFOs and no such flag.
const OPEN_FOR_READING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The largest conversation file the store reads: 64 MiB on disk. A reply is capped at 32 MiB on the wire
 * (../cohere/body.ts), so this holds a conversation with the largest replies there are; a bigger file (a
 * damaged one, or one another tool wrote) would cost hundreds of MB of memory as a string and its parse.
 */
export const MAX_CONVERSATION_FILE_BYTES = 64 * 1024 * 1024;

/** What reading a folder entry found. */
export type EntryRead =
    | { readonly kind: 'file'; readonly text: string; readonly signature: string }
    | { readonly kind: 'missing' }
    /** A plain file past MAX_CONVERSATION_FILE_BYTES: not read. */
    | { readonly kind: 'tooLarge'; readonly bytes: number }
    /** Not a regular file inside the folder (a directory, FIFO, socket, device, or a link leading out). */
    | { readonly kind: 'skipped'; readonly reason: string };

/**
 * Identifies one version of a file: an atomic write replaces the inode, and an in-place write changes
 * the size or the modification time. Used to tell whether a file changed since it was read or written.
 */
export function signatureOf(stats: Stats): string {
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/** The signature of `file` now, or undefined when there is none. */
export async function currentSignature(file: string): Promise<string | undefined> {
    try {
        return signatureOf(await fs.stat(file));
    } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
    }
}

/** Why the entry `file` of `dir` is not a plain file this store may read, or undefined when it is one. */
export async function whyNotPlainFile(dir: string, file: string): Promise<string | undefined> {
    const link = await fs.lstat(file);
    if (link.isSymbolicLink()) {
        const [target, root] = await Promise.all([fs.realpath(file), fs.realpath(dir)]);
        if (path.relative(root, target).startsWith('..') || path.isAbsolute(path.relative(root, target))) {
            return 'a link that leads outside the conversations folder';
        }
        return describeKind(await fs.stat(file));
    }
    return describeKind(link);
}

/** Reads `file` (an entry of `dir`) as UTF-8 text, without a byte-order mark. Never blocks on a FIFO. */
export async function readEntry(dir: string, file: string): Promise<EntryRead> {
    try {
        const reason = await whyNotPlainFile(dir, file);
        if (reason !== undefined) return { kind: 'skipped', reason };
        const handle = await fs.open(file, OPEN_FOR_READING);
        try {
            // Checked again on the open file: the entry may have been replaced since the lstat.
            const stats = await handle.stat();
            const kind = describeKind(stats);
            if (kind !== undefined) return { kind: 'skipped', reason: kind };
            if (stats.size > MAX_CONVERSATION_FILE_BYTES) return { kind: 'tooLarge', bytes: stats.size };
            const text = await handle.readFile('utf8');
            return { kind: 'file', text: withoutByteOrderMark(text), signature: signatureOf(stats) };
        } finally {
            await handle.close();
        }
    } catch (error) {
        if (isNotFound(error)) return { kind: 'missing' };
        // A socket cannot be opened at all (ENXIO); a loop of links, a permission: the same, one entry.
        const code = (error as NodeJS.ErrnoException).code;
        return { kind: 'skipped', reason: `unreadable (${code ?? String(error)})` };
    }
}

/** Writes `data` to `file` through a temporary file and a rename; returns the new file's signature. */
export async function writeAtomically(file: string, data: string): Promise<string> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
    try {
        const handle = await fs.open(temp, 'w', 0o600);
        let signature: string;
        try {
            await handle.writeFile(data, 'utf8');
            // Without fsync a crash after the rename can leave an empty file in place of both versions.
            await handle.sync();
            signature = signatureOf(await handle.stat());
        } finally {
            await handle.close();
        }
        await fs.rename(temp, file);
        return signature;
    } catch (error) {
        await fs.rm(temp, { force: true });
        throw error;
    }
}

export function isNotFound(error: unknown): boolean {
    return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function describeKind(stats: Stats): string | undefined {
    if (stats.isFile()) return undefined;
    if (stats.isDirectory()) return 'a directory';
    if (stats.isFIFO()) return 'a FIFO';
    if (stats.isSocket()) return 'a socket';
    return 'not a regular file';
}

function withoutByteOrderMark(text: string): string {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
