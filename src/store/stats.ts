/**
 * Queue figures for the MQTT `state` and `edge-sms-agent status`. Read from the trigger-kept
 * `totals` table and four index seeks, so the cost is the same with 10 or 1,000,000 rows queued.
 */
import type Database from 'better-sqlite3';
import type { DropLedger, DropTotals } from './drops.js';
import { priorities, priorityFromRank, reportStates, type Priority, type ReportState } from './types.js';

export interface QueueStats {
  /** Rows and payload bytes per state (all priorities). */
  readonly byState: Readonly<Record<ReportState, { rows: number; bytes: number }>>;
  /** Rows per state and priority. */
  readonly byStateAndPriority: Readonly<Record<ReportState, Record<Priority, number>>>;
  /** Queued rows per priority. */
  readonly queuedByPriority: Readonly<Record<Priority, number>>;
  /** Age of the oldest queued report (ms), or null when none is queued. */
  readonly oldestQueuedAgeMs: number | null;
  readonly drops: DropTotals;
}

export class OutboxStats {
  private readonly totals: Database.Statement<[], { state: ReportState; priority: number; rows: number; bytes: number }>;
  private readonly oldest: Database.Statement<[number], { createdAt: number | null }>;

  constructor(
    db: Database.Database,
    private readonly drops: DropLedger,
  ) {
    this.totals = db.prepare('SELECT state, priority, rows, bytes FROM totals');
    this.oldest = db.prepare(`SELECT MIN(created_at) AS createdAt FROM reports WHERE state = 'queued' AND priority = ?`);
  }

  read(now: number): QueueStats {
    const byState = Object.fromEntries(reportStates.map((state) => [state, { rows: 0, bytes: 0 }])) as Record<ReportState, { rows: number; bytes: number }>;
    const zeroes = (): Record<Priority, number> => Object.fromEntries(priorities.map((priority) => [priority, 0])) as Record<Priority, number>;
    const byStateAndPriority = Object.fromEntries(reportStates.map((state) => [state, zeroes()])) as Record<ReportState, Record<Priority, number>>;
    for (const row of this.totals.all()) {
      byState[row.state].rows += row.rows;
      byState[row.state].bytes += row.bytes;
      byStateAndPriority[row.state][priorityFromRank(row.priority)] += row.rows;
    }
    const queuedByPriority = byStateAndPriority.queued;
    let oldestCreated: number | null = null;
    for (let rank = 0; rank < priorities.length; rank++) {
      const created = this.oldest.get(rank)?.createdAt ?? null;
      if (created !== null && (oldestCreated === null || created < oldestCreated)) oldestCreated = created;
    }
    return { byState, byStateAndPriority, queuedByPriority, oldestQueuedAgeMs: oldestCreated === null ? null : Math.max(0, now - oldestCreated), drops: this.drops.totals() };
  }
}
