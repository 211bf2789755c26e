import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, type TestStore } from './_helpers.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());
function track(opened: TestStore): TestStore {
  current = opened;
  return opened;
}

const scts = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('inbox: MO messages and receipts, once each, reassembled', () => {
  it('stores an MO message once even when the link delivers it twice', () => {
    const store = track(openTestStore());
    const mo = { link: 'modem' as const, sender: '+447700900123', recipient: '+447700900999', payload: 'STATUS 1234', sentAt: scts };
    const first = store.inbox.addMessage(mo);
    assert.equal(first.status, 'stored');
    store.clock.advance(3 * 3_600_000);
    assert.deepEqual(store.inbox.addMessage(mo), { status: 'duplicate' });
    assert.equal(store.inbox.addMessage({ ...mo, sender: '+447700900124' }).status, 'stored', 'another sender is another message');
    const entry = store.inbox.get((first as { id: number }).id)!;
    assert.equal(entry.payload, 'STATUS 1234');
    assert.equal(entry.sentAt, scts);
    assert.equal(entry.type, 'mo');
  });

  it('without a sender timestamp, treats identical texts as duplicates only within the window', () => {
    const store = track(openTestStore({ inbox: { dedupWindowMs: 60_000 } }));
    const mo = { link: 'smpp' as const, sender: '12345', payload: 'PING' };
    assert.equal(store.inbox.addMessage(mo).status, 'stored');
    store.clock.advance(30_000);
    assert.equal(store.inbox.addMessage(mo).status, 'duplicate');
    store.clock.advance(60_000);
    assert.equal(store.inbox.addMessage(mo).status, 'stored', 'the same text later is a new message');
  });

  it('reassembles text parts arriving out of order and twice, into one entry', () => {
    const store = track(openTestStore());
    const part = (seq: number, text: string) => ({ link: 'smpp' as const, sender: '+4915112345678', payload: text, sentAt: scts, concat: { ref: 0x2a, total: 3, seq } });
    assert.deepEqual(store.inbox.addMessage(part(3, 'world!')), { status: 'part-stored', have: 1, total: 3 });
    assert.deepEqual(store.inbox.addMessage(part(1, 'Hello, ')), { status: 'part-stored', have: 2, total: 3 });
    assert.deepEqual(store.inbox.addMessage(part(1, 'Hello, ')), { status: 'part-stored', have: 2, total: 3 }, 'a repeated part is not counted twice');
    const done = store.inbox.addMessage(part(2, 'dear '));
    assert.equal(done.status, 'stored');
    const entry = store.inbox.get((done as { id: number }).id)!;
    assert.equal(entry.payload, 'Hello, dear world!');
    assert.equal(entry.partCount, 3);
    const leftover = store.db.prepare('SELECT COUNT(*) AS n FROM inbox_parts');
    assert.equal((leftover.get() as { n: number }).n, 0);
    // The link re-delivers a part after reassembly: recognised, not left waiting for siblings.
    assert.deepEqual(store.inbox.addMessage(part(2, 'dear ')), { status: 'duplicate' });
    assert.equal((leftover.get() as { n: number }).n, 0);
    // The same reference reused much later starts a new message.
    store.clock.advance(60 * 60_000);
    assert.deepEqual(store.inbox.addMessage(part(1, 'Next ')), { status: 'part-stored', have: 1, total: 3 });
  });

  it('reassembles binary parts byte for byte, keeping parts of different references apart', () => {
    const store = track(openTestStore());
    const part = (ref: number, seq: number, bytes: number[]) => ({ link: 'modem' as const, sender: '777', payload: new Uint8Array(bytes), concat: { ref, total: 2, seq } });
    store.inbox.addMessage(part(1, 2, [3, 4]));
    store.inbox.addMessage(part(2, 1, [9]));
    const done = store.inbox.addMessage(part(1, 1, [1, 2]));
    assert.equal(done.status, 'stored');
    assert.deepEqual(store.inbox.get((done as { id: number }).id)?.payload, new Uint8Array([1, 2, 3, 4]));
    const parts = store.db.prepare('SELECT concat_ref AS ref, part_number AS seq, part_count AS total FROM inbox_parts').all();
    assert.deepEqual(parts, [{ ref: 2, seq: 1, total: 2 }], 'the unfinished message waits with its part information');
    const s = store;
    assert.throws(() => s.inbox.addMessage(part(3, 3, [0])), { code: 405 });
  });

  it('stores a receipt once and applies it to the outbox in the same transaction', () => {
    const store = track(openTestStore());
    const { id } = store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'x' });
    const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
    store.outbox.submitted(claimed!.messageId, ['7f3a']);
    const receipt = { link: 'smpp' as const, sender: '+447700900123', ref: '7f3a', outcome: 'delivered' as const, payload: 'id:7f3a sub:001 dlvrd:001 stat:DELIVRD err:000' };
    const first = store.receiveReceipt(receipt);
    assert.equal(first.status, 'stored');
    assert.equal(first.settled, 1);
    assert.equal(store.outbox.get(id!)?.state, 'delivered');
    assert.deepEqual(store.receiveReceipt(receipt), { status: 'duplicate', settled: 0, matched: true });
    const entry = store.inbox.get((first as { id: number }).id)!;
    assert.equal(entry.type, 'receipt');
    assert.equal(entry.receiptRef, '7f3a');
    assert.equal(entry.receiptOutcome, 'delivered');
    // A receipt for a reference not recorded yet (ahead of its submit_sm_resp) says so, for the agent to hold it.
    const early = store.receiveReceipt({ ...receipt, ref: 'not-yet', payload: 'id:not-yet stat:DELIVRD' });
    assert.deepEqual([early.status, early.settled, early.matched], ['stored', 0, false]);
  });

  it('lists unhandled entries until marked, and prunes after the keep time', () => {
    const store = track(openTestStore({ inbox: { keepMs: 3_600_000 } }));
    store.inbox.addMessage({ link: 'smpp', sender: '1', payload: 'a', sentAt: scts });
    store.inbox.addMessage({ link: 'smpp', sender: '2', payload: 'b', sentAt: scts });
    store.inbox.addMessage({ link: 'smpp', sender: '3', payload: 'c1', concat: { ref: 1, total: 2, seq: 1 } });
    const [first, second] = store.inbox.unhandled();
    store.inbox.markHandled(first!.id);
    assert.deepEqual(store.inbox.unhandled().map((e) => e.id), [second!.id]);
    store.clock.advance(3_600_001);
    // The two entries go; the stray part is not dropped silently but kept as an incomplete entry.
    assert.equal(store.sweep().inboxPruned, 2);
    assert.deepEqual(store.inbox.unhandled(), []);
    assert.match(store.inbox.recent(1)[0]?.undecodable ?? '', /^incomplete: 1 of 2 parts/);
  });
});
