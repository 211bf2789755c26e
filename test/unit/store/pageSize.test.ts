import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/store/migrations.js';
import { storePageSize } from '../../../src/store/durability.js';
import { openStore } from '../../../src/store/index.js';
import { Outbox } from '../../../src/store/outbox.js';
import { tempDir } from './_helpers.js';

/** A file as agents before issue 14 left it: 4 KiB pages, WAL, schema 4, with reports in several states. */
function makeOldFile(path: string, count: number, crashCopy?: string): number[] {
  const db = new Database(path);
  db.pragma('page_size = 4096');
  db.pragma('journal_mode = WAL');
  migrate(db, path, 4);
  const outbox = new Outbox(db);
  const ids = outbox.enqueueMany(Array.from({ length: count }, (_, i) => ({ kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ n: i, pad: 'x'.repeat(i % 300) }) }))).map((result) => result.id ?? -1);
  const claimed = outbox.claim({ limit: 10, link: 'smpp' });
  for (const { messageId } of claimed.slice(0, 5)) outbox.submitted(messageId, [`ref-${messageId}`]);
  for (const { messageId } of claimed.slice(0, 2)) outbox.receipt('smpp', `ref-${messageId}`, 'delivered');
  if (crashCopy !== undefined) {
    // The file and its WAL as a crash leaves them: the last commits only in the WAL, not checkpointed.
    db.pragma('wal_autocheckpoint = 0');
    outbox.enqueueMany(Array.from({ length: 50 }, (_, i) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `late ${i}` })));
    copyFileSync(path, crashCopy);
    copyFileSync(`${path}-wal`, `${crashCopy}-wal`);
  }
  db.close();
  return ids;
}

describe('page size: new files and older ones', () => {
  it('gives a new file the small page size, in WAL mode', () => {
    const { dir, remove } = tempDir();
    try {
      const store = openStore({ path: join(dir, 'agent.db') });
      assert.equal(store.db.pragma('page_size', { simple: true }), storePageSize);
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      store.close();
    } finally {
      remove();
    }
  });

  it('the agent converts a schema-4 file with 4 KiB pages and finds every report, in its state, afterwards', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      const ids = makeOldFile(path, 2000);
      const before = new Database(path, { readonly: true });
      assert.equal(before.pragma('page_size', { simple: true }), 4096);
      const rowsBefore = before.prepare('SELECT id, state, payload, message_id FROM reports ORDER BY id').all();
      before.close();

      // A CLI client (no recoverSending) never converts: it must not block on a running agent.
      const client = openStore({ path, recoverSending: false });
      assert.equal(client.db.pragma('page_size', { simple: true }), 4096);
      client.close();

      const store = openStore({ path, recoverSending: true });
      try {
        assert.equal(store.db.pragma('page_size', { simple: true }), storePageSize);
        assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
        assert.ok((store.db.pragma('user_version', { simple: true }) as number) >= 4, 'schema kept and migrated onwards');
        assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
        // Recovery put the five still `sending` back to queued; everything else is as it was.
        const rowsAfter = store.db.prepare('SELECT id, state, payload, message_id FROM reports ORDER BY id').all() as Array<{ id: number; state: string }>;
        assert.equal(rowsAfter.length, ids.length);
        assert.deepEqual(rowsAfter.map((row) => row.id), ids);
        const states = (rows: readonly unknown[]): Record<string, number> => {
          const counts: Record<string, number> = {};
          for (const row of rows as Array<{ state: string }>) counts[row.state] = (counts[row.state] ?? 0) + 1;
          return counts;
        };
        assert.deepEqual(states(rowsBefore), { queued: 1990, sending: 5, submitted: 3, delivered: 2 });
        assert.deepEqual(states(rowsAfter), { queued: 1995, submitted: 3, delivered: 2 });
        for (const id of ids) assert.ok(store.outbox.get(id) !== undefined, `report ${id} found`);
        // The outbox works on the converted file.
        const next = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'after' });
        assert.equal(store.outbox.get(next.id ?? -1)?.payload, 'after');
      } finally {
        store.close();
      }
    } finally {
      remove();
    }
  });

  it('converts a file left by a crash with commits only in its WAL, and keeps them', () => {
    const { dir, remove } = tempDir();
    try {
      const crashed = join(dir, 'crashed.db');
      makeOldFile(join(dir, 'agent.db'), 300, crashed);
      const store = openStore({ path: crashed, recoverSending: true });
      try {
        assert.equal(store.db.pragma('page_size', { simple: true }), storePageSize);
        const count = (store.db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n;
        assert.equal(count, 350, 'the 300 reports and the 50 that were only in the WAL');
        assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        store.close();
      }
    } finally {
      remove();
    }
  });
});
