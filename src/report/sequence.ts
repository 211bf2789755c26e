/**
 * The centre's side of at-least-once delivery: per device, remembers which sequence numbers it has
 * seen so that a re-sent message is dropped and a missing one is noticed.
 */
import { maxSequence } from './model.js';

export type SequenceVerdict =
  | { readonly kind: 'new'; readonly missing: readonly number[] }
  | { readonly kind: 'duplicate' };

export interface SequenceTrackerOptions {
  /** How many recent sequence numbers to remember per device (default 1024). */
  readonly window?: number;
  /** Largest gap reported as individual missing numbers (default 100); larger jumps count as a restart. */
  readonly maxReportedGap?: number;
}

export class SequenceTracker {
  private readonly devices = new Map<string, { highest: number; seen: Set<number>; order: number[] }>();
  private readonly window: number;
  private readonly maxReportedGap: number;

  constructor(options: SequenceTrackerOptions = {}) {
    this.window = options.window ?? 1024;
    this.maxReportedGap = options.maxReportedGap ?? 100;
  }

  /** Records `seq` for `device`: 'duplicate' if seen recently, else 'new' with the numbers skipped since the highest. */
  accept(device: string, seq: number): SequenceVerdict {
    const state = this.devices.get(device);
    if (state === undefined) {
      this.devices.set(device, { highest: seq, seen: new Set([seq]), order: [seq] });
      return { kind: 'new', missing: [] };
    }
    if (state.seen.has(seq)) return { kind: 'duplicate' };
    const ahead = (seq - state.highest + maxSequence + 1) % (maxSequence + 1);
    const missing: number[] = [];
    // A forward step of less than half the sequence space is new; else it is an older message arriving late.
    if (ahead > 0 && ahead <= (maxSequence + 1) / 2) {
      if (ahead - 1 <= this.maxReportedGap) {
        for (let step = 1; step < ahead; step++) {
          const skipped = (state.highest + step) % (maxSequence + 1);
          if (!state.seen.has(skipped)) missing.push(skipped);
        }
      }
      state.highest = seq;
    }
    state.seen.add(seq);
    state.order.push(seq);
    if (state.order.length > this.window) state.seen.delete(state.order.shift() ?? -1);
    return { kind: 'new', missing };
  }
}
