import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../src/store/database.js';
import { CommitPolicy } from '../../../src/store/durability.js';
import { tempDir } from './_helpers.js';

const synchronous = (db: ReturnType<typeof openDatabase>): number => db.pragma('synchronous', { simple: true }) as number;
const FULL = 2;
const NORMAL = 1;

function withDb(run: (db: ReturnType<typeof openDatabase>, path: string) => void | Promise<void>): Promise<void> {
  const { dir, remove } = tempDir();
  const path = join(dir, 'agent.db');
  const db = openDatabase({ path });
  db.exec('CREATE TABLE t (x)');
  return Promise.resolve(run(db, path)).finally(() => {
    db.close();
    remove();
  });
}

describe('commit policy: which commits are fsynced', () => {
  it('full: an intake commit runs with synchronous FULL; a relaxed one with NORMAL, and FULL is restored even when it throws', () =>
    withDb((db, path) => {
      const commits = new CommitPolicy(db, `${path}-wal`, { durability: 'full' });
      let seen = 0;
      commits.intake(() => db.transaction(() => {
        seen = synchronous(db);
        db.prepare('INSERT INTO t VALUES (1)').run();
      }).immediate());
      assert.equal(seen, FULL);
      assert.equal(commits.relaxed(() => synchronous(db)), NORMAL);
      assert.throws(() => commits.relaxed(() => {
        throw new Error('boom');
      }), /boom/);
      assert.equal(synchronous(db), FULL);
      commits.close();
    }));

  it('batched: intake commits are relaxed, and one fsync is scheduled within batchMs (none when nothing waits)', () =>
    withDb(async (db, path) => {
      const commits = new CommitPolicy(db, `${path}-wal`, { durability: 'batched', batchMs: 50 });
      let seen = 0;
      for (let i = 0; i < 5; i++) {
        commits.intake(() => db.transaction(() => {
          seen = synchronous(db);
          db.prepare('INSERT INTO t VALUES (?)').run(i);
        }).immediate());
      }
      assert.equal(seen, NORMAL);
      assert.equal(synchronous(db), FULL, 'the connection is back at FULL between commits');
      assert.equal(commits.pendingSync, true);
      const deadline = Date.now() + 5000;
      while (commits.pendingSync && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(commits.pendingSync, false, 'the timer fsynced the WAL');
      commits.close();
    }));

  it('inside an outer transaction the outer commit decides (no pragma change mid-transaction)', () =>
    withDb((db, path) => {
      const commits = new CommitPolicy(db, `${path}-wal`, { durability: 'batched' });
      const inner = db.transaction(() => commits.relaxed(() => synchronous(db)));
      assert.equal(inner.immediate(), FULL);
      assert.equal(commits.pendingSync, false);
      commits.close();
    }));

  it("synchronous 'normal' (a UPS): nothing is relaxed or scheduled, the connection stays NORMAL", () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    const db = openDatabase({ path, synchronous: 'normal' });
    try {
      const commits = new CommitPolicy(db, `${path}-wal`, { synchronous: 'normal', durability: 'batched' });
      assert.equal(commits.relaxed(() => synchronous(db)), NORMAL);
      assert.equal(commits.pendingSync, false);
      commits.close();
    } finally {
      db.close();
      remove();
    }
  });
});
