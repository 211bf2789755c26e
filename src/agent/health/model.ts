/**
 * What the agent's health says, and how a condition becomes a problem. The shape is deliberately
 * flat so `/healthz`, `status`, the MQTT state and sd_notify's STATUS= all show the same thing:
 *
 *   { status: 'ok' | 'degraded', problems: [{ check, reason, since }] }
 *
 * A condition (the SMPP link not bound, the disk full, …) may come with a grace time: it becomes a
 * problem only once it has held that long without a break (a link down for a minute is normal, for
 * ten is not). `since` is when the condition was first seen, not when the grace ran out.
 */

/** The parts health looks at. */
export type HealthCheck = 'store' | 'router' | 'smpp' | 'modem' | 'loop';

export interface HealthProblem {
  readonly check: HealthCheck;
  /** For people: what is wrong and, where there is one, what to do. */
  readonly reason: string;
  /** ISO 8601: when the condition was first seen. */
  readonly since: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly HealthProblem[];
}

/** A condition seen at one health tick. `key` identifies it across ticks (a reason may carry changing numbers). */
export interface Condition {
  readonly check: HealthCheck;
  readonly key: string;
  readonly reason: string;
  /** How long it must hold before it counts (ms; 0: at once). */
  readonly graceMs: number;
}

export const healthyReport: HealthReport = { ok: true, status: 'ok', problems: [] };

/** Conditions across ticks: first-seen times, and which problems began or ended at the last update. */
export class ProblemSet {
  private readonly firstSeen = new Map<string, number>();
  private active = new Map<string, HealthProblem>();

  /** Takes this tick's conditions; returns the problems that began and ended with it. */
  update(conditions: readonly Condition[], now: number): { began: HealthProblem[]; ended: HealthProblem[] } {
    const seen = new Set<string>();
    const next = new Map<string, HealthProblem>();
    for (const condition of conditions) {
      const id = `${condition.check}:${condition.key}`;
      seen.add(id);
      const first = this.firstSeen.get(id) ?? now;
      this.firstSeen.set(id, first);
      if (now - first >= condition.graceMs) next.set(id, { check: condition.check, reason: condition.reason, since: new Date(first).toISOString() });
    }
    for (const id of [...this.firstSeen.keys()]) if (!seen.has(id)) this.firstSeen.delete(id);
    const began = [...next].filter(([id]) => !this.active.has(id)).map(([, problem]) => problem);
    const ended = [...this.active].filter(([id]) => !next.has(id)).map(([, problem]) => problem);
    this.active = next;
    return { began, ended };
  }

  report(): HealthReport {
    const problems = [...this.active.values()];
    return problems.length === 0 ? healthyReport : { ok: false, status: 'degraded', problems };
  }
}

/** One line for sd_notify's STATUS= and logs. */
export function summary(report: HealthReport): string {
  if (report.ok) return 'running';
  return `degraded: ${report.problems.map((problem) => `${problem.check}: ${problem.reason}`).join('; ')}`;
}
