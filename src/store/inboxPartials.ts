/**
 * Bounds on parts of concatenated messages that wait in `inbox_parts` for their siblings. A sender
 * (or an SMSC gone wrong) can send part 1 of 255 forever, each part up to ~64 KB with message_payload;
 * without bounds those rows would fill the disk. Caps hold per sender (messages and bytes) and in
 * total, and a message waits at most `timeoutMs` from its first part. A message pushed out by a cap or
 * out of time is never silently dropped: what arrived of it is handed to `keep` (the inbox stores it
 * as an incomplete entry, with the parts' bytes in order), counted in `counters` and announced.
 *
 * The per-sender figures are read from the primary key's (link, sender) prefix, so their cost is
 * bounded by the per-sender caps; the totals live in memory (counted once, on the first write).
 */
import type Database from 'better-sqlite3';
import type { Link } from './types.js';

export interface PartialCaps {
  /** Messages waiting for parts, in total. */
  readonly maxMessages: number;
  /** Bytes of waiting parts, in total. */
  readonly maxBytes: number;
  readonly maxPerSender: number;
  readonly maxBytesPerSender: number;
  /** How long a message waits from its first part (ms). */
  readonly timeoutMs: number;
}

/** A day to complete: SMSCs retry a part for hours; 1,000 messages and 8 MiB is far above any real traffic. */
export const defaultPartialCaps: PartialCaps = { maxMessages: 1000, maxBytes: 8 * 2 ** 20, maxPerSender: 32, maxBytesPerSender: 2 * 2 ** 20, timeoutMs: 86_400_000 };

export type IncompleteReason = 'timeout' | 'sender-cap' | 'total-cap';

export interface PartialGroup {
  readonly link: Link;
  readonly sender: string;
  readonly ref: number;
  readonly total: number;
}

export interface ArrivedPart {
  readonly number: number;
  readonly payload: Buffer;
  readonly isText: boolean;
  readonly recipient: string;
  readonly receivedAt: number;
}

interface PartRow {
  number: number;
  payload: Buffer;
  payloadIsText: number;
  recipient: string;
  receivedAt: number;
}

const counterNames: Record<IncompleteReason, string> = { timeout: 'inbox_incomplete_timeout', 'sender-cap': 'inbox_incomplete_sender_cap', 'total-cap': 'inbox_incomplete_total_cap' };

export class InboxPartials {
  private totals: { messages: number; bytes: number } | undefined;
  private readonly countAll: Database.Statement<[], { messages: number; bytes: number }>;
  private readonly ofSender: Database.Statement<[Link, string], { messages: number; bytes: number }>;
  private readonly oldestOfSender: Database.Statement<[Link, string], { ref: number; total: number }>;
  private readonly oldestOverall: Database.Statement<[], PartialGroup>;
  private readonly overdue: Database.Statement<[number], PartialGroup>;
  private readonly partsOf: Database.Statement<[Link, string, number, number], PartRow>;
  private readonly countOf: Database.Statement<[Link, string, number, number], { n: number }>;
  private readonly dropGroup: Database.Statement<[Link, string, number, number]>;
  private readonly bump: Database.Statement<[string, number]>;
  private readonly counters: Database.Statement<[], { name: string; value: number }>;

  constructor(
    db: Database.Database,
    private readonly caps: PartialCaps,
    /** Stores what arrived of a message that will not complete; inside the caller's transaction. */
    private readonly keep: (group: PartialGroup, parts: readonly ArrivedPart[], reason: IncompleteReason) => void,
  ) {
    this.countAll = db.prepare(`SELECT COUNT(*) AS messages, COALESCE(SUM(bytes), 0) AS bytes FROM
      (SELECT SUM(length(payload)) AS bytes FROM inbox_parts GROUP BY link, sender, concat_ref, part_count)`);
    this.ofSender = db.prepare(`SELECT COUNT(DISTINCT concat_ref * 65536 + part_count) AS messages, COALESCE(SUM(length(payload)), 0) AS bytes
      FROM inbox_parts WHERE link = ? AND sender = ?`);
    this.oldestOfSender = db.prepare(`SELECT concat_ref AS ref, part_count AS total FROM inbox_parts WHERE link = ? AND sender = ?
      GROUP BY concat_ref, part_count ORDER BY MIN(received_at) LIMIT 1`);
    this.oldestOverall = db.prepare('SELECT link, sender, concat_ref AS ref, part_count AS total FROM inbox_parts ORDER BY received_at LIMIT 1');
    this.overdue = db.prepare('SELECT DISTINCT link, sender, concat_ref AS ref, part_count AS total FROM inbox_parts WHERE received_at < ? LIMIT 100');
    this.partsOf = db.prepare(`SELECT part_number AS number, payload, payload_is_text AS payloadIsText, recipient, received_at AS receivedAt
      FROM inbox_parts WHERE link = ? AND sender = ? AND concat_ref = ? AND part_count = ? ORDER BY part_number`);
    this.countOf = db.prepare('SELECT COUNT(*) AS n FROM inbox_parts WHERE link = ? AND sender = ? AND concat_ref = ? AND part_count = ?');
    this.dropGroup = db.prepare('DELETE FROM inbox_parts WHERE link = ? AND sender = ? AND concat_ref = ? AND part_count = ?');
    this.bump = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value');
    this.counters = db.prepare(`SELECT name, value FROM counters WHERE name LIKE 'inbox_incomplete_%'`);
  }

  /**
   * A part of `bytes` was stored (`first`: it started its message). Pushes out the oldest messages of the
   * sender, then overall, until every cap holds. Inside the inserting transaction.
   */
  added(group: PartialGroup, bytes: number, first: boolean): void {
    if (this.totals === undefined) this.current(); // counted now, the new part included
    else {
      this.totals.bytes += bytes;
      if (first) this.totals.messages += 1;
    }
    const totals = this.current();
    for (;;) {
      const sender = this.ofSender.get(group.link, group.sender) ?? { messages: 0, bytes: 0 };
      if (sender.messages <= this.caps.maxPerSender && sender.bytes <= this.caps.maxBytesPerSender) break;
      const oldest = this.oldestOfSender.get(group.link, group.sender);
      if (oldest === undefined) break;
      this.giveUp({ link: group.link, sender: group.sender, ref: oldest.ref, total: oldest.total }, 'sender-cap');
    }
    while (totals.messages > this.caps.maxMessages || totals.bytes > this.caps.maxBytes) {
      const oldest = this.oldestOverall.get();
      if (oldest === undefined) break;
      this.giveUp(oldest, 'total-cap');
    }
  }

  /** The message completed: its parts leave the table. Returns them in order. */
  complete(group: PartialGroup): ArrivedPart[] {
    return this.take(group);
  }

  /** Parts of `group` so far, in order (without taking them). */
  parts(group: PartialGroup): ArrivedPart[] {
    return this.partsOf.all(group.link, group.sender, group.ref, group.total).map(toPart);
  }

  /** Parts of `group` waiting now. */
  count(group: PartialGroup): number {
    return this.countOf.get(group.link, group.sender, group.ref, group.total)?.n ?? 0;
  }

  /** Gives up on messages whose first part came before `cutoff`; returns how many. */
  expire(cutoff: number): number {
    let expired = 0;
    for (;;) {
      const groups = this.overdue.all(cutoff);
      if (groups.length === 0) return expired;
      for (const group of groups) this.giveUp(group, 'timeout');
      expired += groups.length;
    }
  }

  /** Messages given up since the database was created, by reason. */
  incompleteTotals(): Readonly<Record<IncompleteReason, number>> {
    const totals: Record<IncompleteReason, number> = { timeout: 0, 'sender-cap': 0, 'total-cap': 0 };
    for (const { name, value } of this.counters.all()) {
      for (const reason of Object.keys(counterNames) as IncompleteReason[]) if (counterNames[reason] === name) totals[reason] = value;
    }
    return totals;
  }

  /** Messages and bytes waiting now. */
  held(): { readonly messages: number; readonly bytes: number } {
    return { ...this.current() };
  }

  invalidate(): void {
    this.totals = undefined;
  }

  private giveUp(group: PartialGroup, reason: IncompleteReason): void {
    const parts = this.take(group);
    if (parts.length === 0) return;
    this.bump.run(counterNames[reason], 1);
    this.keep(group, parts, reason);
  }

  private take(group: PartialGroup): ArrivedPart[] {
    const parts = this.parts(group);
    this.dropGroup.run(group.link, group.sender, group.ref, group.total);
    const totals = this.current();
    if (parts.length > 0) totals.messages -= 1;
    for (const part of parts) totals.bytes -= part.payload.length;
    return parts;
  }

  private current(): { messages: number; bytes: number } {
    if (this.totals === undefined) {
      const row = this.countAll.get();
      this.totals = { messages: row?.messages ?? 0, bytes: row?.bytes ?? 0 };
    }
    return this.totals;
  }
}

function toPart(row: PartRow): ArrivedPart {
  return { number: row.number, payload: row.payload, isText: row.payloadIsText === 1, recipient: row.recipient, receivedAt: row.receivedAt };
}
