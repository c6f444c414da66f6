import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isWebLink } from '../../src/ui/links';

void describe('isWebLink', () => {
    void test('lets http and https links out', () => {
        assert.equal(isWebLink('https://docs.cohere.com/v2/docs/chat-api'), true);
        assert.equal(isWebLink('HTTP://example.com/a?b=c#d'), true);
    });

    void test('refuses every other scheme, relative links and junk', () => {
        for (const url of [
            'javascript:alert(1)',
            ' javascript:alert(1)',
            'command:workbench.action.terminal.new',
            'vscode://settings',
            'file:///etc/passwd',
            'data:text/html,<script>alert(1)</script>',
            'mailto:someone@example.com',
            '/relative/path',
            '#anchor',
            '',
            'http//missing-colon',
        ]) {
            assert.equal(isWebLink(url), false, url);
        }
    });
});
