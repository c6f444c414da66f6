// A lock shared by every process that uses one folder (two VS Code windows share the conversations
// folder): a lock file created exclusively. A lock left by a process that died is broken once it is old
// enough that no live holder could still be inside it (a save holds it for milliseconds).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/** Suffix of lock files, so a listing can tell them apart. */
export const LOCK_SUFFIX = '.lock';

export interface FileLockOptions {
    /** A lock older than this was left by a process that died. */
    readonly staleMs?: number;
    /** Give up waiting after this long (and go on without the lock, which the caller is told). */
    readonly waitMs?: number;
}

const DEFAULT_STALE_MS = 15_000;
const DEFAULT_WAIT_MS = 20_000;

/**
 * Runs `work` while holding the lock `lockFile`. Resolves with `work`'s result; `held` is false when the
 * lock could not be had within `waitMs` and `work` ran without it (better than never saving).
 */
export async function withFileLock<T>(
    lockFile: string,
    work: (held: boolean) => Promise<T>,
    options: FileLockOptions = {},
): Promise<T> {
    const held = await acquire(
        lockFile,
        options.staleMs ?? DEFAULT_STALE_MS,
        options.waitMs ?? DEFAULT_WAIT_MS,
    );
    try {
        return await work(held !== undefined);
    } finally {
        if (held !== undefined) await release(lockFile, held);
    }
}

/** Takes the lock; resolves with the token written in it, or undefined after `waitMs`. */
async function acquire(lockFile: string, staleMs: number, waitMs: number): Promise<string | undefined> {
    const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
    const deadline = Date.now() + waitMs;
    let pause = 1;
    for (;;) {
        try {
            await fs.writeFile(lockFile, token, { flag: 'wx', mode: 0o600 });
            return token;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        await breakIfStale(lockFile, staleMs);
        if (Date.now() > deadline) return undefined;
        // Random, growing pauses, so two waiting windows do not retry in lockstep.
        await sleep(pause * (0.5 + Math.random()));
        pause = Math.min(pause * 2, 50);
    }
}

async function breakIfStale(lockFile: string, staleMs: number): Promise<void> {
    try {
        const { mtimeMs } = await fs.stat(lockFile);
        if (Date.now() - mtimeMs <= staleMs) return;
        // Renamed first, so that of two processes breaking it at once only one succeeds, and neither
        // removes a fresh lock the other has just taken.
        const broken = `${lockFile}.broken-${randomBytes(6).toString('hex')}`;
        await fs.rename(lockFile, broken);
        await fs.rm(broken, { force: true });
    } catch {
        // Released or broken by someone else meanwhile: try to take it again.
    }
}

async function release(lockFile: string, token: string): Promise<void> {
    try {
        // Only our own lock: if it was broken as stale and taken by another, it is theirs now.
        if ((await fs.readFile(lockFile, 'utf8')) === token) await fs.rm(lockFile, { force: true });
    } catch {
        // Already gone.
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
