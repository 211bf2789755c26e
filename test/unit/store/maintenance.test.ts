import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../fakes/manualClock.js';
import { openTestStore, type TestStore } from './_helpers.js';
import { openStore } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

const day = 24 * 3_600_000;

describe('outbox maintenance: recovery, retry, purge, prune', () => {
  it('puts sending rows back to queued when the agent opens the file, and only then', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany([1, 2, 3].map((n) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `p${n}` })));
    const claimed = store.outbox.claim({ limit: 2, link: 'smpp' });
    assert.equal(claimed.length, 2);
    const clock = new ManualClock(store.clock.now() + 5);
    const client = openStore({ path: store.path, outbox: { clock } });
    assert.equal(client.recovered, 0, 'a CLI client never touches in-flight rows');
    assert.equal(client.outbox.stats().byState.sending.rows, 2);
    client.close();
    store.close();
    const agent = openStore({ path: store.path, recoverSending: true, outbox: { clock } });
    try {
      assert.equal(agent.recovered, 2);
      const stats = agent.outbox.stats();
      assert.equal(stats.byState.sending.rows, 0);
      assert.equal(stats.byState.queued.rows, 3);
      const recovered = agent.outbox.get(claimed[0]!.report.id)!;
      assert.equal(recovered.attempts, 1, 'the interrupted attempt still counts');
      assert.equal(recovered.lastError, 'agent stopped while sending');
      // The interrupted message can no longer be settled: a late answer is refused as a bug.
      assert.throws(() => agent.outbox.submitted(claimed[0]!.messageId, ['late']), { code: 401 });
      assert.deepEqual(agent.outbox.claim({ limit: 10, link: 'smpp' }).map((c) => c.report.payload), ['p1', 'p2', 'p3']);
    } finally {
      agent.close();
    }
  });

  it('recovers a backlog larger than one batch', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany(Array.from({ length: 1203 }, (_, n) => ({ kind: 'telemetry', priority: 'low' as const, payload: `p${n}` })));
    store.outbox.claim({ limit: 1203, link: 'smpp' });
    store.close();
    const agent = openStore({ path: store.path, recoverSending: true });
    try {
      assert.equal(agent.recovered, 1203);
      assert.equal(agent.outbox.stats().byState.queued.rows, 1203);
    } finally {
      agent.close();
    }
  });

  it('retries failed and expired reports with fresh attempts and TTL; refuses others clearly', () => {
    const store = track(openTestStore({ outbox: { kinds: { telemetry: { ttlMs: 60_000 } } } }));
    const [a, b, c] = store.outbox.enqueueMany([1, 2, 3].map((n) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `p${n}` })));
    const claimed = store.outbox.claim({ limit: 2, link: 'smpp' });
    store.outbox.sendFailed(claimed[0]!.messageId, 'permanent', 'bad number');
    store.outbox.sendFailed(claimed[1]!.messageId, 'permanent', 'bad number');
    store.clock.advance(120_000);
    store.outbox.sweep();
    assert.equal(store.outbox.get(c!.id!)?.state, 'expired');
    const retried = store.outbox.retry(c!.id!);
    assert.equal(retried.state, 'queued');
    assert.equal(retried.attempts, 0);
    assert.equal(retried.expiresAt, store.clock.now() + 60_000);
    const s = store;
    assert.throws(() => s.outbox.retry(c!.id!), { code: 405, message: /is queued; only failed or expired/ });
    assert.throws(() => s.outbox.retry(424242), { code: 402 });
    assert.equal(s.outbox.retryFailed(), 2);
    assert.deepEqual([a!.id, b!.id].map((id) => s.outbox.get(id!)?.state), ['queued', 'queued']);
  });

  it('purges by state and age, counting purged queued reports as drops', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany([1, 2].map((n) => ({ kind: 'telemetry', priority: 'low' as const, payload: `old${n}` })));
    store.clock.advance(2 * day);
    store.outbox.enqueue({ kind: 'telemetry', priority: 'low', payload: 'new' });
    assert.equal(store.outbox.purge({ state: 'queued', olderThanMs: day }), 2);
    assert.deepEqual([...store.outbox.list()].map((r) => r.payload), ['new']);
    assert.deepEqual(store.outbox.stats().drops.byReason, { purged: 2 });
    const s = store;
    assert.throws(() => s.outbox.purge({ state: 'sending' as 'queued', olderThanMs: 0 }), { code: 405 });
  });

  it('prunes finished reports and their messages after the keep time, but not those awaiting a receipt', () => {
    const store = track(openTestStore({ outbox: { keepFinishedMs: day, kinds: { alarm: { receiptTimeoutMs: 10 * day, ttlMs: 20 * day } } } }));
    store.outbox.enqueueMany([
      { kind: 'telemetry', priority: 'normal', payload: 'no receipt wanted' },
      { kind: 'alarm', priority: 'critical', payload: 'receipt wanted' },
    ]);
    const claimed = store.outbox.claim({ limit: 2, link: 'smpp' });
    for (const [i, c] of claimed.entries()) store.outbox.submitted(c.messageId, [`r${i}`]);
    store.clock.advance(2 * day);
    const result = store.outbox.sweep();
    assert.equal(result.pruned, 2, 'one report and its message');
    assert.deepEqual([...store.outbox.list()].map((r) => r.payload), ['receipt wanted']);
    const messages = store.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number };
    assert.equal(messages.n, 1);
  });
});
