/** How reconnections after a broker came back are spread in time: the figures of a reconnect storm (or its absence). */
export interface ReconnectSpread {
  readonly count: number;
  /** ms after the broker came up. */
  readonly firstMs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly lastMs: number;
  /** The most reconnections in any 100 ms window. */
  readonly busiest100Ms: number;
}

export function reconnectSpread(times: readonly number[], upAt: number): ReconnectSpread {
  const offsets = times.map((time) => time - upAt).sort((a, b) => a - b);
  const at = (share: number): number => offsets[Math.min(offsets.length - 1, Math.floor(share * offsets.length))] ?? 0;
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < offsets.length; end++) {
    while ((offsets[end] ?? 0) - (offsets[start] ?? 0) >= 100) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  return { count: offsets.length, firstMs: at(0), medianMs: at(0.5), p90Ms: at(0.9), lastMs: offsets.at(-1) ?? 0, busiest100Ms: busiest };
}
