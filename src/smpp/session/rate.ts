/**
 * Send-rate control: whether a submit may go now, and what the SMSC's account allows.
 *
 * SMSC accounts are limited to R submits per sliding second and answer ESME_RTHROTTLED beyond it.
 * Two things follow. A limit must hold in every one-second window, not on average: a token bucket
 * alone lets a late send be followed by a catch-up that puts R + 1 in some window. So besides an
 * even pace (a token bucket holding one token: a burst would put pairs of sends at the edge of the
 * window, where the least jitter tips the SMSC's count over), a log of the last R send
 * times holds each send until the R-th before it is more than a span (one second plus a guard)
 * old. The SMSC counts only the submits it accepted, so a refused send leaves that log again:
 * kept, it would hold the next send back by one R-th of a second per throttle. And cutting the
 * rate by half on each throttle, then climbing back slowly, averages well under R; a throttled
 * answer tells us R itself: the submits the SMSC accepted that were sent in the second before the
 * refused one. The controller takes that as the limit, holds it (a sliding-window SMSC then never
 * throttles again), and now and then probes one more per second in case the account allows more,
 * going back to the level that held at the first throttle and probing that level less often after
 * each failed probe. A level that held before is probed again soon after a lowering (jitter on a
 * loaded host can look like a lower limit; waiting minutes to find out costs a tenth of the
 * drain). A configured maximum is never exceeded either way: a second log of every send, refused
 * ones included, keeps each one-second window at or under it.
 *
 * The guard absorbs transport jitter (the SMSC counts arrivals, we count departures): a throttle
 * while we held exactly the learned limit means the SMSC saw two of our sends closer together
 * than we sent them, and the guard widens (up to MAX_GUARD_MS), narrowing again after a quiet spell.
 */
import type { Clock } from './clock.js';
import { AcceptedCounter, SendLog } from './rateWindow.js';

/** Extra ms on top of a second between a send and the R-th after it, at first and after quiet spells. */
export const BASE_GUARD_MS = 10;
/**
 * The guard never grows past this: on a loaded host or a jittery link some throttles are cheaper than
 * a slower drain: a throttled submit is sent again and, since a refused send leaves the send log, costs
 * about one send interval, while each 10 ms of guard costs 1 % of the rate all the time. On a loaded
 * 2-core host (bench/RESULTS.md "rate") a guard held at 30 ms cost more than the throttles it saved.
 */
const MAX_GUARD_MS = 20;
/** Tokens the pace may save up: a send the event loop held back (a synchronous fsync, a late timer) by up to a fifth of the interval is made up. */
const BURST = 1.2;
/** Quiet time after which a widened guard halves again. */
const GUARD_CALM_MS = 10_000;
/** Quiet, rate-limited time before the first probe above a learned limit; shorter after a probe that held. */
const PROBE_AFTER_MS = 15_000;
const MIN_PROBE_MS = 2_000;
/** A failed probe doubles the wait for the next, up to this. */
const MAX_PROBE_MS = 240_000;

export interface RateOptions {
  /** Hard maximum, messages/s; undefined = none (the SMSC's throttle decides, and is learned). */
  readonly maxPerSecond?: number | undefined;
  /** First wait before probing above a learned limit, ms; default 15000. */
  readonly probeAfterMs?: number;
  readonly clock: Clock;
}

/** What changed when the SMSC throttled, for logs and events. */
export type ThrottleLesson = 'learned' | 'probe-failed' | 'lowered' | 'guard-widened' | 'stale';

/**
 * An unexplained throttle (fewer accepted than the limit we held) at least a second after another,
 * and within this long of it, means the account's limit fell: a lower limit refuses some submits in
 * every second. Throttles less than a second apart are one bunch (a late arrival at the SMSC makes
 * the next few look early), which is jitter, not a new limit.
 */
const SUSPECT_MS = 5_000;

export class RateController {
  private readonly configured: number;
  /** The account's limit as learned, submits per window; Infinity until a throttle teaches one. */
  private learned = Infinity;
  /** The learned limit a running probe started from (the last level that held). */
  private good = 0;
  private probing = false;
  private step = 1;
  /** Wait before probing a level that failed before; doubles per failed probe. */
  private probeMs: number;
  /** The lowest level a probe failed at (Infinity: none, or one held since): levels under it are probed at the first wait. */
  private ceiling = Infinity;
  /** Since when the limit has held without a throttle. */
  private quietSince: number;
  private guard = BASE_GUARD_MS;
  private calmSince: number;
  /** When a throttled answer last changed the limit: answers to submits sent before it teach nothing new. */
  private lessonAt = -Infinity;
  /** When a throttle last came with fewer accepted than the limit while we held it. */
  private suspectAt = -Infinity;
  private tokens = 1;
  private refilledAt: number;
  /** Sends the SMSC did not refuse (accepted or unanswered), for the learned limit. */
  private readonly log: SendLog;
  /** Every send, for a configured maximum: the wire never carries more, throttled or not. */
  private readonly capLog: SendLog | undefined;
  private readonly acceptedCounts = new AcceptedCounter();

  constructor(private readonly options: RateOptions) {
    const max = options.maxPerSecond;
    if (max !== undefined && !(max > 0)) throw new RangeError(`maximum rate must be > 0 messages/s, got ${max}`);
    this.configured = max ?? Infinity;
    this.probeMs = options.probeAfterMs ?? PROBE_AFTER_MS;
    const now = options.clock.now();
    this.quietSince = now;
    this.calmSince = now;
    this.refilledAt = now;
    this.log = new SendLog(windowCount(this.configured));
    this.capLog = this.configured === Infinity ? undefined : new SendLog(windowCount(this.configured));
  }

  /** Submits allowed per window (one second plus the guard); Infinity when unlimited. */
  get limit(): number {
    return Math.min(this.configured, this.learned);
  }

  /** The account's limit as learned from throttled answers (submits per second); undefined until one came. */
  get learnedLimit(): number | undefined {
    return this.learned === Infinity ? undefined : this.learned;
  }

  /** The rate now allowed, messages/s (Infinity when unlimited). */
  get currentRate(): number {
    const limit = this.limit;
    return limit === Infinity ? Infinity : (limit * 1000) / (1000 + this.guard);
  }

  /**
   * Takes a send if one is allowed now: returns 0 when the message may go (and records it),
   * otherwise the milliseconds to wait before asking again. `now` may be passed by a caller that
   * already read the clock.
   */
  tryTake(now = this.options.clock.now()): number {
    const limit = this.limit;
    if (limit === Infinity) return 0;
    const rate = (limit * 1000) / (1000 + this.guard);
    this.tokens = Math.min(BURST, this.tokens + ((now - this.refilledAt) * rate) / 1000);
    this.refilledAt = now;
    let wait = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / rate;
    // The k-th send before this one must be more than one second (plus the guard) old.
    const oldest = this.log.nthNewest(windowCount(limit));
    wait = Math.max(wait, oldest + 1000 + this.guard - now);
    if (this.capLog !== undefined) wait = Math.max(wait, this.capLog.nthNewest(this.capLog.capacity) + 1000 + this.guard - now);
    if (wait > 0) {
      this.limited(now);
      return Math.max(1, Math.ceil(wait));
    }
    this.tokens -= 1;
    this.log.push(now);
    this.capLog?.push(now);
    return 0;
  }

  /** The SMSC accepted a submit we sent at `sentAt`. */
  accepted(sentAt: number): void {
    this.acceptedCounts.add(sentAt);
  }

  /** The SMSC refused a submit we sent at `sentAt` as throttled (or its queue full). Returns what changed. */
  throttled(sentAt: number, now = this.options.clock.now()): ThrottleLesson {
    // The rest of a burst that was already on its way when an earlier answer taught us the limit.
    if (sentAt < this.lessonAt) return 'stale';
    const before = this.limit;
    // What the SMSC let through in the second before it refused this one (its window, seen from our
    // side). While we hold a limit, look back half a send interval past our span: a send that went a
    // few ms late (a timer, a commit) must not make the count look one short, and at our even pace
    // the send before the span is a whole interval back, so it is not counted either.
    const span = 1000 + this.guard;
    const lookback = before === Infinity ? span + this.guard : span + Math.max(this.guard, span / before / 2);
    const allowed = Math.max(1, this.acceptedCounts.between(sentAt - lookback, sentAt));
    let lesson: ThrottleLesson;
    if (this.probing && allowed < before) {
      // The SMSC accepted fewer than the probe's level: back to the level that held (if the account's
      // limit fell meanwhile, the throttles that follow lower it, below). A throttle with the probe's
      // level all accepted is jitter at a level the account allows: the probe goes on.
      this.ceiling = this.learned;
      this.learned = this.good;
      this.probing = false;
      this.step = 1;
      this.probeMs = Math.min(MAX_PROBE_MS, this.probeMs * 2);
      lesson = 'probe-failed';
    } else if (before === Infinity) {
      this.learned = allowed;
      lesson = 'learned';
    } else if (allowed < before && now - this.suspectAt >= 1000 && now - this.suspectAt <= SUSPECT_MS) {
      // Twice in a few seconds: the account's limit really is lower now.
      this.learned = allowed;
      lesson = 'lowered';
    } else {
      // We held the limit and the SMSC still counted one too many: it saw our sends closer together
      // than we sent them (or its limit fell: then another throttle follows soon, see above).
      if (allowed < before && now - this.suspectAt >= 1000) this.suspectAt = now;
      if (now - this.calmSince >= 1000) this.guard = Math.min(MAX_GUARD_MS, this.guard + BASE_GUARD_MS);
      lesson = 'guard-widened';
    }
    if (this.learned >= this.configured) this.learned = Infinity;
    if (lesson !== 'guard-widened') {
      this.lessonAt = now;
      // Jitter says nothing about whether the account allows more: only a lesson about the limit restarts the wait for a probe.
      this.quietSince = now;
    }
    this.calmSince = now;
    // Sends made while unlimited were not logged: count them as made with this one, so the SMSC's window empties first.
    this.applyLimit(before === Infinity ? sentAt : undefined);
    // The SMSC did not count the refused send; neither do we (the padding above stands for the unlogged ones).
    if (before !== Infinity) this.log.remove(sentAt);
    return lesson;
  }

  /** A sender is waiting on the rate: the limit is what holds the drain back, so it may be worth probing above it. */
  private limited(now: number): void {
    if (this.guard > BASE_GUARD_MS && now - this.calmSince >= GUARD_CALM_MS) {
      this.guard = Math.max(BASE_GUARD_MS, this.guard - BASE_GUARD_MS);
      this.calmSince = now;
    }
    if (this.learned === Infinity) return;
    // A level under the lowest that failed held before (or was never tried): no reason to wait long.
    const wait = this.learned + 1 < this.ceiling ? Math.min(this.probeMs, this.options.probeAfterMs ?? PROBE_AFTER_MS) : this.probeMs;
    if (now - this.quietSince < wait) return;
    if (this.probing) {
      // The last probe held: probe again sooner, by a bigger step.
      if (this.learned >= this.ceiling) this.ceiling = Infinity;
      this.step *= 2;
      this.probeMs = Math.max(MIN_PROBE_MS, this.probeMs / 2);
    }
    this.good = this.learned;
    this.learned += this.step;
    this.probing = true;
    this.quietSince = now;
    if (this.learned >= this.configured) {
      this.learned = Infinity;
      this.probing = false;
    }
    this.applyLimit(undefined);
  }

  private applyLimit(unloggedSendsAt: number | undefined): void {
    const limit = this.limit;
    if (limit === Infinity) return;
    this.log.resize(windowCount(limit));
    if (unloggedSendsAt !== undefined) this.log.padOlder(unloggedSendsAt);
  }
}

/** Sends a window may hold at a limit: R, or 1 for a maximum under one a second (then the pace alone spaces them). */
function windowCount(limit: number): number {
  return limit === Infinity ? 1 : Math.max(1, Math.floor(limit));
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
