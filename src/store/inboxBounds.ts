/**
 * The inbox's caps in rows and bytes. A hostile or broken peer can send receipts for ids we never
 * used, or undecodable junk, by the ten thousand; an unattended device must not fill its SD card with
 * them. When an insert takes the inbox over a cap, the oldest entries go first in this order:
 *  1. receipts and undecodable or incomplete entries: a receipt already settled the outbox when it
 *     came (its copy here only dedups redeliveries), and junk is kept for forensics, not for action;
 *  2. then messages (MO SMS and commands), which the operator may still want to read.
 * Each removal is counted in the `counters` table (so the totals survive restarts) in the same
 * transaction, and reported to a listener after it (the agent batches those into one event).
 *
 * The totals are kept in memory, counted once on the first write (a read-only CLI open never pays for
 * it), moved by each insert and removal, and recounted after a prune; an insert therefore costs one
 * indexed lookup of the oldest expendable row only when a cap is exceeded, never a table scan.
 */
import type Database from 'better-sqlite3';

export interface InboxCaps {
  /** Entries at most (messages, receipts, undecodable and incomplete ones together). */
  readonly maxRows: number;
  /** Payload bytes at most, over all entries. */
  readonly maxBytes: number;
}

export type InboxDropKind = 'receipt' | 'undecodable' | 'mo';
export type InboxDropReason = 'max-rows' | 'max-bytes';

/** Entries removed to keep a cap, grouped by kind and reason. */
export interface InboxDrop {
  readonly kind: InboxDropKind;
  readonly reason: InboxDropReason;
  readonly count: number;
  readonly bytes: number;
}

export interface InboxDropTotals {
  readonly total: number;
  readonly bytes: number;
  readonly byKind: Readonly<Record<InboxDropKind, number>>;
}

/** 100,000 entries and 64 MiB: a year of a busy device's MO and receipts, a small slice of a Pi's SD card. */
export const defaultInboxCaps: InboxCaps = { maxRows: 100_000, maxBytes: 64 * 2 ** 20 };

interface Victim {
  id: number;
  bytes: number;
  type: 'mo' | 'receipt';
  junk: number;
}

const counterNames: Record<InboxDropKind, string> = { receipt: 'inbox_dropped_receipt', undecodable: 'inbox_dropped_undecodable', mo: 'inbox_dropped_mo' };
const bytesCounter = 'inbox_dropped_bytes';

export class InboxBounds {
  private totals: { rows: number; bytes: number } | undefined;
  private readonly count: Database.Statement<[], { rows: number; bytes: number }>;
  private readonly oldestExpendable: Database.Statement<[number], Victim>;
  private readonly oldest: Database.Statement<[number], Victim>;
  private readonly remove: Database.Statement<[number]>;
  private readonly bump: Database.Statement<[string, number]>;
  private readonly counters: Database.Statement<[], { name: string; value: number }>;

  constructor(
    db: Database.Database,
    private readonly caps: InboxCaps,
  ) {
    this.count = db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(length(payload)), 0) AS bytes FROM inbox');
    // The WHERE clause repeats the partial index's, so SQLite walks inbox_expendable.
    this.oldestExpendable = db.prepare(`SELECT id, length(payload) AS bytes, type, undecodable IS NOT NULL AS junk FROM inbox
      WHERE type = 'receipt' OR undecodable IS NOT NULL ORDER BY id LIMIT ?`);
    this.oldest = db.prepare(`SELECT id, length(payload) AS bytes, type, undecodable IS NOT NULL AS junk FROM inbox ORDER BY id LIMIT ?`);
    this.remove = db.prepare('DELETE FROM inbox WHERE id = ?');
    this.bump = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value');
    this.counters = db.prepare(`SELECT name, value FROM counters WHERE name LIKE 'inbox_dropped_%'`);
  }

  /**
   * An entry of `bytes` was just inserted: removes the oldest entries (expendable ones first) until both
   * caps hold again: as many as this entry needs room for (a 60 KB entry may push out hundreds of small
   * receipts), but when the inbox was already over a cap (lowered by the operator) only a few more, the
   * rest being caught up by `trim` in the sweep rather than by one long insert. Call inside the inserting
   * transaction; returns what went.
   */
  inserted(bytes: number): InboxDrop[] {
    const wasOver = this.totals !== undefined && this.over();
    if (this.totals === undefined) this.current(); // counted now, the new entry included
    else {
      this.totals.rows += 1;
      this.totals.bytes += bytes;
    }
    return this.trim(wasOver ? 64 : Number.POSITIVE_INFINITY);
  }

  /** Removes the oldest entries (expendable ones first) until both caps hold, at most `maxRemovals`; inside a transaction. */
  trim(maxRemovals: number): InboxDrop[] {
    const totals = this.current();
    if (totals.rows <= this.caps.maxRows && totals.bytes <= this.caps.maxBytes) return [];
    let budget = maxRemovals;
    const drops = new Map<string, { kind: InboxDropKind; reason: InboxDropReason; count: number; bytes: number }>();
    for (const source of [this.oldestExpendable, this.oldest]) {
      while (budget > 0 && (totals.rows > this.caps.maxRows || totals.bytes > this.caps.maxBytes)) {
        // A few at a time: usually one goes per insert.
        const victims = source.all(Math.min(256, budget, Math.max(1, totals.rows - this.caps.maxRows)));
        if (victims.length === 0) break;
        for (const victim of victims) {
          if (totals.rows <= this.caps.maxRows && totals.bytes <= this.caps.maxBytes) break;
          budget -= 1;
          const reason: InboxDropReason = totals.rows > this.caps.maxRows ? 'max-rows' : 'max-bytes';
          this.remove.run(victim.id);
          totals.rows -= 1;
          totals.bytes -= victim.bytes;
          const kind: InboxDropKind = victim.junk === 1 ? 'undecodable' : victim.type;
          const key = `${kind}/${reason}`;
          const drop = drops.get(key) ?? { kind, reason, count: 0, bytes: 0 };
          drop.count += 1;
          drop.bytes += victim.bytes;
          drops.set(key, drop);
        }
      }
    }
    for (const drop of drops.values()) {
      this.bump.run(counterNames[drop.kind], drop.count);
      this.bump.run(bytesCounter, drop.bytes);
    }
    return [...drops.values()];
  }

  /** True while either cap is exceeded (after a cap was lowered, until `trim` caught up). */
  over(): boolean {
    const totals = this.current();
    return totals.rows > this.caps.maxRows || totals.bytes > this.caps.maxBytes;
  }

  /** Rows went by other means (a prune): count again at the next write. */
  invalidate(): void {
    this.totals = undefined;
  }

  /** Entries and payload bytes held now. */
  held(): { readonly rows: number; readonly bytes: number } {
    return { ...this.current() };
  }

  /** Entries removed to keep the caps, since the database was created. */
  dropTotals(): InboxDropTotals {
    const byKind: Record<InboxDropKind, number> = { receipt: 0, undecodable: 0, mo: 0 };
    let bytes = 0;
    for (const { name, value } of this.counters.all()) {
      if (name === bytesCounter) bytes = value;
      for (const kind of Object.keys(counterNames) as InboxDropKind[]) if (counterNames[kind] === name) byKind[kind] = value;
    }
    return { total: byKind.receipt + byKind.undecodable + byKind.mo, bytes, byKind };
  }

  private current(): { rows: number; bytes: number } {
    if (this.totals === undefined) {
      const row = this.count.get();
      this.totals = { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
    }
    return this.totals;
  }
}
