/**
 * What the WAL-loss mark and the run-time set-aside cost (issue 13):
 * - one update of the acknowledged high-water mark (`<db>.mark`: pwrite of one slot + fdatasync), in
 *   time and in bytes the process caused to be written (/proc/self/io write_bytes, the figure the SD
 *   card sees); the agent makes at most one a second, only when reports were accepted;
 * - the once-a-second probe of the store's highest id (two B-tree seeks, no write);
 * - a run-time set-aside: close, move aside, salvage every queued report into a fresh file, reopen,
 *   which blocks the event loop while it runs (`rows=N,M` chooses the outbox sizes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { highestReportId, LossMark, openDatabase, openStore, Salvage, setAside } from '../src/store/index.js';
import { salvageChunk } from '../src/agent/runtime/liveStore.js';
import type { BenchFigures, BenchOptions } from './run.js';

function writtenBytes(): number {
  return Number(/write_bytes: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
}

function fill(path: string, rows: number): void {
  const store = openStore({ path });
  for (let done = 0; done < rows; done += 1000) {
    store.outbox.enqueueMany(Array.from({ length: Math.min(1000, rows - done) }, (_, i) => ({
      kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ time: Date.now(), fields: { i: done + i, T: 21.5, H: 60 } }),
    })));
  }
  store.close();
}

export function run(options: BenchOptions): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  const dir = mkdtempSync(join(tmpdir(), 'bench-walloss-'));
  try {
    const mark = new LossMark(join(dir, 'agent.db.mark'));
    mark.update(1);
    const updates = 200;
    const bytesBefore = writtenBytes();
    const start = performance.now();
    for (let id = 2; id < updates + 2; id++) mark.update(id);
    const perUpdateUs = ((performance.now() - start) * 1000) / updates;
    const bytesPerUpdate = (writtenBytes() - bytesBefore) / updates;
    mark.close();
    figures['markUpdate'] = { updates, meanUs: Math.round(perUpdateUs), writtenBytesPerUpdate: Math.round(bytesPerUpdate) };
    if (options.verbose) console.log(`mark update: ${Math.round(perUpdateUs)} µs, ${Math.round(bytesPerUpdate)} bytes written each (${updates} updates)`);

    const sizes = (options.args.find((arg) => arg.startsWith('rows='))?.slice(5) ?? '10000,100000').split(',').map(Number);
    for (const rows of sizes) {
      const path = join(dir, `agent-${rows}.db`);
      fill(path, rows);
      const store = openStore({ path });
      const probes = 2000;
      const probeStart = performance.now();
      for (let i = 0; i < probes; i++) highestReportId(store.db);
      const probeUs = ((performance.now() - probeStart) * 1000) / probes;
      store.close();
      // As the live store does it: set aside, open fresh, begin (blocking), then one chunk per turn.
      const swapStart = performance.now();
      const movedTo = setAside(path, new Date());
      const fresh = openDatabase({ path });
      const job = Salvage.begin(fresh, movedTo, 0);
      const beginMs = performance.now() - swapStart;
      let longestChunkMs = 0;
      while (!job.done) {
        const chunkStart = performance.now();
        job.step(salvageChunk);
        longestChunkMs = Math.max(longestChunkMs, performance.now() - chunkStart);
      }
      const { salvaged } = job.finish();
      fresh.close();
      const totalMs = performance.now() - swapStart;
      figures[`rows${rows}`] = { highestIdProbeUs: Math.round(probeUs * 10) / 10, setAsideAndBeginMs: Math.round(beginMs), longestChunkMs: Math.round(longestChunkMs), salvageTotalMs: Math.round(totalMs), salvaged };
      if (options.verbose) console.log(`${rows} queued: highest-id probe ${probeUs.toFixed(1)} µs; set aside + open fresh + begin ${Math.round(beginMs)} ms (blocking), longest chunk of ${salvageChunk} ${Math.round(longestChunkMs)} ms, all ${Math.round(totalMs)} ms (${salvaged} salvaged)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Promise.resolve(figures);
}
