// One bad turn, model name or history entry never blanks the view; values the API adds later render as
// "unknown" instead of throwing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Turn } from '../../src/chat/model';
import { makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser } from './harness';

void describe('defensive rendering', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('unknown error codes, finish reasons and source types render; a broken turn, history entry or model leaves the rest', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const broken = { id: 'broken', prompt: 'x', reply: null } as unknown as Turn;
        const turns = [
            makeTurn({ text: 'first survives' }),
            broken,
            makeTurn({
                text: 'Half',
                status: 'failed',
                error: { code: 'brand_new_code', message: 'something new' } as unknown as Turn['error'],
            }),
            makeTurn({ text: 'Cut', finishReason: 'SOMETHING_NEW' as Turn['finishReason'] }),
            makeTurn({
                text: 'cited words',
                request: { model: 42, stream: true } as unknown as Turn['request'],
                reply: {
                    content: [{ type: 'text', text: 'cited words' }],
                    citations: [
                        { start: 0, end: 5, text: 'cited', sources: [{ type: 'hologram', id: 'h1' }] },
                    ] as unknown as Turn['reply']['citations'],
                },
            }),
        ];
        await chat.deliver(
            stateMessage(turns, {
                history: [
                    null,
                    { id: 'ok', title: 'Still listed', updatedAt: 1, turnCount: 1 },
                    { id: 7, title: ['not', 'a', 'title'] },
                ] as never,
                model: 42 as never,
                models: [null, { name: 'command-a-03-2025', contextLength: 256_000 }] as never,
            }),
        );
        // The damaged history entries are left out; the good one is listed, and so is a later change.
        const titles = () => chat.page.locator('.history-item .history-title').allTextContents();
        assert.deepEqual(await titles(), ['Still listed']);
        await chat.deliver({
            type: 'historyChanged',
            changes: [
                null,
                {
                    kind: 'upsert',
                    summary: { id: 'later', title: 'Also listed', updatedAt: 2, turnCount: 1 },
                },
                { kind: 'upsert', summary: { id: 'bad', updatedAt: 'yesterday' } },
            ],
        } as never);
        assert.deepEqual(await titles(), ['Also listed', 'Still listed']);
        // The model picker lists the good model, and a model name that is not a string shows as unknown.
        assert.deepEqual(await chat.page.locator('.model-picker option').allTextContents(), [
            'Cohere · 256k context',
            'command-a-03-2025 · 256k context',
        ]);
        assert.match((await chat.page.locator('.turn').first().textContent()) ?? '', /first survives/);
        assert.equal(await chat.page.locator('.turn').count(), 5);
        assert.match((await chat.page.locator('.turn-error').textContent()) ?? '', /brand_new_code/);
        assert.match((await chat.page.locator('.finish-reason').textContent()) ?? '', /SOMETHING_NEW/);
        await chat.page.locator('button.citation-marker').click();
        assert.match((await chat.page.locator('.citation-sources').textContent()) ?? '', /unknown kind/);
        assert.equal(
            await chat.page.locator('.turn').last().locator('.response .author').textContent(),
            'Cohere',
        );
        assert.deepEqual(chat.errors, []);
    });
});
