// The webview shows the words the host hands it (translated through vscode.l10n), not its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser } from './harness';

void describe('localized webview', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('labels, placeholders and messages come from the strings table in #app', async (t) => {
        const chat = await browser.open({
            strings: {
                placeholder: 'Frag Cohere…',
                messageLabel: 'Nachricht',
                stopped: 'Angehalten',
                retryingIn: 'Neuer Versuch in {0} s…',
            },
        });
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ status: 'stopped', text: 'Halb' })]));
        const prompt = chat.page.locator('textarea#prompt');
        assert.equal(await prompt.getAttribute('placeholder'), 'Frag Cohere…');
        assert.equal(await prompt.getAttribute('aria-label'), 'Nachricht');
        assert.match((await chat.page.locator('.turn .status').textContent()) ?? '', /Angehalten/);
    });

    void test('a table that is missing or damaged falls back to English', async (t) => {
        const chat = await browser.open({ strings: { placeholder: 42 as unknown as string } });
        t.after(() => chat.close());
        await chat.deliver(stateMessage([]));
        const placeholder = await chat.page.locator('textarea#prompt').getAttribute('placeholder');
        assert.match(placeholder ?? '', /^Ask Cohere/);
    });
});
