/**
 * Limits PIN guessing by SMS. Failures are counted per sender and in total: after `maxFailures`
 * in a row a sender is locked out, for `lockoutMs` doubling with each further lockout up to
 * `lockoutMaxMs`; `globalMaxFailures` failures from all senders within `globalLockoutMs` lock
 * everyone out for `globalLockoutMs` (a guess spread over many spoofed numbers).
 *
 * The state is kept (`save`) whenever a lockout begins or a sender's record is cleared, so a
 * restart does not reopen the door; counts below a lockout stay in memory (at most
 * `maxFailures - 1` extra guesses per restart, and an SMS cannot restart the agent). Writing only
 * on those transitions bounds SD-card writes during a flood: a locked-out sender's guesses are
 * refused without being counted, so they cost no write at all.
 */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly lockoutMs: number;
  readonly lockoutMaxMs: number;
  readonly globalMaxFailures: number;
  readonly globalLockoutMs: number;
}

interface SenderRecord {
  /** Failures since the last lockout or success. */
  failures: number;
  /** Lockouts so far; the next lasts lockoutMs × 2^lockouts. */
  lockouts: number;
  /** Locked out until (ms since the epoch); 0 when not locked. */
  until: number;
  lastFailureAt: number;
}

/** What is saved across restarts. */
export interface GuardState {
  readonly senders: Readonly<Record<string, { readonly lockouts: number; readonly until: number; readonly lastFailureAt: number }>>;
  readonly globalUntil: number;
}

export interface Lockout {
  readonly scope: 'sender' | 'global';
  /** The normalised sender (scope `sender`). */
  readonly sender?: string;
  readonly until: number;
  /** Failures that led to it. */
  readonly failures: number;
}

export class CommandGuard {
  private readonly senders = new Map<string, SenderRecord>();
  private globalUntil: number;
  /** Times of recent failures from anyone, oldest first, at most globalMaxFailures of them. */
  private readonly recent: number[] = [];

  constructor(
    private readonly policy: LockoutPolicy,
    saved: GuardState | undefined,
    private readonly save: (state: GuardState) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.globalUntil = saved?.globalUntil ?? 0;
    for (const [sender, record] of Object.entries(saved?.senders ?? {})) this.senders.set(sender, { failures: 0, ...record });
  }

  /** The lockout that applies to `sender` now, if any (its own, or the global one). */
  lockedOut(sender: string): Lockout | undefined {
    const now = this.now();
    const own = this.senders.get(sender);
    if (own !== undefined && own.until > now) return { scope: 'sender', sender, until: own.until, failures: this.policy.maxFailures };
    if (this.globalUntil > now) return { scope: 'global', until: this.globalUntil, failures: this.policy.globalMaxFailures };
    return undefined;
  }

  /** Counts a failed attempt; returns the lockouts it began (sender, global, both or none). */
  fail(sender: string): Lockout[] {
    const now = this.now();
    const began: Lockout[] = [];
    let record = this.senders.get(sender);
    // A sender quiet for longer than the longest lockout starts again from the first back-off.
    if (record !== undefined && now - record.lastFailureAt > this.policy.lockoutMaxMs) record.lockouts = 0;
    record ??= { failures: 0, lockouts: 0, until: 0, lastFailureAt: now };
    this.senders.set(sender, record);
    record.failures += 1;
    record.lastFailureAt = now;
    if (record.failures >= this.policy.maxFailures) {
      const duration = Math.min(this.policy.lockoutMs * 2 ** record.lockouts, this.policy.lockoutMaxMs);
      record.until = now + duration;
      record.lockouts += 1;
      began.push({ scope: 'sender', sender, until: record.until, failures: record.failures });
      record.failures = 0;
    }
    this.recent.push(now);
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - this.policy.globalLockoutMs) this.recent.shift();
    if (this.recent.length >= this.policy.globalMaxFailures && this.globalUntil <= now) {
      this.globalUntil = now + this.policy.globalLockoutMs;
      began.push({ scope: 'global', until: this.globalUntil, failures: this.recent.length });
      this.recent.length = 0;
    }
    if (began.length > 0) this.persist();
    return began;
  }

  /** A command was obeyed: the sender's count and back-off start again. */
  succeed(sender: string): void {
    const record = this.senders.get(sender);
    if (record === undefined) return;
    this.senders.delete(sender);
    if (record.lockouts > 0 || record.until > 0) this.persist();
  }

  /** Lockouts in force now, for state and status (never with a PIN: there is none to show). */
  active(): { readonly lockouts: ReadonlyArray<{ readonly sender: string; readonly until: string }>; readonly globalUntil: string | null } {
    const now = this.now();
    const lockouts = [...this.senders].filter(([, record]) => record.until > now).map(([sender, record]) => ({ sender, until: new Date(record.until).toISOString() }));
    return { lockouts, globalUntil: this.globalUntil > now ? new Date(this.globalUntil).toISOString() : null };
  }

  /** The state worth keeping: senders with a lockout record, and the global lockout. */
  state(): GuardState {
    const senders: Record<string, { lockouts: number; until: number; lastFailureAt: number }> = {};
    for (const [sender, record] of this.senders) {
      if (record.lockouts > 0) senders[sender] = { lockouts: record.lockouts, until: record.until, lastFailureAt: record.lastFailureAt };
    }
    return { senders, globalUntil: this.globalUntil };
  }

  private persist(): void {
    this.save(this.state());
  }
}
