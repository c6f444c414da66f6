// One install at a time into a cache folder that several checkouts share (.cache is a symlink to one folder):
// the first run takes a lock folder next to the cache folder, the others wait for it to go, and a lock left by
// a run that died is taken over.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** An install takes a minute or two; a lock this old, or one whose owner is gone, was left by a run that died. */
const STALE_LOCK_MS = 10 * 60_000;

/** Whether the run that took the lock has died (killed, say, in the middle of an install). */
async function lockOwnerGone(owner: string): Promise<boolean> {
    const pid = Number(await readFile(owner, 'utf8').catch(() => ''));
    // No pid yet: the owner is between mkdir and writeFile; the age rule covers one that died right there.
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return false;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
}

/**
 * Runs `install` unless `isInstalled()` says a previous run completed it, holding `<cacheDir>.lock` meanwhile;
 * `what` names the install in the waiting message.
 */
export async function installOnce(
    cacheDir: string,
    what: string,
    isInstalled: () => boolean,
    install: () => Promise<void>,
    progress: (message: string) => void,
): Promise<void> {
    if (isInstalled()) return;
    const lock = `${cacheDir}.lock`;
    const owner = join(lock, 'pid');
    await mkdir(dirname(lock), { recursive: true });
    for (let waited = false; ; waited = true) {
        try {
            await mkdir(lock); // Atomic: exactly one run creates it.
            await writeFile(owner, String(process.pid));
            break;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age > STALE_LOCK_MS || (await lockOwnerGone(owner))) {
            progress(`a run that died left the lock of ${what}; taking it over`);
            await rm(lock, { recursive: true, force: true });
            continue;
        }
        if (!waited) progress(`another run is installing ${what}; waiting for it`);
        await new Promise((r) => setTimeout(r, 1_000));
    }
    try {
        if (!isInstalled()) await install();
    } finally {
        await rm(lock, { recursive: true, force: true });
    }
}
