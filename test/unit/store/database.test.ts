import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from './_helpers.js';
import { openDatabase, openStore, resolveDatabasePath, schemaVersion } from '../../../src/store/index.js';
import { hasErrorCode, ErrorCode } from '../../../src/errors.js';

describe('database file: migrations, modes, pragmas', () => {
  it('creates a fresh file at the current schema, owner-only, in WAL mode with FULL sync by default', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'nested', 'agent.db');
      const db = openDatabase({ path });
      assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2, 'FULL');
      assert.equal(db.pragma('busy_timeout', { simple: true }), 10_000);
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((t) => t.name);
      for (const table of ['reports', 'messages', 'message_refs', 'totals', 'drops', 'inbox', 'inbox_parts']) assert.ok(tables.includes(table), table);
      db.prepare(`INSERT INTO messages (state, link, created_at) VALUES ('sending', 'smpp', 1)`).run();
      for (const file of ['agent.db', 'agent.db-wal', 'agent.db-shm']) {
        assert.equal(statSync(join(dir, 'nested', file)).mode & 0o777, 0o600, file);
      }
      db.close();
    } finally {
      remove();
    }
  });

  it('tightens the mode of an existing world-readable file', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      writeFileSync(path, '', { mode: 0o644 });
      openDatabase({ path, synchronous: 'normal' }).close();
      assert.equal(statSync(path).mode & 0o777, 0o600);
    } finally {
      remove();
    }
  });

  it('re-opens an existing file without re-running migrations and keeps its rows', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      const first = openStore({ path });
      const { id } = first.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'kept' });
      first.close();
      const second = openStore({ path, synchronous: 'normal' });
      assert.equal(second.outbox.get(id!)?.payload, 'kept');
      assert.equal(second.db.pragma('synchronous', { simple: true }), 1, 'NORMAL when asked');
      const totals = second.db.prepare('SELECT COUNT(*) AS n FROM totals').get() as { n: number };
      assert.equal(totals.n, 24, 'seed rows were not inserted twice');
      second.close();
    } finally {
      remove();
    }
  });

  it('refuses a file written by a newer agent, with a clear message, and leaves it untouched', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      openDatabase({ path }).close();
      const raw = new Database(path);
      raw.pragma(`user_version = ${schemaVersion + 1}`);
      raw.close();
      assert.throws(
        () => openStore({ path }),
        (error: unknown) =>
          hasErrorCode(error, ErrorCode.Store_SchemaTooNew) &&
          error.message.includes(`schema version ${schemaVersion + 1}, newer than this agent understands (${schemaVersion})`) &&
          error.message.includes('upgrade edge-sms-agent'),
      );
      const check = new Database(path);
      assert.equal(check.pragma('user_version', { simple: true }), schemaVersion + 1);
      check.close();
    } finally {
      remove();
    }
  });

  it('opens read-only only a file at the current schema, and never creates one', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      assert.throws(() => openDatabase({ path, readonly: true }), { code: ErrorCode.Store_Open });
      const raw = new Database(path);
      raw.close();
      assert.throws(() => openDatabase({ path, readonly: true }), { code: ErrorCode.Store_Open, message: /open it once read-write/ });
      openDatabase({ path }).close();
      const db = openDatabase({ path, readonly: true });
      assert.equal(db.readonly, true);
      db.close();
    } finally {
      remove();
    }
  });

  it('reports an unopenable path as Store_Open', () => {
    const { dir, remove } = tempDir();
    try {
      const blocker = join(dir, 'file');
      writeFileSync(blocker, 'not a directory');
      assert.throws(() => openDatabase({ path: join(blocker, 'agent.db') }), { code: ErrorCode.Store_Open });
      const garbage = join(dir, 'garbage.db');
      writeFileSync(garbage, 'this is not an SQLite database, just text long enough to have a header'.repeat(20));
      assert.throws(() => openDatabase({ path: garbage }), { code: ErrorCode.Store_Open });
    } finally {
      remove();
    }
  });

  it('resolves the path from the option, then $EDGE_SMS_DB, then the default', () => {
    assert.equal(resolveDatabasePath('/x.db', { EDGE_SMS_DB: '/y.db' }), '/x.db');
    assert.equal(resolveDatabasePath(undefined, { EDGE_SMS_DB: '/y.db' }), '/y.db');
    assert.equal(resolveDatabasePath(undefined, {}), '/var/lib/edge-sms-agent/agent.db');
  });
});
