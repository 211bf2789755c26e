/**
 * Outcome notices: which reports a settling event moved (submitted, delivered, failed, expired),
 * one notice per message — or per sweep batch for expiry — for the agent's MQTT events. They are
 * collected inside the transaction and handed to the listener only after the outbox call returned,
 * so nothing is announced that rolled back (as with drops: inside an outer `inTransaction` or the
 * store's receipt transaction they go out before the outer commit).
 */
import type { Logger } from '../logger.js';
import type { ReportRow } from './reportRows.js';
import { priorityFromRank, type ErrorClass, type Link, type Priority } from './types.js';

export interface NoticeReport {
  readonly id: number;
  readonly kind: string;
  readonly priority: Priority;
  /** ms since the epoch. */
  readonly createdAt: number;
}

export type OutboxNotice =
  | { readonly type: 'submitted'; readonly messageId: number; readonly link: Link; readonly refs: readonly string[]; readonly reports: readonly NoticeReport[] }
  | { readonly type: 'delivered'; readonly messageId: number; readonly link: Link; readonly reports: readonly NoticeReport[] }
  /** `final`: the reports are `failed`; otherwise they are queued again for a retry. */
  | { readonly type: 'failed'; readonly messageId: number; readonly link: Link; readonly final: boolean; readonly errorClass: ErrorClass; readonly reason: string; readonly reports: readonly NoticeReport[] }
  /** Past their time to live: queued ones by the sweep (messageId null), or a message's when its retry came too late. */
  | { readonly type: 'expired'; readonly messageId: number | null; readonly reports: readonly NoticeReport[] };

export type OutboxListener = (notice: OutboxNotice) => void;

export class NoticeBoard {
  private pending: OutboxNotice[] = [];

  constructor(
    private readonly listener: OutboxListener | undefined,
    private readonly logger: Logger,
  ) {}

  /** Whether anyone listens: without a listener the outbox does not even build notices. */
  get wanted(): boolean {
    return this.listener !== undefined;
  }

  add(notice: OutboxNotice): void {
    if (this.listener !== undefined && notice.reports.length > 0) this.pending.push(notice);
  }

  /** Runs one outbox operation; its notices go out once it returned, and are dropped if it threw. */
  around<T>(operation: () => T): T {
    let result: T;
    try {
      result = operation();
    } catch (error) {
      this.pending = [];
      throw error;
    }
    const notices = this.pending;
    this.pending = [];
    for (const notice of notices) {
      try {
        this.listener?.(notice);
      } catch (error) {
        // A listener's bug must not undo or fail a committed outbox change.
        this.logger.error({ err: error, notice: notice.type }, 'outbox notice listener failed');
      }
    }
    return result;
  }
}

export function noticeReport(row: ReportRow): NoticeReport {
  return { id: row.id, kind: row.kind, priority: priorityFromRank(row.priority), createdAt: row.createdAt };
}

/**
 * The notices for reports whose send or delivery failed, grouped by where each ended: failed for
 * good, expired, or queued again. A throttled or link-lost retry is no failure of the report (it
 * costs no attempt and the link's own events tell the story), so it gets no notice.
 */
export function failureNotices(messageId: number, link: Link, errorClass: ErrorClass, reason: string, settled: readonly ReportRow[]): OutboxNotice[] {
  const failed = settled.filter((row) => row.state === 'failed');
  const expired = settled.filter((row) => row.state === 'expired');
  const retried = errorClass === 'throttled' ? [] : settled.filter((row) => row.state === 'queued');
  const notices: OutboxNotice[] = [];
  if (failed.length > 0) {
    notices.push({ type: 'failed', messageId, link, final: true, errorClass, reason: failed[0]?.lastError ?? reason, reports: failed.map(noticeReport) });
  }
  if (retried.length > 0) notices.push({ type: 'failed', messageId, link, final: false, errorClass, reason, reports: retried.map(noticeReport) });
  if (expired.length > 0) notices.push({ type: 'expired', messageId, reports: expired.map(noticeReport) });
  return notices;
}
