/**
 * The live store the agent's parts hold: damage found while running refuses calls (Store_Corrupt)
 * only until the swap, which happens on the next turn and leaves the same facade on a fresh file;
 * a second damage within the hour, or a swap that fails, stops the set-asides.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, isAgentError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore, resumePendingSalvage } from '../../../src/store/index.js';
import { LiveStore, salvageChunk, type RuntimeDamage } from '../../../src/agent/runtime/liveStore.js';
import { tempDir } from '../store/_helpers.js';

const reading = { kind: 'telemetry', priority: 'normal' as const, payload: '{"T":1}' };
const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isStoreCorrupt(error: unknown): boolean {
  return isAgentError(error) && error.code === ErrorCode.Store_Corrupt;
}

describe('the live store', () => {
  it('refuses calls until the swap, then carries on through the same facade on a fresh file', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    const replaced: RuntimeDamage[] = [];
    let now = 1_000_000;
    const live = new LiveStore({ path, open: () => openStore({ path, recoverSending: true }), idFloor: () => 0, logger: silentLogger(), replaced: (damage) => replaced.push(damage), now: () => now });
    try {
      const { outbox } = live.store;
      assert.equal(outbox.enqueue(reading).id, 1);
      live.noteError(corrupt);
      assert.throws(() => outbox.enqueue(reading), isStoreCorrupt, 'refused while the swap is pending');
      await nextTurn();
      assert.equal(replaced.length, 1);
      assert.equal(replaced[0]?.salvaged, 1);
      assert.equal(outbox.enqueue(reading).id, 2, 'the same facade, on the fresh file, above the old ids');
      assert.equal(readdirSync(dir).filter((name) => name.endsWith('Z')).length, 1);
      assert.match(live.conditions(now)[0]?.reason ?? '', /damaged while running .* 1 unsent reports salvaged \(1 time/);

      now += 60_000; // damaged again within the hour: no second set-aside
      live.noteError(corrupt);
      await nextTurn();
      assert.equal(replaced.length, 1);
      assert.equal(readdirSync(dir).filter((name) => name.endsWith('Z')).length, 1);
      assert.equal(live.conditions(now)[0]?.key, 'gave-up');
      assert.match(live.conditions(now)[0]?.reason ?? '', /damaged again 1 min after .* stopped setting files aside/);
    } finally {
      live.close();
      remove();
    }
  });

  it('takes readings into the fresh file while it salvages a large outbox a chunk per turn', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    const replaced: RuntimeDamage[] = [];
    const live = new LiveStore({ path, open: () => openStore({ path }), idFloor: () => 0, logger: silentLogger(), replaced: (damage) => replaced.push(damage) });
    try {
      live.store.outbox.enqueueMany(Array.from({ length: 3 * salvageChunk }, () => reading));
      live.noteError(corrupt);
      await nextTurn();
      assert.equal(replaced.length, 0, 'still salvaging');
      assert.match(live.conditions(Date.now())[0]?.reason ?? '', /salvaging its unsent reports/);
      assert.equal(live.store.outbox.enqueue(reading).id, 3 * salvageChunk + 1, 'a reading taken meanwhile, above the old ids');
      while (replaced.length === 0) await nextTurn();
      assert.equal(replaced[0]?.salvaged, 3 * salvageChunk);
      assert.equal(replaced[0]?.lost, 0);
      assert.equal(live.store.outbox.stats().byState.queued.rows, 3 * salvageChunk + 1);
    } finally {
      live.close();
      remove();
    }
  });

  it('leaves a salvage cut short by a stop for the next start to finish, without copying a row twice', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    const live = new LiveStore({ path, open: () => openStore({ path }), idFloor: () => 0, logger: silentLogger(), replaced: () => assert.fail('stopped first') });
    try {
      live.store.outbox.enqueueMany(Array.from({ length: 3 * salvageChunk }, () => reading));
      live.noteError(corrupt);
      await nextTurn(); // the swap and the first chunk
    } finally {
      live.close();
    }
    const store = openStore({ path });
    try {
      assert.equal(store.outbox.stats().byState.queued.rows, salvageChunk);
      const resumed = resumePendingSalvage(path, store.db, 0);
      assert.equal(resumed?.salvaged, 3 * salvageChunk, 'the fresh file holds every owed report: the first chunk from before the stop, the rest copied now');
      assert.equal(resumed?.lost, 0);
      assert.equal(store.outbox.stats().byState.queued.rows, 3 * salvageChunk);
      assert.equal(resumePendingSalvage(path, store.db, 0), undefined, 'done once');
    } finally {
      store.close();
      remove();
    }
  });

  it('gives up when the swap itself fails, refusing calls with Store_Corrupt', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    let opens = 0;
    const live = new LiveStore({
      path,
      open: () => {
        if (++opens > 1) throw new Error('no space left on device');
        return openStore({ path });
      },
      idFloor: () => 0,
      logger: silentLogger(),
      replaced: () => assert.fail('not replaced'),
    });
    try {
      live.noteError(corrupt);
      await nextTurn();
      assert.throws(() => live.store.outbox.stats(), isStoreCorrupt);
      assert.match(live.conditions(Date.now())[0]?.reason ?? '', /could not be replaced \(no space left on device\)/);
    } finally {
      live.close();
      remove();
    }
  });

  it('ignores errors that are not damage', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'agent.db');
    const live = new LiveStore({ path, open: () => openStore({ path }), idFloor: () => 0, logger: silentLogger(), replaced: () => assert.fail('not replaced') });
    try {
      live.noteError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
      await nextTurn();
      assert.equal(live.store.outbox.enqueue(reading).id, 1);
      assert.deepEqual(live.conditions(Date.now()), []);
    } finally {
      live.close();
      remove();
    }
  });
});
