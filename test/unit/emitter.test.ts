import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Emitter } from '../../src/chat/emitter';

void describe('Emitter', () => {
    void test('tells every subscribed listener, in order, until its subscription is disposed', () => {
        const emitter = new Emitter<number>();
        const heard: string[] = [];
        const first = emitter.event((value) => heard.push(`a${value}`));
        emitter.event((value) => heard.push(`b${value}`));
        emitter.fire(1);
        first.dispose();
        emitter.fire(2);
        assert.deepEqual(heard, ['a1', 'b1', 'b2']);
    });

    void test('with onError, a throwing listener is reported and the others still hear the event', () => {
        const errors: unknown[] = [];
        const emitter = new Emitter<string>((error) => errors.push(error));
        const heard: string[] = [];
        emitter.event(() => {
            throw new Error('listener broke');
        });
        emitter.event((value) => heard.push(value));
        emitter.fire('x');
        assert.deepEqual(heard, ['x']);
        assert.equal(errors.length, 1);
        assert.match(String(errors[0]), /listener broke/);
    });

    void test('without onError, the error reaches whoever fired', () => {
        const emitter = new Emitter();
        emitter.event(() => {
            throw new Error('to the caller');
        });
        assert.throws(() => emitter.fire(), /to the caller/);
    });

    void test('a listener added while firing hears only later events', () => {
        const emitter = new Emitter();
        let late = 0;
        emitter.event(() => {
            emitter.event(() => late++);
        });
        emitter.fire();
        assert.equal(late, 0);
        emitter.fire();
        assert.equal(late, 1);
    });

    void test('once disposed, nothing is heard and new subscriptions do nothing', () => {
        const emitter = new Emitter();
        let heard = 0;
        emitter.event(() => heard++);
        emitter.dispose();
        emitter.fire();
        emitter.event(() => heard++).dispose();
        emitter.fire();
        assert.equal(heard, 0);
    });
});
