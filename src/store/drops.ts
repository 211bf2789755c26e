/**
 * The drop ledger: every report that leaves the queue without being sent (cap, coalescing,
 * refused for lack of room, operator purge) is counted here in the same transaction that
 * removed it, logged at warn, and handed to an optional listener (the MQTT mirror's event).
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import { priorityFromRank, priorityRank, type DropReason, type DroppedReport, type Priority } from './types.js';

export interface DropTotals {
  readonly total: number;
  readonly bytes: number;
  readonly byReason: Readonly<Partial<Record<DropReason, number>>>;
  readonly byPriority: Readonly<Partial<Record<Priority, number>>>;
  /** When the last drop happened (ms), or null. */
  readonly lastAt: number | null;
}

export type DropListener = (drops: readonly DroppedReport[]) => void;

export class DropLedger {
  private readonly count: Database.Statement;
  private readonly all: Database.Statement<[], { reason: DropReason; priority: number; count: number; bytes: number; lastAt: number }>;

  constructor(
    db: Database.Database,
    private readonly logger: Logger,
    private readonly listener: DropListener | undefined,
  ) {
    this.count = db.prepare(`INSERT INTO drops (reason, priority, kind, count, bytes, last_at) VALUES (@reason, @priority, @kind, 1, @bytes, @now)
      ON CONFLICT (reason, priority, kind) DO UPDATE SET count = count + 1, bytes = bytes + excluded.bytes, last_at = excluded.last_at`);
    this.all = db.prepare(`SELECT reason, priority, count, bytes, last_at AS lastAt FROM drops`);
  }

  /** Counts drops; call inside the transaction that removed the rows. */
  record(drops: readonly DroppedReport[], now: number): void {
    for (const drop of drops) {
      this.count.run({ reason: drop.reason, priority: priorityRank(drop.priority), kind: drop.kind, bytes: drop.bytes, now });
    }
  }

  /** Logs and announces drops; call after the transaction committed so nothing is announced that rolled back. */
  announce(drops: readonly DroppedReport[]): void {
    if (drops.length === 0) return;
    const byReason: Partial<Record<DropReason, number>> = {};
    for (const drop of drops) byReason[drop.reason] = (byReason[drop.reason] ?? 0) + 1;
    // debug: the detail with ids, one line per transaction; the agent logs rate-limited summaries at warn.
    this.logger.debug(
      { event: 'outbox-drop', count: drops.length, byReason, ids: drops.slice(0, 50).map((d) => d.id) },
      `outbox dropped ${drops.length} unsent report(s)`,
    );
    this.listener?.(drops);
  }

  totals(): DropTotals {
    let total = 0;
    let bytes = 0;
    let lastAt: number | null = null;
    const byReason: Partial<Record<DropReason, number>> = {};
    const byPriority: Partial<Record<Priority, number>> = {};
    for (const row of this.all.all()) {
      total += row.count;
      bytes += row.bytes;
      byReason[row.reason] = (byReason[row.reason] ?? 0) + row.count;
      const priority = priorityFromRank(row.priority);
      byPriority[priority] = (byPriority[priority] ?? 0) + row.count;
      lastAt = Math.max(lastAt ?? 0, row.lastAt);
    }
    return { total, bytes, byReason, byPriority, lastAt };
  }
}
