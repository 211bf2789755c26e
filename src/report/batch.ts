/**
 * Packs queued readings into report messages: as few SMS parts as the readings' deadlines allow.
 *
 * Readings wait in the outbox up to their kind's maximum delay. When the most pressing one is due
 * (or urgent: alarms and replies never wait), the planner fills one message with due readings first,
 * then tops it up with readings that are not due yet, but only while that costs no extra part.
 * The planner is pure: the outbox gives it candidates and records what it chose. It weighs each
 * candidate once, sizing the message incrementally (packing.ts), and encodes the chosen message once.
 */
import { AgentError, ErrorCode } from '../errors.js';
import type { Reading, ReportMessage } from './model.js';
import { type Packed, Packing } from './packing.js';
import type { PartCapacity, ReportEncoding } from './parts.js';

export { buildMessage } from './packing.js';

export interface PendingReading<Id> {
  readonly id: Id;
  readonly reading: Reading;
  readonly encoding: ReportEncoding;
  /** Unix ms by which it must be sent; `urgent` readings are due at once. */
  readonly deadline: number;
  readonly urgent: boolean;
}

export interface BatchOptions {
  readonly device: string;
  /** The sequence number the message will carry (its digits count in the size). */
  readonly seq: number;
  readonly maxParts: number;
  readonly capacity: Readonly<Record<ReportEncoding, PartCapacity>>;
}

export type BatchPlan<Id> =
  | { readonly action: 'send'; readonly ids: readonly Id[]; readonly encoding: ReportEncoding; readonly message: ReportMessage; readonly payload: string | Buffer; readonly parts: number }
  | { readonly action: 'wait'; readonly until: number }
  | { readonly action: 'idle' };

/**
 * `pending` comes in the outbox's order: priority first, then oldest. The first reading decides the
 * encoding of this message; readings of the other encoding wait for a message of their own.
 */
export function planBatch<Id>(pending: readonly PendingReading<Id>[], now: number, options: BatchOptions): BatchPlan<Id> {
  const first = pending[0];
  if (first === undefined) return { action: 'idle' };
  const compatible = pending.filter((item) => item.encoding === first.encoding);
  const isDue = (item: PendingReading<Id>): boolean => item.urgent || item.deadline <= now;
  const due = compatible.filter(isDue);
  const later = compatible.filter((item) => !isDue(item));
  const packingOptions = { device: options.device, seq: options.seq, encoding: first.encoding, capacity: options.capacity[first.encoding] };

  if (due.length === 0) {
    // Nothing is due, but if the waiting readings already fill every part we may use, waiting gains nothing.
    const full = new Packing(later, packingOptions);
    full.fill(0, later.length, options.maxParts);
    if (full.count > 0 && full.count < later.length) return send(full.finish(), first.encoding);
    return { action: 'wait', until: Math.min(...later.map((item) => item.deadline)) };
  }
  // Due readings first; then readings not due yet, only while they cost no extra part.
  const packing = new Packing([...due, ...later], packingOptions);
  packing.fill(0, due.length, options.maxParts);
  if (packing.count === 0) {
    throw new AgentError(
      `report: reading ${String(due[0]?.id)} does not fit in ${options.maxParts} SMS parts`,
      ErrorCode.Report_TooLarge,
      { id: due[0]?.id, maxParts: options.maxParts },
    );
  }
  packing.fill(due.length, due.length + later.length, packing.parts);
  return send(packing.finish(), first.encoding);
}

function send<Id>(packed: Packed<PendingReading<Id>>, encoding: ReportEncoding): BatchPlan<Id> {
  return { action: 'send', ids: packed.chosen.map((item) => item.id), encoding, message: packed.message, payload: packed.payload, parts: packed.parts };
}
