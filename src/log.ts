// The "Cohere" output channel. It implements the chat layer's Logger, so src/chat and src/cohere log through
// it without knowing about VS Code; the person picks the level with "Developer: Set Log Level…".
import * as vscode from 'vscode';
import type { Logger } from './chat/logger';

// Belt and braces: nothing should ever hand a key to the log, but if a header line or an error message
// quoting one slips through, the secret part is cut before it is written.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
    [/(authorization\s*[:=]\s*)("?)(bearer\s+)?[^\s",}]+/gi, '$1$2$3***'],
    [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer ***'],
];

/** Removes anything that looks like a bearer token or an Authorization header value. */
function redact(text: string): string {
    return SECRET_PATTERNS.reduce(
        (result, [pattern, replacement]) => result.replace(pattern, replacement),
        text,
    );
}

/** The extension's log: a LogOutputChannel named "Cohere", usable wherever a chat `Logger` is expected. */
export class OutputLog implements Logger, vscode.Disposable {
    readonly channel: vscode.LogOutputChannel;

    constructor(name = 'Cohere') {
        this.channel = vscode.window.createOutputChannel(name, { log: true });
    }

    trace(message: string): void {
        this.channel.trace(redact(message));
    }

    debug(message: string): void {
        this.channel.debug(redact(message));
    }

    info(message: string): void {
        this.channel.info(redact(message));
    }

    warn(message: string): void {
        this.channel.warn(redact(message));
    }

    error(message: string | Error): void {
        if (typeof message === 'string') {
            this.channel.error(redact(message));
            return;
        }
        const details = message.stack ?? `${message.name}: ${message.message}`;
        this.channel.error(redact(details));
    }

    /** Opens the channel without taking the focus from the editor. */
    show(): void {
        this.channel.show(true);
    }

    dispose(): void {
        this.channel.dispose();
    }
}
