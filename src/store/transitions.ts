/**
 * The report state machine as data. Every UPDATE of `reports.state` goes through
 * `checkedTransition` (see outbox-rows.ts), which refuses any arrow not listed here.
 *
 *   queued ──► sending ──► submitted ──► delivered
 *     ▲  │        │  │         │  │
 *     │  │        │  └─► failed ◄┘  │      (permanent error, attempts exhausted, failed receipt)
 *     │  └─► expired ◄──────────────┘      (TTL passed)
 *     └─── sending / submitted / failed / expired
 *          (temporary error, crash recovery, receipt timeout, operator retry)
 */
import { AgentError, ErrorCode } from '../errors.js';
import type { ReportState } from './types.js';

const allowed: Readonly<Record<ReportState, readonly ReportState[]>> = {
  queued: ['sending', 'expired'],
  sending: ['submitted', 'queued', 'failed', 'expired'],
  submitted: ['delivered', 'failed', 'queued', 'expired'],
  delivered: [],
  failed: ['queued'],
  expired: ['queued'],
};

export function isLegalTransition(from: ReportState, to: ReportState): boolean {
  return allowed[from].includes(to);
}

/** The states a report may move to from `from`. */
export function nextStates(from: ReportState): readonly ReportState[] {
  return allowed[from];
}

/** Every state a report may come from to reach `to`. */
export function previousStates(to: ReportState): readonly ReportState[] {
  return (Object.keys(allowed) as ReportState[]).filter((from) => allowed[from].includes(to));
}

/** An illegal transition is a bug in the caller, not an operational failure: say exactly what was asked. */
export function illegalTransition(id: number, from: ReportState | 'missing', to: ReportState): AgentError {
  return new AgentError(
    `illegal outbox transition for report ${id}: ${from} → ${to} (bug: please report it)`,
    ErrorCode.Store_IllegalTransition,
    { id, from, to },
  );
}
