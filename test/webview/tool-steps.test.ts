// A turn's tool steps in real Chromium: plan or thinking, each call with its arguments and result
// (expandable, and still expanded after an update), a change's outcome with buttons for its diff and Undo,
// citations of tool results that open the lines read, and Apply on a code block.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ToolStep, Turn } from '../../src/chat/model';
import { CONVERSATION_ID, makeTurn, stateMessage } from './fixtures';
import { launch } from './harness';
import type { Browser } from './harness';

const READ: ToolStep = {
    plan: 'I will read src/app.ts first.',
    calls: [
        {
            id: 'read_file_aaaaaaaaaaaa',
            name: 'read_file',
            arguments: '{"path":"src/app.ts","start_line":1}',
            status: 'done',
            summary: 'src/app.ts lines 1-3',
            documents: [
                {
                    id: 'read_file_aaaaaaaaaaaa:0',
                    data: {
                        path: 'src/app.ts',
                        lines: '1-3 of 3',
                        text: 'const a = 1;\nconst b = 2;\nexport { a, b };',
                    },
                    path: 'src/app.ts',
                    absolutePath: '/w/src/app.ts',
                    startLine: 1,
                    endLine: 3,
                },
            ],
        },
        {
            id: 'read_file_bbbbbbbbbbbb',
            name: 'read_file',
            arguments: '{"path": 42}',
            status: 'error',
            summary: 'arguments.path must be a string',
            documents: [
                { id: 'read_file_bbbbbbbbbbbb:0', data: { error: 'arguments.path must be a string' } },
            ],
        },
    ],
};

const EDIT: ToolStep = {
    thinking: 'The constant should be 42.',
    calls: [
        {
            id: 'edit_file_cccccccccccc',
            name: 'edit_file',
            arguments: '{"path":"src/app.ts","edits":[]}',
            status: 'done',
            summary: 'Edited src/app.ts',
            documents: [
                { id: 'edit_file_cccccccccccc:0', data: { result: 'The person applied the change.' } },
            ],
            change: {
                path: 'src/app.ts',
                absolutePath: '/w/src/app.ts',
                outcome: 'applied',
                before: 'a',
                after: 'b',
            },
        },
    ],
};

function toolTurn(overrides: Partial<Turn> = {}): Turn {
    const text = 'The app exports a and b.\n\n```ts src/app.ts\nconst a = 42;\n```\n';
    return makeTurn({
        text,
        steps: [READ, EDIT],
        reply: {
            content: [{ type: 'text', text }],
            citations: [
                {
                    start: 4,
                    end: 7,
                    text: 'app',
                    sources: [
                        { type: 'tool', id: 'read_file_aaaaaaaaaaaa:0', tool_output: { path: 'src/app.ts' } },
                    ],
                },
            ],
        },
        ...overrides,
    });
}

void describe('tool steps', () => {
    let browser: Browser;
    before(async () => {
        browser = await launch();
    });
    after(async () => {
        await browser.close();
    });

    void test('each step shows its plan or thinking and each call with its arguments and result', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = toolTurn();
        await chat.deliver(stateMessage([turn]));
        const steps = chat.page.locator('.tool-step');
        assert.equal(await steps.count(), 2);
        assert.equal(await steps.nth(0).locator('.tool-plan').textContent(), 'I will read src/app.ts first.');
        assert.equal(
            await steps.nth(1).locator('.tool-thinking-text').textContent(),
            'The constant should be 42.',
        );
        const first = chat.page.locator('.tool-call[data-call-id="read_file_aaaaaaaaaaaa"]');
        assert.equal(await first.locator('.tool-name').textContent(), 'read_file');
        assert.equal(await first.locator('.tool-args').textContent(), 'path: "src/app.ts", start_line: 1');
        assert.equal(await first.locator('.tool-result-summary').textContent(), 'src/app.ts lines 1-3');
        assert.equal(await first.locator('.tool-result').isVisible(), false);
        const bad = chat.page.locator('.tool-call[data-call-id="read_file_bbbbbbbbbbbb"]');
        assert.equal(await bad.getAttribute('data-status'), 'error');
        assert.equal(await bad.locator('.tool-status').textContent(), 'failed');
        assert.equal(await bad.locator('.tool-args').textContent(), 'path: 42');
        assert.deepEqual(chat.errors, []);
    });

    void test('an expanded result stays expanded when the turn is updated', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = toolTurn({ status: 'streaming', reply: { content: [], citations: [] } });
        await chat.deliver(stateMessage([turn]));
        await chat.page.locator('.tool-call[data-call-id="read_file_aaaaaaaaaaaa"] summary').click();
        const result = chat.page.locator('.tool-call[data-call-id="read_file_aaaaaaaaaaaa"] .tool-result');
        assert.match((await result.textContent()) ?? '', /const a = 1;/);
        assert.equal(await result.isVisible(), true);
        await chat.deliver({
            type: 'turnStarted',
            conversationId: CONVERSATION_ID,
            turn: { ...turn, status: 'streaming' },
        });
        assert.equal(await result.isVisible(), true);
    });

    void test('a change shows its outcome and its diff on request', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = toolTurn();
        await chat.deliver(stateMessage([turn]));
        const change = chat.page.locator('.tool-call[data-call-id="edit_file_cccccccccccc"] .tool-change');
        assert.equal(await change.getAttribute('data-outcome'), 'applied');
        assert.equal(await change.locator('.tool-change-outcome').textContent(), 'Applied to src/app.ts');
        await chat.takePosted();
        await change.locator('[data-action="show-tool-change"]').click();
        assert.deepEqual(await chat.takePosted(), [
            {
                type: 'showToolChange',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                callId: 'edit_file_cccccccccccc',
            },
        ]);
        // An applied change can be undone from its step; once undone, the step says so and offers no Undo.
        await change.locator('[data-action="undo-tool-change"]').click();
        assert.deepEqual(await chat.takePosted(), [
            {
                type: 'undoToolChange',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                callId: 'edit_file_cccccccccccc',
            },
        ]);
        const undone = structuredClone(turn);
        undone.steps![1]!.calls[0]!.change!.outcome = 'undone';
        await chat.deliver({ type: 'turnStarted', conversationId: CONVERSATION_ID, turn: undone });
        assert.equal(await change.getAttribute('data-outcome'), 'undone');
        assert.equal(
            await change.locator('.tool-change-outcome').textContent(),
            'Undone: src/app.ts is as it was',
        );
        assert.equal(await change.locator('[data-action="undo-tool-change"]').count(), 0);
        assert.equal(await change.locator('[data-action="show-tool-change"]').count(), 1);
    });

    void test('a citation of a tool result opens the lines read', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = toolTurn();
        await chat.deliver(stateMessage([turn]));
        await chat.page.locator('.citation-marker').first().click();
        const source = chat.page.locator('.citation-panel .source');
        assert.equal(await source.locator('.source-title').textContent(), 'src/app.ts:1-3');
        await chat.takePosted();
        await source.click();
        const posted = await chat.takePosted();
        assert.equal(posted.length, 1);
        assert.deepEqual(
            { ...posted[0], citedText: undefined },
            {
                type: 'revealSource',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                documentId: 'read_file_aaaaaaaaaaaa:0',
                citedText: undefined,
            },
        );
    });

    void test('Apply on a code block asks the host to apply that code', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const turn = toolTurn();
        await chat.deliver(stateMessage([turn]));
        await chat.takePosted();
        await chat.page.locator('.code-block [data-action="apply-code"]').click();
        assert.deepEqual(await chat.takePosted(), [
            {
                type: 'applyCode',
                conversationId: CONVERSATION_ID,
                turnId: turn.id,
                code: 'const a = 42;',
                info: 'ts',
            },
        ]);
    });

    void test('a turn stopped mid-loop offers Retry from the first step not done', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        const cut = structuredClone(EDIT);
        cut.calls[0]!.status = 'cancelled';
        delete cut.calls[0]!.change;
        const turn = toolTurn({
            status: 'stopped',
            steps: [READ, cut],
            reply: { content: [], citations: [] },
        });
        await chat.deliver(stateMessage([turn]));
        const edit = chat.page.locator('.tool-call[data-call-id="edit_file_cccccccccccc"]');
        assert.equal(await edit.locator('.tool-status').textContent(), 'cancelled');
        const retry = chat.page.locator('.stopped-actions [data-action="retry"]');
        assert.equal(await retry.textContent(), 'Retry from step 2');
        assert.match(
            (await retry.getAttribute('title')) ?? '',
            /from tool step 2; the steps done before it are kept/,
        );
        await chat.takePosted();
        await retry.click();
        assert.deepEqual(await chat.takePosted(), [
            { type: 'retry', conversationId: CONVERSATION_ID, turnId: turn.id },
        ]);
        // Without a complete step there is nothing kept: plain Retry.
        await chat.deliver(stateMessage([{ ...turn, steps: [cut] }]));
        assert.equal(
            await chat.page.locator('.stopped-actions [data-action="retry"]').textContent(),
            'Retry',
        );
    });

    void test('a turn without tools shows no steps', async (t) => {
        const chat = await browser.open();
        t.after(() => chat.close());
        await chat.deliver(stateMessage([makeTurn({ text: 'Plain.' })]));
        assert.equal(await chat.page.locator('.tool-steps').isHidden(), true);
        assert.equal(await chat.page.locator('.tool-step').count(), 0);
    });
});
