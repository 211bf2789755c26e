/** A Clock whose time moves only when a test says so; timers fire in deadline order during advance(). */
import type { Clock, TimerHandle } from '../../src/smpp/session/clock.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, at: this.time + Math.max(0, ms), callback });
    return { __timer: true, id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete((handle as unknown as { id: number }).id);
  }

  /** Timers not yet fired. */
  get timerCount(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing each due timer at its own moment. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: Pending | undefined;
      for (const timer of this.pending.values()) {
        if (timer.at <= end && (due === undefined || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) due = timer;
      }
      if (due === undefined) break;
      this.pending.delete(due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}
