import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openTestStore, tempDir, type TestStore } from './_helpers.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { openStore, schemaVersion } from '../../../src/store/index.js';
import { migrate } from '../../../src/store/migrations.js';

let current: TestStore | undefined;
afterEach(() => current?.cleanup());

const t0 = Date.UTC(2026, 0, 1);
const hour = 3_600_000;

/** Builds a message of one telemetry report at the store clock's time, then fails it so it waits to be re-sent. */
function buildAndFail(store: TestStore): { messageId: number; reportId: number } {
  const { id } = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: '{"time":1,"fields":{"T":1}}' });
  const built = store.outbox.buildMessage([id!], 'smpp', (seq) => ({ destination: '12345', payload: `ESA1 d=42 s=${seq} t=1;t T1`, format: 'report-text' }));
  assert.equal(store.outbox.sendFailed(built.messageId, 'temporary', 'SMSC down'), 1);
  return { messageId: built.messageId, reportId: id! };
}

/** Moves the clock past the back-off and re-sends the one resendable message. */
function resend(store: TestStore, messageId: number, afterMs: number): void {
  store.clock.advance(afterMs);
  const [ready] = store.outbox.resendable(1, 'smpp');
  assert.equal(ready?.messageId, messageId, 'the failed message is resendable after its back-off');
  store.outbox.restartMessage(messageId, 'smpp');
}

describe('built messages: re-sending keeps the message history', () => {
  it('keeps created_at at the first build and records each re-send as the last attempt', () => {
    const store = (current = openTestStore({}, new ManualClock(t0)));
    const { messageId, reportId } = buildAndFail(store);
    assert.equal(store.outbox.message(messageId)?.createdAt, t0);
    assert.equal(store.outbox.message(messageId)?.lastAttemptAt, t0);

    resend(store, messageId, hour);
    const first = store.outbox.message(messageId);
    assert.equal(first?.state, 'sending');
    assert.equal(first?.createdAt, t0, 'a re-send does not make the message younger');
    assert.equal(first?.lastAttemptAt, t0 + hour);

    assert.equal(store.outbox.sendFailed(messageId, 'temporary', 'SMSC down again'), 1);
    resend(store, messageId, 2 * hour);
    const second = store.outbox.message(messageId);
    assert.equal(second?.createdAt, t0);
    assert.equal(second?.lastAttemptAt, t0 + 3 * hour);
    assert.equal(store.outbox.get(reportId)?.attempts, 3, 'the report counts every attempt');
  });

  it('keeps the bytes of a requeued message for its re-send, and drops them once it is delivered or failed', () => {
    const store = (current = openTestStore({}, new ManualClock(t0)));
    const payloadOf = (messageId: number): unknown => store.db.prepare('SELECT CAST(payload AS TEXT) FROM messages WHERE id = ?').pluck().get(messageId);
    const { messageId } = buildAndFail(store);
    assert.equal(store.outbox.message(messageId)?.state, 'requeued');
    assert.match(String(payloadOf(messageId)), /^ESA1 d=42 s=\d+ /, 'requeued: kept as built');
    resend(store, messageId, hour);
    store.outbox.submitted(messageId, ['ref-1']);
    assert.equal(store.outbox.receipt('smpp', 'ref-1', 'delivered').settled, 1);
    assert.equal(payloadOf(messageId), null, 'delivered: nothing will send it again');
    assert.deepEqual(store.outbox.message(messageId)?.refs, ['ref-1'], 'its references stay for late receipts');

    const { id } = store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: '{"time":1,"fields":{"door":1}}' });
    const refused = store.outbox.buildMessage([id!], 'smpp', (seq) => ({ destination: '12345', payload: `ESA1 d=42 s=${seq} t=1;a door1`, format: 'report-text' }));
    store.outbox.sendFailed(refused.messageId, 'permanent', 'invalid destination');
    assert.equal(store.outbox.message(refused.messageId)?.state, 'failed');
    assert.equal(payloadOf(refused.messageId), null, 'failed: its reports are failed or packed anew, never this message');
  });

  it('sets both times on a message started for a plain SMS', () => {
    const store = (current = openTestStore({}, new ManualClock(t0 + 5)));
    const { id } = store.outbox.enqueue({ kind: 'sms', priority: 'high', payload: 'hello' });
    const messageId = store.outbox.startMessage([id!], 'modem');
    assert.deepEqual(
      { createdAt: store.outbox.message(messageId)?.createdAt, lastAttemptAt: store.outbox.message(messageId)?.lastAttemptAt },
      { createdAt: t0 + 5, lastAttemptAt: t0 + 5 },
    );
  });

  it('migrates a schema 2 file to 3: rows keep created_at, gain last_attempt_at, and re-sends keep created_at', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      // A file exactly as a schema 2 agent left it: a message built at t0 that failed and waits to be re-sent.
      const raw = new Database(path);
      assert.deepEqual(migrate(raw, path, 2), { from: 0, to: 2 });
      const columns = (raw.prepare(`SELECT name FROM pragma_table_info('messages')`).all() as Array<{ name: string }>).map((c) => c.name);
      assert.ok(!columns.includes('last_attempt_at'), 'schema 2 has no last_attempt_at');
      const messageId = Number(
        raw
          .prepare(`INSERT INTO messages (state, link, created_at, finished_at, seq, destination, format, payload, payload_is_text)
            VALUES ('requeued', 'smpp', ?, ?, 77, '12345', 'report-text', CAST('ESA1 d=42 s=77 t=1;t T1' AS BLOB), 1)`)
          .run(t0, t0 + 1000).lastInsertRowid,
      );
      raw
        .prepare(`INSERT INTO reports (kind, priority, state, payload, payload_is_text, bytes, created_at, attempts, next_attempt_at, updated_at, message_id)
          VALUES ('telemetry', 2, 'queued', CAST('{}' AS BLOB), 1, 2, ?, 1, ?, ?, ?)`)
        .run(t0 - 60_000, t0 + 2000, t0 + 1000, messageId);
      raw.close();

      const clock = new ManualClock(t0 + hour);
      const store = openStore({ path, outbox: { clock, random: () => 0.5 } });
      try {
        assert.ok(schemaVersion >= 3);
        assert.equal(store.db.pragma('user_version', { simple: true }), schemaVersion);
        assert.equal(store.outbox.message(messageId)?.createdAt, t0);
        assert.equal(store.outbox.message(messageId)?.lastAttemptAt, t0, 'the best known last attempt of an old row is its created_at');
        const [ready] = store.outbox.resendable(1, 'smpp');
        assert.equal(ready?.seq, 77);
        assert.equal(ready.payload, 'ESA1 d=42 s=77 t=1;t T1');
        store.outbox.restartMessage(messageId, 'smpp');
        assert.equal(store.outbox.message(messageId)?.createdAt, t0);
        assert.equal(store.outbox.message(messageId)?.lastAttemptAt, t0 + hour);
      } finally {
        store.close();
      }
      // Re-opening a migrated file runs nothing again.
      const again = openStore({ path });
      assert.equal(again.db.pragma('user_version', { simple: true }), schemaVersion);
      again.close();
    } finally {
      remove();
    }
  });
});
