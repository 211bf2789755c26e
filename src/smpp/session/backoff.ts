/**
 * Reconnect delays: exponential with full jitter on the upper part (so a fleet that lost the
 * same SMSC does not come back in lockstep), and a separate, slower schedule after a refused
 * bind: a wrong password will not fix itself in a second, and hammering an SMSC with bad
 * credentials gets accounts locked.
 */
export type RetryReason = 'dropped' | 'bindRefused';

export interface BackoffOptions {
  /** First delay after a dropped link, ms; default 1000. */
  readonly initialMs?: number;
  /** Longest delay after a dropped link, ms; default 60 000. */
  readonly maxMs?: number;
  /** First delay after a refused bind, ms; default 30 000. */
  readonly bindRefusedInitialMs?: number;
  /** Longest delay after a refused bind, ms; default 600 000. */
  readonly bindRefusedMaxMs?: number;
  /** Growth per attempt; default 2. */
  readonly factor?: number;
  /** Share of each delay that is random, 0..1; default 0.25. */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

export class Backoff {
  private attempts = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The delay before the next attempt, ms. */
  next(reason: RetryReason): number {
    const base = reason === 'bindRefused' ? (this.options.bindRefusedInitialMs ?? 30_000) : (this.options.initialMs ?? 1000);
    const cap = reason === 'bindRefused' ? (this.options.bindRefusedMaxMs ?? 600_000) : (this.options.maxMs ?? 60_000);
    const factor = this.options.factor ?? 2;
    const jitter = Math.min(1, Math.max(0, this.options.jitter ?? 0.25));
    const exponential = Math.min(cap, base * factor ** Math.min(this.attempts, 30));
    this.attempts++;
    // The fixed part keeps the schedule growing; the random part spreads a fleet out.
    return Math.round(exponential * (1 - jitter) + exponential * jitter * this.random());
  }

  /** After a successful bind. */
  reset(): void {
    this.attempts = 0;
  }
}
