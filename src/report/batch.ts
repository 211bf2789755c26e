/**
 * Packs queued readings into report messages: as few SMS parts as the readings' deadlines allow.
 *
 * Readings wait in the outbox up to their kind's maximum delay. When the most pressing one is due
 * (or urgent: alarms and replies never wait), the planner fills one message with due readings first,
 * then tops it up with readings that are not due yet, but only while that costs no extra part.
 * The planner is pure: the outbox gives it candidates and records what it chose.
 */
import { encodeBinaryReport } from './binaryFormat.js';
import { AgentError, ErrorCode } from '../errors.js';
import type { Reading, ReportMessage } from './model.js';
import { type PartCapacity, type ReportEncoding, partsNeeded } from './parts.js';
import { encodeTextReport } from './textFormat.js';

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
  const capacity = options.capacity[first.encoding];

  if (due.length === 0) {
    // Nothing is due, but if the waiting readings already fill every part we may use, waiting gains nothing.
    const full = fill([], later, options.maxParts, first.encoding, options, capacity);
    if (full.chosen.length > 0 && full.chosen.length < later.length) return send(full, first.encoding);
    return { action: 'wait', until: Math.min(...later.map((item) => item.deadline)) };
  }
  const withDue = fill([], due, options.maxParts, first.encoding, options, capacity);
  if (withDue.chosen.length === 0) {
    throw new AgentError(
      `report: reading ${String(due[0]?.id)} does not fit in ${options.maxParts} SMS parts`,
      ErrorCode.Report_TooLarge,
      { id: due[0]?.id, maxParts: options.maxParts },
    );
  }
  const toppedUp = fill(withDue.chosen, later, withDue.parts, first.encoding, options, capacity);
  return send(toppedUp, first.encoding);
}

interface Filled<Id> {
  readonly chosen: PendingReading<Id>[];
  readonly parts: number;
  readonly message?: ReportMessage;
  readonly payload?: string | Buffer;
}

/** Adds candidates in order while the message stays within `maxParts`; a reading too big to fit is passed over. */
function fill<Id>(
  start: readonly PendingReading<Id>[],
  candidates: readonly PendingReading<Id>[],
  maxParts: number,
  encoding: ReportEncoding,
  options: BatchOptions,
  capacity: PartCapacity,
): Filled<Id> {
  let best: Filled<Id> = start.length === 0 ? { chosen: [], parts: 0 } : measure([...start], encoding, options, capacity);
  for (const candidate of candidates) {
    const trial = measure([...best.chosen, candidate], encoding, options, capacity);
    if (trial.parts <= maxParts) best = trial;
  }
  return best;
}

function measure<Id>(chosen: PendingReading<Id>[], encoding: ReportEncoding, options: BatchOptions, capacity: PartCapacity): Filled<Id> {
  const message = buildMessage(options.device, options.seq, chosen.map((item) => item.reading));
  const payload = encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message);
  return { chosen, parts: partsNeeded(payload.length, capacity), message, payload };
}

function send<Id>(filled: Filled<Id>, encoding: ReportEncoding): BatchPlan<Id> {
  if (filled.message === undefined || filled.payload === undefined) return { action: 'idle' };
  return { action: 'send', ids: filled.chosen.map((item) => item.id), encoding, message: filled.message, payload: filled.payload, parts: filled.parts };
}

/** Readings go in time order with the earliest as the base, so offsets and binary time deltas stay small. */
export function buildMessage(device: string, seq: number, readings: readonly Reading[]): ReportMessage {
  const ordered = [...readings].sort((a, b) => a.time - b.time);
  return { version: 1, device, seq, baseTime: ordered[0]?.time ?? 0, readings: ordered };
}
