/**
 * Reconnect back-off: exponential from `initialMs` to `maxMs` with full jitter, so that a
 * thousand devices dropped by one broker restart do not all knock on the same millisecond.
 */
export interface BackoffOptions {
  /** First delay, ms (>= 10, default 1000). */
  readonly initialMs: number;
  /** Ceiling, ms (>= initialMs, default 60000). */
  readonly maxMs: number;
  /** 0..1: the share of each delay that is randomised (default 0.5). */
  readonly jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1000, maxMs: 60_000, jitter: 0.5 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call grows the next one. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const spread = base * this.options.jitter;
    return Math.round(base - spread + spread * this.random());
  }

  /** After a successful connection the next outage starts from the first delay again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
