/**
 * What the start-time integrity check costs: `PRAGMA quick_check` (the agent's choice) against
 * `PRAGMA integrity_check` on outboxes of growing size (queued text readings as the API writes
 * them), cold enough to matter: each check opens the file afresh. `rows=N,M` chooses the sizes.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';
import { findDamage } from '../src/store/integrity.js';
import type { BenchFigures, BenchOptions } from './run.js';

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return Math.round((performance.now() - start) * 10) / 10;
}

export function run(options: BenchOptions): Promise<BenchFigures> {
  const sizes = (options.args.find((arg) => arg.startsWith('rows='))?.slice(5) ?? '10000,100000').split(',').map(Number);
  const figures: BenchFigures = {};
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-integrity-'));
    const path = join(dir, 'agent.db');
    try {
      const store = openStore({ path });
      const batch = 1000;
      for (let done = 0; done < rows; done += batch) {
        store.outbox.enqueueMany(Array.from({ length: Math.min(batch, rows - done) }, (_, i) => ({
          kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ time: Date.now(), fields: { i: done + i, T: 21.5, H: 60 } }),
        })));
      }
      store.close();
      const quick = timed(() => findDamage(path));
      const full = timed(() => {
        const db = new Database(path, { readonly: true });
        db.pragma('integrity_check');
        db.close();
      });
      const entry = { fileBytes: statSync(path).size, quickCheckMs: quick, integrityCheckMs: full };
      figures[`rows${rows}`] = entry;
      if (options.verbose) console.log(`${rows} rows (${(entry.fileBytes / 2 ** 20).toFixed(1)} MiB): quick_check ${quick} ms, integrity_check ${full} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return Promise.resolve(figures);
}
