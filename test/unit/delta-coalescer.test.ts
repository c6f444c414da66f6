// Streamed deltas on their way to the webview: at most one message per frame and block, the first at once,
// nothing reordered, nothing lost (src/ui/deltaCoalescer.ts), on a clock the test moves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostToWebviewMessage } from '../../src/protocol';
import { DELTA_WINDOW_MS, DeltaCoalescer } from '../../src/ui/deltaCoalescer';
import type { CoalescerClock } from '../../src/ui/deltaCoalescer';

/** A clock whose time moves only when the test says, running the timers that come due. */
class TestClock implements CoalescerClock {
    time = 0;
    private timers = new Map<number, { at: number; callback: () => void }>();
    private next = 1;
    now(): number {
        return this.time;
    }
    setTimeout(callback: () => void, ms: number): unknown {
        const id = this.next++;
        this.timers.set(id, { at: this.time + ms, callback });
        return id;
    }
    clearTimeout(handle: unknown): void {
        this.timers.delete(handle as number);
    }
    advance(ms: number): void {
        this.time += ms;
        for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
            if (timer.at > this.time) continue;
            this.timers.delete(id);
            timer.callback();
        }
    }
}

const delta = (text: string, index = 0, turnId = 't1'): HostToWebviewMessage => ({
    type: 'delta',
    conversationId: 'c1',
    turnId,
    index,
    kind: 'text',
    text,
});

function setUp() {
    const clock = new TestClock();
    const sent: HostToWebviewMessage[] = [];
    const coalescer = new DeltaCoalescer((message) => sent.push(message), clock);
    const texts = () =>
        sent.map((message) => (message.type === 'delta' ? message.text : `<${message.type}>`));
    return { clock, sent, coalescer, texts };
}

void describe('DeltaCoalescer', () => {
    void test('the first delta goes at once; the rest of its frame goes as one message when the frame ends', () => {
        const { clock, coalescer, texts } = setUp();
        coalescer.post(delta('Hello'));
        assert.deepEqual(texts(), ['Hello'], 'the first words are not held back');
        for (const word of [' there', ',', ' friend']) coalescer.post(delta(word));
        assert.deepEqual(texts(), ['Hello']);
        clock.advance(DELTA_WINDOW_MS);
        assert.deepEqual(texts(), ['Hello', ' there, friend']);
    });

    void test('200,000 deltas streamed over 10 s go as at most one message per frame, their text whole', () => {
        const { clock, coalescer, sent, texts } = setUp();
        let expected = '';
        for (let i = 0; i < 200_000; i++) {
            const piece = ` w${i}`;
            expected += piece;
            coalescer.post(delta(piece));
            if (i % 20 === 19) clock.advance(1); // 20 deltas a millisecond
        }
        clock.advance(DELTA_WINDOW_MS);
        assert.equal(texts().join(''), expected);
        assert.ok(sent.length <= 10_000 / DELTA_WINDOW_MS + 2, `${sent.length} messages`);
    });

    void test('any other message sends what is held first, so the view sees everything in order', () => {
        const { coalescer, texts } = setUp();
        coalescer.post(delta('a'));
        coalescer.post(delta('b'));
        coalescer.post(delta('c'));
        coalescer.post({ type: 'turnEnded', conversationId: 'c1', turn: {} as never });
        assert.deepEqual(texts(), ['a', 'bc', '<turnEnded>']);
    });

    void test('a delta of another block or turn sends what is held first and is not joined to it', () => {
        const { clock, coalescer, sent } = setUp();
        coalescer.post(delta('think', 0));
        coalescer.post(delta('ing', 0));
        coalescer.post(delta('Answer', 1));
        coalescer.post(delta('Other turn', 0, 't2'));
        clock.advance(DELTA_WINDOW_MS);
        assert.deepEqual(
            sent.map((message) =>
                message.type === 'delta' ? [message.turnId, message.index, message.text] : [],
            ),
            [
                ['t1', 0, 'think'],
                ['t1', 0, 'ing'],
                ['t1', 1, 'Answer'],
                ['t2', 0, 'Other turn'],
            ],
        );
    });

    void test('held text past 256 KB goes at once, without waiting for the frame', () => {
        const { coalescer, sent } = setUp();
        coalescer.post(delta('x'));
        const big = 'y'.repeat(64 * 1024);
        for (let i = 0; i < 4; i++) coalescer.post(delta(big));
        assert.equal(sent.length, 2);
    });

    void test('discard forgets what is held (the view is rebuilt from a full state)', () => {
        const { clock, coalescer, texts } = setUp();
        coalescer.post(delta('a'));
        coalescer.post(delta('b'));
        coalescer.discard();
        clock.advance(DELTA_WINDOW_MS * 2);
        assert.deepEqual(texts(), ['a']);
    });
});
