/**
 * Caps on queued rows and bytes, and per-kind coalescing. Both run inside the enqueue
 * transaction, before (caps) and after (coalescing) the insert, so a burst pays one commit.
 *
 * Drop order when full: the oldest rows of the lowest priority first, then the next priority up,
 * never a row more urgent than the one arriving (so `critical` is never dropped for lower
 * priorities). If no such room exists, the arriving report is itself refused ("rejected-full").
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import { priorityFromRank, priorities, type DroppedReport, type DropReason } from './types.js';

export interface Caps {
  /** Most queued reports kept (default 1,000,000). */
  readonly maxQueuedRows: number;
  /** Most payload bytes kept in queued reports (default 256 MiB). */
  readonly maxQueuedBytes: number;
}

export const defaultCaps: Caps = { maxQueuedRows: 1_000_000, maxQueuedBytes: 256 * 1024 * 1024 };

/** Queued rows and bytes, kept up to date through one enqueue transaction. */
export interface QueueTally {
  rows: number;
  bytes: number;
}

interface VictimRow {
  id: number;
  kind: string;
  priority: number;
  bytes: number;
}

/** Refuses caps that could never hold a report. */
export function validateCaps(caps: Caps): Caps {
  for (const key of ['maxQueuedRows', 'maxQueuedBytes'] as const) {
    if (!Number.isInteger(caps[key]) || caps[key] < 1) {
      throw new AgentError(`store.caps.${key}: must be a positive integer, got ${String(caps[key])}`, ErrorCode.Store_InvalidInput, { key });
    }
  }
  return caps;
}

export class Capacity {
  private readonly queuedTotals: Database.Statement<[], { rows: number | null; bytes: number | null }>;
  private readonly oldestOfPriority: Database.Statement<[number], VictimRow>;
  private readonly beyondNewest: Database.Statement<[string, number], VictimRow>;
  private readonly remove: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    readonly caps: Caps,
  ) {
    this.queuedTotals = db.prepare(`SELECT SUM(rows) AS rows, SUM(bytes) AS bytes FROM totals WHERE state = 'queued'`);
    this.oldestOfPriority = db.prepare(
      `SELECT id, kind, priority, bytes FROM reports WHERE state = 'queued' AND priority = ? ORDER BY created_at, id`,
    );
    this.beyondNewest = db.prepare(
      `SELECT id, kind, priority, bytes FROM reports WHERE kind = ? AND state = 'queued' ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?`,
    );
    this.remove = db.prepare(`DELETE FROM reports WHERE id = ? AND state = 'queued'`);
  }

  queued(): QueueTally {
    const totals = this.queuedTotals.get();
    return { rows: totals?.rows ?? 0, bytes: totals?.bytes ?? 0 };
  }

  /**
   * Frees room for one report of `rank` and `bytes`, deleting victims. Returns the victims, or
   * null when the report cannot fit without dropping something more urgent (nothing is deleted).
   * `tally` is the queued total read once per transaction (a burst does not re-read it per row);
   * the caller adds what it inserts, this subtracts what it deletes. Rows in `spare` are never
   * victims (the other copies of the reading being queued).
   */
  makeRoom(rank: number, bytes: number, tally: QueueTally, spare?: ReadonlySet<number>): DroppedReport[] | null {
    let rowsOver = tally.rows + 1 - this.caps.maxQueuedRows;
    let bytesOver = tally.bytes + bytes - this.caps.maxQueuedBytes;
    if (rowsOver <= 0 && bytesOver <= 0) return [];
    if (bytes > this.caps.maxQueuedBytes) return null;
    const victims: DroppedReport[] = [];
    for (let victimRank = priorities.length - 1; victimRank >= rank && (rowsOver > 0 || bytesOver > 0); victimRank--) {
      for (const row of this.oldestOfPriority.iterate(victimRank)) {
        if (spare?.has(row.id) === true) continue;
        const reason: DropReason = rowsOver > 0 ? 'cap-rows' : 'cap-bytes';
        victims.push({ id: row.id, kind: row.kind, priority: priorityFromRank(row.priority), bytes: row.bytes, reason });
        rowsOver -= 1;
        bytesOver -= row.bytes;
        if (rowsOver <= 0 && bytesOver <= 0) break;
      }
    }
    if (rowsOver > 0 || bytesOver > 0) return null;
    this.removeAll(victims, tally);
    return victims;
  }

  /** Deletes queued reports of `kind` beyond the newest `keep`, except those in `spare`. */
  coalesce(kind: string, keep: number, tally: QueueTally, spare?: ReadonlySet<number>): DroppedReport[] {
    if (keep <= 0) return [];
    const victims = this.beyondNewest
      .all(kind, keep)
      .filter((row) => spare?.has(row.id) !== true)
      .map((row): DroppedReport => ({ id: row.id, kind: row.kind, priority: priorityFromRank(row.priority), bytes: row.bytes, reason: 'coalesced' }));
    this.removeAll(victims, tally);
    return victims;
  }

  private removeAll(victims: readonly DroppedReport[], tally: QueueTally): void {
    for (const victim of victims) {
      if (victim.id !== null && this.remove.run(victim.id).changes === 1) {
        tally.rows -= 1;
        tally.bytes -= victim.bytes;
      }
    }
  }
}
