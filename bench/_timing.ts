/** Small timing helpers shared by the benchmarks: warm up, then measure ops/s over a fixed time. */
export interface Throughput {
  readonly opsPerSec: number;
  readonly nsPerOp: number;
  readonly iterations: number;
}

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up and returns its rate. */
export function measure(fn: () => unknown, ms = 1000, warmupMs = 200): Throughput {
  const until = (limit: number): number => {
    let iterations = 0;
    const start = process.hrtime.bigint();
    const stop = start + BigInt(limit) * 1_000_000n;
    let now = start;
    while (now < stop) {
      for (let i = 0; i < 256; i++) fn();
      iterations += 256;
      now = process.hrtime.bigint();
    }
    return Number(now - start) / iterations;
  };
  until(warmupMs);
  const nsPerOp = until(ms);
  return { opsPerSec: Math.round(1e9 / nsPerOp), nsPerOp: Math.round(nsPerOp), iterations: Math.round((ms * 1e6) / nsPerOp) };
}

export function ratio(ours: number, theirs: number): number {
  return Math.round((ours / theirs) * 100) / 100;
}
