// A file name made from a conversation title. No vscode import, so it is tested in plain Node.

const MAX_NAME_LENGTH = 80;

/** `<title>.md`, with characters no file system accepts (and leading dots) replaced; "chat.md" when empty. */
export function markdownFileName(title: string): string {
    const cleaned = title
        // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
        .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/^\.+/, '')
        .slice(0, MAX_NAME_LENGTH)
        .trim()
        .replace(/[. ]+$/, '');
    return `${cleaned || 'chat'}.md`;
}
