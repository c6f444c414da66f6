// Small builders shared by the chat tests: plain data, no behaviour.
import type { Conversation, Turn } from '../../src/chat/model';
import type { Logger } from '../../src/chat/logger';
import { parseSettings } from '../../src/config';
import type { ChatSettings } from '../../src/config';

export function settingsWith(values: Record<string, unknown> = {}): ChatSettings {
    return parseSettings((key) => values[key]);
}

export function turn(id: string, prompt: string, answer: string, extra: Partial<Turn> = {}): Turn {
    return {
        id,
        prompt,
        request: { model: 'command-a-03-2025', stream: true },
        reply: { content: answer === '' ? [] : [{ type: 'text', text: answer }], citations: [] },
        status: 'complete',
        createdAt: 1000,
        ...extra,
    };
}

export function conversation(id: string, turns: Turn[], extra: Partial<Conversation> = {}): Conversation {
    return { schemaVersion: 1, id, title: `Title ${id}`, createdAt: 1000, updatedAt: 2000, turns, ...extra };
}

/** A logger that keeps every line, to check what was (and was not) logged. */
export class CapturingLogger implements Logger {
    readonly lines: { level: string; text: string }[] = [];
    trace(message: string): void {
        this.lines.push({ level: 'trace', text: message });
    }
    debug(message: string): void {
        this.lines.push({ level: 'debug', text: message });
    }
    info(message: string): void {
        this.lines.push({ level: 'info', text: message });
    }
    warn(message: string): void {
        this.lines.push({ level: 'warn', text: message });
    }
    error(message: string | Error): void {
        this.lines.push({
            level: 'error',
            text: message instanceof Error ? (message.stack ?? message.message) : message,
        });
    }
    text(): string {
        return this.lines.map((line) => `${line.level} ${line.text}`).join('\n');
    }
}
