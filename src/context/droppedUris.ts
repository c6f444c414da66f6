// What a drop on the chat carries, read as the extension host knows it. The Explorer and editor tabs put
// their items' URIs on a drag as the window sees them: in a remote window (Remote SSH, WSL, Codespaces,
// code-server) that is `vscode-remote://<authority>/<path>`. The extension host runs on that remote, and
// there the same file is `file:///<path>` — VS Code converts such URIs on every API call, but not inside a
// string a webview posts.

/** The most URIs one drop may name (the rest are ignored, as a drop of a whole folder's files would be). */
export const MAX_DROPPED_URIS = 100;

const REMOTE_PREFIX = /^vscode-remote:\/\/[^/?#]*/i;

/** A dropped URI, and whether it came from the remote window (it is then only taken inside the workspace). */
export interface DroppedUri {
    readonly text: string;
    readonly fromRemote: boolean;
}

/**
 * The URIs among the lines of a drop's URI list (`application/vnd.code.uri-list` or `text/uri-list`;
 * `#` lines are comments), a remote window's as the host's `file:` URIs (the path and its encoding unchanged).
 */
export function droppedUris(uris: readonly string[]): DroppedUri[] {
    return uris
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
        .slice(0, MAX_DROPPED_URIS)
        .map((text) =>
            REMOTE_PREFIX.test(text)
                ? { text: text.replace(REMOTE_PREFIX, 'file://'), fromRemote: true }
                : { text, fromRemote: false },
        );
}
