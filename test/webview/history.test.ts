// The history overlay: over the chat (not pushing it down, never wider than the view), date groups,
// search, one item changed per `historyChanged`, rename and delete on hover and keyboard focus.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConversationSummary } from '../../src/chat/model';
import { makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageWindow } from './harness';

const DAY = 24 * 3600_000;

function summary(id: string, title: string, ageMs: number, turnCount = 2): ConversationSummary {
    return { id, title, updatedAt: Date.now() - ageMs, turnCount };
}

const HISTORY: ConversationSummary[] = [
    summary('c-today', 'Penguins today', 60_000),
    summary('c-yesterday', 'Seals yesterday', DAY),
    summary('c-week', 'Penguin colonies', 3 * DAY),
    summary('c-older', 'Walruses long ago', 30 * DAY),
];

async function openHistory(chat: ChatPage, history = HISTORY): Promise<void> {
    await chat.deliver(stateMessage([makeTurn({ text: 'A reply' })], { history }));
    await chat.page.locator('[data-action="history"]').click();
}

/** Group title → the titles shown in it, for the groups shown. */
async function shownGroups(chat: ChatPage): Promise<Record<string, string[]>> {
    return chat.page.evaluate(() => {
        const { document } = globalThis as unknown as PageWindow;
        const groups: Record<string, string[]> = {};
        for (const section of document.body.querySelectorAll('.history-group')) {
            if (section.closest('[hidden]') !== null) continue;
            const title = [...section.querySelectorAll('.history-group-title')][0]?.textContent ?? '';
            groups[title] = [...section.querySelectorAll('.history-item')]
                .filter((item) => item.closest('[hidden]') === null)
                .map((item) => [...item.querySelectorAll('.history-title')][0]?.textContent ?? '');
        }
        return groups;
    });
}

void describe('history overlay', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('lies over the chat without moving it, and is never wider than the view', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        for (const width of [220, 300, 900]) {
            await chat.page.setViewportSize({ width, height: 600 });
            await chat.deliver(stateMessage([makeTurn({ text: 'A reply' })], { history: HISTORY }));
            const before = await chat.page.locator('#messages').boundingBox();
            // A click event without Playwright's scrolling into view: at 220 px the toolbar (not the
            // history) is wider than the view, and scrolling to its button would move the chat.
            await chat.page.locator('[data-action="history"]').dispatchEvent('click');
            assert.equal(await chat.page.locator('#history').isVisible(), true);
            assert.deepEqual(
                await chat.page.locator('#messages').boundingBox(),
                before,
                `moved at ${width} px`,
            );
            const overlay = await chat.page.locator('#history').boundingBox();
            assert.ok(overlay !== null && before !== null && overlay.y <= before.y, 'covers the chat');
            // Exactly the view's box (the page itself may scroll sideways at 220 px because of the toolbar).
            assert.deepEqual(overlay, await chat.page.locator('#app').boundingBox(), `at ${width} px`);
            assert.ok(overlay !== null && overlay.width <= width, `no wider than the view at ${width} px`);
            const wide = await chat.page.locator('#history, #history *').evaluateAll((nodes) =>
                nodes
                    .map(
                        (node) =>
                            node as unknown as {
                                scrollWidth: number;
                                clientWidth: number;
                                className: string;
                            },
                    )
                    .filter((box) => box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1)
                    .map((box) => box.className),
            );
            assert.deepEqual(wide, [], `wider than the view at ${width} px`);
            await chat.page.keyboard.press('Escape');
        }
    });

    void test('groups conversations by date: Today, Yesterday, Last 7 days, Older', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await openHistory(chat);
        assert.deepEqual(await shownGroups(chat), {
            Today: ['Penguins today'],
            Yesterday: ['Seals yesterday'],
            'Last 7 days': ['Penguin colonies'],
            Older: ['Walruses long ago'],
        });
    });

    void test('search shows the matching conversations, and says when none match', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await openHistory(chat);
        assert.equal(
            await chat.page.evaluate(() =>
                (globalThis as unknown as PageWindow).document.activeElement?.classList.contains(
                    'history-search',
                ),
            ),
            true,
            'opening focuses the search field',
        );
        await chat.page.keyboard.type('PENGUIN');
        assert.deepEqual(await shownGroups(chat), {
            Today: ['Penguins today'],
            'Last 7 days': ['Penguin colonies'],
        });
        await chat.page.locator('.history-search').fill('narwhal');
        assert.deepEqual(await shownGroups(chat), {});
        assert.equal(await chat.page.locator('.history-empty').textContent(), 'No conversations match.');
        // A conversation added while searching follows the search too.
        await chat.deliver({
            type: 'historyChanged',
            changes: [{ kind: 'upsert', summary: summary('c-new', 'Narwhal facts', 0) }],
        });
        assert.deepEqual(await shownGroups(chat), { Today: ['Narwhal facts'] });
    });

    void test('a history change adds, renames, moves or removes one item, leaving the others in place', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await openHistory(chat);
        await chat.page.evaluate(() => {
            const { document } = globalThis as unknown as PageWindow;
            for (const item of document.body.querySelectorAll('.history-item')) item.__kept = true;
        });
        const added = summary('c-new', 'Orcas', 0, 1);
        await chat.deliver({ type: 'historyChanged', changes: [{ kind: 'upsert', summary: added }] });
        assert.deepEqual((await shownGroups(chat))['Today'], ['Orcas', 'Penguins today']);
        const walrus = HISTORY[3];
        assert.ok(walrus);
        await chat.deliver({
            type: 'historyChanged',
            changes: [
                { kind: 'upsert', summary: { ...walrus, title: 'Walruses, renamed', updatedAt: Date.now() } },
                { kind: 'remove', conversationId: 'c-yesterday' },
            ],
        });
        assert.deepEqual(await shownGroups(chat), {
            Today: ['Walruses, renamed', 'Orcas', 'Penguins today'],
            'Last 7 days': ['Penguin colonies'],
        });
        const kept = await chat.page.evaluate(() => {
            const { document } = globalThis as unknown as PageWindow;
            return [...document.body.querySelectorAll('.history-item')].map(
                (item) => `${item.dataset['conversationId']}:${String(item.__kept === true)}`,
            );
        });
        assert.deepEqual(kept, ['c-older:true', 'c-new:false', 'c-today:true', 'c-week:true']);
        assert.equal(
            await chat.page
                .locator('.history-item[data-conversation-id="c-older"] .history-open')
                .getAttribute('aria-label'),
            'Open Walruses, renamed',
        );
    });

    void test('rename and delete show on hover and on keyboard focus, with accessible names', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await openHistory(chat);
        const item = chat.page.locator('.history-item[data-conversation-id="c-week"]');
        const actions = item.locator('.history-actions');
        const opacity = () =>
            actions.evaluate(
                (node) =>
                    (
                        globalThis as unknown as { getComputedStyle(node: unknown): { opacity: string } }
                    ).getComputedStyle(node).opacity,
            );
        assert.equal(await opacity(), '0');
        await item.hover();
        assert.equal(await opacity(), '1');
        await chat.page.mouse.move(0, 0);
        // Keyboard: Down from the search field reaches the conversations; Tab reaches Rename, then Delete.
        await chat.page.locator('.history-search').focus();
        for (let i = 0; i < 3; i++) await chat.page.keyboard.press('ArrowDown');
        const focused = () =>
            chat.page.evaluate(() => {
                const node = (globalThis as unknown as PageWindow).document.activeElement;
                return `${node?.closest('.history-item')?.dataset['conversationId']} ${node?.getAttribute('aria-label')}`;
            });
        assert.equal(await focused(), 'c-week Open Penguin colonies');
        await chat.page.keyboard.press('Tab');
        assert.equal(await focused(), 'c-week Rename Penguin colonies');
        assert.equal(await opacity(), '1');
        await chat.page.keyboard.press('Tab');
        assert.equal(await focused(), 'c-week Delete Penguin colonies');
        await chat.takePosted();
        await chat.page.keyboard.press('Enter');
        assert.deepEqual(await chat.takePosted(), [{ type: 'deleteConversation', conversationId: 'c-week' }]);
        await chat.page.keyboard.press('Escape');
        assert.equal(await chat.page.locator('#history').isHidden(), true);
        assert.equal(
            await chat.page.evaluate(
                () => (globalThis as unknown as PageWindow).document.activeElement?.dataset['action'],
            ),
            'history',
            'the focus goes back to the History button',
        );
    });

    void test('a conversation saved by a newer version is listed but cannot be opened or renamed', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await openHistory(chat, [{ ...summary('c-future', 'From the future', 0), newerVersion: 2 }]);
        const item = chat.page.locator('.history-item[data-conversation-id="c-future"]');
        assert.equal(await item.locator('.history-open').isDisabled(), true);
        assert.match((await item.textContent()) ?? '', /newer version of Cohere Chat/);
        assert.equal(await item.locator('[data-action="rename-conversation"]').isHidden(), true);
    });

    void test('its styles use theme variables only', () => {
        const css = readFileSync(join(__dirname, '../../webview/style.css'), 'utf8');
        const start = css.indexOf('/* history overlay');
        assert.ok(start >= 0, 'style.css has a history overlay section');
        const section = css.slice(start);
        assert.doesNotMatch(section, /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(|:\s*(?:white|black)\b/i);
    });
});
