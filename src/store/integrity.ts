/**
 * A damaged database is found, set aside and salvaged, before the store opens it.
 *
 * `PRAGMA quick_check` (every page and record checked, indexes not cross-checked against their
 * tables: O(N) reads, no writes) runs at start on an existing file. A file that fails it, or that
 * SQLite will not open as a database, is renamed with a timestamp (`agent.db.damaged-2026-…`,
 * with its -wal and -shm) and kept for forensics. What can still be read of the work the agent
 * owes — reports not yet handed to a link, and the report sequence counter — is copied into a
 * fresh database. Their ids come from the queue index and from table scans from both ends; each
 * row is then read on its own, so a single bad page costs only the rows on it.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { AgentError, ErrorCode } from '../errors.js';
import { openDatabase } from './database.js';
import { highestReportId, raiseIdFloor } from './idFloor.js';

export interface DamageReport {
  /** What the check or the open said. */
  readonly reason: string;
  /** Where the damaged file now is. */
  readonly movedTo: string;
  /** Reports copied into the fresh database (queued again). */
  readonly salvaged: number;
  /** Unsent reports that could not be read (as far as the damaged file still tells; -1: the file would not open at all). */
  readonly lost: number;
}

/**
 * Page cache of the start-time check's own connection, in KiB. quick_check reads each page once,
 * so a cache holding more than the b-tree path in hand buys nothing (measured: 140 ms for 100,000
 * queued readings at 256 KiB, 190-220 ms at better-sqlite3's default of 16 MB). With that default
 * it filled ~20 MiB of 512-byte pages (~830 bytes of heap each, header included) that glibc keeps
 * after the connection closes: small chunks in the middle of the heap are not returned to the
 * kernel, and the store's own cache reuses only 4 MiB of them. That was the drain's +14 MiB of
 * peak RSS over 4 KiB pages (bench/RESULTS.md, "Round 4 (i14-rss)").
 */
export const checkCacheKiB = 256;

/** The connection the start-time check reads the file with: a bounded page cache (checkCacheKiB). */
export function openForCheck(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(`cache_size = -${checkCacheKiB}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Runs quick_check on `path`; undefined when the file is absent or sound. */
export function findDamage(path: string): string | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = openForCheck(path);
    const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
    const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
    // quick_check lists up to 20 findings, one per line; the first few say enough for a log line.
    return problems.length === 0 ? undefined : problems.join('\n').split('\n').slice(0, 3).join('; ');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return `${code}: ${(error as Error).message}`;
    throw error;
  } finally {
    db?.close();
  }
}

/**
 * Moves a damaged database aside and salvages what it can into a fresh one at `path`, all at once
 * (the start-time check: nothing else runs yet). Report ids in the fresh file continue above every
 * id the damaged one can still show and above `idFloor` (the acknowledged high-water mark), so
 * none is used twice.
 */
export function setAsideAndSalvage(path: string, reason: string, now: Date = new Date(), idFloor = 0): DamageReport {
  const movedTo = setAside(path, now);
  const fresh = openDatabase({ path });
  try {
    const job = Salvage.begin(fresh, movedTo, idFloor);
    while (!job.done) job.step(Number.MAX_SAFE_INTEGER);
    return { reason, movedTo, ...job.finish() };
  } finally {
    fresh.close();
  }
}

/** Renames the file and its -wal and -shm with a timestamp; returns the new name. */
export function setAside(path: string, now: Date): string {
  const movedTo = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  return movedTo;
}

const reportColumns = ['kind', 'priority', 'payload', 'payload_is_text', 'destinations', 'bytes', 'created_at', 'expires_at', 'next_attempt_at', 'updated_at'] as const;
type ReportRow = Record<(typeof reportColumns)[number] | 'id', unknown>;

/**
 * Copies the owed reports of a set-aside file into `fresh`, a chunk per `step` (one transaction
 * each), so the agent can salvage a large outbox while running without blocking its event loop
 * for the whole of it (bench/RESULTS.md "walLoss": ~80 µs a report). `begin` does the quick part
 * at once: the owed ids (index and table scans), the counters, and the id floors, so reports the
 * fresh file accepts meanwhile never take an id the damaged one used.
 */
export class Salvage {
  private next = 0;
  /**
   * Owed rows the fresh file holds: read whole from the damaged file now, already there from an
   * earlier interrupted run, or put back from the intake journal when the fresh file was opened
   * (then even a row on a damaged page is not lost).
   */
  private salvaged = 0;

  private constructor(
    private readonly fresh: Database.Database,
    private readonly old: Database.Database | undefined,
    private readonly ids: readonly number[],
    private readonly owedTotal: number,
  ) {}

  static begin(fresh: Database.Database, damagedPath: string, idFloor: number): Salvage {
    raiseIdFloor(fresh, idFloor);
    let old: Database.Database;
    try {
      old = new Database(damagedPath, { readonly: true, fileMustExist: true });
    } catch {
      return new Salvage(fresh, undefined, [], -1);
    }
    // A page cache bounded like the check's (checkCacheKiB), not the driver's 16 MB.
    try {
      old.pragma(`cache_size = -${checkCacheKiB}`);
    } catch {
      // A file whose schema cannot be read refuses the pragma; it is read below as before, and caches nothing.
    }
    try {
      const ids = owedIds(old);
      fresh.transaction(() => {
        const setCounter = fresh.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)');
        for (const counter of readAll<{ name: string; value: number }>(old, 'SELECT name, value FROM counters')) setCounter.run(counter.name, counter.value);
        continueIds(old, fresh, ids);
      }).immediate();
      return new Salvage(fresh, old, [...ids].sort((a, b) => a - b), Math.max(ids.size, countOwed(old)));
    } catch {
      // Not even its tables can be read (not a database at all): nothing to salvage, and no telling what was lost.
      old.close();
      return new Salvage(fresh, undefined, [], -1);
    }
  }

  get done(): boolean {
    return this.old === undefined || this.next >= this.ids.length;
  }

  /** Copies up to `limit` more reports in one transaction. */
  step(limit: number): void {
    const { old, fresh } = this;
    if (old === undefined) return;
    const read = old.prepare(`SELECT id, ${reportColumns.join(', ')} FROM reports NOT INDEXED WHERE id = ?`);
    const insert = fresh.prepare(`INSERT OR IGNORE INTO reports (id, state, attempts, ${reportColumns.join(', ')}) VALUES (@id, 'queued', 0, ${reportColumns.map((c) => `@${c}`).join(', ')})`);
    const present = fresh.prepare('SELECT 1 FROM reports WHERE id = ?');
    const end = Math.min(this.ids.length, this.next + limit);
    fresh.transaction(() => {
      for (; this.next < end; this.next++) {
        const id = this.ids[this.next];
        let row: ReportRow | undefined;
        try {
          row = read.get(id) as ReportRow | undefined;
        } catch {
          row = undefined; // on a damaged page
        }
        if (row !== undefined) insert.run(row);
        else if (present.get(id) === undefined) continue; // on a damaged page, and not in the journal either: lost
        this.salvaged += 1;
      }
    }).immediate();
  }

  /** Closes the damaged file; what was salvaged and what was lost (-1: unknown). Stopped early, the rest counts as lost. */
  finish(): { salvaged: number; lost: number } {
    this.old?.close();
    if (this.owedTotal < 0) return { salvaged: 0, lost: -1 };
    return { salvaged: this.salvaged, lost: this.owedTotal - this.salvaged };
  }
}

/**
 * The ids of reports that still owed work, from every path that can still be read: the queue
 * index (it holds id and state, so a damaged table page does not stop it), then the table itself
 * in rowid order from both ends (a damaged page stops a scan; the other end reaches past it).
 */
function owedIds(old: Database.Database): Set<number> {
  const ids = new Set<number>();
  const owed = "state IN ('queued', 'sending')";
  for (const sql of [
    `SELECT id FROM reports INDEXED BY reports_queue WHERE ${owed}`,
    `SELECT id FROM reports NOT INDEXED WHERE ${owed} ORDER BY id`,
    `SELECT id FROM reports NOT INDEXED WHERE ${owed} ORDER BY id DESC`,
  ]) {
    for (const row of readAll<{ id: number }>(old, sql)) ids.add(row.id);
  }
  return ids;
}

/**
 * Report and message ids in the fresh file continue above the damaged file's. Reports: the floor
 * counter (idFloor.ts). Messages: a finished placeholder row at the old highest id, so a message
 * still in flight when the file was set aside at run time, answered later, can never settle a new
 * message that happens to get its number (pruned with the other finished messages after the keep time).
 */
function continueIds(old: Database.Database, fresh: Database.Database, ids: ReadonlySet<number>): void {
  const oldReports = firstNumber(() => highestReportId(old), () => Number(old.prepare('SELECT max(id) FROM reports').pluck().get() ?? 0));
  raiseIdFloor(fresh, Math.max(oldReports, ...ids));
  const oldMessages = firstNumber(() => Number(old.prepare('SELECT max(id) FROM messages').pluck().get() ?? 0));
  if (oldMessages > 0) {
    fresh.prepare(`INSERT OR IGNORE INTO messages (id, state, link, created_at, finished_at, last_error) VALUES (?, 'failed', 'smpp', ?, ?, ?)`)
      .run(oldMessages, Date.now(), Date.now(), 'placeholder: message ids continue above the damaged database\'s');
  }
}

/** The first of `reads` that succeeds on a damaged file (0 when none does). */
function firstNumber(...reads: Array<() => number>): number {
  for (const read of reads) {
    try {
      const value = read();
      if (Number.isSafeInteger(value)) return value;
    } catch {
      // this path meets a damaged page: try the next
    }
  }
  return 0;
}

/** The rows a query yields until it meets a damaged page (or all of them). */
function readAll<T>(db: Database.Database, sql: string): T[] {
  const rows: T[] = [];
  try {
    for (const row of db.prepare(sql).iterate() as IterableIterator<T>) rows.push(row);
  } catch {
    // Stopped at a damaged page: what came before is kept.
  }
  return rows;
}

/** How many owed reports the damaged file's totals say it had (0 when unreadable). */
function countOwed(old: Database.Database): number {
  const row = readAll<{ n: number | null }>(old, `SELECT sum(rows) AS n FROM totals WHERE state IN ('queued', 'sending')`)[0];
  return row?.n ?? 0;
}

/** The error the agent logs and reports for a database found damaged. */
export function damageError(report: DamageReport): AgentError {
  return new AgentError(`the database was damaged (${report.reason}); it was moved to ${report.movedTo} and ${report.salvaged} unsent reports were salvaged into a fresh one`
    + (report.lost > 0 ? `; ${report.lost} could not be read` : report.lost < 0 ? '; how many could not be read is unknown' : ''),
  ErrorCode.Store_Corrupt, { ...report });
}
