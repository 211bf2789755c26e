/**
 * The store's vocabulary: report states, priorities, error classes and the shapes that cross
 * its public face. Pure data; no SQLite here.
 */

/** A report's life. `submitted` is final for kinds that want no receipt. */
export const reportStates = ['queued', 'sending', 'submitted', 'delivered', 'failed', 'expired'] as const;
export type ReportState = (typeof reportStates)[number];

/** Most urgent first; the numeric rank (index) is what the database stores and sorts on. */
export const priorities = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];

export function priorityRank(priority: Priority): number {
  return priorities.indexOf(priority);
}

export function priorityFromRank(rank: number): Priority {
  const priority = priorities[rank];
  if (priority === undefined) throw new RangeError(`priority rank ${rank} out of range`);
  return priority;
}

export function isPriority(value: string): value is Priority {
  return (priorities as readonly string[]).includes(value);
}

export function isReportState(value: string): value is ReportState {
  return (reportStates as readonly string[]).includes(value);
}

/**
 * How a failed send is retried. `throttled`: the link asked us to slow down (ESME_RTHROTTLED,
 * +CMS 322-ish congestion) — retry soon, and it does not use up an attempt. `temporary`: the
 * link or the network failed (timeout, link down) — retry later with exponential back-off.
 * `permanent`: the message itself is refused (invalid destination) — `failed` at once.
 */
export const errorClasses = ['throttled', 'temporary', 'permanent'] as const;
export type ErrorClass = (typeof errorClasses)[number];

/** The link a message went out on. */
export type Link = 'smpp' | 'modem';

/** A report's payload: text (UTF-8) or raw bytes (binary wire format). */
export type Payload = string | Uint8Array;

export interface ReportInput {
  readonly kind: string;
  readonly priority: Priority;
  readonly payload: Payload;
  /** MSISDNs or short codes; empty means "the configured default route". */
  readonly destinations?: readonly string[];
  /** Overrides the kind's TTL for this report (ms). */
  readonly ttlMs?: number;
}

/** One outbox row as the rest of the agent sees it. Times are ms since the epoch. */
export interface Report {
  readonly id: number;
  readonly kind: string;
  readonly priority: Priority;
  readonly state: ReportState;
  readonly payload: Payload;
  readonly destinations: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly updatedAt: number;
  readonly bytes: number;
  /** The outgoing message that carries (or last carried) it. */
  readonly messageId: number | null;
  readonly lastError: string | null;
  readonly errorClass: ErrorClass | null;
}

/** Why a queued report left the queue without being sent. Every one is counted. */
export type DropReason = 'cap-rows' | 'cap-bytes' | 'coalesced' | 'rejected-full' | 'purged';

export interface DroppedReport {
  readonly id: number | null;
  readonly kind: string;
  readonly priority: Priority;
  readonly bytes: number;
  readonly reason: DropReason;
}

export interface EnqueueResult {
  /** The new report's id, or null when the store was full of more urgent reports. */
  readonly id: number | null;
  /** Older reports removed to make room or coalesced away by this enqueue. */
  readonly dropped: readonly DroppedReport[];
}
