import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../../src/clock.js';
import type { MirrorEvent } from '../../../src/mqtt/index.js';
import { idRanges, ReportEventBatcher, type ReportsSummary } from '../../../src/mqtt/reportBatch.js';

/** A clock whose single pending timer the test fires. */
function manualClock(): Clock & { fire(): void; pending(): boolean } {
  let now = 1_700_000_000_000;
  let callback: (() => void) | undefined;
  return {
    now: () => now,
    setTimeout: (fn) => {
      callback = fn;
      return { __timer: true };
    },
    clearTimeout: () => {
      callback = undefined;
    },
    fire() {
      now += 30_000;
      const fn = callback;
      callback = undefined;
      fn?.();
    },
    pending: () => callback !== undefined,
  };
}

const submitted = (ids: string[], messageId: string): MirrorEvent => ({ type: 'report-submitted', ids, link: 'smpp', priority: 'normal', messageId, refs: ['r'] });
const delivered = (ids: string[], messageId: string): MirrorEvent => ({ type: 'report-delivered', ids, link: 'smpp', messageId });

describe('idRanges', () => {
  it('writes ascending runs, numbers before any other id', () => {
    assert.deepEqual(idRanges(['7', '3', '4', '5', '9', '10', 'x1']), { text: '3-5,7,9-10,x1', complete: true });
    assert.deepEqual(idRanges([]), { text: '', complete: true });
  });
  it('ends with … past its length limit and says the list is incomplete', () => {
    const scattered = Array.from({ length: 2000 }, (_, i) => String(i * 3));
    const { text, complete } = idRanges(scattered);
    assert.equal(complete, false);
    assert.ok(text.endsWith(',…') && text.length <= 2002, `${text.length} characters`);
  });
});

describe('ReportEventBatcher', () => {
  it('sums submitted and delivered per interval; another report event flushes first; 0 sums nothing', () => {
    const clock = manualClock();
    const published: ReportsSummary[] = [];
    const batcher = new ReportEventBatcher(clock, 30_000, (summary) => published.push(summary));
    assert.equal(batcher.offer(submitted(['1', '2', '3'], '10')), true);
    assert.equal(batcher.offer(submitted(['4'], '11')), true);
    assert.equal(batcher.offer(delivered(['1', '2', '3'], '10')), true);
    assert.equal(batcher.offer({ type: 'link-up', link: 'smpp' }), false, 'other events pass');
    assert.equal(published.length, 0);
    clock.fire();
    assert.equal(published.length, 1);
    assert.deepEqual(published[0]?.submitted, { messages: 2, reports: 4, ids: '1-4', idsComplete: true });
    assert.deepEqual(published[0]?.delivered, { messages: 1, reports: 3, ids: '1-3', idsComplete: true });
    assert.equal(published[0]?.since, new Date(1_700_000_000_000).toISOString());

    batcher.offer(submitted(['5'], '12'));
    assert.equal(batcher.offer({ type: 'report-failed', ids: ['5'], link: 'smpp', messageId: '12', reason: 'x', final: true }), false);
    assert.equal(published.length, 2, 'the pending sum went out before the failure');
    assert.equal(clock.pending(), false, 'no timer left');
    batcher.flush();
    assert.equal(published.length, 2, 'nothing pending, nothing published');

    // A drain faster than the interval: published early at 10,000 held ids, so memory stays bounded.
    const early: ReportsSummary[] = [];
    const busy = new ReportEventBatcher(clock, 30_000, (summary) => early.push(summary));
    for (let message = 0; message < 400; message += 1) busy.offer(submitted(Array.from({ length: 30 }, (_, i) => String(message * 30 + i)), String(message)));
    assert.equal(early.length, 1, '12,000 ids in one interval: one early sum');
    assert.equal(early[0]?.submitted.reports, 10_020);
    assert.equal(early[0]?.submitted.ids, '0-10019');
    busy.flush();
    assert.equal(early[1]?.submitted.reports, 1_980);

    const each = new ReportEventBatcher(clock, 0, () => assert.fail('never summed'));
    assert.equal(each.offer(submitted(['6'], '13')), false);
  });
});
