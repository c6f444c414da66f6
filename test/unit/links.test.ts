import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideLink, isWebLink } from '../../src/ui/links';

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
            '/relative/path',
            '#anchor',
            '',
            'http//missing-colon',
        ]) {
            assert.equal(isWebLink(url), false, url);
        }
    });
});

void describe('decideLink', () => {
    void test('opens a plain web link as it is', () => {
        assert.deepEqual(decideLink('https://docs.cohere.com/docs?a=1#b'), {
            kind: 'open',
            url: 'https://docs.cohere.com/docs?a=1#b',
        });
    });

    void test('a link with a user name or password is opened only after confirming its real host, without them', () => {
        assert.deepEqual(decideLink('https://user:pass@host.example/path'), {
            kind: 'confirm',
            url: 'https://host.example/path',
            host: 'host.example',
        });
        assert.deepEqual(decideLink('https://accounts.example.com@evil.example/login'), {
            kind: 'confirm',
            url: 'https://evil.example/login',
            host: 'evil.example',
        });
    });

    void test('refuses a URL with control characters or direction overrides, cleanly', () => {
        for (const url of [
            'https://example.com/\u0000x',
            'https://exa\tmple.com/',
            'https://example.com/\r\nSet-Cookie: a=b',
            'https://example.com/\u007f',
            'https://example.com/\u0085',
            'https://example.com/\u202egnp.exe',
        ]) {
            assert.deepEqual(
                decideLink(url),
                { kind: 'refuse', reason: 'control-characters' },
                JSON.stringify(url),
            );
        }
    });

    void test('opens mailto: to one address in the mail client; refuses one that is not an address', () => {
        assert.deepEqual(decideLink('mailto:someone@example.com?subject=Hi'), {
            kind: 'open',
            url: 'mailto:someone@example.com?subject=Hi',
        });
        assert.equal(decideLink('mailto:').kind, 'refuse');
        assert.equal(decideLink('mailto:a@b.example,c@d.example').kind, 'refuse');
        assert.equal(decideLink('mailto:not-an-address').kind, 'refuse');
    });
});
