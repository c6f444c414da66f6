import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WEBVIEW_COMMANDS } from '../../src/protocol';
import type { WebviewToHostMessage } from '../../src/protocol';
import { MAX_TEXT_LENGTH, parseWebviewMessage } from '../../src/ui/messageGuard';

const C = 'conv-1';
const T = 'turn-1';

/** One well-formed example of every message type the webview may send. */
const VALID: WebviewToHostMessage[] = [
    { type: 'ready' },
    { type: 'send', conversationId: C, text: 'Hello' },
    { type: 'stop', conversationId: C, turnId: T },
    { type: 'retry', conversationId: C, turnId: T },
    { type: 'regenerate', conversationId: C, turnId: T },
    { type: 'edit', conversationId: C, turnId: T, text: 'Hello again' },
    { type: 'continue', conversationId: C, turnId: T },
    { type: 'newChat' },
    { type: 'openConversation', conversationId: C },
    { type: 'renameConversation', conversationId: C, title: 'Plans' },
    { type: 'deleteConversation', conversationId: C },
    { type: 'openLink', url: 'https://example.com' },
    { type: 'copyCode', code: 'let x = 1;' },
    { type: 'insertCode', code: '' },
    { type: 'revealSource', conversationId: C, turnId: T, documentId: 'sel-1' },
    { type: 'setModel', model: 'command-a-03-2025' },
    { type: 'saveDraft', text: 'half a thought', revision: 3 },
    { type: 'command', command: 'setApiKey' },
];

void describe('parseWebviewMessage', () => {
    void test('accepts every message type when it is well-formed', () => {
        const types = new Set(VALID.map((message) => message.type));
        assert.equal(types.size, VALID.length, 'one example per type');
        for (const message of VALID) {
            assert.deepEqual(parseWebviewMessage(structuredClone(message)), message, message.type);
        }
    });

    void test('accepts every command the host offers to the webview', () => {
        for (const command of WEBVIEW_COMMANDS) {
            assert.deepEqual(parseWebviewMessage({ type: 'command', command }), { type: 'command', command });
        }
    });

    void test('rejects a command that is not in WEBVIEW_COMMANDS', () => {
        assert.equal(parseWebviewMessage({ type: 'command', command: 'workbench.action.quit' }), undefined);
        assert.equal(parseWebviewMessage({ type: 'command', command: 'toString' }), undefined);
    });

    void test('rejects a message with any one field missing', () => {
        for (const message of VALID) {
            for (const field of Object.keys(message).filter((key) => key !== 'type')) {
                const broken: Record<string, unknown> = { ...message };
                delete broken[field];
                assert.equal(parseWebviewMessage(broken), undefined, `${message.type} without ${field}`);
            }
        }
    });

    void test('rejects a message with any one field of the wrong type', () => {
        for (const message of VALID) {
            for (const field of Object.keys(message).filter((key) => key !== 'type')) {
                const numeric = typeof (message as unknown as Record<string, unknown>)[field] === 'number';
                for (const bad of [numeric ? 'x' : 42, null, undefined, {}, ['x'], true]) {
                    const broken = { ...message, [field]: bad };
                    assert.equal(parseWebviewMessage(broken), undefined, `${message.type}.${field} = ${bad}`);
                }
            }
        }
    });

    void test('rejects a message carrying an extra field', () => {
        for (const message of VALID) {
            assert.equal(parseWebviewMessage({ ...message, extra: 1 }), undefined, message.type);
        }
    });

    void test('rejects unknown types and values that are not messages', () => {
        for (const raw of [
            undefined,
            null,
            'send',
            42,
            [],
            [{ type: 'ready' }],
            {},
            { type: 'Ready' },
            { type: 'toString' },
            { type: '__proto__' },
            { type: 'hasOwnProperty' },
            { type: 7 },
        ]) {
            assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
        }
    });

    void test('rejects oversized and empty texts', () => {
        const huge = 'x'.repeat(MAX_TEXT_LENGTH + 1);
        assert.equal(parseWebviewMessage({ type: 'send', conversationId: C, text: huge }), undefined);
        assert.equal(
            parseWebviewMessage({ type: 'edit', conversationId: C, turnId: T, text: huge }),
            undefined,
        );
        assert.equal(parseWebviewMessage({ type: 'send', conversationId: C, text: '  \n' }), undefined);
        const atLimit = 'x'.repeat(MAX_TEXT_LENGTH);
        assert.ok(parseWebviewMessage({ type: 'send', conversationId: C, text: atLimit }));
    });

    void test('rejects empty or oversized ids, titles and urls', () => {
        assert.equal(parseWebviewMessage({ type: 'stop', conversationId: '', turnId: T }), undefined);
        assert.equal(
            parseWebviewMessage({ type: 'stop', conversationId: C, turnId: 'x'.repeat(201) }),
            undefined,
        );
        assert.equal(
            parseWebviewMessage({ type: 'renameConversation', conversationId: C, title: ' ' }),
            undefined,
        );
        assert.equal(
            parseWebviewMessage({ type: 'renameConversation', conversationId: C, title: 't'.repeat(501) }),
            undefined,
        );
        assert.equal(parseWebviewMessage({ type: 'openLink', url: '' }), undefined);
        assert.equal(
            parseWebviewMessage({ type: 'openLink', url: 'https://a/' + 'x'.repeat(9000) }),
            undefined,
        );
    });

    void test("rejects a draft's revision that is not a whole number of at least 0", () => {
        for (const revision of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])
            assert.equal(
                parseWebviewMessage({ type: 'saveDraft', text: 'x', revision }),
                undefined,
                String(revision),
            );
        assert.ok(parseWebviewMessage({ type: 'saveDraft', text: '', revision: 0 }));
    });

    void test('returns a fresh object, not the raw one', () => {
        const raw = { type: 'send', conversationId: C, text: 'hi' };
        const parsed = parseWebviewMessage(raw);
        assert.notEqual(parsed, raw);
        assert.deepEqual(parsed, raw);
    });
});
