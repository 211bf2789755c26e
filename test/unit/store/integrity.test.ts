import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkCacheKiB, findDamage, openForCheck } from '../../../src/store/integrity.js';
import { openStore } from '../../../src/store/index.js';
import { tempDir } from './_helpers.js';

/** A store file with `count` queued readings, closed. */
function makeFile(path: string, count: number): void {
  const store = openStore({ path });
  store.outbox.enqueueMany(Array.from({ length: count }, (_, i) => ({ kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ n: i, pad: 'x'.repeat(100) }) })));
  store.close();
}

describe('start-time integrity check', () => {
  it('reads with a page cache of checkCacheKiB, a small fraction of the driver default', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      makeFile(path, 10);
      const plain = new Database(path);
      const defaultKiB = -(plain.pragma('cache_size', { simple: true }) as number);
      plain.close();
      const db = openForCheck(path);
      try {
        // Negative cache_size is KiB: pages are counted against that many bytes, headers included.
        assert.equal(db.pragma('cache_size', { simple: true }), -checkCacheKiB);
        assert.ok(checkCacheKiB * 16 <= defaultKiB, `check cache ${checkCacheKiB} KiB against the default ${defaultKiB} KiB`);
      } finally {
        db.close();
      }
    } finally {
      remove();
    }
  });

  it('finds a sound file sound, whatever its size against the small cache', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      makeFile(path, 5000);
      assert.equal(findDamage(path), undefined);
    } finally {
      remove();
    }
  });

  it('still reports a damaged page and a file that is not a database', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'agent.db');
      makeFile(path, 5000);
      // Overwrite pages in the middle of the reports table (the file is checkpointed at close).
      const fd = openSync(path, 'r+');
      try {
        writeSync(fd, Buffer.alloc(8 * 512, 0xa5), 0, 8 * 512, 200 * 512);
      } finally {
        closeSync(fd);
      }
      assert.notEqual(findDamage(path), undefined, 'a file with overwritten pages passed the check');
      const junk = join(dir, 'junk.db');
      writeFileSync(junk, Buffer.alloc(8192, 0x42));
      assert.match(findDamage(junk) ?? 'sound', /SQLITE_NOTADB/);
    } finally {
      remove();
    }
  });
});
