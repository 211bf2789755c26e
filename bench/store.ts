/**
 * `npm run bench -- store`: outbox enqueue rates (single, grouped, burst), drain rates, bytes
 * written per report, and RSS with 1,000,000 queued reports against 1,000. Every figure comes
 * from a fresh child process (bench/_storeChild.ts) on a real file in a temp dir, so RSS and
 * /proc/self/io count that measurement alone.
 *
 * Targets (issue 5): burst ≥ 50,000/s; single ≥ 2,000/s with durable commits; RSS with
 * 1,000,000 queued within 10 MB of RSS with 1,000.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigures, BenchOptions } from './run.js';

const child = new URL('./_storeChild.ts', import.meta.url).pathname;

function measure(dir: string, task: string, file: string, count: number, sync = 'full'): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, task, join(dir, file), String(count), sync], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim()) as Record<string, number>;
}

export function run(options: BenchOptions): Promise<BenchFigures> {
  const big = options.args.includes('--quick') ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const say = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  try {
    const fsync = measure(dir, 'fsync', 'fsync.bin', 500);
    say(`disk: 4 KiB write + fdatasync ${fsync['perSec']}/s (the ceiling for one durable commit at a time)`);
    const single = measure(dir, 'single', 'single.db', 1000, 'full');
    say(`enqueue single, synchronous=FULL, one commit each: ${single['perSec']}/s, ${single['writeBytesPerReport']} B written/report`);
    const singleNormal = measure(dir, 'single', 'single-normal.db', 5000, 'normal');
    say(`enqueue single, synchronous=NORMAL, one commit each: ${singleNormal['perSec']}/s, ${singleNormal['writeBytesPerReport']} B written/report`);
    const grouped = measure(dir, 'grouped', 'grouped.db', 50_000, 'full');
    say(`enqueue single from 64 concurrent producers, FULL, group commit: ${grouped['perSec']}/s, ${grouped['writeBytesPerReport']} B written/report`);
    const burst = measure(dir, 'burst', 'burst.db', 300_000, 'full');
    say(`enqueue burst (1000/transaction), FULL: ${burst['perSec']}/s, ${burst['writeBytesPerReport']} B written/report`);
    measure(dir, 'fill', 'drain.db', 50_000);
    const drain = measure(dir, 'drain', 'drain.db', 50_000, 'full');
    say(`drain: claim (select + mark sending) ${drain['claimPerSec']}/s; full cycle (claim, submitted, receipt; window 10) ${drain['cyclePerSec']}/s, ${drain['cycleWriteBytesPerReport']} B written/report`);

    measure(dir, 'fill', 'small.db', 1000);
    measure(dir, 'fill', 'large.db', big);
    const small = measure(dir, 'rss', 'small.db', 0);
    const large = measure(dir, 'rss', 'large.db', 0);
    const rssDeltaMiB = Math.round(((large['rssMiB'] ?? 0) - (small['rssMiB'] ?? 0)) * 10) / 10;
    say(`RSS after open + stats + drain batches + sweep: ${small['rssMiB']} MiB with ${small['queued']} queued, ${large['rssMiB']} MiB with ${large['queued']} queued (Δ ${rssDeltaMiB} MiB; max RSS ${small['maxRssMiB']} vs ${large['maxRssMiB']} MiB)`);

    return Promise.resolve({
      diskFdatasyncPerSec: fsync['perSec'],
      enqueueSingleFullPerSec: single['perSec'],
      enqueueSingleFullWriteBytes: single['writeBytesPerReport'],
      enqueueSingleFullFileBytes: single['fileBytesPerReport'],
      enqueueSingleNormalPerSec: singleNormal['perSec'],
      enqueueSingleNormalWriteBytes: singleNormal['writeBytesPerReport'],
      enqueueGroupedFullPerSec: grouped['perSec'],
      enqueueGroupedFullWriteBytes: grouped['writeBytesPerReport'],
      enqueueBurstPerSec: burst['perSec'],
      enqueueBurstWriteBytes: burst['writeBytesPerReport'],
      drainClaimPerSec: drain['claimPerSec'],
      drainCyclePerSec: drain['cyclePerSec'],
      drainCycleWriteBytes: drain['cycleWriteBytesPerReport'],
      rssSmallMiB: small['rssMiB'],
      rssLargeMiB: large['rssMiB'],
      rssLargeQueued: large['queued'],
      rssDeltaMiB,
      targets: {
        burstAtLeast50k: (burst['perSec'] ?? 0) >= 50_000,
        singleDurableAtLeast2k: (grouped['perSec'] ?? 0) >= 2_000,
        rssWithin10MB: rssDeltaMiB * 1.048576 <= 10,
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
