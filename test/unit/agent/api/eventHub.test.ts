import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../../../src/agent/api/index.js';

describe('EventHub', () => {
  it('numbers entries, keeps only the most recent ones, and answers after/recent from them', () => {
    let now = 1000;
    const hub = new EventHub<string>(3, () => now++);
    for (const item of ['a', 'b', 'c', 'd']) hub.publish(item);
    assert.deepEqual(hub.recent(10).map((entry) => [entry.id, entry.item, entry.at]), [[2, 'b', 1001], [3, 'c', 1002], [4, 'd', 1003]]);
    assert.deepEqual(hub.after(3).map((entry) => entry.item), ['d']);
    assert.deepEqual(hub.recent(1).map((entry) => entry.item), ['d']);
  });

  it('delivers to every subscriber until it unsubscribes, and removes a subscriber that throws without disturbing the others', () => {
    const hub = new EventHub<number>();
    const seen: number[] = [];
    const unsubscribe = hub.subscribe((entry) => seen.push(entry.item));
    hub.subscribe(() => {
      throw new Error('broken listener');
    });
    hub.publish(1);
    assert.equal(hub.subscribers, 1);
    unsubscribe();
    hub.publish(2);
    assert.deepEqual(seen, [1]);
    assert.equal(hub.subscribers, 0);
  });
});
