// Makes sure Debian's Chromium (at /usr/bin/chromium) and an emoji font are installed before the browser tests run.
// A missing browser is installed (we run as root in CI), never skipped: a skipped browser test proves nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
    console.log(`[ensure-chromium] ${command} ${args.join(' ')}`);
    execFileSync(command, args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
}

// Replies may carry emoji; without a colour emoji font the screenshots show empty boxes.
const EMOJI_FONT = 'fonts-noto-color-emoji';

function isInstalled(debianPackage) {
    try {
        execFileSync('dpkg', ['-s', debianPackage], { stdio: 'ignore' });
        return true;
    } catch {
        return false;
    }
}

const missing = [
    ...(existsSync(CHROMIUM) ? [] : ['chromium']),
    ...(isInstalled(EMOJI_FONT) ? [] : [EMOJI_FONT]),
];
if (missing.length === 0) {
    process.exit(0);
}

try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...missing]);
} catch (error) {
    console.error(
        `[ensure-chromium] could not install chromium: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
}

if (!existsSync(CHROMIUM)) {
    console.error(`[ensure-chromium] apt-get finished but ${CHROMIUM} is still missing`);
    process.exit(1);
}
console.log(`[ensure-chromium] installed ${missing.join(', ')}`);
