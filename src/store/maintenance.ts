/**
 * Housekeeping and operator actions: crash recovery at open, the periodic sweep (TTL expiry,
 * receipt timeouts, pruning of old finished rows), retry and purge. Long jobs run in batches of
 * `batchSize` rows, one transaction each, so the write lock is never held for long and memory
 * stays flat however large the backlog.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import type { OutboxContext } from './context.js';
import type { DropLedger } from './drops.js';
import { noticeReport } from './notices.js';
import { reportColumns, type ReportRow } from './reportRows.js';
import type { Settlement } from './settlement.js';
import { priorityFromRank, type DroppedReport, type ReportState } from './types.js';

export interface SweepResult {
  readonly expired: number;
  readonly receiptTimeouts: number;
  readonly pruned: number;
}

/** How long finished reports stay for `queue list` (ms). */
export interface KeepTimes {
  /** Failed and expired reports (`queue retry` needs them), and the rows of messages whose reports are gone. */
  readonly finishedMs: number;
  /** Delivered reports, and `submitted` ones no receipt is awaited for; 0: deleted when settled (settlement.ts). */
  readonly deliveredMs: number;
}

export interface PurgeOptions {
  readonly state: Exclude<ReportState, 'sending'>;
  /** Only reports created more than this long ago (ms). */
  readonly olderThanMs: number;
}

const batchSize = 500;
const week = 7 * 24 * 3_600_000;

/** The keep times from the outbox's options: finished 7 days unless set, delivered as finished unless set. */
export function keepTimes(options: { readonly keepFinishedMs?: number; readonly keepDeliveredMs?: number }): KeepTimes {
  const finishedMs = options.keepFinishedMs ?? week;
  const keep = { finishedMs, deliveredMs: options.keepDeliveredMs ?? finishedMs };
  for (const [name, ms] of [['keepFinishedMs', keep.finishedMs], ['keepDeliveredMs', keep.deliveredMs]] as const) {
    if (!Number.isFinite(ms) || ms < 0) throw new AgentError(`outbox ${name}: must be 0 or more, got ${ms}`, ErrorCode.Store_InvalidInput, { [name]: ms });
  }
  return keep;
}

export class OutboxMaintenance {
  private readonly sendingRows: Database.Statement<[number], ReportRow>;
  private readonly expiredRows: Database.Statement<[number, number], ReportRow>;
  private readonly stuckMessages: Database.Statement<[number]>;
  private readonly failedIds: Database.Statement<[number], { id: number }>;
  private readonly pruneSucceeded: Database.Statement<[number, number]>;
  private readonly pruneUnsent: Database.Statement<[number, number]>;
  private readonly pruneMessages: Database.Statement<[number, number]>;
  private readonly purgeCandidates: Database.Statement<[string, number, number], { id: number; kind: string; priority: number; bytes: number }>;
  private readonly deleteReport: Database.Statement<[number, string]>;
  private readonly countCandidates: Database.Statement<[string, number], { n: number }>;

  constructor(
    private readonly context: OutboxContext,
    private readonly drops: DropLedger,
    private readonly settlement: Settlement,
    private readonly keep: KeepTimes,
  ) {
    const { db } = context;
    this.sendingRows = db.prepare(`SELECT ${reportColumns} FROM reports WHERE state = 'sending' LIMIT ?`);
    this.expiredRows = db.prepare(`SELECT ${reportColumns} FROM reports WHERE state = 'queued' AND expires_at <= ? LIMIT ?`);
    this.stuckMessages = db.prepare(`UPDATE messages SET state = 'requeued', finished_at = ?, last_error = 'agent stopped while sending' WHERE state = 'sending'`);
    this.failedIds = db.prepare(`SELECT id FROM reports WHERE state = 'failed' LIMIT ?`);
    // Finished reports created before their cutoff. created_at (not updated_at) so the walk uses
    // reports_queue. Succeeded: delivered, and `submitted` ones no receipt is awaited for.
    this.pruneSucceeded = db.prepare(`DELETE FROM reports WHERE id IN (
      SELECT r.id FROM reports r LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.state IN ('delivered','submitted') AND r.created_at < ?
        AND (r.state <> 'submitted' OR m.receipt_due_at IS NULL OR m.state <> 'submitted')
      LIMIT ?)`);
    // Failed and expired ones stay keepFinishedMs, for `queue retry` (a time that exceeds any TTL).
    this.pruneUnsent = db.prepare(`DELETE FROM reports WHERE id IN (
      SELECT id FROM reports WHERE state IN ('failed','expired') AND created_at < ? LIMIT ?)`);
    this.pruneMessages = db.prepare(`DELETE FROM messages WHERE id IN (
      SELECT id FROM messages WHERE created_at < ? AND state <> 'sending'
        AND NOT EXISTS (SELECT 1 FROM reports WHERE reports.message_id = messages.id) LIMIT ?)`);
    this.purgeCandidates = db.prepare(`SELECT id, kind, priority, bytes FROM reports WHERE state = ? AND created_at < ? LIMIT ?`);
    this.deleteReport = db.prepare(`DELETE FROM reports WHERE id = ? AND state = ?`);
    this.countCandidates = db.prepare(`SELECT COUNT(*) AS n FROM reports WHERE state = ? AND created_at < ?`);
  }

  recoverSending(): number {
    const { db, rows, clock, logger } = this.context;
    const now = clock.now();
    let recovered = 0;
    const batch = db.transaction(() => {
      const stuck = this.sendingRows.all(batchSize);
      for (const row of stuck) rows.apply(row, 'queued', now, { nextAttemptAt: now, lastError: 'agent stopped while sending' });
      if (stuck.length < batchSize) this.stuckMessages.run(now);
      return stuck.length;
    });
    for (;;) {
      const moved = batch.immediate();
      recovered += moved;
      if (moved < batchSize) break;
    }
    if (recovered > 0) logger.warn({ event: 'outbox-recovered', count: recovered }, `outbox: ${recovered} report(s) were sending when the agent stopped; queued again`);
    return recovered;
  }

  sweep(): SweepResult {
    const { db, rows, messages, clock, notices } = this.context;
    const now = clock.now();
    const expireBatch = db.transaction(() => {
      const stale = this.expiredRows.all(now, batchSize);
      for (const row of stale) rows.apply(row, 'expired', now, { lastError: 'time to live passed while queued' });
      // One notice per batch (at most batchSize reports), not one per report.
      if (notices.wanted) notices.add({ type: 'expired', messageId: null, reports: stale.map(noticeReport) });
      return stale.length;
    });
    const receiptBatch = db.transaction(() => {
      const late = messages.receiptTimedOut(now, batchSize);
      for (const message of late) this.settlement.receiptTimedOut(message, now);
      return late.length;
    });
    const pruneBatch = db.transaction(() => {
      const cutoff = now - this.keep.finishedMs;
      return this.pruneSucceeded.run(now - this.keep.deliveredMs, batchSize).changes + this.pruneUnsent.run(cutoff, batchSize).changes
        + this.pruneMessages.run(cutoff, batchSize).changes;
    });
    return { expired: repeat(() => expireBatch.immediate()), receiptTimeouts: repeat(() => receiptBatch.immediate()), pruned: repeat(() => pruneBatch.immediate()) };
  }

  retry(id: number): ReportRow {
    const { db, rows, policies, clock } = this.context;
    const now = clock.now();
    const run = db.transaction(() => {
      const row = rows.row(id);
      if (row === undefined) throw new AgentError(`no report with id ${id}`, ErrorCode.Store_NotFound, { id });
      if (row.state !== 'failed' && row.state !== 'expired') {
        throw new AgentError(`report ${id} is ${row.state}; only failed or expired reports can be retried`, ErrorCode.Store_InvalidInput, { id, state: row.state });
      }
      return rows.apply(row, 'queued', now, { attempts: 0, nextAttemptAt: now, expiresAt: now + policies.for(row.kind).ttlMs, lastError: null, errorClass: null });
    });
    return run.immediate();
  }

  retryAllFailed(): number {
    const { db, rows, policies, clock } = this.context;
    const now = clock.now();
    const batch = db.transaction(() => {
      const ids = this.failedIds.all(batchSize);
      for (const { id } of ids) {
        const row = rows.row(id);
        if (row !== undefined) rows.apply(row, 'queued', now, { attempts: 0, nextAttemptAt: now, expiresAt: now + policies.for(row.kind).ttlMs, lastError: null, errorClass: null });
      }
      return ids.length;
    });
    return repeat(() => batch.immediate());
  }

  /** How many reports `purge(options)` would delete now. */
  countPurgeable(options: PurgeOptions): number {
    return this.countCandidates.get(options.state, this.context.clock.now() - options.olderThanMs)?.n ?? 0;
  }

  purge(options: PurgeOptions): number {
    const { db, clock } = this.context;
    if ((options.state as string) === 'sending') {
      throw new AgentError('reports being sent cannot be purged; stop the agent first (they return to queued)', ErrorCode.Store_InvalidInput);
    }
    const now = clock.now();
    const cutoff = now - options.olderThanMs;
    const batch = db.transaction(() => {
      const victims = this.purgeCandidates.all(options.state, cutoff, batchSize);
      for (const victim of victims) this.deleteReport.run(victim.id, options.state);
      if (options.state === 'queued') {
        const dropped = victims.map((v): DroppedReport => ({ id: v.id, kind: v.kind, priority: priorityFromRank(v.priority), bytes: v.bytes, reason: 'purged' }));
        this.drops.record(dropped, now);
        return dropped;
      }
      return victims;
    });
    let purged = 0;
    for (;;) {
      const victims = batch.immediate();
      if (options.state === 'queued') this.drops.announce(victims as DroppedReport[]);
      purged += victims.length;
      if (victims.length < batchSize) return purged;
    }
  }
}

/** Runs a batch until it reports a short batch; returns the total. */
function repeat(batch: () => number): number {
  let total = 0;
  for (;;) {
    const done = batch();
    total += done;
    if (done === 0) return total;
  }
}
