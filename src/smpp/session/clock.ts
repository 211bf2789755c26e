/**
 * Time as a dependency. Everything in the session that waits (response timeouts, enquire_link,
 * back-off, the send-rate bucket) asks a Clock, so tests advance time instead of sleeping.
 */
import type { Clock, TimerHandle } from '../../clock.js';

// The shared Clock interface; the session differs only in reading monotonic time for real.
export type { Clock, TimerHandle };

/** The real clock, monotonic: performance.now() (a wall-clock step must not fire timeouts) and the Node timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

/**
 * One re-armable timer on a clock: `arm(ms)` replaces any pending callback. Saves every caller
 * from juggling a handle that may or may not be set.
 */
export class Timer {
  private handle: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly callback: () => void,
  ) {}

  get armed(): boolean {
    return this.handle !== undefined;
  }

  arm(ms: number): void {
    this.cancel();
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      this.callback();
    }, ms);
  }

  /** Arms only when not already armed (for sweeps that need at most one pending wake-up). */
  ensure(ms: number): void {
    if (this.handle === undefined) this.arm(ms);
  }

  cancel(): void {
    if (this.handle !== undefined) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
    }
  }
}
