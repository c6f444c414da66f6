import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Turn } from '../../src/chat/model';
import {
    fenceFor,
    fencedSelectionPrompt,
    nextAttachmentId,
    selectionAttachment,
    selectionLines,
    selectionTitle,
    type SelectionSource,
} from '../../src/ui/selectionPrompt';

const selection: SelectionSource = {
    relativePath: 'src/app.ts',
    uri: 'file:///work/src/app.ts',
    languageId: 'typescript',
    text: 'const a = 1;\nconst b = 2;',
    start: { line: 11, character: 4 },
    end: { line: 12, character: 12 },
};

void describe('selectionLines', () => {
    void test('gives 1-based inclusive lines', () => {
        assert.deepEqual(selectionLines({ line: 11, character: 4 }, { line: 29, character: 3 }), {
            startLine: 12,
            endLine: 30,
        });
    });

    void test('leaves out the line a whole-line selection ends at the start of', () => {
        assert.deepEqual(selectionLines({ line: 4, character: 0 }, { line: 7, character: 0 }), {
            startLine: 5,
            endLine: 7,
        });
    });

    void test('keeps a one-line selection on its line even when it is empty at column 0', () => {
        assert.deepEqual(selectionLines({ line: 3, character: 0 }, { line: 3, character: 0 }), {
            startLine: 4,
            endLine: 4,
        });
    });
});

void describe('selectionTitle', () => {
    void test('names the file and the line range, or the single line', () => {
        assert.equal(selectionTitle('src/app.ts', 12, 30), 'src/app.ts:12-30');
        assert.equal(selectionTitle('src/app.ts', 7, 7), 'src/app.ts:7');
    });
});

void describe('fencedSelectionPrompt', () => {
    void test('puts the file and lines above a block fenced in the file language', () => {
        assert.equal(
            fencedSelectionPrompt(selection),
            'src/app.ts:12-13\n\n```typescript\nconst a = 1;\nconst b = 2;\n```',
        );
    });

    void test('uses a longer fence when the selection holds fences itself', () => {
        const markdown = { ...selection, languageId: 'markdown', text: 'Intro\n```js\nx()\n```\n' };
        assert.equal(fenceFor(markdown.text), '````');
        assert.equal(
            fencedSelectionPrompt(markdown),
            'src/app.ts:12-13\n\n````markdown\nIntro\n```js\nx()\n```\n````',
        );
    });

    void test('writes no language for plain text or an id that is not a plain word', () => {
        assert.match(fencedSelectionPrompt({ ...selection, languageId: 'plaintext' }), /\n```\nconst a/);
        assert.match(fencedSelectionPrompt({ ...selection, languageId: 'x y`' }), /\n```\nconst a/);
    });
});

function turnWith(ids: string[]): Turn {
    return {
        id: 't',
        prompt: 'p',
        attachments: ids.map((id) => ({ id, title: id, text: '' })),
        request: { model: 'm', stream: true },
        reply: { content: [], citations: [] },
        status: 'complete',
        createdAt: 0,
    };
}

void describe('nextAttachmentId', () => {
    void test('starts at sel-1 and follows the highest id already used in the conversation', () => {
        assert.equal(nextAttachmentId(undefined), 'sel-1');
        assert.equal(nextAttachmentId({ turns: [] }), 'sel-1');
        assert.equal(
            nextAttachmentId({ turns: [turnWith(['sel-1']), turnWith(['sel-3', 'doc-9'])] }),
            'sel-4',
        );
    });
});

void describe('selectionAttachment', () => {
    void test('records the text, its file, language and 1-based lines, titled file:lines', () => {
        assert.deepEqual(selectionAttachment(selection, 'sel-2'), {
            id: 'sel-2',
            title: 'src/app.ts:12-13',
            text: 'const a = 1;\nconst b = 2;',
            uri: 'file:///work/src/app.ts',
            startLine: 12,
            endLine: 13,
            languageId: 'typescript',
        });
    });
});
