// How every browser test starts Debian's Chromium (installed by ensure-chromium.mjs).

/** Debian's Chromium; playwright-core's own browser download cannot run on these machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a closed network (../shared/docs/vscode-in-browser.md). */
export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
