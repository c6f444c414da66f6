// Long conversations: earlier turns wait to render while they are off screen and come back exactly as an
// eager render draws them, citations included, without moving what the reader looks at; and the view
// follows a stream to its end unless the reader scrolls up, when a "Jump to latest" button appears.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Turn } from '../../src/chat/model';
import { CONVERSATION_ID, makeTurn, stateMessage, streamingTurn, textDelta } from './fixtures';
import { launch } from './harness';
import type { Browser, ChatPage, PageElement } from './harness';

interface Box {
    scrollTop: number;
    readonly scrollHeight: number;
    readonly clientHeight: number;
    getBoundingClientRect(): { top: number };
    querySelector(selector: string): Box | null;
    append(node: unknown): void;
    dispatchEvent(event: unknown): boolean;
    readonly textContent: string | null;
}

interface PageGlobals {
    readonly document: {
        querySelector(selector: string): Box | null;
        createElement(tag: string): { style: { height: string } };
    };
    dispatchEvent(event: unknown): boolean;
    readonly MessageEvent: new (type: string, init: { data: unknown }) => unknown;
    readonly Event: new (type: string) => unknown;
}

function longTurn(i: number): Turn {
    const text = [
        `## Answer ${i}`,
        `The cited words of answer ${i} come first, then more text to make the turn tall enough.`,
        '- one\n- two\n- three',
        '| a | b |\n| - | - |\n| 1 | 2 |',
        '```python\nprint("hello")\n```',
        'A closing paragraph.',
    ].join('\n\n');
    const start = text.indexOf('The cited words');
    const turn = makeTurn({ id: `long-${i}`, prompt: `Question ${i}`, text });
    turn.reply.citations.push({
        start,
        end: start + 15,
        text: 'The cited words',
        sources: [{ type: 'document', id: `doc-${i}`, document: { title: `Source ${i}` } }],
    });
    return turn;
}

async function distanceFromBottom(chat: ChatPage): Promise<number> {
    return chat.page
        .locator('#messages')
        .evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight);
}

async function turnHtml(chat: ChatPage, id: string): Promise<string> {
    return chat.page.locator(`.turn[data-turn-id="${id}"] .reply`).evaluate((node) => node.innerHTML);
}

void describe('long conversations', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('earlier turns off screen render later, exactly as an eager render, with their citations', async (t) => {
        const chat = await browser.open();
        const single = await browser.open();
        t.after(async () => {
            await chat.close();
            await single.close();
        });
        const turns = Array.from({ length: 60 }, (_, i) => longTurn(i));
        // Right after the state is handled (before any frame): the latest turns are drawn, the first is not.
        const drawn = await chat.page.evaluate(async (state) => {
            const page = globalThis as unknown as PageGlobals;
            page.dispatchEvent(new page.MessageEvent('message', { data: state }));
            await Promise.resolve();
            return {
                first:
                    page.document.querySelector('.turn[data-turn-id="long-0"] .reply .markdown')?.textContent
                        ?.length ?? -1,
                last:
                    page.document.querySelector('.turn[data-turn-id="long-59"] .reply .markdown')?.textContent
                        ?.length ?? -1,
            };
        }, stateMessage(turns));
        assert.equal(drawn.first, 0, 'the first turn waits');
        assert.ok(drawn.last > 0, 'the last turn is drawn at once');
        assert.ok((await distanceFromBottom(chat)) <= 24, 'the view opens at the bottom');

        // Scrolled to the top, the first turn is drawn as a conversation of that one turn draws it.
        await chat.page.locator('#messages').evaluate((node) => {
            node.scrollTop = 0;
        });
        await chat.page.waitForFunction(
            () =>
                ((globalThis as unknown as PageGlobals).document.querySelector(
                    '.turn[data-turn-id="long-0"] .markdown',
                )?.textContent?.length ?? 0) > 0,
        );
        await single.deliver(stateMessage([longTurn(0)]));
        assert.equal(await turnHtml(chat, 'long-0'), await turnHtml(single, 'long-0'));
        await chat.page.locator('.turn[data-turn-id="long-0"] .citation-marker').click();
        assert.match(
            (await chat.page.locator('.turn[data-turn-id="long-0"] .citation-panel').textContent()) ?? '',
            /Source 0/,
        );
        assert.deepEqual(chat.errors, []);
    });

    void test('turns drawn above the reader do not move what the reader looks at', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turns = Array.from({ length: 80 }, (_, i) => longTurn(i));
        await chat.deliver(stateMessage(turns));
        // The reader jumps to turn 40: the turns above it are still estimates.
        const anchor = '.turn[data-turn-id="long-40"]';
        await chat.page.locator(anchor).evaluate((node) => {
            (node as unknown as { scrollIntoView(options: unknown): void }).scrollIntoView({
                block: 'start',
            });
        });
        await chat.deliver();
        const topOf = (): Promise<number> =>
            chat.page
                .locator(anchor)
                .evaluate((node) => (node as unknown as Box).getBoundingClientRect().top);
        const before = await topOf();
        // Everything renders (as it would while idle, or as the reader scrolls), then the anchor is read again.
        await chat.page.waitForFunction(
            () =>
                ((globalThis as unknown as PageGlobals).document.querySelector(
                    '.turn[data-turn-id="long-0"] .markdown',
                )?.textContent?.length ?? 0) > 0,
            undefined,
            { timeout: 20_000 },
        );
        await chat.deliver();
        assert.ok(Math.abs((await topOf()) - before) <= 1, `moved from ${before} to ${await topOf()}`);
        assert.equal(
            await chat.page.locator(`${anchor} .citation-marker`).count(),
            1,
            'its citation is still drawn',
        );
    });

    void test('the view follows a stream even when late rendering fires a scroll event', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([longTurn(1), longTurn(2)]), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        for (let i = 0; i < 20; i++) await chat.deliver(textDelta(turn.id, `Line ${i} of the answer.\n\n`));
        assert.ok((await distanceFromBottom(chat)) <= 24);
        // Content that renders after the frame (a web component's shadow DOM, say) and the scroll event that
        // comes with it: the reader did not scroll, so the view keeps following.
        await chat.page.evaluate(() => {
            const page = globalThis as unknown as PageGlobals;
            const late = page.document.createElement('div');
            late.style.height = '600px';
            page.document.querySelector('.turn:last-child .reply')?.append(late);
            page.document.querySelector('#messages')?.dispatchEvent(new page.Event('scroll'));
        });
        for (let i = 0; i < 5; i++) await chat.deliver(textDelta(turn.id, `More ${i}.\n\n`));
        assert.ok((await distanceFromBottom(chat)) <= 24, `${await distanceFromBottom(chat)} px behind`);
        assert.equal(await chat.page.locator('.jump-to-latest').isVisible(), false);
    });

    void test('scrolling up stops following at once; "Jump to latest" follows again', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = streamingTurn();
        await chat.deliver(stateMessage([longTurn(1), longTurn(2), longTurn(3)]), {
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn,
        });
        for (let i = 0; i < 10; i++) await chat.deliver(textDelta(turn.id, `Line ${i} of the answer.\n\n`));
        await chat.page.locator('#messages').hover();
        await chat.page.mouse.wheel(0, -400);
        await chat.page.waitForFunction(() => {
            const box = (globalThis as unknown as PageGlobals).document.querySelector('#messages');
            return box !== null && box.scrollHeight - box.scrollTop - box.clientHeight > 300;
        });
        const top = await chat.page.locator('#messages').evaluate((node) => node.scrollTop);
        for (let i = 0; i < 10; i++) await chat.deliver(textDelta(turn.id, `Later ${i}.\n\n`));
        assert.equal(await chat.page.locator('#messages').evaluate((node) => node.scrollTop), top);
        const jump = chat.page.getByRole('button', { name: 'Jump to the latest message' });
        assert.equal(await jump.isVisible(), true);
        await jump.click();
        await chat.deliver(textDelta(turn.id, 'The end.'));
        assert.ok((await distanceFromBottom(chat)) <= 24);
        assert.equal(await jump.isVisible(), false);
        void (null as unknown as PageElement);
    });
});
