/**
 * Send-rate control. A token bucket enforces the configured maximum (messages/s, never
 * exceeded: the bucket holds at most `burst` tokens, default 1, so over any interval T at most
 * rate·T + burst messages leave). When the SMSC says ESME_RTHROTTLED or ESME_RMSGQFUL, the
 * rate is cut (multiplicative decrease); each quiet recovery step raises it again until the
 * ceiling, where an unlimited link becomes unlimited again.
 */
import type { Clock } from './clock.js';

export interface RateOptions {
  /** Hard maximum, messages/s; undefined = no configured maximum. */
  readonly maxPerSecond?: number | undefined;
  /** Tokens the bucket may hold; default 1 (no bursts above the rate). */
  readonly burst?: number;
  /** Factor applied to the rate on a throttle signal; default 0.5. */
  readonly decrease?: number;
  /** Factor applied at each recovery step; default 1.25. */
  readonly increase?: number;
  /** Time without throttling between recovery steps, ms; default 1000. */
  readonly recoveryStepMs?: number;
  /** The rate never falls below this, messages/s; default 1. */
  readonly minPerSecond?: number;
  readonly clock: Clock;
}

export class RateController {
  private readonly max: number;
  private readonly burst: number;
  private readonly decrease: number;
  private readonly increase: number;
  private readonly stepMs: number;
  private readonly min: number;
  /** Current allowed rate; Infinity when unlimited. */
  private rate: number;
  /** The rate to recover to: the maximum, or for an unlimited link a level above the one that got throttled. */
  private ceiling: number;
  private tokens: number;
  private refilledAt: number;
  private lastThrottleAt = -Infinity;
  private lastStepAt = 0;
  /** Sends in the current one-second bucket and the previous one, to estimate the rate of an unlimited link. */
  private countThisSecond = 0;
  private countLastSecond = 0;
  private secondStart: number;

  constructor(private readonly options: RateOptions) {
    const max = options.maxPerSecond;
    if (max !== undefined && !(max > 0)) throw new RangeError(`maximum rate must be > 0 messages/s, got ${max}`);
    this.max = max ?? Infinity;
    this.burst = Math.max(1, options.burst ?? 1);
    this.decrease = options.decrease ?? 0.5;
    this.increase = options.increase ?? 1.25;
    this.stepMs = options.recoveryStepMs ?? 1000;
    this.min = options.minPerSecond ?? 1;
    this.rate = this.max;
    this.ceiling = this.max;
    this.tokens = this.burst;
    this.refilledAt = options.clock.now();
    this.secondStart = this.refilledAt;
  }

  /** The rate now allowed, messages/s (Infinity when unlimited). */
  get currentRate(): number {
    return this.rate;
  }

  /**
   * Takes one token if available. Returns 0 when the message may go now, otherwise the
   * milliseconds to wait before asking again. `now` may be passed by a caller that already read the clock.
   */
  tryTake(now = this.options.clock.now()): number {
    this.recover(now);
    this.countSend(now);
    if (this.rate === Infinity) return 0;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    this.countThisSecond--; // not sent after all
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
  }

  /** The SMSC asked us to slow down. */
  throttled(): void {
    const now = this.options.clock.now();
    if (this.rate === Infinity) {
      // Unlimited so far: start from what we were actually sending.
      const observed = Math.max(this.countLastSecond, this.countThisSecond, this.min);
      this.ceiling = observed * 2;
      this.rate = observed;
      this.tokens = 0;
      this.refilledAt = now;
    }
    // Several throttled responses to one burst arrive together: cut once per recovery step.
    if (now - this.lastThrottleAt >= this.stepMs / 4) {
      this.refill(now);
      this.rate = Math.max(this.min, this.rate * this.decrease);
    }
    this.lastThrottleAt = now;
    this.lastStepAt = now;
  }

  private recover(now: number): void {
    if (this.rate >= this.ceiling || now - this.lastStepAt < this.stepMs) return;
    this.refill(now);
    this.lastStepAt = now;
    const next = this.rate * this.increase;
    if (next >= this.ceiling) {
      this.rate = this.ceiling === this.max ? this.max : Infinity;
      this.ceiling = this.max;
    } else {
      this.rate = next;
    }
  }

  private refill(now: number): void {
    if (this.rate !== Infinity) this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
  }

  private countSend(now: number): void {
    if (now - this.secondStart >= 1000) {
      this.countLastSecond = now - this.secondStart < 2000 ? this.countThisSecond : 0;
      this.countThisSecond = 0;
      this.secondStart = now;
    }
    this.countThisSecond++;
  }
}

/**
 * SMPP v5 congestion_state (0–100, §4.8.4.16): 0–79 the SMSC has room, 80–89 it is at its
 * optimum, 90–99 nearing congestion, 100 congested. Returns the window to use next, moving
 * up one slot per response so a recovering SMSC is not flooded.
 */
export function windowForCongestion(configured: number, current: number, congestion: number): number {
  if (congestion >= 100) return 1;
  if (congestion >= 90) return Math.max(1, Math.floor(current / 2));
  if (congestion >= 80) return current;
  return Math.min(configured, current + 1);
}
