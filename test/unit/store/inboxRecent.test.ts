import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());

describe('inbox: the newest entries for the console', () => {
  it('lists messages and receipts newest first, handled or not, up to the limit', () => {
    const store = (current = openTestStore());
    for (const text of ['one', 'two', 'three']) {
      store.inbox.addMessage({ link: 'smpp', sender: '+447700900123', payload: text });
      store.clock.advance(1000);
    }
    store.inbox.addReceipt({ link: 'smpp', sender: '+447700900000', ref: 'ab12', outcome: 'delivered', payload: 'id:ab12 stat:DELIVRD' });
    const first = store.inbox.recent(10).at(-1);
    assert.ok(first !== undefined);
    store.inbox.markHandled(first.id);
    assert.deepEqual(store.inbox.recent(10).map((entry) => (entry.type === 'receipt' ? `receipt ${entry.receiptRef ?? ''}` : entry.payload)), ['receipt ab12', 'three', 'two', 'one']);
    assert.deepEqual(store.inbox.recent(2).map((entry) => entry.type), ['receipt', 'mo']);
  });
});
