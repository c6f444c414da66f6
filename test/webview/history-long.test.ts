// A long history (hundreds of conversations): its items sit in boxes that are not drawn while off screen,
// and through moves, removals and searches the list still reads newest first, with no gaps between
// matches, and Up/Down still go from one conversation to the next.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationSummary, HistoryChange } from '../../src/chat/model';
import { stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement, PageWindow } from './harness';

const DAY = 24 * 3600_000;
const COUNT = 300;

/** Conversations 10 to 310 days old (all in Older), newest first; every 97th is about narwhals. */
function longHistory(): ConversationSummary[] {
    const now = Date.now();
    return Array.from({ length: COUNT }, (_, i) => ({
        id: `c-${i}`,
        title: i % 97 === 5 ? `Narwhal number ${i}` : `Conversation ${i}`,
        updatedAt: now - (10 + i) * DAY,
        turnCount: 2,
    }));
}

async function openHistory(chat: ChatPage, history: ConversationSummary[]): Promise<void> {
    await chat.deliver(stateMessage([], { history }));
    await chat.page.locator('[data-action="history"]').click();
}

/** The ids of the listed items, in the page's order. */
function listedIds(chat: ChatPage): Promise<string[]> {
    return chat.page.evaluate(() => {
        const { document } = globalThis as unknown as PageWindow;
        return [...document.body.querySelectorAll('.history-item')].map(
            (item) => item.dataset['conversationId'] ?? '',
        );
    });
}

/** Whether the item is drawn (false while it is in a box that content-visibility skips). */
function isDrawn(chat: ChatPage, id: string): Promise<boolean> {
    return chat.page.locator(`.history-item[data-conversation-id="${id}"]`).evaluate((node) =>
        (node as unknown as { checkVisibility(options: object): boolean }).checkVisibility({
            contentVisibilityAuto: true,
        }),
    );
}

void describe('long history', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('stays newest first through moves and removals; items far down are drawn only when near', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const history = longHistory();
        await openHistory(chat, history);
        assert.deepEqual(
            await listedIds(chat),
            history.map((summary) => summary.id),
        );
        assert.equal(await isDrawn(chat, 'c-0'), true);
        assert.equal(await isDrawn(chat, `c-${COUNT - 1}`), false, 'the last item is not drawn off screen');

        // Moves to the top (a new turn), moves into the middle, and removals, spread over the list.
        const byId = new Map(history.map((summary) => [summary.id, summary]));
        const changes: HistoryChange[] = [];
        for (let i = 0; i < 60; i++) {
            const id = `c-${(i * 37) % COUNT}`;
            const current = byId.get(id);
            if (current === undefined) continue;
            if (i % 5 === 4) {
                byId.delete(id);
                changes.push({ kind: 'remove', conversationId: id });
                continue;
            }
            const updatedAt = i % 2 === 0 ? Date.now() - 10 * DAY + i : current.updatedAt - 150 * DAY;
            const moved = { ...current, updatedAt, title: `${current.title} (moved)` };
            byId.set(id, moved);
            changes.push({ kind: 'upsert', summary: moved });
        }
        // One message each, as the host sends them.
        for (const change of changes) await chat.deliver({ type: 'historyChanged', changes: [change] });
        const expected = [...byId.values()].sort((a, b) => b.updatedAt - a.updatedAt).map((s) => s.id);
        assert.deepEqual(await listedIds(chat), expected);

        const last = expected[expected.length - 1] ?? '';
        await chat.page.locator(`.history-item[data-conversation-id="${last}"]`).scrollIntoViewIfNeeded();
        await chat.deliver();
        assert.equal(await isDrawn(chat, last), true, 'drawn once scrolled to');
    });

    void test('a search shows the matches one under the other, and Down goes from one to the next', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const history = longHistory();
        await openHistory(chat, history);
        await chat.page.keyboard.type('narwhal');
        // Boxes that come on screen through the search are drawn at their true size from the next frame
        // (content-visibility decides what is near the view as it renders); read the layout as drawn.
        await chat.deliver();
        const matches = history.filter((summary) => summary.title.startsWith('Narwhal')).map((s) => s.id);
        assert.equal(matches.length, 4);
        const shown = await chat.page.evaluate(() => {
            const { document } = globalThis as unknown as PageWindow;
            return [...document.body.querySelectorAll('.history-item')]
                .filter((item) => item.closest('[hidden]') === null)
                .map((item) => {
                    const box = (
                        item as PageElement & { getBoundingClientRect(): DOMRectLike }
                    ).getBoundingClientRect();
                    return { id: item.dataset['conversationId'] ?? '', top: box.top, bottom: box.bottom };
                });
        });
        assert.deepEqual(
            shown.map((item) => item.id),
            matches,
        );
        for (let i = 1; i < shown.length; i++) {
            const gap = (shown[i]?.top ?? 0) - (shown[i - 1]?.bottom ?? 0);
            assert.ok(gap >= 0 && gap < 10, `no gap between matches ${i - 1} and ${i} (${gap} px)`);
        }
        for (const id of matches) {
            await chat.page.keyboard.press('ArrowDown');
            assert.equal(
                await chat.page.evaluate(
                    () =>
                        (globalThis as unknown as PageWindow).document.activeElement?.closest('.history-item')
                            ?.dataset['conversationId'],
                ),
                id,
            );
        }
    });
});

interface DOMRectLike {
    readonly top: number;
    readonly bottom: number;
}
