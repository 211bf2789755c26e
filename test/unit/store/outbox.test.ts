import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { EnqueueBatcher, type Priority } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

describe('outbox: order and the happy path', () => {
  it('claims higher priority first, then oldest first, whatever the insertion order', () => {
    const store = track(openTestStore());
    const plan: Array<[Priority, string]> = [
      ['low', 'l1'],
      ['normal', 'n1'],
      ['critical', 'c1'],
      ['high', 'h1'],
      ['normal', 'n2'],
      ['critical', 'c2'],
      ['low', 'l2'],
    ];
    for (const [priority, payload] of plan) {
      store.outbox.enqueue({ kind: 'telemetry', priority, payload });
      store.clock.advance(1000);
    }
    const first = store.outbox.claim({ limit: 3, link: 'smpp' }).map((c) => c.report.payload);
    const rest = store.outbox.claim({ limit: 10, link: 'smpp' }).map((c) => c.report.payload);
    assert.deepEqual(first, ['c1', 'c2', 'h1']);
    assert.deepEqual(rest, ['n1', 'n2', 'l1', 'l2']);
  });

  it('round-trips text, bytes and destinations', () => {
    const store = track(openTestStore());
    const { id: textId } = store.outbox.enqueue({ kind: 'sms', priority: 'normal', payload: 'Grüße €', destinations: ['+447700900123', '12345'] });
    const { id: binId } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: new Uint8Array([0, 255, 7]) });
    const text = store.outbox.get(textId!);
    const bin = store.outbox.get(binId!);
    assert.equal(text?.payload, 'Grüße €');
    assert.deepEqual(text?.destinations, ['+447700900123', '12345']);
    assert.equal(text?.bytes, Buffer.byteLength('Grüße €'));
    assert.deepEqual(bin?.payload, new Uint8Array([0, 255, 7]));
    assert.deepEqual(bin?.destinations, []);
    assert.equal(bin?.state, 'queued');
    assert.equal(bin?.expiresAt, store.clock.now() + 24 * 3_600_000);
  });

  it('goes queued → sending → submitted → delivered with a receipt, and settles by the link reference', () => {
    const store = track(openTestStore());
    const { id } = store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'door open' });
    const [claimed] = store.outbox.claim({ limit: 5, link: 'smpp' });
    assert.equal(claimed?.report.state, 'sending');
    assert.equal(claimed?.report.attempts, 1);
    assert.equal(store.outbox.submitted(claimed.messageId, ['0A1B']), 1);
    assert.equal(store.outbox.get(id!)?.state, 'submitted');
    assert.deepEqual(store.outbox.receipt('smpp', 'unknown', 'delivered'), { matched: false, settled: 0 });
    assert.deepEqual(store.outbox.receipt('modem', '0A1B', 'delivered'), { matched: false, settled: 0 });
    assert.deepEqual(store.outbox.receipt('smpp', '0A1B', 'delivered'), { matched: true, settled: 1 });
    assert.equal(store.outbox.get(id!)?.state, 'delivered');
    // A repeated receipt changes nothing.
    assert.deepEqual(store.outbox.receipt('smpp', '0A1B', 'delivered'), { matched: true, settled: 0 });
  });

  it('finishes at submitted for kinds that want no receipt, and the sweep leaves them alone', () => {
    const store = track(openTestStore());
    const { id } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 't=1' });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.submitted(claimed!.messageId, ['m1']);
    store.clock.advance(3 * 24 * 3_600_000);
    assert.equal(store.outbox.sweep().receiptTimeouts, 0);
    assert.equal(store.outbox.get(id!)?.state, 'submitted');
  });

  it('waits for every part of a multi-part message before delivered', () => {
    const store = track(openTestStore());
    const { id } = store.outbox.enqueue({ kind: 'sms', priority: 'normal', payload: 'long' });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.submitted(claimed!.messageId, ['p1', 'p2', 'p3']);
    const message = store.outbox.message(claimed!.messageId);
    assert.equal(message?.link, 'smpp');
    assert.equal(message?.state, 'submitted');
    assert.equal(message?.partCount, 3);
    assert.deepEqual(message?.refs, ['p1', 'p2', 'p3']);
    assert.equal(message?.receiptDueAt, store.clock.now() + 24 * 3_600_000, 'sms waits a day for its receipt');
    assert.deepEqual(store.outbox.receipt('smpp', 'p2', 'delivered'), { matched: true, settled: 0 });
    assert.deepEqual(store.outbox.receipt('smpp', 'p1', 'delivered'), { matched: true, settled: 0 });
    assert.equal(store.outbox.get(id!)?.state, 'submitted');
    assert.deepEqual(store.outbox.receipt('smpp', 'p3', 'delivered'), { matched: true, settled: 1 });
    assert.equal(store.outbox.get(id!)?.state, 'delivered');
  });

  it('settles every report of a batched message with one acknowledgement and one receipt', () => {
    const store = track(openTestStore());
    const ids = store.outbox
      .enqueueMany([1, 2, 3].map((n) => ({ kind: 'alarm', priority: 'high' as const, payload: `r${n}` })))
      .map((r) => r.id!);
    const due = store.outbox.peekDue({ limit: 10, link: 'smpp' });
    assert.deepEqual(due.map((r) => r.id), ids);
    assert.equal(store.outbox.get(ids[0]!)?.state, 'queued', 'peeking claims nothing');
    const messageId = store.outbox.startMessage(ids, 'smpp');
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.messageId), [messageId, messageId, messageId]);
    assert.equal(store.outbox.submitted(messageId, ['batch-1']), 3);
    assert.deepEqual(store.outbox.receipt('smpp', 'batch-1', 'delivered'), { matched: true, settled: 3 });
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['delivered', 'delivered', 'delivered']);
  });

  it('re-queues every report of a batched message when the message fails temporarily', () => {
    const store = track(openTestStore());
    const ids = store.outbox.enqueueMany([1, 2].map((n) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `r${n}` }))).map((r) => r.id!);
    const messageId = store.outbox.startMessage(ids, 'smpp');
    assert.equal(store.outbox.sendFailed(messageId, 'temporary', 'link down'), 2);
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['queued', 'queued']);
  });

  it('gives the reports of a failed message one retry time, so the message is not held back by jitter', () => {
    let draw = 0;
    const store = track(openTestStore({ outbox: { random: () => [0.1, 0.9, 0.3, 0.7][draw++ % 4] ?? 0.5 } }));
    const ids = store.outbox.enqueueMany([1, 2, 3].map((n) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `r${n}` }))).map((r) => r.id!);
    const messageId = store.outbox.startMessage(ids, 'smpp');
    store.outbox.sendFailed(messageId, 'temporary', 'response timeout');
    const retryTimes = new Set(ids.map((id) => store.outbox.get(id)?.nextAttemptAt));
    assert.equal(retryTimes.size, 1, `one retry time, got ${[...retryTimes].join(', ')}`);
    assert.ok([...retryTimes][0]! > store.clock.now(), 'after a back-off');
  });

  it('refuses invalid input with Store_InvalidInput and writes nothing', () => {
    const store = track(openTestStore());
    const s = store;
    assert.throws(() => s.outbox.enqueue({ kind: 'Bad Kind', priority: 'normal', payload: 'x' }), { code: 405 });
    assert.throws(() => s.outbox.enqueue({ kind: 'telemetry', priority: 'urgent' as Priority, payload: 'x' }), { code: 405 });
    assert.throws(() => s.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'x', ttlMs: -5 }), { code: 405 });
    assert.throws(() => s.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'x', destinations: ['no spaces'] }), { code: 405 });
    assert.throws(() => s.outbox.claim({ limit: 0, link: 'smpp' }), { code: 405 });
    assert.equal(s.outbox.stats().byState.queued.rows, 0);
  });

  it('streams a listing filtered by state and kind', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany([
      { kind: 'telemetry', priority: 'normal', payload: 'a' },
      { kind: 'alarm', priority: 'high', payload: 'b' },
      { kind: 'telemetry', priority: 'low', payload: 'c' },
    ]);
    store.outbox.claim({ limit: 1, link: 'smpp' });
    assert.deepEqual([...store.outbox.list({ kind: 'telemetry' })].map((r) => r.payload), ['a', 'c']);
    assert.deepEqual([...store.outbox.list({ state: 'sending' })].map((r) => r.payload), ['b']);
    assert.deepEqual([...store.outbox.list({ state: 'queued', limit: 1 })].map((r) => r.payload), ['a']);
  });

  it('pages through a listing longer than one page, and honours the limit across pages', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany(Array.from({ length: 1203 }, (_, n) => ({ kind: n % 2 === 0 ? 'telemetry' : 'alarm', priority: 'low' as const, payload: `p${n}` })));
    const all = [...store.outbox.list()];
    assert.equal(all.length, 1203);
    assert.deepEqual(all.slice(0, 2).map((r) => r.payload), ['p0', 'p1']);
    assert.equal(all.at(-1)?.payload, 'p1202');
    assert.equal([...store.outbox.list({ kind: 'telemetry' })].length, 602);
    assert.equal([...store.outbox.list({ limit: 777 })].length, 777);
  });

  it('reports counts by state and priority and the oldest queued age', () => {
    const store = track(openTestStore());
    store.outbox.enqueue({ kind: 'telemetry', priority: 'low', payload: 'abcd' });
    store.clock.advance(5000);
    store.outbox.enqueueMany([
      { kind: 'alarm', priority: 'critical', payload: 'xy' },
      { kind: 'alarm', priority: 'critical', payload: 'z' },
    ]);
    store.outbox.claim({ limit: 1, link: 'smpp' });
    store.clock.advance(1000);
    const stats = store.outbox.stats();
    assert.deepEqual(stats.byState.queued, { rows: 2, bytes: 5 });
    assert.deepEqual(stats.byState.sending, { rows: 1, bytes: 2 });
    assert.deepEqual(stats.queuedByPriority, { critical: 1, high: 0, normal: 0, low: 1 });
    assert.deepEqual(stats.byStateAndPriority.sending, { critical: 1, high: 0, normal: 0, low: 0 });
    assert.equal(stats.oldestQueuedAgeMs, 6000);
    assert.equal(stats.drops.total, 0);
  });
});

describe('outbox: group commit and shared transactions', () => {
  it('commits concurrent single enqueues together and resolves each only after the commit', async () => {
    const store = track(openTestStore());
    const batcher = new EnqueueBatcher(store.outbox);
    const commits: number[] = [];
    const before = store.db.prepare('SELECT COUNT(*) AS n FROM reports');
    const promises = [1, 2, 3, 4, 5].map((n) => batcher.enqueue({ kind: 'telemetry', priority: 'normal', payload: `r${n}` }));
    commits.push((before.get() as { n: number }).n);
    const results = await Promise.all(promises);
    commits.push((before.get() as { n: number }).n);
    assert.deepEqual(commits, [0, 5], 'nothing written until the turn ends, then all five at once');
    assert.deepEqual(results.map((r) => store.outbox.get(r.id!)?.payload), ['r1', 'r2', 'r3', 'r4', 'r5']);
    await assert.rejects(batcher.enqueue({ kind: 'BAD', priority: 'normal', payload: 'x' }), { code: 405 });
    batcher.close();
    await assert.rejects(batcher.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'late' }), { code: 404 });
  });

  it('rejects only the reports that do not fit', async () => {
    const store = track(openTestStore({ outbox: { caps: { maxQueuedRows: 1 } } }));
    const batcher = new EnqueueBatcher(store.outbox);
    const critical = batcher.enqueue({ kind: 'alarm', priority: 'critical', payload: 'c' });
    const low = batcher.enqueue({ kind: 'telemetry', priority: 'low', payload: 'l' });
    const [a, b] = await Promise.allSettled([critical, low]);
    assert.equal(a?.status, 'fulfilled');
    assert.equal(b?.status, 'rejected');
    batcher.close();
  });

  it('settles many messages in one shared transaction', () => {
    const store = track(openTestStore());
    store.outbox.enqueueMany([1, 2, 3].map((n) => ({ kind: 'alarm', priority: 'high' as const, payload: `r${n}` })));
    const claimed = store.outbox.claim({ limit: 3, link: 'smpp' });
    store.outbox.inTransaction(() => {
      for (const { messageId } of claimed) store.outbox.submitted(messageId, [`m${messageId}`]);
    });
    assert.equal(store.outbox.stats().byState.submitted.rows, 3);
    assert.throws(() =>
      store.outbox.inTransaction(() => {
        store.outbox.receipt('smpp', `m${claimed[0]!.messageId}`, 'delivered');
        store.outbox.submitted(claimed[1]!.messageId, ['again']);
      }),
    );
    assert.equal(store.outbox.stats().byState.delivered.rows, 0, 'the failed batch rolled back as a whole');
  });
});
