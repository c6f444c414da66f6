// Every string a person reads can be translated the VS Code way. These fail when a new string bypasses
// package.nls.json, vscode.l10n.t (with l10n/bundle.l10n.json) or the webview's strings table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
    bundleMessages,
    describeFinding,
    hostFindings,
    manifestFindings,
    ROOT,
    scanHostSource,
    scanWebviewSource,
    webviewFindings,
} from '../../scripts/l10n/scan';
import { leftOutText } from '../../src/context/budget';
import { refusalText } from '../../src/context/fileRules';
import { noVisionText } from '../../src/context/images';
import { carriedChips } from '../../src/context/pending';
import { CONTEXT_STRINGS, translateContextStrings } from '../../src/context/strings';
import { translateWebviewStrings, WEBVIEW_STRINGS } from '../../src/webviewStrings';

function readJson(path: string): Record<string, unknown> {
    return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
}

void describe('localization', () => {
    void test('the webview puts no literal words into the page: all come from t(...)', () => {
        assert.deepEqual(webviewFindings().map(describeFinding), []);
    });

    void test('the host shows no literal words through vscode.window: all go through vscode.l10n.t', () => {
        assert.deepEqual(hostFindings().map(describeFinding), []);
    });

    void test('every title, name and description of the manifest is a %key% of package.nls.json', () => {
        assert.deepEqual(manifestFindings().map(describeFinding), []);
    });

    void test('package.json points VS Code at l10n/, and the bundle holds every host and webview message', () => {
        assert.equal(readJson('package.json')['l10n'], './l10n');
        const bundle = readJson('l10n/bundle.l10n.json');
        const missing = bundleMessages().filter((message) => bundle[message] === undefined);
        assert.deepEqual(missing, [], 'run `npm run l10n` to add them');
    });

    void test("the context layer's sentences come from its table, handed over translated", () => {
        const strings = translateContextStrings((english) => `«${english}»`);
        assert.deepEqual(Object.keys(strings), Object.keys(CONTEXT_STRINGS));
        assert.equal(
            refusalText('a.bin', { kind: 'binary' }, strings),
            '«a.bin was not attached: it is a binary file.»',
        );
        const plan = {
            kept: [],
            leftOut: [{ id: 'x', title: 'a.ts:1-9', text: 'x' }],
            documentTokens: 0,
            available: 0,
        };
        assert.match(leftOutText(plan, strings) ?? '', /^«1 of 1 documents .*: a\.ts:1-9\.»$/);
        const [problems] = carriedChips([{ id: 'p', title: 'a.ts:3', text: 'x', kind: 'problem' }], strings);
        assert.equal(problems?.chip.label, '«Problems: a.ts»');
        assert.match(noVisionText('m', strings), /^«m does not take images/);
    });

    void test('the webview table is handed over translated, key by key', () => {
        const strings = translateWebviewStrings((english) => `«${english}»`);
        assert.deepEqual(Object.keys(strings), Object.keys(WEBVIEW_STRINGS));
        assert.equal(strings.newChat, `«${WEBVIEW_STRINGS.newChat}»`);
    });
});

// The scanner itself: it finds what it must and leaves alone what is not UI text.
void describe('the localization scanner', () => {
    void test('flags the shapes of UI text it looks for, and only those', () => {
        const webview = scanWebviewSource(`
            node.textContent = 'Hello';
            node.title = \`Wait \${n} s\`;
            node.setAttribute('aria-label', ok ? 'Open' : t('close'));
            node.append(' ', 'Done');
            element('p', 'empty-title', 'Ask me');
            makeButton('send', t('send'), 'Send it');
            const reasons = { MAX: { headline: 'Cut short', hint: t('more') } };
            // not UI text:
            node.className = 'turn-error';
            node.dataset['action'] = 'send';
            node.setAttribute('role', 'alert');
            node.setAttribute('aria-label', t('x', count));
            node.textContent = \`\${n}%\`;
            node.append(' · ');
            content.push({ type: 'text', text: '' });
            log('Something happened');
        `);
        assert.deepEqual(webview, [
            'Hello',
            '`Wait ${n} s`',
            'Open',
            'Done',
            'Ask me',
            'Send it',
            'Cut short',
        ]);
        const host = scanHostSource(`
            void vscode.window.showInformationMessage('Saved.');
            void vscode.window.showErrorMessage(vscode.l10n.t('Failed: {0}', why), 'Show Logs');
            void vscode.window.showInputBox({ title: 'Key', prompt: vscode.l10n.t('Paste it'), password: true });
            view.description = 'Chat';
            // not UI text:
            log.info('Started');
            void vscode.window.showInformationMessage(vscode.l10n.t('Saved.'));
            view.description = conversation.title;
            throw new Error('bad state');
        `);
        assert.deepEqual(host, ['Saved.', 'Show Logs', 'Key', 'Chat']);
    });
});
