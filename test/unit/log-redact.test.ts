import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asError, redactSecrets } from '../../src/chat/logger';

const KEY = 'co-4f9Ab12xYz7890QwErTy';

void describe('redactSecrets', () => {
    void test('cuts the value of an Authorization header, with or without Bearer', () => {
        assert.equal(redactSecrets(`Authorization: Bearer ${KEY}`), 'Authorization: Bearer ***');
        assert.equal(redactSecrets(`authorization=${KEY} next`), 'authorization=*** next');
    });

    void test('cuts a bearer token anywhere, in JSON too', () => {
        const redacted = redactSecrets(`headers {"authorization":"Bearer ${KEY}","x-client-name":"vscode"}`);
        assert.equal(redacted.includes(KEY), false, redacted);
        assert.ok(redacted.includes('"x-client-name":"vscode"'), redacted);
        assert.equal(redactSecrets(`sent bearer ${KEY}.`), 'sent Bearer ***');
    });

    void test('leaves ordinary text alone', () => {
        const text = 'Turn t1: status complete, 200 OK, the bearer of good news';
        assert.equal(redactSecrets(text), text);
    });
});

void describe('asError', () => {
    void test('keeps an Error as it is and wraps anything else thrown', () => {
        const error = new TypeError('bad');
        assert.equal(asError(error), error);
        const wrapped = asError('a string was thrown');
        assert.ok(wrapped instanceof Error);
        assert.equal(wrapped.message, 'a string was thrown');
        assert.equal(asError(undefined).message, 'undefined');
    });
});
