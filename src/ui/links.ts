// Which links from a reply may leave the chat. No vscode import, so it is tested in plain Node.

/** Only web links leave the chat: `command:`, `file:`, `vscode:`, `javascript:` and the like are refused. */
export function isWebLink(url: string): boolean {
    try {
        const protocol = new URL(url).protocol;
        return protocol === 'https:' || protocol === 'http:';
    } catch {
        return false;
    }
}
