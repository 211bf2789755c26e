/**
 * How long delivered reports stay (`keepDeliveredMs`, config `store.keepDeliveredHours`): pruned by
 * their own cutoff while failed and expired ones keep `keepFinishedMs`; with 0 deleted in the
 * transaction that settles them, their notices still listing them, the totals right, ids never
 * handed out twice, and a failed report still kept and retryable.
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { highestReportId, openStore, type OutboxNotice, type ReportInput, type StoreOptions } from '../../../src/store/index.js';

const hour = 3_600_000;
const day = 24 * hour;

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function open(options: Partial<StoreOptions['outbox']> = {}): { store: TestStore; notices: OutboxNotice[] } {
  const notices: OutboxNotice[] = [];
  // Receipts that take long and reports that live long, so only the keep times decide what the sweep removes.
  const kinds = { alarm: { receiptTimeoutMs: 30 * day, ttlMs: 30 * day }, telemetry: { ttlMs: 30 * day }, brief: { ttlMs: hour } };
  current = openTestStore({ outbox: { kinds, onNotice: (notice) => notices.push(notice), ...options } });
  return { store: current, notices };
}

const alarm = (payload: string): ReportInput => ({ kind: 'alarm', priority: 'critical', payload });
const telemetry = (payload: string): ReportInput => ({ kind: 'telemetry', priority: 'normal', payload });

/** Enqueues one report and sends it alone under the reference `ref`; returns its id and message. */
function sendOne(store: TestStore, input: ReportInput, ref: string): { id: number; messageId: number } {
  const { id } = store.outbox.enqueue(input);
  const messageId = store.outbox.startMessage([id!], 'smpp');
  store.outbox.submitted(messageId, [ref]);
  return { id: id!, messageId };
}

/** The trigger-kept totals per state against a count of the rows themselves. */
function totalsMatchRows(store: TestStore): void {
  const counted = Object.fromEntries((store.db.prepare('SELECT state, COUNT(*) AS n FROM reports GROUP BY state').all() as Array<{ state: string; n: number }>).map((row) => [row.state, row.n]));
  const byState = store.outbox.stats().byState;
  for (const [state, figures] of Object.entries(byState)) assert.equal(figures.rows, counted[state] ?? 0, `totals for ${state}`);
}

const states = (store: TestStore): Record<string, number> => {
  const rows = store.db.prepare('SELECT state, COUNT(*) AS n FROM reports GROUP BY state ORDER BY state').all() as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
};

describe('outbox: how long delivered reports stay', () => {
  it('prunes delivered and receipt-less submitted reports by their own cutoff; failed and expired keep theirs', () => {
    const { store } = open({ keepDeliveredMs: hour });
    const delivered = sendOne(store, alarm('delivered'), 'r-delivered');
    store.outbox.receipt('smpp', 'r-delivered', 'delivered');
    const accepted = sendOne(store, telemetry('no receipt wanted'), 'r-accepted');
    const awaiting = sendOne(store, alarm('awaiting its receipt'), 'r-awaiting');
    const refused = sendOne(store, alarm('refused'), 'r-refused');
    store.outbox.receipt('smpp', 'r-refused', 'failed', { errorClass: 'permanent', reason: 'undeliverable' });
    const stale = store.outbox.enqueue({ kind: 'brief', priority: 'low', payload: 'never sent' }).id!;
    assert.deepEqual(states(store), { delivered: 1, failed: 1, queued: 1, submitted: 2 });

    store.clock.advance(2 * hour);
    const swept = store.outbox.sweep();
    assert.equal(swept.expired, 1);
    assert.equal(swept.pruned, 2, 'the delivered report and the receipt-less submitted one; no message yet');
    assert.equal(store.outbox.get(delivered.id), undefined);
    assert.equal(store.outbox.get(accepted.id), undefined);
    assert.equal(store.outbox.get(awaiting.id)?.state, 'submitted', 'a report waiting for its receipt is not finished');
    assert.equal(store.outbox.get(refused.id)?.state, 'failed');
    assert.equal(store.outbox.get(stale)?.state, 'expired');
    // A message row outlives its reports until keepFinishedMs, and can still be shown.
    assert.equal(store.outbox.message(delivered.messageId)?.state, 'delivered');
    assert.deepEqual([...store.outbox.list({ state: 'delivered' })], []);
    totalsMatchRows(store);

    store.clock.advance(6 * day);
    assert.equal(store.outbox.sweep().pruned, 0, 'failed and expired stay seven days');
    store.clock.advance(day);
    assert.equal(store.outbox.sweep().pruned, 5, 'the failed and expired reports, and the three messages whose reports are gone');
    assert.deepEqual(states(store), { submitted: 1 });
    assert.deepEqual([delivered, accepted, refused].map((sent) => store.outbox.message(sent.messageId)), [undefined, undefined, undefined]);
    assert.equal(store.outbox.message(awaiting.messageId)?.state, 'submitted');
    totalsMatchRows(store);
  });

  it('keeps delivered reports as long as finished ones unless told otherwise', () => {
    const { store } = open({ keepFinishedMs: 2 * day });
    const delivered = sendOne(store, alarm('delivered'), 'r1');
    store.outbox.receipt('smpp', 'r1', 'delivered');
    store.clock.advance(day);
    store.outbox.sweep();
    assert.equal(store.outbox.get(delivered.id)?.state, 'delivered');
    store.clock.advance(day + 1);
    store.outbox.sweep();
    assert.equal(store.outbox.get(delivered.id), undefined);
  });

  it('refuses a negative keep time', () => {
    assert.throws(() => openTestStore({ outbox: { keepDeliveredMs: -1 } }), { code: 405, message: /keepDeliveredMs: must be 0 or more, got -1/ });
  });
});

describe('outbox with keepDeliveredMs 0', () => {
  it('deletes delivered reports in the transaction that settles them, after their notice was built', () => {
    const { store, notices } = open({ keepDeliveredMs: 0 });
    const ids = store.outbox.enqueueMany(['a', 'b', 'c'].map(alarm)).map((result) => result.id!);
    const messageId = store.outbox.startMessage(ids, 'smpp');
    store.outbox.submitted(messageId, ['p1', 'p2']);
    assert.deepEqual(store.outbox.receipt('smpp', 'p1', 'delivered'), { matched: true, settled: 0 });
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['submitted', 'submitted', 'submitted'], 'one part still lacks its receipt');

    // Inside a transaction that rolls back, the delete goes with the settling: it is one change.
    assert.throws(() => store.outbox.inTransaction(() => {
      store.outbox.receipt('smpp', 'p2', 'delivered');
      assert.deepEqual(ids.map((id) => store.outbox.get(id)), [undefined, undefined, undefined]);
      throw new Error('roll back');
    }), /roll back/);
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['submitted', 'submitted', 'submitted']);

    notices.length = 0;
    assert.deepEqual(store.outbox.receipt('smpp', 'p2', 'delivered'), { matched: true, settled: 3 });
    assert.deepEqual(ids.map((id) => store.outbox.get(id)), [undefined, undefined, undefined]);
    assert.deepEqual(notices.map((notice) => [notice.type, notice.reports.map((report) => report.id)]), [['delivered', ids]]);
    assert.deepEqual(store.outbox.message(messageId)?.state, 'delivered');
    assert.deepEqual(store.outbox.message(messageId)?.refs, ['p1', 'p2']);
    // A repeated receipt finds the settled message and changes nothing.
    assert.deepEqual(store.outbox.receipt('smpp', 'p2', 'delivered'), { matched: true, settled: 0 });
    assert.equal(store.outbox.stats().byState.delivered.rows, 0);
    assert.equal(store.outbox.stats().byState.submitted.rows, 0);
    totalsMatchRows(store);
  });

  it('deletes reports that want no receipt when the link accepts them, and a late receipt breaks nothing', () => {
    const { store, notices } = open({ keepDeliveredMs: 0 });
    const sent = sendOne(store, telemetry('t=1'), 'r1');
    assert.equal(store.outbox.get(sent.id), undefined);
    assert.deepEqual(notices.map((notice) => [notice.type, notice.reports.map((report) => report.id)]), [['submitted', [sent.id]]]);
    assert.equal(store.outbox.message(sent.messageId)?.receiptDueAt, null);
    assert.deepEqual(store.outbox.receipt('smpp', 'r1', 'failed', { errorClass: 'permanent', reason: 'undeliverable' }), { matched: true, settled: 0 });
    // A message that mixes kinds waits for the receipt its alarm wants: nothing is deleted at `submitted`.
    const ids = store.outbox.enqueueMany([telemetry('t=2'), alarm('door')]).map((result) => result.id!);
    const messageId = store.outbox.startMessage(ids, 'smpp');
    store.outbox.submitted(messageId, ['r2']);
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['submitted', 'submitted']);
    store.outbox.receipt('smpp', 'r2', 'delivered');
    assert.deepEqual(ids.map((id) => store.outbox.get(id)), [undefined, undefined]);
    totalsMatchRows(store);
  });

  it('never hands out an id twice, though the newest report is deleted at each delivery, across a reopen', () => {
    const { store } = open({ keepDeliveredMs: 0 });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = sendOne(store, alarm(`a${i}`), `r${i}`);
      store.outbox.receipt('smpp', `r${i}`, 'delivered');
      seen.push(sent.id);
      assert.equal(store.db.prepare('SELECT COUNT(*) AS n FROM reports').pluck().get(), 0, 'the table is empty again');
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    assert.equal(highestReportId(store.db), 5);
    store.close();
    const reopened = openStore({ path: store.path, recoverSending: true, outbox: { clock: store.clock, keepDeliveredMs: 0 } });
    try {
      assert.equal(reopened.outbox.enqueue(alarm('after the reopen')).id, 6);
    } finally {
      reopened.close();
    }
  });

  it('removes at its first sweep the delivered reports a longer keep time left behind', () => {
    const { store } = open();
    const kept = sendOne(store, alarm('kept a week'), 'r1');
    store.outbox.receipt('smpp', 'r1', 'delivered');
    store.close();
    const reopened = openStore({ path: store.path, recoverSending: true, outbox: { clock: store.clock, keepDeliveredMs: 0 } });
    try {
      assert.equal(reopened.outbox.get(kept.id)?.state, 'delivered');
      store.clock.advance(1);
      assert.equal(reopened.outbox.sweep().pruned, 1);
      assert.equal(reopened.outbox.get(kept.id), undefined);
      assert.equal(reopened.outbox.stats().byState.delivered.rows, 0);
    } finally {
      reopened.close();
    }
  });

  it('keeps a failed report, which `queue retry` can send again', () => {
    const { store } = open({ keepDeliveredMs: 0 });
    const refused = sendOne(store, alarm('refused'), 'r1');
    store.outbox.receipt('smpp', 'r1', 'failed', { errorClass: 'permanent', reason: 'undeliverable' });
    const { id: unsendable } = store.outbox.enqueue(alarm('bad number'));
    const claimed = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.sendFailed(claimed[0]!.messageId, 'permanent', 'ESME_RINVDSTADR');
    store.clock.advance(day);
    store.outbox.sweep();
    assert.deepEqual([refused.id, unsendable].map((id) => store.outbox.get(id!)?.state), ['failed', 'failed']);
    assert.equal(store.outbox.retry(refused.id).state, 'queued');
    // Sent again and delivered this time: then it goes.
    const messageId = store.outbox.startMessage([refused.id], 'smpp');
    store.outbox.submitted(messageId, ['r2']);
    store.outbox.receipt('smpp', 'r2', 'delivered');
    assert.equal(store.outbox.get(refused.id), undefined);
    assert.equal(store.outbox.get(unsendable!)?.state, 'failed');
    totalsMatchRows(store);
  });

  it('keeps the file from growing: 2,000 readings delivered leave the reports b-tree as small as 20 did', () => {
    const pagesAfter = (keepDeliveredMs: number | undefined, readings: number): number => {
      const { store } = open(keepDeliveredMs === undefined ? {} : { keepDeliveredMs });
      for (let batch = 0; batch < readings / 20; batch++) {
        const ids = store.outbox.enqueueMany(Array.from({ length: 20 }, (_, i) => alarm(`reading ${batch}/${i} with some bytes of payload`))).map((result) => result.id!);
        const messageId = store.outbox.startMessage(ids, 'smpp');
        store.outbox.submitted(messageId, [`m${batch}`]);
        store.outbox.receipt('smpp', `m${batch}`, 'delivered');
      }
      const pages = store.db.prepare(`SELECT COUNT(*) FROM dbstat WHERE name IN ('reports', 'reports_queue', 'reports_kind', 'reports_message')`).pluck().get() as number;
      store.cleanup();
      current = undefined;
      return pages;
    };
    const forgetting = [pagesAfter(0, 20), pagesAfter(0, 2000)];
    const keeping = pagesAfter(undefined, 2000);
    assert.equal(forgetting[1], forgetting[0], `keep 0: ${forgetting.join(' → ')} pages`);
    assert.ok(keeping > 10 * forgetting[1]!, `the default keeps them: ${keeping} pages against ${forgetting[1]}`);
  });
});
