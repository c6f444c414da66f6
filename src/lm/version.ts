// Which VS Code features to use, from `vscode.version` (no vscode import: tested in plain Node). Some newer
// classes already exist in 1.100 without working (proposed APIs), so presence is not a test; the version is.

/** VS Code's first release with the final Language Model Chat Provider API. */
export const LANGUAGE_MODEL_PROVIDER_VERSION = '1.104.0';

function parts(version: string): [number, number, number] {
    const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
    if (!match) return [0, 0, 0];
    return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Whether `version` (e.g. `1.139.1`, `1.105.0-insider`) is at least `minimum`. */
export function isAtLeast(version: string, minimum: string): boolean {
    const [a, b] = [parts(version), parts(minimum)];
    for (let i = 0; i < 3; i++) {
        if (a[i]! !== b[i]!) return a[i]! > b[i]!;
    }
    return true;
}
