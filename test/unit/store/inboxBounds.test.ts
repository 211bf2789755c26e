import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';
import { openStore, type InboxNotice, type InboxOptions } from '../../../src/store/index.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());

function open(inbox: Omit<InboxOptions, 'clock' | 'onNotice'> = {}): { store: TestStore; notices: InboxNotice[] } {
  const notices: InboxNotice[] = [];
  const store = openTestStore({ inbox: { ...inbox, onNotice: (notice) => notices.push(notice) } });
  current = store;
  return { store, notices };
}

const partialCaps = { maxMessages: 1000, maxBytes: 2 ** 30, maxPerSender: 1000, maxBytesPerSender: 2 ** 30, timeoutMs: 3_600_000 };

function rowCount(store: TestStore, table: 'inbox' | 'inbox_parts'): number {
  return (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('inbox caps: rows and bytes, the oldest expendable entries first, counted and announced', () => {
  it('keeps the row cap by dropping receipts and undecodable entries before messages', () => {
    const { store, notices } = open({ caps: { maxRows: 100, maxBytes: 2 ** 30 } });
    for (let i = 0; i < 10; i++) store.inbox.addMessage({ link: 'smpp', sender: '+447700900001', payload: `message ${i}` });
    for (let i = 0; i < 200; i++) {
      store.inbox.addReceipt({ link: 'smpp', sender: 'smsc', ref: `unknown-${i}`, outcome: 'delivered', payload: `id:unknown-${i} stat:DELIVRD` });
    }
    store.inbox.addUndecodable({ link: 'smpp', sender: '+447700900002', raw: new Uint8Array([1, 2, 3]), reason: 'bad UDH' });
    assert.equal(rowCount(store, 'inbox'), 100);
    assert.equal(store.inbox.count(), 100);
    const kept = store.db.prepare(`SELECT COUNT(*) AS n FROM inbox WHERE type = 'mo' AND undecodable IS NULL`).get() as { n: number };
    assert.equal(kept.n, 10, 'every message outlived the receipts');
    const stats = store.inbox.stats();
    assert.equal(stats.dropped.total, 111);
    assert.equal(stats.dropped.byKind.receipt, 111);
    assert.equal(stats.dropped.byKind.mo, 0);
    assert.equal(notices.flatMap((n) => n.dropped).reduce((sum, d) => sum + d.count, 0), 111);
    // The newest receipts are the ones kept.
    const oldest = store.db.prepare(`SELECT receipt_ref AS ref FROM inbox WHERE type = 'receipt' ORDER BY id LIMIT 1`).get() as { ref: string };
    assert.equal(oldest.ref, 'unknown-111');
  });

  it('drops messages, oldest first, once nothing expendable is left', () => {
    const { store } = open({ caps: { maxRows: 100, maxBytes: 2 ** 30 } });
    for (let i = 0; i < 150; i++) store.inbox.addMessage({ link: 'modem', sender: '+447700900001', payload: `message ${i}` });
    assert.equal(rowCount(store, 'inbox'), 100);
    const first = store.db.prepare(`SELECT payload FROM inbox ORDER BY id LIMIT 1`).get() as { payload: Buffer };
    assert.equal(first.payload.toString(), 'message 50');
    assert.equal(store.inbox.stats().dropped.byKind.mo, 50);
  });

  it("keeps the byte cap, counting what went in the database's counters", () => {
    const { store } = open({ caps: { maxRows: 100_000, maxBytes: 100_000 } });
    const big = new Uint8Array(10_000).fill(7);
    for (let i = 0; i < 30; i++) store.inbox.addUndecodable({ link: 'smpp', sender: `+4477009${String(i).padStart(5, '0')}`, raw: big, reason: 'junk' });
    const bytes = (store.db.prepare('SELECT SUM(length(payload)) AS b FROM inbox').get() as { b: number }).b;
    assert.ok(bytes <= 100_000, `${bytes} bytes held`);
    assert.equal(store.inbox.stats().bytes, bytes);
    assert.equal(store.inbox.stats().dropped.byKind.undecodable, 20);
    assert.equal(store.inbox.stats().dropped.bytes, 200_000);
    const counted = store.db.prepare(`SELECT value FROM counters WHERE name = 'inbox_dropped_undecodable'`).get() as { value: number };
    assert.equal(counted.value, 20);
  });
});

describe('a large entry at the byte cap', () => {
  it('pushes out as many small entries as it needs room for, at once', () => {
    const { store } = open({ caps: { maxRows: 100_000, maxBytes: 100_000 } });
    for (let i = 0; i < 1000; i++) store.inbox.addReceipt({ link: 'smpp', sender: 'smsc', ref: `r${i}`, outcome: 'delivered', payload: 'x'.repeat(90) + String(i).padStart(10, '0') });
    store.inbox.addUndecodable({ link: 'smpp', sender: '+447700900001', raw: new Uint8Array(60_000), reason: 'junk' });
    const bytes = (store.db.prepare('SELECT SUM(length(payload)) AS b FROM inbox').get() as { b: number }).b;
    assert.ok(bytes <= 100_000, `${bytes} bytes`);
    assert.equal(store.inbox.stats().dropped.byKind.receipt, 600);
  });
});

describe('a cap lowered between runs', () => {
  it('is caught up by the sweep in batches, oldest expendable first, counted', () => {
    const { store } = open({ caps: { maxRows: 100_000, maxBytes: 2 ** 30 } });
    store.db.transaction(() => {
      for (let i = 0; i < 3000; i++) store.inbox.addReceipt({ link: 'smpp', sender: 'smsc', ref: `r${i}`, outcome: 'delivered', payload: `id:r${i}` });
      for (let i = 0; i < 10; i++) store.inbox.addMessage({ link: 'smpp', sender: '+447700900001', payload: `message ${i}` });
    })();
    const { path, clock } = store;
    store.close();
    const notices: InboxNotice[] = [];
    const reopened = openStore({ path, outbox: { clock }, inbox: { caps: { maxRows: 100, maxBytes: 2 ** 30 }, onNotice: (notice) => notices.push(notice) } });
    try {
      assert.equal(reopened.inbox.count(), 3010, 'nothing goes at open');
      reopened.sweep();
      assert.equal(reopened.inbox.count(), 100);
      assert.equal(reopened.inbox.stats().dropped.byKind.receipt, 2910);
      assert.ok(notices.length >= 3, 'in batches of at most a thousand');
      const messages = reopened.db.prepare(`SELECT COUNT(*) AS n FROM inbox WHERE type = 'mo'`).get() as { n: number };
      assert.equal(messages.n, 10);
    } finally {
      reopened.close();
    }
  });
});

describe('incomplete concatenations: capped per sender and in total, timed out, kept incomplete', () => {
  const part = (sender: string, ref: number, seq: number, size = 100): Parameters<TestStore['inbox']['addMessage']>[0] => ({
    link: 'smpp',
    sender,
    payload: new Uint8Array(size).fill(seq),
    concat: { ref, total: 3, seq },
  });

  it('pushes a sender\'s oldest waiting message out when the sender has too many, and keeps it incomplete', () => {
    const { store, notices } = open({ partialCaps: { ...partialCaps, maxPerSender: 2 } });
    for (let ref = 1; ref <= 5; ref++) store.inbox.addMessage(part('+447700900001', ref, 1));
    store.inbox.addMessage(part('+447700900002', 9, 1));
    assert.equal(store.inbox.stats().partialMessages, 3);
    assert.equal(rowCount(store, 'inbox_parts'), 3);
    const kept = store.inbox.recent(10).filter((entry) => entry.undecodable?.startsWith('incomplete') === true);
    assert.equal(kept.length, 3);
    assert.match(kept[0]!.undecodable!, /1 of 3 parts \(1\) arrived; pushed out by the sender's cap/);
    assert.equal(store.inbox.stats().incomplete['sender-cap'], 3);
    assert.deepEqual(notices.flatMap((n) => n.incomplete).map((k) => k.reason), ['sender-cap', 'sender-cap', 'sender-cap']);
    // The newest two are still waiting and complete normally.
    store.inbox.addMessage(part('+447700900001', 5, 2));
    const done = store.inbox.addMessage(part('+447700900001', 5, 3));
    assert.equal(done.status, 'stored');
  });

  it('keeps the total byte cap across senders', () => {
    const { store } = open({ partialCaps: { ...partialCaps, maxBytes: 50_000 } });
    for (let i = 0; i < 20; i++) store.inbox.addMessage(part(`+44770090${String(i).padStart(4, '0')}`, 1, 1, 10_000));
    const held = store.inbox.stats();
    assert.ok(held.partialBytes <= 50_000);
    assert.equal(held.partialMessages, 5);
    assert.equal(held.incomplete['total-cap'], 15);
    const bytes = (store.db.prepare('SELECT SUM(length(payload)) AS b FROM inbox_parts').get() as { b: number }).b;
    assert.equal(bytes, held.partialBytes);
  });

  it('gives up on a message whose parts stop coming, at the sweep after the timeout', () => {
    const { store, notices } = open({ partialCaps: { ...partialCaps, timeoutMs: 60_000 } });
    store.inbox.addMessage(part('+447700900001', 7, 1));
    store.inbox.addMessage(part('+447700900001', 7, 3));
    store.clock.advance(30_000);
    store.sweep();
    assert.equal(store.inbox.stats().partialMessages, 1);
    store.clock.advance(31_000);
    store.sweep();
    assert.equal(store.inbox.stats().partialMessages, 0);
    const [entry] = store.inbox.recent(1);
    assert.match(entry!.undecodable!, /incomplete: 2 of 3 parts \(1,3\) arrived; no further part within 60 s/);
    assert.equal((entry!.payload as Uint8Array).length, 200);
    assert.equal(notices.flatMap((n) => n.incomplete)[0]?.reason, 'timeout');
    // A late part starts a new message rather than being taken for a redelivery.
    assert.equal(store.inbox.addMessage(part('+447700900001', 7, 2)).status, 'part-stored');
  });

  it('ages receipts out sooner than messages', () => {
    const { store } = open({ keepMs: 30 * 86_400_000, receiptKeepMs: 3_600_000 });
    store.inbox.addReceipt({ link: 'smpp', sender: 'smsc', ref: 'x', outcome: 'failed', payload: 'id:x stat:UNDELIV' });
    store.inbox.addMessage({ link: 'smpp', sender: '+447700900001', payload: 'hello' });
    store.clock.advance(3_600_001);
    store.sweep();
    assert.equal(store.inbox.count(), 1);
    assert.equal(store.inbox.recent(1)[0]?.type, 'mo');
  });
});
