// The composer's draft after a reload, in real Chromium: the page's own saved state and the host's copy
// each carry the draft's revision, and the newer one wins. VS Code saves a webview's state only now and
// then, so after a reload that state may be older than the host's copy (the last keystrokes, or a clear).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser } from './harness';
import type { HostToWebviewMessage } from '../../src/protocol';

/** The state message with the host's copy of the draft. */
function stateWithDraft(draft: string, draftRevision: number): HostToWebviewMessage {
    return { ...stateMessage([]), draft, draftRevision } as HostToWebviewMessage;
}

void describe('the draft after a reload', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test("the host's newer draft replaces the page's older saved one", async (t) => {
        const chat = await browser.open({ uiState: { draft: 'typed a while ago', draftRevision: 4 } });
        t.after(() => chat.close());
        await chat.deliver(stateWithDraft('typed a while ago, then more just before the reload', 9));
        const prompt = chat.page.locator('#prompt');
        assert.equal(await prompt.inputValue(), 'typed a while ago, then more just before the reload');
        const saved = await chat.uiState();
        assert.equal(saved?.['draft'], 'typed a while ago, then more just before the reload');
        assert.equal(saved?.['draftRevision'], 9);
    });

    void test("a draft cleared just before the reload stays cleared, though the page's state still holds it", async (t) => {
        const chat = await browser.open({ uiState: { draft: 'sent already', draftRevision: 4 } });
        t.after(() => chat.close());
        await chat.deliver(stateWithDraft('', 5));
        assert.equal(await chat.page.locator('#prompt').inputValue(), '');
    });

    void test("the page's saved draft stays when it is newer than the host's copy", async (t) => {
        const chat = await browser.open({ uiState: { draft: 'the newest text', draftRevision: 8 } });
        t.after(() => chat.close());
        await chat.deliver(stateWithDraft('older text', 7));
        assert.equal(await chat.page.locator('#prompt').inputValue(), 'the newest text');
    });

    void test('what is typed after the reload wins, and goes to the host above its revision', async (t) => {
        const chat = await browser.open({ uiState: { draft: '', draftRevision: 0 } });
        t.after(() => chat.close());
        await chat.page.locator('#prompt').fill('typed before the host answered');
        await chat.deliver(stateWithDraft('an old draft', 12));
        assert.equal(await chat.page.locator('#prompt').inputValue(), 'typed before the host answered');
        const sent = await chat.draftsWithRevisions();
        assert.deepEqual(sent.at(-1), { text: 'typed before the host answered', revision: 13 });
    });

    void test("with no revision on either side the host's text fills an empty composer", async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver({
            ...stateMessage([]),
            draft: 'kept by an earlier version',
        } as HostToWebviewMessage);
        assert.equal(await chat.page.locator('#prompt').inputValue(), 'kept by an earlier version');
    });

    void test('each change of the draft goes to the host with a revision one higher', async (t) => {
        const chat = await browser.open({ uiState: { draft: 'a', draftRevision: 3 } });
        t.after(() => chat.close());
        await chat.deliver(stateMessage([]));
        await chat.page.locator('#prompt').fill('ab');
        await chat.page.locator('#prompt').fill('abc');
        assert.deepEqual((await chat.draftsWithRevisions()).slice(-2), [
            { text: 'ab', revision: 4 },
            { text: 'abc', revision: 5 },
        ]);
    });
});
