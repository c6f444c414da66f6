// Errors with the actions that mend them, and every turn action: Stop, Retry, Regenerate, Edit; the
// retry wait; the history drawer (new, open, rename, delete); the draft and the demo banner.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TurnError } from '../../src/chat/model';
import { CONVERSATION_ID, makeContext, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement, PageWindow } from './harness';

async function actionsIn(chat: ChatPage, selector: string): Promise<string[]> {
    return chat.page
        .locator(`${selector} [data-action]`)
        .evaluateAll((nodes) =>
            nodes
                .filter((node) => !(node as unknown as PageElement).closest('[hidden]'))
                .map((node) => (node as unknown as PageElement).dataset['action'] ?? ''),
        );
}

const ERRORS: readonly { error: TurnError; actions: string[]; says: RegExp }[] = [
    {
        error: { code: 'unauthorized', message: 'invalid api token', status: 401 },
        actions: ['set-api-key', 'retry'],
        says: /API key/,
    },
    {
        error: { code: 'rate_limited', message: 'too many requests', status: 429, retryAfterMs: 3000 },
        actions: ['retry'],
        says: /Wait 3 s/,
    },
    {
        error: { code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' },
        actions: ['retry', 'show-logs'],
        says: /proxy/,
    },
    {
        error: { code: 'timeout', message: 'no response in 30 s' },
        actions: ['retry', 'show-logs'],
        says: /proxy/,
    },
    {
        error: {
            code: 'bad_request',
            message: 'invalid request: temperature must be between 0 and 1.0 inclusive.',
            status: 400,
        },
        actions: ['retry'],
        says: /temperature must be between 0 and 1\.0 inclusive/,
    },
    {
        error: { code: 'server', message: 'internal error', status: 500 },
        actions: ['retry', 'show-logs'],
        says: /server error/,
    },
    {
        error: { code: 'forbidden', message: 'not allowed', status: 403 },
        actions: ['set-api-key', 'retry'],
        says: /not allowed/,
    },
    {
        // Cohere's 498 is a safety block (a deny-listed token), not a key problem: rephrase and retry.
        error: { code: 'invalid_token', message: 'blocked output', status: 498 },
        actions: ['retry'],
        says: /blocked this message or its reply for safety.*Rephrase/,
    },
    {
        error: { code: 'no_api_key', message: 'No Cohere API key is set.' },
        actions: ['set-api-key', 'retry'],
        says: /nothing was sent/,
    },
    {
        error: {
            code: 'interrupted',
            message: 'The connection was cut after 14 characters of the reply, before it was complete.',
        },
        actions: ['retry', 'show-logs'],
        says: /connection was cut before the reply was complete/,
    },
    {
        error: { code: 'not_found', message: "model 'command-x' not found", status: 404 },
        actions: ['retry'],
        says: /refused/,
    },
    {
        error: { code: 'protocol', message: 'stream ended without message-end' },
        actions: ['retry', 'show-logs'],
        says: /could not read/,
    },
    {
        error: { code: 'generation', message: 'the model failed' },
        actions: ['retry'],
        says: /stopped with an error/,
    },
    {
        error: { code: 'aborted', message: 'cancelled by the server', status: 499 },
        actions: ['retry'],
        says: /cancelled/,
    },
];

void describe('errors and turn actions', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    for (const { error, actions, says } of ERRORS) {
        void test(`a ${error.code} error shows its words and offers ${actions.join(' + ')}`, async (t) => {
            const chat = await browser.open();
            t.after(() => chat.close());
            const turn = streamingTurn({ prompt: 'Keep me' });
            await chat.deliver(stateMessage([]), {
                type: 'turnStarted',
                conversationId: CONVERSATION_ID,
                turn,
            });
            await chat.deliver(textDelta(turn.id, 'Partial answer'));
            const failed = {
                ...turn,
                status: 'failed' as const,
                error,
                reply: { content: [{ type: 'text' as const, text: 'Partial answer' }], citations: [] },
            };
            await chat.deliver({ type: 'turnFailed', conversationId: CONVERSATION_ID, turn: failed });
            const box = chat.page.locator(`.turn .turn-error[data-code="${error.code}"]`);
            assert.match((await box.textContent()) ?? '', says);
            assert.match(
                (await box.textContent()) ?? '',
                new RegExp(error.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
            );
            assert.deepEqual(await actionsIn(chat, '.turn-error'), actions);
            assert.equal(
                await chat.page
                    .locator('.turn .prompt')
                    .textContent()
                    .then((text) => text?.trim()),
                'Keep me',
            );
            assert.equal(
                (await chat.page.locator('.reply .markdown').textContent())?.trim(),
                'Partial answer',
            );
            assert.equal(await chat.page.locator('.turn').getAttribute('data-status'), 'failed');
            assert.equal(await chat.page.locator('#announcer').textContent(), error.message);
            await chat.takePosted();
            for (const action of actions) await box.locator(`[data-action="${action}"]`).click();
            const expected = actions.map((action) =>
                action === 'retry'
                    ? { type: 'retry', conversationId: CONVERSATION_ID, turnId: turn.id }
                    : { type: 'command', command: action === 'set-api-key' ? 'setApiKey' : 'showLogs' },
            );
            assert.deepEqual(await chat.takePosted(), expected);
        });
    }

    void test('Stop posts stop for the streaming turn; a stopped turn says so and offers Retry', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        assert.equal(await chat.page.locator('[data-action="send"]').isHidden(), true);
        await chat.takePosted();
        await chat.page.locator('[data-action="stop"]').click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'stop', conversationId: CONVERSATION_ID, turnId: turn.id },
        ]);
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: { ...turn, status: 'stopped' },
        });
        assert.equal(await chat.page.locator('.turn .status').textContent(), 'Stopped');
        assert.equal(await chat.page.locator('.turn').getAttribute('data-status'), 'stopped');
        assert.equal(await chat.page.locator('[data-action="stop"]').isHidden(), true);
        await chat.page.locator('.turn [data-action="retry"]').click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'retry', conversationId: CONVERSATION_ID, turnId: turn.id },
        ]);
    });

    void test('after Stop, the Retry of a reply that went on below the view is scrolled into view', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        let text = '';
        for (let i = 0; i < 40; i++) {
            const paragraph = `Paragraph ${i} of the answer.\n\n`;
            text += paragraph;
            await chat.deliver(textDelta(turn.id, paragraph));
        }
        // The person scrolls up to read (the view stops following), then stops the reply.
        await chat.page.locator('#messages').hover();
        await chat.page.mouse.wheel(0, -600);
        const below = async (): Promise<number> =>
            chat.page.evaluate(() => {
                type Boxed = { getBoundingClientRect(): { bottom: number } };
                const doc = (
                    globalThis as unknown as { document: { querySelector(s: string): Boxed | null } }
                ).document;
                const retry = doc.querySelector('.turn [data-action="retry"]')?.getBoundingClientRect();
                const view = doc.querySelector('#messages')?.getBoundingClientRect();
                return retry === undefined || view === undefined ? Infinity : retry.bottom - view.bottom;
            });
        await chat.page.waitForFunction(() => {
            const box = (
                globalThis as unknown as {
                    document: {
                        querySelector(
                            s: string,
                        ): { scrollHeight: number; scrollTop: number; clientHeight: number } | null;
                    };
                }
            ).document.querySelector('#messages');
            return box !== null && box.scrollHeight - box.scrollTop - box.clientHeight > 300;
        });
        await chat.deliver({
            type: 'turnEnded',
            conversationId: CONVERSATION_ID,
            turn: { ...turn, status: 'stopped', reply: { content: [{ type: 'text', text }], citations: [] } },
        });
        await chat.page.locator('.turn [data-action="retry"]').waitFor();
        assert.ok((await below()) <= 1, `Retry ends ${await below()} px below the view`);
    });

    void test('Regenerate is offered on the last reply only and posts regenerate', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const first = makeTurn({ text: 'One' });
        const last = makeTurn({ text: 'Two' });
        await chat.deliver(stateMessage([first, last]));
        assert.equal(await chat.page.locator('[data-action="regenerate"]').count(), 1);
        await chat.takePosted();
        await chat.page.locator(`.turn[data-turn-id="${last.id}"] [data-action="regenerate"]`).click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'regenerate', conversationId: CONVERSATION_ID, turnId: last.id },
        ]);
    });

    void test('Edit turns a message into an editor; Send posts the new text, Escape cancels', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const first = makeTurn({ prompt: 'Old question', text: 'One' });
        const second = makeTurn({ prompt: 'Second', text: 'Two' });
        await chat.deliver(stateMessage([first, second]));
        const turn = chat.page.locator(`.turn[data-turn-id="${first.id}"]`);
        await turn.locator('[data-action="edit"]').click();
        const editor = turn.locator('textarea.edit-input');
        assert.equal(await editor.inputValue(), 'Old question');
        await editor.press('Escape');
        assert.equal(await turn.locator('textarea.edit-input').count(), 0);
        assert.equal(
            await turn
                .locator('.prompt')
                .textContent()
                .then((text) => text?.trim()),
            'Old question',
        );
        await turn.locator('[data-action="edit"]').click();
        await turn.locator('textarea.edit-input').fill('New question');
        await chat.takePosted();
        await turn.locator('[data-action="save-edit"]').click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'edit', conversationId: CONVERSATION_ID, turnId: first.id, text: 'New question' },
        ]);
        // The host sends the edited turn again; the turns after it are gone.
        await chat.deliver({
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn: {
                ...first,
                prompt: 'New question',
                status: 'streaming',
                reply: { content: [], citations: [] },
            },
            turnIds: [first.id],
        });
        assert.equal(await chat.page.locator('.turn').count(), 1);
        assert.equal(
            await chat.page
                .locator('.turn .prompt')
                .textContent()
                .then((text) => text?.trim()),
            'New question',
        );
    });

    void test('an edit that keeps the same words still drops the later turns; a retry keeps them', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const first = makeTurn({ prompt: 'Same question', text: 'One' });
        const second = makeTurn({ prompt: 'Second', text: 'Two' });
        await chat.deliver(stateMessage([first, second]));
        const restarted = { ...first, status: 'streaming' as const, reply: { content: [], citations: [] } };
        await chat.deliver({
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn: restarted,
            turnIds: [first.id, second.id],
        });
        assert.equal(
            await chat.page.locator('.turn').count(),
            2,
            'a retry in place keeps the turns after it',
        );
        await chat.deliver({
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn: restarted,
            turnIds: [first.id],
        });
        assert.equal(await chat.page.locator('.turn').count(), 1);
        assert.equal(
            await chat.page
                .locator('.turn .prompt')
                .textContent()
                .then((text) => text?.trim()),
            'Same question',
        );
    });

    void test('while a reply streams, no other turn offers an action (copying only)', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const done = makeTurn({ text: 'One' });
        const running = streamingTurn();
        await chat.deliver(stateMessage([done, running]));
        const actions = await actionsIn(chat, '.turn');
        assert.deepEqual(
            actions.filter((action) => !action.startsWith('copy-')),
            [],
        );
    });

    void test('a retry wait is shown on the turn as "Retrying in N s…", counting down', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([]), { type: 'turnStarted', conversationId: CONVERSATION_ID, turn });
        await chat.deliver({
            type: 'turnRetrying',
            conversationId: CONVERSATION_ID,
            turnId: turn.id,
            attempt: 2,
            delayMs: 2500,
            reason: { code: 'rate_limited', message: 'slow down' },
        });
        assert.equal(await chat.page.locator('.turn .status').textContent(), 'Retrying in 3 s…');
        // The wait counts down (the next second is at most a second away).
        await chat.page.locator('.turn .status', { hasText: 'Retrying in 2 s…' }).waitFor({ timeout: 2000 });
        await chat.deliver(textDelta(turn.id, 'Here it comes'));
        assert.equal(await chat.page.locator('.turn .status').textContent(), 'Generating…');
    });

    void test('the history drawer opens, renames and deletes conversations; New Chat posts newChat', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const history = [
            { id: CONVERSATION_ID, title: 'Test chat', updatedAt: 1_700_000_000_000, turnCount: 1 },
            { id: 'conv-old', title: 'Penguins', updatedAt: 1_690_000_000_000, turnCount: 4 },
        ];
        await chat.deliver(stateMessage([makeTurn({ text: 'x' })], { history }));
        assert.equal(await chat.page.locator('#history').isHidden(), true);
        await chat.page.locator('[data-action="history"]').click();
        assert.equal(
            await chat.page.locator('[data-action="history"]').getAttribute('aria-expanded'),
            'true',
        );
        const old = chat.page.locator('.history-item[data-conversation-id="conv-old"]');
        assert.match((await old.textContent()) ?? '', /Penguins.*4 messages/);
        await chat.takePosted();
        await old.locator('[data-action="rename-conversation"]').click();
        await old.locator('input.rename-input').fill('Emperor penguins');
        await old.locator('input.rename-input').press('Enter');
        await old.locator('[data-action="delete-conversation"]').click();
        await old.locator('[data-action="open-conversation"]').click();
        await chat.page.locator('[data-action="new-chat"]').click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'renameConversation', conversationId: 'conv-old', title: 'Emperor penguins' },
            { type: 'deleteConversation', conversationId: 'conv-old' },
            { type: 'openConversation', conversationId: 'conv-old' },
            { type: 'newChat' },
        ]);
        assert.equal(
            await chat.page.locator('#history').isHidden(),
            true,
            'opening a conversation closes the drawer',
        );
    });

    void test('a history update while a title is typed keeps the rename going, then shows the new list', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const old = { id: 'conv-old', title: 'Penguins', updatedAt: 1_690_000_000_000, turnCount: 4 };
        await chat.deliver(stateMessage([], { history: [old] }));
        await chat.page.locator('[data-action="history"]').click();
        const item = chat.page.locator('.history-item[data-conversation-id="conv-old"]');
        await item.locator('[data-action="rename-conversation"]').click();
        await item.locator('input.rename-input').fill('Emperor');
        const added = { id: 'conv-new', title: 'Seals', updatedAt: 1_700_000_000_000, turnCount: 1 };
        await chat.deliver({ type: 'context', context: makeContext({ history: [added, old] }) });
        await item.locator('input.rename-input').pressSequentially(' penguins');
        await chat.takePosted();
        await item.locator('input.rename-input').press('Enter');
        assert.deepEqual(await chat.takePosted(), [
            { type: 'renameConversation', conversationId: 'conv-old', title: 'Emperor penguins' },
        ]);
        assert.deepEqual(await chat.page.locator('.history-item .history-title').allTextContents(), [
            'Seals',
            'Penguins',
        ]);
        assert.equal(
            await chat.page.evaluate(
                () =>
                    (globalThis as unknown as PageWindow).document.activeElement?.closest('.history-item')
                        ?.dataset['conversationId'],
            ),
            'conv-old',
            'the focus stays on the renamed conversation',
        );
    });

    void test('setDraft fills and focuses the input; the demo banner shows in demo mode', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([], { demo: true }), { type: 'setDraft', text: 'Edited prompt' });
        assert.equal(await chat.page.locator('#prompt').inputValue(), 'Edited prompt');
        assert.equal(
            await chat.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.id),
            'prompt',
        );
        assert.equal(
            await chat.page.locator('#demo-banner').textContent(),
            'Offline demo: replies come from a local fake Cohere server',
        );
        assert.equal(await chat.page.locator('#demo-banner').isVisible(), true);
        await chat.deliver({
            type: 'context',
            context: { model: 'command-r', hasApiKey: false, demo: false, stream: true, history: [] },
        });
        assert.equal(await chat.page.locator('#demo-banner').isHidden(), true);
        assert.equal(await chat.page.locator('.empty-state [data-action="set-api-key"]').isVisible(), true);
    });
});
