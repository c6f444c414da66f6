// Which links from a reply may leave the chat, and how. No vscode import, so it is tested in plain Node.

/** What to do with a link a reply asked to open. */
export type LinkDecision =
    | { readonly kind: 'open'; readonly url: string }
    /** The link carries a user name or password: open it only once the person has seen the real host. */
    | { readonly kind: 'confirm'; readonly url: string; readonly host: string }
    | { readonly kind: 'refuse'; readonly reason: 'control-characters' | 'not-a-url' | 'scheme' | 'mailto' };

// C0 and C1 controls, DEL, and the bidirectional overrides that can make a URL read as another.
function hasControlCharacters(url: string): boolean {
    for (let i = 0; i < url.length; i++) {
        const code = url.charCodeAt(i);
        if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
        if (code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e)) return true;
        if (code >= 0x2066 && code <= 0x2069) return true;
    }
    return false;
}
// One address, nothing that could add recipients or headers (cc=, bcc=, body= are fine; they stay visible).
const MAILTO_ADDRESS = /^[^\s@,;<>()[\]\\"]+@[^\s@,;<>()[\]\\"]+$/;

/**
 * Decides whether `url` may be opened: http(s) links open (with credentials in them, only after the
 * person confirms the real host, and without the credentials); a `mailto:` link to one address opens the
 * mail client; everything else (`command:`, `file:`, `vscode:`, `javascript:`, control characters) is refused.
 */
export function decideLink(url: string): LinkDecision {
    if (hasControlCharacters(url)) return { kind: 'refuse', reason: 'control-characters' };
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return { kind: 'refuse', reason: 'not-a-url' };
    }
    if (parsed.protocol === 'mailto:') {
        const address = decodeURIComponentSafe(parsed.pathname);
        if (address === undefined || !MAILTO_ADDRESS.test(address))
            return { kind: 'refuse', reason: 'mailto' };
        return { kind: 'open', url: parsed.href };
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        return { kind: 'refuse', reason: 'scheme' };
    if (parsed.username !== '' || parsed.password !== '') {
        const stripped = new URL(parsed.href);
        stripped.username = '';
        stripped.password = '';
        return { kind: 'confirm', url: stripped.href, host: parsed.host };
    }
    return { kind: 'open', url: parsed.href };
}

function decodeURIComponentSafe(text: string): string | undefined {
    try {
        return decodeURIComponent(text);
    } catch {
        return undefined;
    }
}

/** Only web links and mail links leave the chat (see {@link decideLink}). */
export function isWebLink(url: string): boolean {
    return decideLink(url).kind !== 'refuse';
}
