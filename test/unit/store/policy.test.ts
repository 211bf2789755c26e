import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { defaultBackoff, PolicyBook, retryDelayMs } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

const minute = 60_000;

describe('outbox policy: TTL, attempts, back-off per error class', () => {
  it('expires queued reports past their TTL: never claimed, moved to expired by the sweep', () => {
    const store = track(openTestStore({ outbox: { kinds: { telemetry: { ttlMs: 10 * minute } } } }));
    const { id: short } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'old' });
    const { id: custom } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'own ttl', ttlMs: 60 * minute });
    store.clock.advance(10 * minute);
    assert.deepEqual(store.outbox.claim({ limit: 10, link: 'smpp' }).map((c) => c.report.id), [custom]);
    assert.deepEqual(store.outbox.sweep(), { expired: 1, receiptTimeouts: 0, pruned: 0 });
    const expired = store.outbox.get(short!);
    assert.equal(expired?.state, 'expired');
    assert.match(expired?.lastError ?? '', /time to live/);
  });

  it('retries a temporary failure later with exponential back-off, then fails once attempts are used up', () => {
    const store = track(openTestStore({ outbox: { kinds: { telemetry: { maxAttempts: 3 } }, backoff: { temporaryBaseMs: 30_000, temporaryMaxMs: 100_000 } } }));
    const { id } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'x' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
      assert.equal(claimed?.report.attempts, attempt);
      store.outbox.sendFailed(claimed.messageId, 'temporary', 'response timeout');
      const report = store.outbox.get(id!)!;
      if (attempt < 3) {
        assert.equal(report.state, 'queued');
        delays.push(report.nextAttemptAt - store.clock.now());
        assert.deepEqual(store.outbox.claim({ limit: 1, link: 'smpp' }), [], 'not due before its back-off');
        store.clock.advance(report.nextAttemptAt - store.clock.now());
      } else {
        assert.equal(report.state, 'failed');
        assert.equal(report.errorClass, 'temporary');
        assert.match(report.lastError ?? '', /attempts exhausted \(3\/3\): response timeout/);
      }
    }
    assert.deepEqual(delays, [30_000, 60_000]);
  });

  it('retries a throttled refusal soon and gives the attempt back', () => {
    const store = track(openTestStore({ outbox: { kinds: { telemetry: { maxAttempts: 1 } } } }));
    const { id } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'x' });
    for (let i = 0; i < 5; i++) {
      const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
      store.outbox.sendFailed(claimed!.messageId, 'throttled', 'ESME_RTHROTTLED');
      const report = store.outbox.get(id!)!;
      assert.equal(report.state, 'queued', 'throttling never exhausts attempts');
      assert.equal(report.attempts, 0);
      assert.equal(report.nextAttemptAt - store.clock.now(), defaultBackoff.throttledMs);
      store.clock.advance(defaultBackoff.throttledMs);
    }
  });

  it('fails a permanent error at once, with the reason', () => {
    const store = track(openTestStore());
    const { id } = store.outbox.enqueue({ kind: 'sms', priority: 'high', payload: 'x', destinations: ['999'] });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.sendFailed(claimed!.messageId, 'permanent', 'ESME_RINVDSTADR: invalid destination');
    const report = store.outbox.get(id!)!;
    assert.equal(report.state, 'failed');
    assert.equal(report.attempts, 1);
    assert.equal(report.errorClass, 'permanent');
    assert.equal(report.lastError, 'ESME_RINVDSTADR: invalid destination');
  });

  it('expires instead of re-queueing when a temporary failure comes after the TTL', () => {
    const store = track(openTestStore({ outbox: { kinds: { telemetry: { ttlMs: minute } } } }));
    const { id } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'x' });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.clock.advance(2 * minute);
    store.outbox.sendFailed(claimed!.messageId, 'temporary', 'timeout');
    assert.equal(store.outbox.get(id!)?.state, 'expired');
  });

  it('re-queues a report whose receipt never came, then fails it when attempts run out', () => {
    const store = track(openTestStore({ outbox: { kinds: { alarm: { receiptTimeoutMs: 10 * minute, maxAttempts: 2 } } } }));
    const { id } = store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'x' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
      store.outbox.submitted(claimed!.messageId, [`ref-${attempt}`]);
      store.clock.advance(10 * minute - 1);
      assert.equal(store.outbox.sweep().receiptTimeouts, 0);
      store.clock.advance(1);
      assert.equal(store.outbox.sweep().receiptTimeouts, 1);
      const report = store.outbox.get(id!)!;
      assert.equal(report.state, attempt === 1 ? 'queued' : 'failed');
      assert.match(report.lastError ?? '', /no delivery receipt/);
      store.clock.advance(report.nextAttemptAt - store.clock.now());
    }
    // A late receipt for the first message settles nothing: that message was already given up on.
    assert.deepEqual(store.outbox.receipt('smpp', 'ref-1', 'delivered'), { matched: true, settled: 0 });
  });

  it('treats a failed receipt as permanent by default and as a retry when told it is temporary', () => {
    const store = track(openTestStore());
    const [a, b] = store.outbox.enqueueMany([
      { kind: 'alarm', priority: 'critical', payload: 'a' },
      { kind: 'alarm', priority: 'critical', payload: 'b' },
    ]);
    const claimed = store.outbox.claim({ limit: 2, link: 'smpp' });
    store.outbox.submitted(claimed[0]!.messageId, ['ra']);
    store.outbox.submitted(claimed[1]!.messageId, ['rb']);
    store.outbox.receipt('smpp', 'ra', 'failed');
    store.outbox.receipt('smpp', 'rb', 'failed', { errorClass: 'temporary', reason: 'stat:UNDELIV err:027 absent subscriber' });
    assert.equal(store.outbox.get(a!.id!)?.state, 'failed');
    const retried = store.outbox.get(b!.id!)!;
    assert.equal(retried.state, 'queued');
    assert.equal(retried.lastError, 'stat:UNDELIV err:027 absent subscriber');
  });

  it('lets the modem carry only kinds whose policy allows the fallback', () => {
    const store = track(openTestStore({ outbox: { kinds: { custom: { modemFallback: true } } } }));
    store.outbox.enqueueMany([
      { kind: 'telemetry', priority: 'critical', payload: 't' },
      { kind: 'location', priority: 'critical', payload: 'l' },
      { kind: 'alarm', priority: 'normal', payload: 'a' },
      { kind: 'custom', priority: 'low', payload: 'c' },
      { kind: 'unknown', priority: 'high', payload: 'u' },
    ]);
    assert.deepEqual(store.outbox.claim({ limit: 10, link: 'modem' }).map((c) => c.report.payload), ['a', 'c']);
    assert.deepEqual(store.outbox.claim({ limit: 10, link: 'smpp' }).map((c) => c.report.payload), ['t', 'l', 'u']);
  });

  it('computes back-off delays with bounded jitter', () => {
    assert.equal(retryDelayMs('temporary', 1, defaultBackoff, () => 0.5), 30_000);
    assert.equal(retryDelayMs('temporary', 4, defaultBackoff, () => 0.5), 240_000);
    assert.equal(retryDelayMs('temporary', 40, defaultBackoff, () => 0.5), defaultBackoff.temporaryMaxMs);
    assert.equal(retryDelayMs('temporary', 1, defaultBackoff, () => 0), 24_000);
    assert.equal(retryDelayMs('temporary', 1, defaultBackoff, () => 0.999999), 36_000);
    assert.equal(retryDelayMs('throttled', 9, defaultBackoff, () => 0.5), defaultBackoff.throttledMs);
  });

  it('refuses impossible back-off and caps when the outbox is built', () => {
    assert.throws(() => openTestStore({ outbox: { backoff: { temporaryBaseMs: 0 } } }), /store\.backoff\.temporaryBaseMs: must be an integer ≥ 1/);
    assert.throws(() => openTestStore({ outbox: { backoff: { temporaryBaseMs: 10_000, temporaryMaxMs: 5_000 } } }), /temporaryMaxMs/);
    assert.throws(() => openTestStore({ outbox: { backoff: { jitter: 0.9 } } }), /store\.backoff\.jitter/);
    assert.throws(() => openTestStore({ outbox: { caps: { maxQueuedRows: 0 } } }), /store\.caps\.maxQueuedRows: must be a positive integer/);
  });

  it('refuses impossible policies, naming the key', () => {
    assert.throws(() => new PolicyBook({ telemetry: { ttlMs: 0 } }), /store\.kinds\.telemetry\.ttlMs: must be an integer ≥ 1000/);
    assert.throws(() => new PolicyBook({ location: { coalesceKeepNewest: -1 } }), /coalesceKeepNewest/);
    assert.throws(() => new PolicyBook({ default: { maxAttempts: 0 } }), /store\.kinds\.default\.maxAttempts/);
    const book = new PolicyBook({ default: { ttlMs: 5000 }, custom: { maxAttempts: 3 } });
    assert.equal(book.for('custom').ttlMs, 5000, 'a configured kind inherits the configured default');
    assert.equal(book.for('custom').maxAttempts, 3);
    assert.equal(book.for('never-configured').ttlMs, 5000);
    assert.equal(book.for('location').coalesceKeepNewest, 10);
  });
});
