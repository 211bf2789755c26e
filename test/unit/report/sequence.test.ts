import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceTracker } from '../../../src/report/index.js';

describe('SequenceTracker', () => {
  it('accepts new numbers, drops duplicates, and names the gaps', () => {
    const tracker = new SequenceTracker();
    assert.deepEqual(tracker.accept('42', 10), { kind: 'new', missing: [] });
    assert.deepEqual(tracker.accept('42', 11), { kind: 'new', missing: [] });
    assert.deepEqual(tracker.accept('42', 11), { kind: 'duplicate' });
    assert.deepEqual(tracker.accept('42', 14), { kind: 'new', missing: [12, 13] });
    assert.deepEqual(tracker.accept('42', 12), { kind: 'new', missing: [] }, 'a late arrival fills a gap');
    assert.deepEqual(tracker.accept('42', 12), { kind: 'duplicate' });
    assert.deepEqual(tracker.accept('7', 12), { kind: 'new', missing: [] }, 'devices are independent');
  });

  it('follows the wrap from 2^32-1 to 0', () => {
    const tracker = new SequenceTracker();
    tracker.accept('d', 0xffff_fffe);
    assert.deepEqual(tracker.accept('d', 1), { kind: 'new', missing: [0xffff_ffff, 0] });
  });

  it('treats a huge jump as a restart, not thousands of missing messages', () => {
    const tracker = new SequenceTracker({ maxReportedGap: 5 });
    tracker.accept('d', 1);
    assert.deepEqual(tracker.accept('d', 500), { kind: 'new', missing: [] });
  });

  it('forgets beyond its window, so memory stays bounded', () => {
    const tracker = new SequenceTracker({ window: 3 });
    for (const seq of [1, 2, 3, 4]) tracker.accept('d', seq);
    assert.equal(tracker.accept('d', 1).kind, 'new', '1 fell out of the window');
    assert.equal(tracker.accept('d', 4).kind, 'duplicate');
  });
});
