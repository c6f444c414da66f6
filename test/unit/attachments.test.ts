// The chips' model (pending and carried) and the host's gate for the new attach messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PendingAttachments, carriedChips } from '../../src/context/pending';
import { parseWebviewMessage } from '../../src/ui/messageGuard';

void describe('pending attachments', () => {
    const chunk = (id: string, title: string) => ({
        id,
        title,
        text: id,
        uri: 'file:///a.ts',
        kind: 'file' as const,
    });

    void test('one chip per attached thing; removal, refusal and take', () => {
        const pending = new PendingAttachments();
        pending.add({ id: 'file:a', label: 'a.ts', kind: 'file' }, [
            chunk('c1', 'a.ts:1-80'),
            chunk('c2', 'a.ts:81-90'),
        ]);
        pending.add({ id: 'file:big', label: 'big', kind: 'file', refused: 'too large' }, []);
        pending.add({ id: 'file:a', label: 'a.ts', kind: 'file' }, [chunk('c1', 'a.ts:1-80')]);
        assert.deepEqual(
            pending.chips().map((chip) => chip.id),
            ['file:a', 'file:big'],
        );
        assert.deepEqual(
            pending.attachments().map((a) => a.id),
            ['c1'],
        );
        assert.equal(pending.remove('file:big'), true);
        assert.equal(pending.remove('nothing'), false);
        assert.deepEqual(
            pending.take().map((a) => a.id),
            ['c1'],
        );
        assert.equal(pending.isEmpty, true);
    });

    void test('carried documents group per file, each chip covering all its chunk ids', () => {
        const groups = carriedChips([
            chunk('c1', 'a.ts:1-80'),
            chunk('c2', 'a.ts:81-90'),
            { id: 'sel-1', title: 'b.ts:3-4', text: 'x' },
        ]);
        assert.deepEqual(
            groups.map((group) => [group.chip.label, group.ids]),
            [
                ['a.ts', ['c1', 'c2']],
                ['b.ts:3-4', ['sel-1']],
            ],
        );
        assert.equal(groups[0]?.chip.detail, 'a.ts:1-80\na.ts:81-90');
    });
});

void describe('the guard for attach messages', () => {
    void test('accepts the known kinds, URI lists and an optional cited text; refuses the rest', () => {
        assert.deepEqual(parseWebviewMessage({ type: 'attach', kind: 'problems' }), {
            type: 'attach',
            kind: 'problems',
        });
        assert.equal(parseWebviewMessage({ type: 'attach', kind: 'everything' }), undefined);
        assert.deepEqual(parseWebviewMessage({ type: 'dropUris', uris: ['file:///a'] }), {
            type: 'dropUris',
            uris: ['file:///a'],
        });
        assert.equal(parseWebviewMessage({ type: 'dropUris', uris: [] }), undefined);
        assert.equal(
            parseWebviewMessage({ type: 'dropUris', uris: Array.from({ length: 101 }, () => 'file:///a') }),
            undefined,
        );
        assert.equal(parseWebviewMessage({ type: 'dropUris', uris: [42] }), undefined);
        const reveal = { type: 'revealSource', conversationId: 'c', turnId: 't', documentId: 'd' };
        assert.deepEqual(parseWebviewMessage(reveal), reveal);
        assert.deepEqual(parseWebviewMessage({ ...reveal, citedText: 'raw.split' }), {
            ...reveal,
            citedText: 'raw.split',
        });
        assert.equal(parseWebviewMessage({ ...reveal, citedText: 7 }), undefined);
        assert.equal(parseWebviewMessage({ ...reveal, extra: 1 }), undefined);
        assert.deepEqual(
            parseWebviewMessage({ type: 'retireDocument', conversationId: 'c', documentId: 'd' }),
            {
                type: 'retireDocument',
                conversationId: 'c',
                documentId: 'd',
            },
        );
        assert.equal(parseWebviewMessage({ type: 'removeAttachment', id: '' }), undefined);
    });
});
