// The "Cohere" output channel. It implements the chat layer's Logger, so src/chat and src/cohere log through
// it without knowing about VS Code; the person picks the level with "Developer: Set Log Level…".
import * as vscode from 'vscode';
import { redactSecrets as redact } from './chat/logger';
import type { Logger } from './chat/logger';

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
