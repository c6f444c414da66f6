import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Disposable, disposeAll, toDisposable } from '../../src/ui/dispose';

class Owner extends Disposable {
    register(dispose: () => void): void {
        this._register(toDisposable(dispose));
    }
}

void describe('Disposable', () => {
    void test('lets go of what it registered, newest first, once', () => {
        const order: string[] = [];
        const owner = new Owner();
        owner.register(() => order.push('first'));
        owner.register(() => order.push('second'));
        owner.dispose();
        owner.dispose();
        assert.deepEqual(order, ['second', 'first']);
        assert.equal(owner.isDisposed, true);
    });

    void test('disposes at once what is registered after it was disposed', () => {
        const owner = new Owner();
        owner.dispose();
        let disposed = false;
        owner.register(() => (disposed = true));
        assert.equal(disposed, true);
    });
});

void describe('disposeAll', () => {
    void test('disposes every one even when some throw, then reports the failures', () => {
        const done: number[] = [];
        const items = [
            toDisposable(() => done.push(1)),
            toDisposable(() => {
                throw new Error('a');
            }),
            toDisposable(() => {
                throw new Error('b');
            }),
            toDisposable(() => done.push(4)),
        ];
        assert.throws(() => disposeAll(items), AggregateError);
        assert.deepEqual(done, [4, 1]);
        assert.equal(items.length, 0);
    });

    void test('rethrows a single failure as it is', () => {
        assert.throws(
            () =>
                disposeAll([
                    toDisposable(() => {
                        throw new Error('only');
                    }),
                ]),
            /only/,
        );
    });
});
