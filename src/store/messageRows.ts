/**
 * The `messages` and `message_refs` tables: one row per submission over a link, carrying one or
 * more reports, and the link's reference for each SMS part (SMPP message_id or modem TP-MR).
 * A message settles all its reports at once — the report wire format batches readings this way.
 */
import type Database from 'better-sqlite3';
import type { Link } from './types.js';
import { reportColumns, type ReportRow } from './reportRows.js';

export type MessageState = 'sending' | 'submitted' | 'delivered' | 'failed' | 'requeued';

export interface MessageRow {
  id: number;
  state: MessageState;
  link: Link;
  partCount: number;
  /** When the message was first built; re-sends leave it as it is. */
  createdAt: number;
  /** When the message last started going out: its build, or its latest re-send. */
  lastAttemptAt: number;
  submittedAt: number | null;
  receiptDueAt: number | null;
  finishedAt: number | null;
  lastError: string | null;
}

/** A message as the rest of the agent sees it: what went out, over which link, under which references. */
export interface OutboundMessage extends MessageRow {
  /** The link's reference per SMS part, in part order (SMPP message_id or modem TP-MR). */
  readonly refs: readonly string[];
}

const messageColumns = `id, state, link, part_count AS partCount, created_at AS createdAt,
  COALESCE(last_attempt_at, created_at) AS lastAttemptAt, submitted_at AS submittedAt,
  receipt_due_at AS receiptDueAt, finished_at AS finishedAt, last_error AS lastError`;

export class MessageRows {
  private readonly insert: Database.Statement<[{ link: Link; now: number }]>;
  private readonly select: Database.Statement<[number], MessageRow>;
  private readonly markSubmitted: Database.Statement;
  private readonly finishStatement: Database.Statement;
  private readonly insertRef: Database.Statement;
  private readonly byRef: Database.Statement<[Link, string], MessageRow>;
  private readonly setOutcome: Database.Statement;
  private readonly pendingParts: Database.Statement<[number], { pending: number }>;
  private readonly carried: Database.Statement<[number], ReportRow>;
  private readonly receiptsDue: Database.Statement<[number, number], MessageRow>;
  private readonly refsOf: Database.Statement<[number], { ref: string }>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO messages (state, link, created_at, last_attempt_at) VALUES ('sending', @link, @now, @now)`);
    this.select = db.prepare(`SELECT ${messageColumns} FROM messages WHERE id = ?`);
    this.markSubmitted = db.prepare(
      `UPDATE messages SET state = 'submitted', part_count = @parts, submitted_at = @now, receipt_due_at = @due WHERE id = @id AND state = 'sending'`,
    );
    // A delivered or failed message keeps its link and references (receipts, `queue list`), not its bytes: only
    // a requeued one is sent again as built. A week of 4-part payloads is most of the table, and a group commit
    // that builds and settles a message writes the row once, small (bench "sdcard", round 4).
    this.finishStatement = db.prepare(`UPDATE messages SET state = @state, finished_at = @now, last_error = @error,
      payload = CASE @state WHEN 'requeued' THEN payload END WHERE id = @id`);
    this.insertRef = db.prepare(`INSERT OR REPLACE INTO message_refs (link, ref, message_id, part) VALUES (@link, @ref, @id, @part)`);
    // The newest message wins when an SMSC reuses message_ids after a restart.
    this.byRef = db.prepare(
      `SELECT ${messageColumns} FROM messages WHERE id = (
         SELECT MAX(message_id) FROM message_refs WHERE link = ? AND ref = ?)`,
    );
    this.setOutcome = db.prepare(`UPDATE message_refs SET outcome = @outcome WHERE link = @link AND ref = @ref AND message_id = @id`);
    this.pendingParts = db.prepare(
      `SELECT COUNT(*) AS pending FROM message_refs WHERE message_id = ? AND (outcome IS NULL OR outcome <> 'delivered')`,
    );
    this.carried = db.prepare(`SELECT ${reportColumns} FROM reports WHERE message_id = ? ORDER BY id`);
    this.receiptsDue = db.prepare(
      `SELECT ${messageColumns} FROM messages WHERE state = 'submitted' AND receipt_due_at IS NOT NULL AND receipt_due_at <= ? ORDER BY receipt_due_at LIMIT ?`,
    );
    this.refsOf = db.prepare(`SELECT ref FROM message_refs WHERE message_id = ? ORDER BY part`);
  }

  create(link: Link, now: number): number {
    return Number(this.insert.run({ link, now }).lastInsertRowid);
  }

  get(id: number): MessageRow | undefined {
    return this.select.get(id);
  }

  submitted(id: number, link: Link, refs: readonly string[], now: number, receiptDueAt: number | null): boolean {
    const changed = this.markSubmitted.run({ id, parts: refs.length, now, due: receiptDueAt }).changes === 1;
    refs.forEach((ref, part) => this.insertRef.run({ link, ref, id, part: part + 1 }));
    return changed;
  }

  finish(id: number, state: Exclude<MessageState, 'sending' | 'submitted'>, now: number, error: string | null): void {
    this.finishStatement.run({ id, state, now, error });
  }

  findByRef(link: Link, ref: string): MessageRow | undefined {
    return this.byRef.get(link, ref);
  }

  /** Records one part's receipt; returns how many parts still lack a `delivered` receipt. */
  partOutcome(id: number, link: Link, ref: string, outcome: 'delivered' | 'failed'): number {
    this.setOutcome.run({ id, link, ref, outcome });
    return this.pendingParts.get(id)?.pending ?? 0;
  }

  reports(id: number): ReportRow[] {
    return this.carried.all(id);
  }

  refs(id: number): string[] {
    return this.refsOf.all(id).map((row) => row.ref);
  }

  receiptTimedOut(now: number, limit: number): MessageRow[] {
    return this.receiptsDue.all(now, limit);
  }
}
