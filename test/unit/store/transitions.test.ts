import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { hasErrorCode, ErrorCode } from '../../../src/errors.js';
import { isLegalTransition, nextStates, reportStates } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

function isIllegal(error: unknown): boolean {
  return hasErrorCode(error, ErrorCode.Store_IllegalTransition) && /bug/.test(error.message);
}

describe('report state machine', () => {
  it('has exactly the documented arrows', () => {
    const arrows = reportStates.flatMap((from) => nextStates(from).map((to) => `${from}→${to}`));
    assert.deepEqual(arrows.sort(), [
      'expired→queued',
      'failed→queued',
      'queued→expired',
      'queued→sending',
      'sending→expired',
      'sending→failed',
      'sending→queued',
      'sending→submitted',
      'submitted→delivered',
      'submitted→expired',
      'submitted→failed',
      'submitted→queued',
    ]);
    for (const to of reportStates) assert.equal(isLegalTransition('delivered', to), false, 'delivered is final');
  });

  it('refuses to submit a message twice, or to fail one already submitted, as a bug report', () => {
    const store = track(openTestStore());
    store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'x' });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    const s = store;
    s.outbox.submitted(claimed!.messageId, ['r1']);
    assert.throws(() => s.outbox.submitted(claimed!.messageId, ['r1']), isIllegal);
    assert.throws(() => s.outbox.sendFailed(claimed!.messageId, 'temporary', 'late'), isIllegal);
    assert.throws(() => s.outbox.submitted(9999, ['r9']), isIllegal);
    assert.equal(s.outbox.stats().byState.submitted.rows, 1, 'nothing changed');
  });

  it('refuses to put a delivered or in-flight report into a new message, and rolls the whole batch back', () => {
    const store = track(openTestStore());
    const [a, b] = store.outbox.enqueueMany([
      { kind: 'alarm', priority: 'critical', payload: 'a' },
      { kind: 'alarm', priority: 'critical', payload: 'b' },
    ]);
    const s = store;
    const first = s.outbox.startMessage([a!.id!], 'smpp');
    assert.throws(() => s.outbox.startMessage([b!.id!, a!.id!], 'smpp'), (error: unknown) => {
      assert.ok(isIllegal(error));
      assert.deepEqual((error as { context: unknown }).context, { id: a!.id, from: 'sending', to: 'sending' });
      return true;
    });
    assert.equal(s.outbox.get(b!.id!)?.state, 'queued', 'the batch rolled back');
    s.outbox.submitted(first, ['r']);
    s.outbox.receipt('smpp', 'r', 'delivered');
    assert.throws(() => s.outbox.startMessage([a!.id!], 'smpp'), isIllegal);
    assert.throws(() => s.outbox.startMessage([12345], 'smpp'), { code: ErrorCode.Store_NotFound });
  });

  it('keeps the per-state totals exact through every transition', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany([1, 2, 3, 4].map((n) => ({ kind: 'alarm', priority: 'high' as const, payload: `p${n}` })));
    const claimed = store.outbox.claim({ limit: 4, link: 'smpp' });
    store.outbox.submitted(claimed[0]!.messageId, ['a']);
    store.outbox.submitted(claimed[1]!.messageId, ['b']);
    store.outbox.receipt('smpp', 'a', 'delivered');
    store.outbox.sendFailed(claimed[2]!.messageId, 'permanent', 'no');
    const rows = store.db.prepare('SELECT state, COUNT(*) AS n, SUM(bytes) AS b FROM reports GROUP BY state').all() as Array<{ state: string; n: number; b: number }>;
    const stats = store.outbox.stats();
    for (const { state, n, b } of rows) assert.deepEqual(stats.byState[state as 'queued'], { rows: n, bytes: b });
    assert.deepEqual(
      Object.fromEntries(Object.entries(stats.byState).map(([state, v]) => [state, v.rows])),
      { queued: 0, sending: 1, submitted: 1, delivered: 1, failed: 1, expired: 0 },
    );
  });
});
