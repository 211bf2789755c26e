/**
 * The `reports` table's row shape and its one checked way to change state. Every state change in
 * the outbox reads the row and calls `applyTransition` inside the caller's transaction; an arrow
 * missing from transitions.ts throws Store_IllegalTransition and rolls the transaction back.
 */
import type Database from 'better-sqlite3';
import { illegalTransition, isLegalTransition } from './transitions.js';
import { priorityFromRank, type ErrorClass, type Payload, type Report, type ReportState } from './types.js';

/** Columns as SQLite returns them (camelCase aliases). */
export interface ReportRow {
  id: number;
  kind: string;
  priority: number;
  state: ReportState;
  payload: Buffer;
  payloadIsText: number;
  destinations: string;
  bytes: number;
  createdAt: number;
  expiresAt: number | null;
  attempts: number;
  nextAttemptAt: number;
  updatedAt: number;
  messageId: number | null;
  lastError: string | null;
  errorClass: ErrorClass | null;
}

export const reportColumns = `id, kind, priority, state, payload, payload_is_text AS payloadIsText, destinations, bytes,
  created_at AS createdAt, expires_at AS expiresAt, attempts, next_attempt_at AS nextAttemptAt, updated_at AS updatedAt,
  message_id AS messageId, last_error AS lastError, error_class AS errorClass`;

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    kind: row.kind,
    priority: priorityFromRank(row.priority),
    state: row.state,
    payload: row.payloadIsText === 1 ? row.payload.toString('utf8') : new Uint8Array(row.payload),
    destinations: decodeDestinations(row.destinations),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    updatedAt: row.updatedAt,
    bytes: row.bytes,
    messageId: row.messageId,
    lastError: row.lastError,
    errorClass: row.errorClass,
  };
}

export function encodePayload(payload: Payload): { payload: Buffer; isText: number } {
  return typeof payload === 'string'
    ? { payload: Buffer.from(payload, 'utf8'), isText: 1 }
    : { payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), isText: 0 };
}

export function encodeDestinations(destinations: readonly string[] | undefined): string {
  return destinations === undefined || destinations.length === 0 ? '' : JSON.stringify(destinations);
}

/** Fields a transition may change besides the state. */
export interface TransitionChanges {
  readonly attempts?: number;
  readonly nextAttemptAt?: number;
  readonly expiresAt?: number | null;
  readonly messageId?: number | null;
  readonly lastError?: string | null;
  readonly errorClass?: ErrorClass | null;
}

/** Prepared once per database; `apply` must run inside a write transaction. */
export class RowTransitions {
  private readonly update: Database.Statement;
  private readonly select: Database.Statement<[number], ReportRow>;

  constructor(db: Database.Database) {
    this.update = db.prepare(`UPDATE reports SET state = @to, attempts = @attempts, next_attempt_at = @nextAttemptAt,
      expires_at = @expiresAt, message_id = @messageId, last_error = @lastError, error_class = @errorClass, updated_at = @now
      WHERE id = @id AND state = @from`);
    this.select = db.prepare<[number], ReportRow>(`SELECT ${reportColumns} FROM reports WHERE id = ?`);
  }

  row(id: number): ReportRow | undefined {
    return this.select.get(id);
  }

  /** Moves `row` to `to`, refusing arrows the state machine does not have. Returns the row as now stored. */
  apply(row: ReportRow, to: ReportState, now: number, changes: TransitionChanges = {}): ReportRow {
    if (!isLegalTransition(row.state, to)) throw illegalTransition(row.id, row.state, to);
    const next: ReportRow = {
      ...row,
      state: to,
      attempts: changes.attempts ?? row.attempts,
      nextAttemptAt: changes.nextAttemptAt ?? row.nextAttemptAt,
      expiresAt: changes.expiresAt === undefined ? row.expiresAt : changes.expiresAt,
      messageId: changes.messageId === undefined ? row.messageId : changes.messageId,
      lastError: changes.lastError === undefined ? row.lastError : changes.lastError,
      errorClass: changes.errorClass === undefined ? row.errorClass : changes.errorClass,
      updatedAt: now,
    };
    const result = this.update.run({ ...next, to, from: row.state, now });
    if (result.changes !== 1) {
      // Another writer moved it between our read and write: impossible inside an IMMEDIATE transaction.
      throw illegalTransition(row.id, this.row(row.id)?.state ?? 'missing', to);
    }
    return next;
  }

  /** Reads and moves one report by id. */
  applyById(id: number, to: ReportState, now: number, changes: TransitionChanges = {}): ReportRow {
    const row = this.row(id);
    if (row === undefined) throw illegalTransition(id, 'missing', to);
    return this.apply(row, to, now, changes);
  }
}

/**
 * The destinations column: '' (the default route) or a JSON list of numbers. A value written by hand
 * that is neither comes back as itself, so the router can fail that report alone (Report_Unsendable)
 * instead of every read of the queue throwing.
 */
function decodeDestinations(text: string): string[] {
  if (text === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  } catch {
    // fall through: kept as written
  }
  return [text];
}
