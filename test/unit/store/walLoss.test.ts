/**
 * Report ids and the acknowledged high-water mark: ids never repeat (the newest rows deleted, a
 * salvage into a fresh file), the mark survives a torn write of its newest slot, and the store
 * behind its mark by N says N.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { findLostReports, highestReportId, LossMark, openStore, readMark, setAsideAndSalvage } from '../../../src/store/index.js';
import { openTestStore, tempDir } from './_helpers.js';

const reading = (i: number): { kind: string; priority: 'normal'; payload: string } => ({ kind: 'telemetry', priority: 'normal', payload: JSON.stringify({ i }) });

describe('report ids', () => {
  it('never repeat after the newest rows are deleted', () => {
    const store = openTestStore();
    try {
      const ids = [1, 2, 3].map((i) => store.outbox.enqueue(reading(i)).id);
      assert.deepEqual(ids, [1, 2, 3]);
      store.db.prepare('DELETE FROM reports WHERE id >= 2').run(); // as a purge or a prune of the newest would
      assert.equal(highestReportId(store.db), 3);
      assert.equal(store.outbox.enqueue(reading(4)).id, 4);
      store.db.prepare('DELETE FROM reports').run();
      assert.equal(store.outbox.enqueue(reading(5)).id, 5);
    } finally {
      store.cleanup();
    }
  });

  it('continue above the damaged file and the mark after a salvage', () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    try {
      const store = openStore({ path });
      for (let i = 0; i < 5; i++) store.outbox.enqueue(reading(i));
      store.close();
      const report = setAsideAndSalvage(path, 'test', new Date(), 40);
      assert.equal(report.salvaged, 5);
      const fresh = openStore({ path });
      try {
        assert.equal(highestReportId(fresh.db), 40);
        assert.equal(fresh.outbox.enqueue(reading(9)).id, 41);
      } finally {
        fresh.close();
      }
    } finally {
      remove();
    }
  });
});

describe('the acknowledged high-water mark', () => {
  it('keeps the older slot when the newest is torn, and writes only ids above it', () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db.mark');
    try {
      assert.equal(readMark(path), undefined);
      const mark = new LossMark(path);
      assert.equal(mark.update(7), true);
      assert.equal(mark.update(7), false, 'unchanged: no write');
      assert.equal(mark.update(9), true);
      mark.close();
      assert.equal(readMark(path), 9);
      // generation 2 went to the slot at 0: tear it
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from([0xff, 0xff]), 0, 2, 12);
      closeSync(fd);
      assert.equal(readMark(path), 7, 'the other slot, one step older');
      const again = new LossMark(path);
      assert.equal(again.value, 7);
      assert.equal(again.update(12), true);
      again.close();
      assert.equal(readMark(path), 12);
    } finally {
      remove();
    }
  });

  it('counts the store behind it as lost and moves the ids above it', () => {
    const store = openTestStore();
    const markPath = `${store.path}.mark`;
    try {
      for (let i = 0; i < 3; i++) store.outbox.enqueue(reading(i));
      assert.equal(findLostReports(store.db, markPath), undefined, 'no mark yet: nothing to compare');
      const mark = new LossMark(markPath);
      mark.update(3);
      assert.equal(findLostReports(store.db, markPath), undefined, 'level with the mark');
      mark.update(10);
      mark.close();
      assert.deepEqual(findLostReports(store.db, markPath), { mark: 10, found: 3, lost: 7 });
      assert.equal(findLostReports(store.db, markPath), undefined, 'said once: the ids now continue above the mark');
      assert.equal(store.outbox.enqueue(reading(4)).id, 11);
    } finally {
      store.cleanup();
    }
  });
});
