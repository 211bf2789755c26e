/**
 * Settling messages: the link's answer (submitted / failed) and the delivery receipt decide what
 * happens to every report the message carries, in one transaction per event.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import type { OutboxContext } from './context.js';
import type { MessageRow, MessageState } from './messageRows.js';
import { failureNotices, noticeReport } from './notices.js';
import { retryDelayMs, type BackoffPolicy } from './policy.js';
import type { ReportRow } from './reportRows.js';
import type { ErrorClass, Link, ReportState } from './types.js';

export class Settlement {
  private readonly forgetReports: Database.Statement<[number, ReportState]>;

  /**
   * `forgetSucceeded` (`keepDeliveredMs: 0`): a report that reached its successful end (delivered, or
   * submitted when no receipt is awaited) is deleted in the transaction that settles it, after its
   * notice was built and the totals triggers counted the move; a group commit that inserted and
   * settled it then writes nothing of it to the WAL.
   */
  constructor(
    private readonly context: OutboxContext,
    private readonly backoff: BackoffPolicy,
    private readonly random: () => number,
    private readonly forgetSucceeded = false,
  ) {
    this.forgetReports = context.db.prepare('DELETE FROM reports WHERE message_id = ? AND state = ?');
  }

  submitted(messageId: number, refs: readonly string[]): number {
    const { db, messages, rows, policies, clock, notices } = this.context;
    const now = clock.now();
    const run = db.transaction(() => {
      const message = this.expectMessage(messageId, 'sending', 'submitted');
      const carried = messages.reports(messageId);
      const waits = carried.map((row) => policies.for(row.kind)).filter((policy) => policy.receiptRequired);
      const receiptDueAt = waits.length === 0 ? null : now + Math.max(...waits.map((policy) => policy.receiptTimeoutMs));
      messages.submitted(messageId, message.link, refs, now, receiptDueAt);
      for (const row of carried) rows.apply(row, 'submitted', now, { lastError: null, errorClass: null });
      if (notices.wanted) notices.add({ type: 'submitted', messageId, link: message.link, refs, reports: carried.map(noticeReport) });
      // No receipt awaited: `submitted` is these reports' last state.
      if (this.forgetSucceeded && receiptDueAt === null) this.forgetReports.run(messageId, 'submitted');
      return carried.length;
    });
    return run.immediate();
  }

  sendFailed(messageId: number, errorClass: ErrorClass, reason: string): number {
    const { db, messages, clock } = this.context;
    const now = clock.now();
    const run = db.transaction(() => {
      const message = this.expectMessage(messageId, 'sending', 'failed');
      const carried = messages.reports(messageId);
      const retryAt = this.retryTimes(carried, now);
      const settled = carried.map((row) => this.retryOrFinish(row, errorClass, reason, now, retryAt));
      messages.finish(messageId, settled.some((row) => row.state === 'queued') ? 'requeued' : 'failed', now, reason);
      this.announceFailures(messageId, message.link, errorClass, reason, settled);
      return carried.length;
    });
    return run.immediate();
  }

  receipt(link: Link, ref: string, outcome: 'delivered' | 'failed', failure?: { errorClass: ErrorClass; reason: string }): { matched: boolean; settled: number } {
    const { db, messages, rows, clock, notices } = this.context;
    const now = clock.now();
    const run = db.transaction(() => {
      const message = messages.findByRef(link, ref);
      if (message === undefined) return { matched: false, settled: 0 };
      // A repeated receipt, or one for a message already re-queued by its receipt timeout.
      if (message.state !== 'submitted') return { matched: true, settled: 0 };
      const pending = messages.partOutcome(message.id, link, ref, outcome);
      if (outcome === 'delivered' && pending > 0) return { matched: true, settled: 0 };
      const carried = messages.reports(message.id).filter((row) => row.state === 'submitted');
      if (outcome === 'delivered') {
        for (const row of carried) rows.apply(row, 'delivered', now);
        messages.finish(message.id, 'delivered', now, null);
        if (notices.wanted) notices.add({ type: 'delivered', messageId: message.id, link: message.link, reports: carried.map(noticeReport) });
        if (this.forgetSucceeded) this.forgetReports.run(message.id, 'delivered');
      } else {
        const reason = failure?.reason ?? 'delivery receipt: undeliverable';
        const errorClass = failure?.errorClass ?? 'permanent';
        const retryAt = this.retryTimes(carried, now);
        const settled = carried.map((row) => this.retryOrFinish(row, errorClass, reason, now, retryAt));
        messages.finish(message.id, settled.some((row) => row.state === 'queued') ? 'requeued' : 'failed', now, reason);
        this.announceFailures(message.id, message.link, errorClass, reason, settled);
      }
      return { matched: true, settled: carried.length };
    });
    return run.immediate();
  }

  /** A submitted message whose receipt never came: its reports are retried like a temporary failure. */
  receiptTimedOut(message: MessageRow, now: number): void {
    const { messages } = this.context;
    const carried = messages.reports(message.id).filter((row) => row.state === 'submitted');
    const reason = `no delivery receipt by ${new Date(message.receiptDueAt ?? now).toISOString()}`;
    const retryAt = this.retryTimes(carried, now);
    const settled = carried.map((row) => this.retryOrFinish(row, 'temporary', reason, now, retryAt));
    messages.finish(message.id, settled.some((row) => row.state === 'queued') ? 'requeued' : 'failed', now, reason);
    this.announceFailures(message.id, message.link, 'temporary', reason, settled);
  }

  private announceFailures(messageId: number, link: Link, errorClass: ErrorClass, reason: string, settled: readonly ReportRow[]): void {
    const { notices } = this.context;
    if (!notices.wanted) return;
    for (const notice of failureNotices(messageId, link, errorClass, reason, settled)) notices.add(notice);
  }

  /**
   * The one rule for a report whose send did not succeed: permanent → failed; past its TTL →
   * expired; throttled → queued soon, attempt given back; temporary → queued with exponential
   * back-off, or failed once its kind's attempts are used up.
   */
  /**
   * One retry time per message, not per report: the reports of a message go out again together, so
   * separate jitter would only make the message wait for the latest of them. The exponent follows the
   * most-tried report.
   */
  private retryTimes(carried: readonly ReportRow[], now: number): { readonly throttled: number; readonly temporary: number } {
    const attempts = Math.max(1, ...carried.map((row) => row.attempts));
    return {
      throttled: now + retryDelayMs('throttled', 1, this.backoff, this.random),
      temporary: now + retryDelayMs('temporary', attempts, this.backoff, this.random),
    };
  }

  private retryOrFinish(row: ReportRow, errorClass: ErrorClass, reason: string, now: number, retryAt: { readonly throttled: number; readonly temporary: number }): ReportRow {
    const { rows, policies } = this.context;
    const policy = policies.for(row.kind);
    const base = { lastError: reason, errorClass };
    if (errorClass === 'permanent') return rows.apply(row, 'failed', now, base);
    if (row.expiresAt !== null && row.expiresAt <= now) return rows.apply(row, 'expired', now, base);
    if (errorClass === 'throttled') {
      return rows.apply(row, 'queued', now, { ...base, attempts: Math.max(0, row.attempts - 1), nextAttemptAt: retryAt.throttled });
    }
    if (row.attempts >= policy.maxAttempts) {
      return rows.apply(row, 'failed', now, { ...base, lastError: `attempts exhausted (${row.attempts}/${policy.maxAttempts}): ${reason}` });
    }
    return rows.apply(row, 'queued', now, { ...base, nextAttemptAt: retryAt.temporary });
  }

  private expectMessage(messageId: number, expected: MessageState, next: string): MessageRow {
    const message = this.context.messages.get(messageId);
    if (message === undefined || message.state !== expected) {
      throw new AgentError(
        `illegal outbox transition for message ${messageId}: ${message?.state ?? 'missing'} → ${next} (bug: please report it)`,
        ErrorCode.Store_IllegalTransition,
        { messageId, from: message?.state ?? 'missing', to: next },
      );
    }
    return message;
  }
}
