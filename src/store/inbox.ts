/**
 * The inbox: MO messages and delivery receipts from SMPP (deliver_sm) and the modem
 * (+CMT/+CMTI/+CDS), each stored once. Links redeliver when an acknowledgement is lost, so every
 * entry carries a dedup key over what identifies it; parts of concatenated messages wait in
 * `inbox_parts` (with their reference, count and number) until the last one arrives, bounded by
 * inboxPartials.ts (what never completes is kept as an incomplete entry). The inbox itself is capped in
 * rows and bytes by inboxBounds.ts; what the caps push out is counted and announced to `onNotice`.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { AgentError, ErrorCode } from '../errors.js';
import { encodePayload } from './reportRows.js';
import { systemClock, type TimeSource } from '../clock.js';
import type { Link, Payload } from './types.js';
import { defaultInboxCaps, InboxBounds, type InboxCaps, type InboxDrop, type InboxDropTotals } from './inboxBounds.js';
import { defaultPartialCaps, InboxPartials, type ArrivedPart, type IncompleteReason, type PartialCaps, type PartialGroup } from './inboxPartials.js';

export interface InboundMessage {
  readonly link: Link;
  readonly sender: string;
  readonly recipient?: string;
  readonly payload: Payload;
  /** The SMSC timestamp (ms) when the link gives one (SMS-DELIVER SCTS); null for SMPP MO without one. */
  readonly sentAt?: number | null;
  /** Concatenation from the UDH (8- or 16-bit reference) or the sar_* TLVs. */
  readonly concat?: { readonly ref: number; readonly total: number; readonly seq: number };
}

/** An inbound message that could not be decoded: kept as its raw octets, with the reason. */
export interface UndecodableMessage {
  readonly link: Link;
  readonly sender: string;
  readonly recipient?: string;
  readonly raw: Uint8Array;
  readonly reason: string;
}

export interface InboundReceipt {
  readonly link: Link;
  readonly sender: string;
  /** The link's reference of the part it is for: SMPP receipted message_id or modem TP-MR. */
  readonly ref: string;
  readonly outcome: 'delivered' | 'failed';
  /** The receipt's text (the `id:… stat:…` body) or status report, kept as received. */
  readonly payload: Payload;
  readonly sentAt?: number | null;
}

export interface InboxEntry {
  readonly id: number;
  readonly type: 'mo' | 'receipt';
  readonly link: Link;
  readonly sender: string;
  readonly recipient: string;
  readonly payload: Payload;
  readonly sentAt: number | null;
  readonly receivedAt: number;
  readonly partCount: number;
  readonly receiptRef: string | null;
  readonly receiptOutcome: 'delivered' | 'failed' | null;
  /** Why the message could not be decoded (its payload is then the raw octets); null for ordinary entries. */
  readonly undecodable: string | null;
}

export type InboxResult =
  | { readonly status: 'stored'; readonly id: number }
  | { readonly status: 'duplicate' }
  | { readonly status: 'part-stored'; readonly have: number; readonly total: number };

export interface InboxOptions {
  readonly clock?: TimeSource;
  /** How long entries are kept (ms, default 30 days). */
  readonly keepMs?: number;
  /** Without a sender timestamp, identical messages within this window count as one (ms, default 10 minutes). */
  readonly dedupWindowMs?: number;
  /** How long delivery receipts are kept (ms, default 7 days, never longer than keepMs). */
  readonly receiptKeepMs?: number;
  readonly caps?: InboxCaps;
  readonly partialCaps?: PartialCaps;
  /** Entries pushed out by a cap, and messages kept incomplete; called after the change committed. */
  readonly onNotice?: InboxListener;
}

/** A concatenated message given up (out of time or pushed out by a cap), kept in the inbox with what arrived. */
export interface IncompleteKept {
  readonly id: number;
  readonly link: Link;
  readonly sender: string;
  readonly have: number;
  readonly total: number;
  readonly bytes: number;
  readonly reason: IncompleteReason;
}

export interface InboxNotice {
  readonly dropped: readonly InboxDrop[];
  readonly incomplete: readonly IncompleteKept[];
}

export type InboxListener = (notice: InboxNotice) => void;

/** What the inbox holds and has given up, for status and metrics. */
export interface InboxStats {
  readonly rows: number;
  readonly bytes: number;
  readonly partialMessages: number;
  readonly partialBytes: number;
  readonly dropped: InboxDropTotals;
  readonly incomplete: Readonly<Record<IncompleteReason, number>>;
}

interface EntryRow {
  id: number;
  type: 'mo' | 'receipt';
  link: Link;
  sender: string;
  recipient: string;
  payload: Buffer;
  payloadIsText: number;
  sentAt: number | null;
  receivedAt: number;
  partCount: number;
  receiptRef: string | null;
  receiptOutcome: 'delivered' | 'failed' | null;
  undecodable: string | null;
}

const entryColumns = `id, type, link, sender, recipient, payload, payload_is_text AS payloadIsText, sent_at AS sentAt,
  received_at AS receivedAt, part_count AS partCount, receipt_ref AS receiptRef, receipt_outcome AS receiptOutcome,
  undecodable`;

export class Inbox {
  private readonly clock: TimeSource;
  private readonly keepMs: number;
  private readonly dedupWindowMs: number;
  private readonly seen: Database.Statement<[string, number], { id: number }>;
  private readonly completed: Database.Statement<[string, number, Link, number, number], { id: number }>;
  private readonly insert: Database.Statement;
  private readonly insertPart: Database.Statement;
  private readonly insertUndecodable: Database.Statement;
  private readonly firstSentAt: Database.Statement<[Link, string, number, number], { sentAt: number | null }>;
  private readonly unhandledRows: Database.Statement<[number], EntryRow>;
  private readonly handled: Database.Statement<[number, number]>;
  private readonly one: Database.Statement<[number], EntryRow>;
  private readonly newest: Database.Statement<[number], EntryRow>;
  private readonly pruneEntries: Database.Statement<[number]>;
  private readonly pruneReceipts: Database.Statement<[number]>;
  private readonly receiptKeepMs: number;
  private readonly partialTimeoutMs: number;
  private readonly bounds: InboxBounds;
  private readonly partials: InboxPartials;
  private readonly onNotice: InboxListener | undefined;
  /** What the current transaction pushed out or kept incomplete, announced once it commits. */
  private pending: { dropped: InboxDrop[]; incomplete: IncompleteKept[] } = { dropped: [], incomplete: [] };

  constructor(
    private readonly db: Database.Database,
    options: InboxOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.keepMs = options.keepMs ?? 30 * 24 * 3_600_000;
    this.dedupWindowMs = options.dedupWindowMs ?? 10 * 60_000;
    this.receiptKeepMs = Math.min(this.keepMs, options.receiptKeepMs ?? 7 * 86_400_000);
    this.onNotice = options.onNotice;
    this.bounds = new InboxBounds(db, options.caps ?? defaultInboxCaps);
    const partialCaps = options.partialCaps ?? defaultPartialCaps;
    // A part never waits longer than the inbox keeps anything.
    this.partialTimeoutMs = Math.min(partialCaps.timeoutMs, this.keepMs);
    this.partials = new InboxPartials(db, partialCaps, (group, parts, reason) => this.keepIncomplete(group, parts, reason));
    this.seen = db.prepare('SELECT id FROM inbox WHERE dedup_key = ? AND received_at >= ? LIMIT 1');
    this.completed = db.prepare(
      'SELECT id FROM inbox WHERE sender = ? AND concat_ref = ? AND link = ? AND part_count = ? AND received_at >= ? LIMIT 1',
    );
    this.insert = db.prepare(`INSERT INTO inbox (type, link, sender, recipient, payload, payload_is_text, sent_at, received_at, dedup_key,
      part_count, concat_ref, receipt_ref, receipt_outcome) VALUES (@type, @link, @sender, @recipient, @payload, @isText, @sentAt, @now, @key, @partCount,
      @concatRef, @ref, @outcome)`);
    // Handled at once: an undecodable message is no command, only kept and shown. Incomplete ones carry no
    // concat_ref, so a part arriving after its message was given up starts a new one rather than vanishing.
    this.insertUndecodable = db.prepare(`INSERT INTO inbox (type, link, sender, recipient, payload, payload_is_text, received_at, dedup_key,
      undecodable, handled_at, part_count, concat_ref) VALUES ('mo', @link, @sender, @recipient, @payload, @isText, @now, @key, @reason, @now, @partCount, @concatRef)`);
    this.insertPart = db.prepare(`INSERT OR IGNORE INTO inbox_parts (link, sender, concat_ref, part_count, part_number, recipient, payload,
      payload_is_text, sent_at, received_at) VALUES (@link, @sender, @ref, @total, @seq, @recipient, @payload, @isText, @sentAt, @now)`);
    this.firstSentAt = db.prepare(`SELECT sent_at AS sentAt FROM inbox_parts WHERE link = ? AND sender = ? AND concat_ref = ? AND part_count = ?
      ORDER BY part_number LIMIT 1`);
    this.unhandledRows = db.prepare(`SELECT ${entryColumns} FROM inbox WHERE handled_at IS NULL ORDER BY id LIMIT ?`);
    this.handled = db.prepare('UPDATE inbox SET handled_at = ? WHERE id = ?');
    this.one = db.prepare(`SELECT ${entryColumns} FROM inbox WHERE id = ?`);
    this.newest = db.prepare(`SELECT ${entryColumns} FROM inbox ORDER BY id DESC LIMIT ?`);
    this.pruneEntries = db.prepare('DELETE FROM inbox WHERE received_at < ?');
    this.pruneReceipts = db.prepare(`DELETE FROM inbox WHERE type = 'receipt' AND received_at < ?`);
  }

  /** Stores an MO message (or one part of it). */
  addMessage(message: InboundMessage): InboxResult {
    const now = this.clock.now();
    const run = this.db.transaction((): InboxResult => {
      const concat = message.concat;
      if (concat === undefined || concat.total <= 1) return this.storeWhole(message, message.payload, 1, now);
      if (!Number.isInteger(concat.seq) || concat.seq < 1 || concat.seq > concat.total) {
        throw new AgentError(`concatenated part ${concat.seq} of ${concat.total} is out of range`, ErrorCode.Store_InvalidInput, { ...concat });
      }
      // References are 8 or 16 bits and wrap, so only a part arriving within the dedup window of
      // its reassembled message counts as a re-delivery of it.
      if (this.completed.get(message.sender, concat.ref, message.link, concat.total, now - this.dedupWindowMs) !== undefined) {
        return { status: 'duplicate' };
      }
      const { payload, isText } = encodePayload(message.payload);
      const group: PartialGroup = { link: message.link, sender: message.sender, ref: concat.ref, total: concat.total };
      const inserted = this.insertPart.run({ link: message.link, sender: message.sender, ref: concat.ref, total: concat.total, seq: concat.seq,
        recipient: message.recipient ?? '', payload, isText, sentAt: message.sentAt ?? null, now });
      let have = this.partials.count(group);
      if (inserted.changes > 0) {
        this.partials.added(group, payload.length, have === 1);
        // A cap may have pushed this very message out (kept incomplete): it is no longer waiting.
        have = this.partials.count(group);
      }
      if (have < concat.total) return { status: 'part-stored', have, total: concat.total };
      const sentAt = this.firstSentAt.get(message.link, message.sender, concat.ref, concat.total)?.sentAt;
      const parts = this.partials.complete(group);
      const whole = parts.every((part) => part.isText)
        ? parts.map((part) => part.payload.toString('utf8')).join('')
        : new Uint8Array(Buffer.concat(parts.map((part) => part.payload)));
      return this.storeWhole({ ...message, sentAt: sentAt ?? message.sentAt ?? null }, whole, concat.total, now, concat.ref);
    });
    return this.announcing(() => run.immediate());
  }

  /** Keeps a message that could not be decoded, once (a redelivery of the same octets is a duplicate). */
  addUndecodable(message: UndecodableMessage): InboxResult {
    const now = this.clock.now();
    const raw = Buffer.from(message.raw);
    const key = dedupKey(['undecodable', message.link, message.sender, message.recipient ?? '', raw.toString('hex')]);
    const run = this.db.transaction((): InboxResult => {
      if (this.seen.get(key, now - this.dedupWindowMs) !== undefined) return { status: 'duplicate' };
      const info = this.insertUndecodable.run({ link: message.link, sender: message.sender, recipient: message.recipient ?? '', payload: raw, isText: 0, now, key,
        reason: message.reason.slice(0, 500), partCount: 1, concatRef: null });
      this.pending.dropped.push(...this.bounds.inserted(raw.length));
      return { status: 'stored', id: Number(info.lastInsertRowid) };
    });
    return this.announcing(() => run.immediate());
  }

  /** Stores a delivery receipt once. Call inside the transaction that applies it to the outbox (see Store). */
  addReceipt(receipt: InboundReceipt): InboxResult {
    const now = this.clock.now();
    const key = dedupKey(['receipt', receipt.link, receipt.ref, receipt.outcome, encodePayload(receipt.payload).payload.toString('hex')]);
    const run = this.db.transaction((): InboxResult => {
      if (this.seen.get(key, now - this.keepMs) !== undefined) return { status: 'duplicate' };
      const { payload, isText } = encodePayload(receipt.payload);
      const info = this.insert.run({ type: 'receipt', link: receipt.link, sender: receipt.sender, recipient: '', payload, isText,
        sentAt: receipt.sentAt ?? null, now, key, partCount: 1, concatRef: null, ref: receipt.ref, outcome: receipt.outcome });
      this.pending.dropped.push(...this.bounds.inserted(payload.length));
      return { status: 'stored', id: Number(info.lastInsertRowid) };
    });
    return this.announcing(() => run.immediate());
  }

  /** Entries nobody has acted on yet (the command handler's work list), oldest first. */
  unhandled(limit = 100): InboxEntry[] {
    return this.unhandledRows.all(limit).map(toEntry);
  }

  markHandled(id: number): void {
    this.handled.run(this.clock.now(), id);
  }

  get(id: number): InboxEntry | undefined {
    const row = this.one.get(id);
    return row === undefined ? undefined : toEntry(row);
  }

  /** The newest entries, newest first (the local console's inbox view). */
  recent(limit = 50): InboxEntry[] {
    return this.newest.all(limit).map(toEntry);
  }

  /** Entries held (messages and receipts), for the metrics; bounded by the caps and pruned by age. */
  count(): number {
    return this.bounds.held().rows;
  }

  /** What the inbox holds, waits for and gave up (counters kept in the database, so they survive restarts). */
  stats(): InboxStats {
    const held = this.bounds.held();
    const partials = this.partials.held();
    return { rows: held.rows, bytes: held.bytes, partialMessages: partials.messages, partialBytes: partials.bytes, dropped: this.bounds.dropTotals(), incomplete: this.partials.incompleteTotals() };
  }

  /**
   * Deletes entries older than the keep time (receipts older than theirs), and gives up on concatenated
   * messages whose first part waited longer than the partial timeout (kept incomplete); returns how many
   * entries were deleted.
   */
  prune(): number {
    const now = this.clock.now();
    const run = this.db.transaction(() => {
      this.partials.expire(now - this.partialTimeoutMs);
      return this.pruneEntries.run(now - this.keepMs).changes + this.pruneReceipts.run(now - this.receiptKeepMs).changes;
    });
    const pruned = this.announcing(() => {
      const count = run.immediate();
      this.bounds.invalidate();
      return count;
    });
    // A cap lowered since the last start: caught up here, a thousand entries a transaction, so no single write
    // holds the lock for long.
    const trim = this.db.transaction((): number => {
      const drops = this.bounds.trim(1000);
      this.pending.dropped.push(...drops);
      return drops.length;
    });
    // Stops when nothing more can go (the totals are recounted from the table after each prune, so this ends).
    while (this.bounds.over() && this.announcing(() => trim.immediate()) > 0);
    return pruned;
  }

  /** Runs a write; on failure the in-memory totals are recounted, on success what it pushed out is announced. */
  private announcing<T>(write: () => T): T {
    this.pending = { dropped: [], incomplete: [] };
    let result: T;
    try {
      result = write();
    } catch (error) {
      this.bounds.invalidate();
      this.partials.invalidate();
      throw error;
    }
    const notice = this.pending;
    this.pending = { dropped: [], incomplete: [] };
    if (notice.dropped.length > 0 || notice.incomplete.length > 0) this.onNotice?.(notice);
    return result;
  }

  /** Keeps what arrived of a message that will not complete, as an incomplete (undecodable) entry. */
  private keepIncomplete(group: PartialGroup, parts: readonly ArrivedPart[], reason: IncompleteReason): void {
    const now = this.clock.now();
    const first = parts[0];
    const isText = parts.every((part) => part.isText) ? 1 : 0;
    const payload = Buffer.concat(parts.map((part) => part.payload));
    const numbers = parts.map((part) => part.number).join(',');
    const why = reason === 'timeout' ? `no further part within ${Math.round(this.partialTimeoutMs / 1000)} s` : `pushed out by the ${reason === 'sender-cap' ? "sender's" : 'total'} cap on waiting parts`;
    const key = dedupKey(['incomplete', group.link, group.sender, String(group.ref), String(group.total), String(first?.receivedAt ?? now), numbers]);
    const info = this.insertUndecodable.run({ link: group.link, sender: group.sender, recipient: first?.recipient ?? '', payload, isText, now, key,
      reason: `incomplete: ${parts.length} of ${group.total} parts (${numbers}) arrived; ${why}`, partCount: parts.length, concatRef: null });
    this.pending.incomplete.push({ id: Number(info.lastInsertRowid), link: group.link, sender: group.sender, have: parts.length, total: group.total, bytes: payload.length, reason });
    this.pending.dropped.push(...this.bounds.inserted(payload.length));
  }

  private storeWhole(message: InboundMessage, whole: Payload, partCount: number, now: number, concatRef: number | null = null): InboxResult {
    const { payload, isText } = encodePayload(whole);
    const sentAt = message.sentAt ?? null;
    const key = dedupKey(['mo', message.link, message.sender, message.recipient ?? '', String(sentAt), payload.toString('hex')]);
    // With a sender timestamp the key is unique for the keep time; without one, only within the window.
    const since = sentAt === null ? now - this.dedupWindowMs : now - this.keepMs;
    if (this.seen.get(key, since) !== undefined) return { status: 'duplicate' };
    const info = this.insert.run({ type: 'mo', link: message.link, sender: message.sender, recipient: message.recipient ?? '', payload, isText,
      sentAt, now, key, partCount, concatRef, ref: null, outcome: null });
    this.pending.dropped.push(...this.bounds.inserted(payload.length));
    return { status: 'stored', id: Number(info.lastInsertRowid) };
  }
}

function dedupKey(fields: readonly string[]): string {
  return createHash('sha256').update(fields.join('\u0000')).digest('base64url');
}

function toEntry(row: EntryRow): InboxEntry {
  return {
    id: row.id,
    type: row.type,
    link: row.link,
    sender: row.sender,
    recipient: row.recipient,
    payload: row.payloadIsText === 1 ? row.payload.toString('utf8') : new Uint8Array(row.payload),
    sentAt: row.sentAt,
    receivedAt: row.receivedAt,
    partCount: row.partCount,
    receiptRef: row.receiptRef,
    receiptOutcome: row.receiptOutcome,
    undecodable: row.undecodable,
  };
}
