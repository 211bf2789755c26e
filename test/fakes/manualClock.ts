/**
 * The one manual clock for every test: time moves only when the test calls `advance(ms)`, which
 * fires each due timer at its own moment, in deadline order (ties in the order they were set),
 * including timers those callbacks set. Fits `src/clock.ts` and the SMPP session's clock alike.
 */
import type { Clock, TimerHandle } from '../../src/clock.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Pending>();

  constructor(start = 0) {
    this.time = start;
  }

  /** An arrow property, so `clock.now` can be handed on as a plain function. */
  now = (): number => this.time;

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), callback });
    return { __timer: true, id } as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete((handle as TimerHandle & { id: number }).id);
  }

  /** Timers not yet fired (tests check that stop() leaves none). */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: Pending | undefined;
      for (const timer of this.timers.values()) {
        // Map order is insertion order, so strict `<` keeps the earliest-set timer among equals.
        if (timer.at <= end && (due === undefined || timer.at < due.at)) due = timer;
      }
      if (due === undefined) break;
      this.timers.delete(due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}
