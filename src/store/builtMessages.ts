/**
 * Messages kept as built: the payload a batch of reports went out in, with the report sequence
 * number it carries. When such a message fails or is cut off by a crash, its reports stay bound to
 * it and it goes out again byte for byte (same sequence number), so the centre's duplicate check
 * sees whole duplicates only. If a bound report can no longer go (expired, failed, purged), the
 * message is released: it is marked failed and the rest of its reports are packed anew.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import type { OutboxContext } from './context.js';
import { encodePayload, reportColumns, type ReportRow } from './reportRows.js';
import type { JournaledBuild } from './intakeJournal.js';
import type { Link, Payload } from './types.js';

export type MessageFormat = 'report-text' | 'report-binary' | 'sms';

export interface MessageContent {
  readonly destination: string;
  readonly payload: Payload;
  readonly format: MessageFormat;
}

export interface BuiltMessage extends MessageContent {
  readonly messageId: number;
  readonly seq: number;
  readonly reportIds: readonly number[];
}

interface BuiltRow {
  id: number;
  seq: number;
  destination: string;
  format: MessageFormat;
  payload: Buffer;
  payloadIsText: number;
}

const maxSequence = 0xffff_ffff;

/** Reports bound to a message that will be re-sent as it is; the drain queries leave them out. */
export const boundToResend = `message_id IN (SELECT id FROM messages WHERE state = 'requeued' AND payload IS NOT NULL)`;

export class BuiltMessages {
  private readonly nextSeq: Database.Statement<[], { value: number }>;
  private readonly bumpSeq: Database.Statement<[number]>;
  private readonly insert: Database.Statement;
  private readonly requeued: Database.Statement<[number], BuiltRow>;
  private readonly carried: Database.Statement<[number], ReportRow>;
  private readonly release: Database.Statement<[number, number]>;
  private readonly restart: Database.Statement<[number, Link, number]>;
  private readonly selectMany: Database.Statement<[string], ReportRow>;
  private readonly insertWithId: Database.Statement;
  private readonly exists: Database.Statement<[number], number>;
  private readonly advanceSeq: Database.Statement<[number, number]>;

  constructor(private readonly context: OutboxContext) {
    const db: Database.Database = context.db;
    this.nextSeq = db.prepare(`SELECT value FROM counters WHERE name = 'report_seq'`);
    this.bumpSeq = db.prepare(`UPDATE counters SET value = ? WHERE name = 'report_seq'`);
    this.insert = db.prepare(`INSERT INTO messages (state, link, created_at, last_attempt_at, seq, destination, format, payload, payload_is_text)
      VALUES ('sending', @link, @now, @now, @seq, @destination, @format, @payload, @isText)`);
    this.requeued = db.prepare(`SELECT id, seq, destination, format, payload, payload_is_text AS payloadIsText FROM messages
      WHERE state = 'requeued' AND payload IS NOT NULL ORDER BY id LIMIT ?`);
    this.carried = db.prepare(`SELECT ${reportColumns} FROM reports WHERE message_id = ? ORDER BY id`);
    this.release = db.prepare(`UPDATE messages SET state = 'failed', finished_at = ?, last_error = 'released: a report it carried can no longer be sent' WHERE id = ?`);
    // created_at stays the time the message was first built: its age and history outlive re-sends.
    this.restart = db.prepare(`UPDATE messages SET state = 'sending', last_attempt_at = ?, link = ?, finished_at = NULL WHERE id = ? AND state = 'requeued'`);
    this.selectMany = db.prepare(`SELECT ${reportColumns} FROM reports WHERE id IN (SELECT value FROM json_each(?))`);
    this.insertWithId = db.prepare(`INSERT INTO messages (id, state, link, created_at, last_attempt_at, seq, destination, format, payload, payload_is_text)
      VALUES (@id, 'sending', @link, @now, @now, @seq, @destination, @format, @payload, @isText)`);
    this.exists = db.prepare<[number], number>('SELECT 1 FROM messages WHERE id = ?').pluck();
    // The lost build took the counter's value and its bump was lost with it: advance it past that one only.
    this.advanceSeq = db.prepare(`UPDATE counters SET value = ? WHERE name = 'report_seq' AND value = ?`);
  }

  /** The sequence number the next built message will carry. */
  peekNextSeq(): number {
    return this.nextSeq.get()?.value ?? 1;
  }

  /** One transaction: takes the next sequence number, stores the payload `build` makes with it, marks the reports `sending`. */
  build(reportIds: readonly number[], link: Link, build: (seq: number) => MessageContent): BuiltMessage {
    const { db, rows, clock } = this.context;
    const now = clock.now();
    const run = db.transaction((): BuiltMessage => {
      const seq = this.peekNextSeq();
      this.bumpSeq.run(seq >= maxSequence ? 0 : seq + 1);
      const content = build(seq);
      const { payload, isText } = encodePayload(content.payload);
      const messageId = Number(this.insert.run({ link, now, seq, destination: content.destination, format: content.format, payload, isText }).lastInsertRowid);
      const found = new Map(this.selectMany.all(JSON.stringify(reportIds)).map((row) => [row.id, row]));
      for (const id of reportIds) {
        const row = found.get(id);
        if (row === undefined) throw new AgentError(`report ${id} not found`, ErrorCode.Store_NotFound, { id });
        rows.apply(row, 'sending', now, { attempts: row.attempts + 1, messageId });
      }
      return { messageId, seq, reportIds: [...reportIds], ...content };
    });
    return run.immediate();
  }

  /**
   * A build the intake journal holds and the database lacks (its group never committed: a kill or a
   * power cut), put back as it was built, `sending`, under its id and sequence number, so recovery
   * re-sends it byte for byte. Runs inside the restoring transaction. 'unrestorable' (the caller
   * says so): its reports are not all there and queued, and those that are get packed anew.
   */
  restore(build: JournaledBuild): 'restored' | 'present' | 'unrestorable' {
    const { rows } = this.context;
    if (this.exists.get(build.messageId) !== undefined) return 'present';
    const found = new Map(this.selectMany.all(JSON.stringify(build.reportIds)).map((row) => [row.id, row]));
    const carried = build.reportIds.map((id) => found.get(id));
    const queued = carried.filter((row) => row?.state === 'queued').length;
    // A lost build leaves every report it carried queued. None queued: the build committed and its
    // reports moved on (and its message was pruned since), nothing to do. Some: a CLI purge or a
    // full queue took the others, and the message cannot go out as built.
    if (queued === 0) return 'present';
    if (queued < carried.length) return 'unrestorable';
    const { payload, isText } = encodePayload(build.payload);
    this.insertWithId.run({ id: build.messageId, link: build.link, now: build.at, seq: build.seq, destination: build.destination, format: build.format, payload, isText });
    this.advanceSeq.run(build.seq >= maxSequence ? 0 : build.seq + 1, build.seq);
    for (const row of carried) if (row !== undefined) rows.apply(row, 'sending', build.at, { attempts: row.attempts + 1, messageId: build.messageId });
    return 'restored';
  }

  /**
   * Requeued messages whose reports are all queued and past their back-off, oldest first; `allowKind`
   * filters for the link (the modem carries only fallback kinds). Messages that lost a report are released.
   */
  resendable(limit: number, now: number, allowKind: (kind: string) => boolean): BuiltMessage[] {
    const { db } = this.context;
    const found: BuiltMessage[] = [];
    const run = db.transaction(() => {
      for (const message of this.requeued.all(Math.max(limit * 4, 16))) {
        const reports = this.carried.all(message.id);
        if (reports.length === 0 || reports.some((row) => row.state !== 'queued' || (row.expiresAt !== null && row.expiresAt <= now))) {
          this.release.run(now, message.id);
          continue;
        }
        if (reports.some((row) => row.nextAttemptAt > now) || !reports.every((row) => allowKind(row.kind))) continue;
        found.push({
          messageId: message.id,
          seq: message.seq,
          reportIds: reports.map((row) => row.id),
          destination: message.destination,
          format: message.format,
          payload: message.payloadIsText === 1 ? message.payload.toString('utf8') : Uint8Array.from(message.payload),
        });
        if (found.length >= limit) break;
      }
    });
    run.immediate();
    return found;
  }

  /** requeued → sending again, with its reports (each attempt counted); the message keeps its created_at. */
  restartMessage(messageId: number, link: Link): void {
    const { db, rows, clock } = this.context;
    const now = clock.now();
    const run = db.transaction(() => {
      if (this.restart.run(now, link, messageId).changes !== 1) {
        throw new AgentError(`message ${messageId} is not waiting to be re-sent (bug: please report it)`, ErrorCode.Store_IllegalTransition, { messageId });
      }
      for (const row of this.carried.all(messageId)) rows.apply(row, 'sending', now, { attempts: row.attempts + 1, messageId });
    });
    run.immediate();
  }
}
