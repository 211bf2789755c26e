/** Shared by the store tests: a real database file in a fresh temp dir, and a clock the test moves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../fakes/manualClock.js';
import { openStore, type Store, type StoreOptions } from '../../../src/store/index.js';

export interface TestStore extends Store {
  readonly clock: ManualClock;
  readonly path: string;
  readonly dir: string;
  /** Closes the store and removes its directory. */
  cleanup(): void;
}

export function tempDir(prefix = 'store-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTestStore(options: Partial<StoreOptions> = {}, clock = new ManualClock(Date.UTC(2026, 0, 1))): TestStore {
  const { dir, remove } = tempDir();
  const path = join(dir, 'agent.db');
  let store: Store;
  try {
    store = openStore({ path, ...options, outbox: { clock, random: () => 0.5, ...options.outbox } });
  } catch (error) {
    remove();
    throw error;
  }
  return Object.assign(store, {
    clock,
    path,
    dir,
    cleanup: () => {
      store.close();
      remove();
    },
  });
}
