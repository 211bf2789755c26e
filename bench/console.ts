/**
 * `npm run bench -- console`: the web console's weight. Builds it as `npm run build` does
 * (scripts/bundleConsole.ts, into a scratch folder) and measures each file raw, gzip -9 (what the
 * agent sends a browser that takes gzip) and brotli, against the budget: 150 KB compressed in all.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { bundleConsole } from '../scripts/bundleConsole.js';
import type { BenchFigures, BenchOptions } from './run.js';

const budgetGzipBytes = 150 * 1024;

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const out = mkdtempSync(join(tmpdir(), 'esa-console-bench-'));
  try {
    const started = performance.now();
    await bundleConsole(out);
    const buildMs = Math.round(performance.now() - started);
    const files: Record<string, { raw: number; gzip: number; brotli: number }> = {};
    for (const name of readdirSync(out).sort()) {
      const raw = readFileSync(join(out, name));
      files[name] = {
        raw: raw.length,
        gzip: gzipSync(raw, { level: 9 }).length,
        brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    }
    const total = Object.values(files).reduce((sum, file) => ({ raw: sum.raw + file.raw, gzip: sum.gzip + file.gzip, brotli: sum.brotli + file.brotli }), { raw: 0, gzip: 0, brotli: 0 });
    if (options.verbose) {
      for (const [name, file] of Object.entries({ ...files, total })) process.stdout.write(`${name.padEnd(12)} ${String(file.raw).padStart(7)} B raw ${String(file.gzip).padStart(7)} B gzip ${String(file.brotli).padStart(7)} B brotli\n`);
      process.stdout.write(`budget: ${budgetGzipBytes} B gzip; used ${((total.gzip / budgetGzipBytes) * 100).toFixed(1)} %; build ${buildMs} ms\n`);
    }
    return { files, total, budgetGzipBytes, withinBudget: total.gzip <= budgetGzipBytes, buildMs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
