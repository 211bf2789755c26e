import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());

describe('outbox: the newest reports for the console', () => {
  it('lists the newest first, by state and kind, up to the limit, in one read', () => {
    const store = (current = openTestStore());
    const ids = ['a', 'b', 'c', 'd'].map((payload, index) => store.outbox.enqueue({ kind: index % 2 === 0 ? 'telemetry' : 'alarm', priority: 'normal', payload }).id);
    store.outbox.claim({ limit: 1, link: 'smpp' });
    assert.deepEqual(store.outbox.newest({ limit: 10 }).map((report) => report.id), [...ids].reverse());
    assert.deepEqual(store.outbox.newest({ limit: 2 }).map((report) => report.payload), ['d', 'c']);
    assert.deepEqual(store.outbox.newest({ kind: 'alarm', limit: 10 }).map((report) => report.payload), ['d', 'b']);
    assert.deepEqual(store.outbox.newest({ state: 'sending', limit: 10 }).map((report) => report.payload), ['a']);
    assert.deepEqual(store.outbox.newest({ state: 'queued', kind: 'telemetry', limit: 10 }).map((report) => report.payload), ['c']);
  });
});
