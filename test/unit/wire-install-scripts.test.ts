// npm 11 blocks dependency install scripts not reviewed in package.json `allowScripts` and warns on
// every `npm ci`; every package with one must be approved or denied, so a fresh clone installs quietly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';

void describe('install scripts', () => {
    void test('every dependency install script is reviewed in allowScripts (npm install-scripts ls)', () => {
        const out = execFileSync('npm', ['install-scripts', 'ls'], { encoding: 'utf8' });
        assert.match(out, /No packages with unreviewed install scripts/);
    });
});
