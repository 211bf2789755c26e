/**
 * Report outcome events from a real outbox (SQLite in a temp dir, a manual clock): each settling
 * call gives one event per message listing its report ids, only after it committed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MirrorEvent } from '../../../src/mqtt/index.js';
import { dropEvents, maxIdsPerDropEvent, reportEvent } from '../../../src/agent/runtime/reportEvents.js';
import type { Link, Outbox } from '../../../src/store/index.js';
import { openTestStore } from '../store/_helpers.js';

function setup() {
  const events: MirrorEvent[] = [];
  const store = openTestStore({
    outbox: {
      kinds: { telemetry: { ttlMs: 3_600_000, maxAttempts: 5 }, alarm: { ttlMs: 3_600_000, receiptRequired: true, receiptTimeoutMs: 600_000 } },
      onNotice: (notice) => events.push(reportEvent(notice, store.clock.now())),
    },
  });
  return { store, events, outbox: store.outbox };
}

function send(outbox: Outbox, ids: readonly number[], link: Link = 'smpp'): number {
  return outbox.buildMessage(ids, link, () => ({ destination: '+447700900000', payload: 'R1 7 1', format: 'report-text' })).messageId;
}

const reading = JSON.stringify({ time: 1_767_225_600, fields: { T: 1 } });

describe('report events from the outbox', () => {
  it('one submitted event per message, with its reports, the most urgent priority and the part refs; then delivered', () => {
    const { store, events, outbox } = setup();
    try {
      const a = outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: reading }).id;
      const b = outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: reading }).id;
      assert.ok(a !== null && b !== null);
      const message = send(outbox, [a, b]);
      assert.deepEqual(events, [], 'nothing before the link answers');
      outbox.submitted(message, ['ref-1', 'ref-2']);
      assert.deepEqual(events, [{ type: 'report-submitted', ids: [String(a), String(b)], link: 'smpp', priority: 'critical', messageId: String(message), refs: ['ref-1', 'ref-2'] }]);
      outbox.receipt('smpp', 'ref-1', 'delivered');
      assert.equal(events.length, 1, 'delivered only when every part is');
      outbox.receipt('smpp', 'ref-2', 'delivered');
      assert.deepEqual(events[1], { type: 'report-delivered', ids: [String(a), String(b)], link: 'smpp', messageId: String(message) });
      outbox.receipt('smpp', 'ref-2', 'delivered');
      assert.equal(events.length, 2, 'a repeated receipt is no news');
    } finally {
      store.cleanup();
    }
  });

  it('failed: final for a permanent refusal, not final for a retry; throttling is no failure', () => {
    const { store, events, outbox } = setup();
    try {
      const a = outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: reading }).id;
      const b = outbox.enqueue({ kind: 'telemetry', priority: 'low', payload: reading }).id;
      assert.ok(a !== null && b !== null);
      outbox.sendFailed(send(outbox, [a]), 'permanent', 'ESME_RINVDSTADR: part 1 refused');
      assert.deepEqual(events.at(-1), { type: 'report-failed', ids: [String(a)], link: 'smpp', messageId: String(outbox.get(a)?.messageId), reason: 'ESME_RINVDSTADR: part 1 refused', final: true });

      const second = send(outbox, [b], 'modem');
      outbox.sendFailed(second, 'temporary', '+CMS ERROR 38: network out of order');
      assert.deepEqual(events.at(-1), { type: 'report-failed', ids: [String(b)], link: 'modem', messageId: String(second), reason: '+CMS ERROR 38: network out of order', final: false });
      assert.equal(outbox.get(b)?.state, 'queued');

      const before = events.length;
      store.clock.advance(3_600_000 - 1);
      outbox.restartMessage(second, 'smpp');
      outbox.sendFailed(second, 'throttled', 'ESME_RTHROTTLED');
      assert.equal(events.length, before, 'a throttled retry publishes nothing');
    } finally {
      store.cleanup();
    }
  });

  it('expired: the sweep gives one event per batch, with the oldest report\'s age', () => {
    const { store, events, outbox } = setup();
    try {
      const a = outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: reading, ttlMs: 60_000 }).id;
      store.clock.advance(10_000);
      const b = outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: reading, ttlMs: 60_000 }).id;
      store.clock.advance(80_000);
      assert.equal(outbox.sweep().expired, 2);
      assert.deepEqual(events, [{ type: 'report-expired', ids: [String(a), String(b)], ageSeconds: 90 }]);
    } finally {
      store.cleanup();
    }
  });

  it('a retry that comes after the time to live expires the report; a missing receipt is a failure that is retried', () => {
    const { store, events, outbox } = setup();
    try {
      const a = outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: reading, ttlMs: 5_000 }).id;
      assert.ok(a !== null);
      const first = send(outbox, [a]);
      store.clock.advance(6_000);
      outbox.sendFailed(first, 'temporary', 'response timeout');
      assert.deepEqual(events, [{ type: 'report-expired', ids: [String(a)], ageSeconds: 6, messageId: String(first) }]);

      const b = outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: reading }).id;
      assert.ok(b !== null);
      const second = send(outbox, [b]);
      outbox.submitted(second, ['r-late']);
      store.clock.advance(600_001);
      outbox.sweep();
      const failed = events.at(-1);
      assert.equal(failed?.type, 'report-failed');
      if (failed?.type === 'report-failed') {
        assert.deepEqual([failed.ids, failed.final, failed.messageId], [[String(b)], false, String(second)]);
        assert.match(failed.reason, /no delivery receipt by/);
      }
    } finally {
      store.cleanup();
    }
  });

  it('a receipt that says undeliverable fails the reports for good', () => {
    const { store, events, outbox } = setup();
    try {
      const a = outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: reading }).id;
      assert.ok(a !== null);
      const message = send(outbox, [a]);
      outbox.submitted(message, ['r9']);
      store.receiveReceipt({ link: 'smpp', sender: '447700900000', ref: 'r9', outcome: 'failed', payload: 'stat:UNDELIV' });
      assert.deepEqual(events.at(-1), { type: 'report-failed', ids: [String(a)], link: 'smpp', messageId: String(message), reason: 'delivery receipt: undeliverable', final: true });
    } finally {
      store.cleanup();
    }
  });

  it('drops become one event per reason per outbox transaction, at most 500 ids each; refused ones are counted', () => {
    const events: MirrorEvent[] = [];
    const store = openTestStore({ outbox: { caps: { maxQueuedRows: 100, maxQueuedBytes: 1 << 30 }, onDrop: (drops) => events.push(...dropEvents(drops)) } });
    try {
      // 1,200 low readings in one transaction against a 100-row cap: each pushes out the oldest.
      const results = store.outbox.enqueueMany(Array.from({ length: 1200 }, () => ({ kind: 'telemetry', priority: 'low' as const, payload: reading })));
      assert.equal(results.filter((result) => result.id !== null).length, 1200);
      assert.deepEqual(events.map((event) => (event.type === 'report-dropped' ? [event.reason, event.ids.length, event.count] : [])), [
        ['cap-rows', maxIdsPerDropEvent, maxIdsPerDropEvent],
        ['cap-rows', maxIdsPerDropEvent, maxIdsPerDropEvent],
        ['cap-rows', 100, 100],
      ]);
      const dropped = events.flatMap((event) => (event.type === 'report-dropped' ? event.ids : []));
      assert.deepEqual(dropped, results.slice(0, 1100).map((result) => String(result.id)), 'the oldest 1,100, each once');

      // Full of critical reports: a low one is refused, which has no id to list.
      events.length = 0;
      store.outbox.enqueueMany(Array.from({ length: 100 }, () => ({ kind: 'alarm', priority: 'critical' as const, payload: reading })));
      events.length = 0; // the 100 low ones they pushed out
      store.outbox.enqueueMany([{ kind: 'telemetry', priority: 'low', payload: reading }]);
      assert.deepEqual(events, [{ type: 'report-dropped', ids: [], count: 1, reason: 'rejected-full' }]);
    } finally {
      store.cleanup();
    }
  });
});
