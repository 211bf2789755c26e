/**
 * The health loop: once a second it gathers facts from the parts, turns them into conditions and
 * problems (model.ts), logs each problem when it begins (error) and ends (info), and pets the
 * systemd watchdog. Petting happens here and only here, at the end of a tick that ran on time: a
 * blocked event loop, or a health loop that stopped running, stops the pets and systemd restarts
 * the agent.
 */
import type { Logger } from '../../logger.js';
import { ProblemSet, summary, type Condition, type HealthReport } from './model.js';
import type { StoreHealth } from './storeHealth.js';

/** The facts a tick looks at, read fresh each time. */
export interface HealthFacts {
  /** Undefined when the link is disabled. */
  readonly smpp?: { readonly bound: boolean };
  readonly modem?: { readonly ready: boolean; readonly phase: string };
  /** Reports waiting in the outbox, how long the oldest has waited, and a number that changes whenever a report moves on. */
  readonly outbox: { readonly queued: number; readonly oldestQueuedAgeMs: number | null; readonly progress: number };
}

export interface WatchdogHooks {
  /** How often to pet (half of WatchdogSec). */
  readonly intervalMs: number;
  readonly pet: () => void;
  /** sd_notify STATUS=: one line, on every change of health. */
  readonly status?: (text: string) => void;
}

export interface HealthMonitorOptions {
  readonly store: StoreHealth;
  readonly facts: () => HealthFacts;
  /** A link not up this long is a problem (health.linkDownS). */
  readonly linkDownMs: number;
  /** Due work and an up link, but no report moved on for this long: the router is stuck (health.stallS). */
  readonly stallMs: number;
  /** The longest a reading may rightly be held back (the largest maxDelayS of any kind). */
  readonly maxHoldMs: number;
  readonly logger: Logger;
  readonly watchdog?: WatchdogHooks | undefined;
  /** More conditions from elsewhere in the agent (a database salvaged at start). */
  readonly extra?: (now: number) => Condition[];
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const defaultIntervalMs = 1000;

export class HealthMonitor {
  private readonly problems = new ProblemSet();
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;
  private lastPetAt = Number.NEGATIVE_INFINITY;
  private lastProgress: number | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.intervalMs = options.intervalMs ?? defaultIntervalMs;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get report(): HealthReport {
    return this.problems.report();
  }

  /** One health tick; public so tests (and a caller that just learnt something) can run one now. */
  tick(): void {
    const now = this.now();
    const lateMs = this.expectedAt === 0 ? 0 : now - this.expectedAt;
    try {
      this.evaluate(now, lateMs);
    } catch (error) {
      this.options.logger.error({ err: error }, 'health: a check failed');
    }
    // A tick later than a whole pet interval means the loop was stuck that long: say so, and do not
    // pet on its behalf (systemd decides; when the loop is stuck for WatchdogSec it never gets here).
    const watchdog = this.options.watchdog;
    if (watchdog !== undefined && lateMs < watchdog.intervalMs && now - this.lastPetAt >= watchdog.intervalMs - this.intervalMs) {
      this.lastPetAt = now;
      watchdog.pet();
    }
    this.expectedAt = now + this.intervalMs;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  private evaluate(now: number, lateMs: number): void {
    const { options } = this;
    if (lateMs > Math.max(5000, options.watchdog?.intervalMs ?? 0)) options.logger.warn({ blockedMs: lateMs }, 'health: the event loop was blocked');
    const facts = options.facts();
    const conditions: Condition[] = [...options.store.conditions(), ...(options.extra?.(now) ?? []), ...this.linkConditions(facts), ...this.routerConditions(facts)];
    const { began, ended } = this.problems.update(conditions, now);
    for (const problem of began) options.logger.error({ check: problem.check, reason: problem.reason, since: problem.since }, 'health: degraded');
    for (const problem of ended) options.logger.info({ check: problem.check, reason: problem.reason, since: problem.since }, 'health: recovered');
    if (began.length > 0 || ended.length > 0) options.watchdog?.status?.(summary(this.report));
  }

  private linkConditions(facts: HealthFacts): Condition[] {
    const conditions: Condition[] = [];
    const downS = Math.round(this.options.linkDownMs / 1000);
    if (facts.smpp !== undefined && !facts.smpp.bound) {
      conditions.push({ check: 'smpp', key: 'down', reason: `the SMPP link has not been bound for over ${downS} s (health.linkDownS)`, graceMs: this.options.linkDownMs });
    }
    if (facts.modem !== undefined && !facts.modem.ready) {
      conditions.push({ check: 'modem', key: 'down', reason: `the modem has not been ready for over ${downS} s (now: ${facts.modem.phase})`, graceMs: this.options.linkDownMs });
    }
    return conditions;
  }

  /** Work that should have gone, a link to take it, and nothing moving. */
  private routerConditions(facts: HealthFacts): Condition[] {
    const { outbox } = facts;
    const moved = this.lastProgress !== outbox.progress;
    this.lastProgress = outbox.progress;
    const linkUp = facts.smpp?.bound === true || facts.modem?.ready === true;
    const overdue = outbox.queued > 0 && (outbox.oldestQueuedAgeMs ?? 0) > this.options.maxHoldMs;
    if (moved || !linkUp || !overdue) return [];
    const stallS = Math.round(this.options.stallMs / 1000);
    return [{ check: 'router', key: 'stalled', reason: `${outbox.queued} reports queued and a link up, but none has moved on for over ${stallS} s (health.stallS)`, graceMs: this.options.stallMs }];
  }
}
