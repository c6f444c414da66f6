import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SseDecoder, isDoneMarker } from '../../src/cohere/sse';

const encoder = new TextEncoder();

interface SseEvent {
    data: string;
    event: string;
    id: string | undefined;
}

function decodeChunks(chunks: Uint8Array[]): SseEvent[] {
    const events: SseEvent[] = [];
    const decoder = new SseDecoder((data, event) => events.push({ data, event, id: decoder.lastEventId }));
    for (const chunk of chunks) decoder.push(chunk);
    decoder.end();
    return events;
}

/** Decodes `text` whole, then split in two at every byte offset, then one byte at a time: all must agree. */
function assertEverySplit(text: string, expected: Partial<SseEvent>[]): void {
    const bytes = encoder.encode(text);
    const check = (events: SseEvent[], how: string): void => {
        assert.equal(events.length, expected.length, `${how}: event count`);
        expected.forEach((want, i) => {
            const got = events[i];
            if (want.data !== undefined) assert.equal(got?.data, want.data, `${how}: data of event ${i}`);
            if (want.event !== undefined) assert.equal(got?.event, want.event, `${how}: name of event ${i}`);
        });
    };
    check(decodeChunks([bytes]), 'whole');
    for (let offset = 0; offset <= bytes.length; offset++) {
        check(decodeChunks([bytes.subarray(0, offset), bytes.subarray(offset)]), `split at ${offset}`);
    }
    const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    check(decodeChunks(single), 'byte by byte');
    for (let step = 2; step < 8; step++) {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
        check(decodeChunks(chunks), `chunks of ${step}`);
    }
}

const cohereStream = [
    'event: message-start',
    'data: {"id":"9a8b","type":"message-start","delta":{"message":{"role":"assistant"}}}',
    '',
    'event: content-delta',
    'data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"日本語のテキスト 🐧🇯🇵 café"}}}}',
    '',
    'event: message-end',
    'data: {"type":"message-end","delta":{"finish_reason":"COMPLETE"}}',
    '',
    'data: [DONE]',
    '',
    '',
].join('\n');

const expectedCohere = [
    {
        event: 'message-start',
        data: '{"id":"9a8b","type":"message-start","delta":{"message":{"role":"assistant"}}}',
    },
    {
        event: 'content-delta',
        data: '{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"日本語のテキスト 🐧🇯🇵 café"}}}}',
    },
    { event: 'message-end', data: '{"type":"message-end","delta":{"finish_reason":"COMPLETE"}}' },
    { event: '', data: '[DONE]' },
];

void describe('SSE decoder', () => {
    void test('decodes a Cohere stream with CJK and emoji text identically at every chunk split, LF line ends', () => {
        assertEverySplit(cohereStream, expectedCohere);
    });

    void test('decodes the same stream with CRLF line ends at every split, including between CR and LF', () => {
        assertEverySplit(cohereStream.replace(/\n/g, '\r\n'), expectedCohere);
    });

    void test('decodes the same stream with bare CR line ends at every split', () => {
        assertEverySplit(cohereStream.replace(/\n/g, '\r'), expectedCohere);
    });

    void test('decodes mixed line ends in one stream', () => {
        assertEverySplit('data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n', [
            { data: 'a' },
            { data: 'b' },
            { data: 'c' },
            { data: 'd' },
        ]);
    });

    void test('skips comment lines and joins multi-line data with a newline', () => {
        assertEverySplit(': keep-alive\nevent: note\ndata: first\n: inside\ndata: second\ndata:third\n\n', [
            { event: 'note', data: 'first\nsecond\nthird' },
        ]);
    });

    void test('strips exactly one space after the colon and keeps a field without a colon as empty', () => {
        assertEverySplit('data:  two spaces\n\ndata\n\n', [{ data: ' two spaces' }, { data: '' }]);
    });

    void test('ignores retry and unknown fields, including ones that merely start with data or event', () => {
        assertEverySplit('retry: 5\ndatax: no\neventual: no\nevent: real\ndata: yes\n\n', [
            { event: 'real', data: 'yes' },
        ]);
    });

    void test('does not dispatch an event without data, and resets its name', () => {
        assertEverySplit('event: lonely\n\ndata: x\n\n', [{ event: '', data: 'x' }]);
    });

    void test('drops an event that the stream ends before its blank line', () => {
        assert.deepEqual(
            decodeChunks([encoder.encode('data: complete\n\ndata: cut')]).map((e) => e.data),
            ['complete'],
        );
    });

    void test('keeps a multi-byte character that is split across three chunks intact', () => {
        const bytes = encoder.encode('data: 🐧\n\n');
        const events = decodeChunks([bytes.subarray(0, 7), bytes.subarray(7, 8), bytes.subarray(8)]);
        assert.equal(events[0]?.data, '🐧');
        assert.ok(!events[0]?.data.includes('\uFFFD'));
    });

    void test('can skip event names, and still dispatches every data payload', () => {
        const seen: [string, string][] = [];
        const decoder = new SseDecoder((data, event) => seen.push([data, event]), { eventNames: false });
        decoder.push(encoder.encode(cohereStream));
        decoder.end();
        assert.deepEqual(
            seen,
            expectedCohere.map((e) => [e.data, '']),
        );
    });

    void test('records the last id field', () => {
        const events = decodeChunks([encoder.encode('id: 7\ndata: a\n\ndata: b\n\n')]);
        assert.deepEqual(
            events.map((e) => e.id),
            ['7', '7'],
        );
    });
});

void describe('the [DONE] marker', () => {
    void test('is only the exact data [DONE]', () => {
        assert.equal(isDoneMarker('[DONE]'), true);
        assert.equal(isDoneMarker(' [DONE] '), true);
        assert.equal(isDoneMarker('{"text":"[DONE]"}'), false);
        assert.equal(isDoneMarker('[DONE] and more'), false);
        assert.equal(isDoneMarker('[done]'), false);
    });
});
