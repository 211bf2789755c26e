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

/** Runs quick_check on `path`; undefined when the file is absent or sound. */
export function findDamage(path: string): string | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
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
 * Moves a damaged database aside and salvages what it can into a fresh one at `path`. Report ids
 * in the fresh file continue above every id the damaged one can still show and above `idFloor`
 * (the acknowledged high-water mark), so none is used twice.
 */
export function setAsideAndSalvage(path: string, reason: string, now: Date = new Date(), idFloor = 0): DamageReport {
  const movedTo = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  const fresh = openDatabase({ path });
  try {
    const { salvaged, lost } = salvageInto(fresh, movedTo);
    raiseIdFloor(fresh, idFloor);
    return { reason, movedTo, salvaged, lost };
  } finally {
    fresh.close();
  }
}

const reportColumns = ['kind', 'priority', 'payload', 'payload_is_text', 'destinations', 'bytes', 'created_at', 'expires_at', 'next_attempt_at', 'updated_at'] as const;
type ReportRow = Record<(typeof reportColumns)[number] | 'id', unknown>;

function salvageInto(fresh: Database.Database, damagedPath: string): { salvaged: number; lost: number } {
  let old: Database.Database;
  try {
    old = new Database(damagedPath, { readonly: true, fileMustExist: true });
  } catch {
    return { salvaged: 0, lost: -1 };
  }
  try {
    const ids = owedIds(old);
    const read = old.prepare(`SELECT id, ${reportColumns.join(', ')} FROM reports NOT INDEXED WHERE id = ?`);
    const insert = fresh.prepare(`INSERT OR IGNORE INTO reports (id, state, attempts, ${reportColumns.join(', ')}) VALUES (@id, 'queued', 0, ${reportColumns.map((c) => `@${c}`).join(', ')})`);
    let salvaged = 0;
    fresh.transaction(() => {
      for (const id of ids) {
        let row: ReportRow | undefined;
        try {
          row = read.get(id) as ReportRow | undefined;
        } catch {
          continue; // on a damaged page: lost
        }
        if (row !== undefined) salvaged += insert.run(row).changes;
      }
      const setCounter = fresh.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)');
      for (const counter of readAll<{ name: string; value: number }>(old, 'SELECT name, value FROM counters')) setCounter.run(counter.name, counter.value);
      continueIds(old, fresh, ids);
    })();
    return { salvaged, lost: Math.max(ids.size, countOwed(old)) - salvaged };
  } catch {
    // Not even its tables can be read (not a database at all): nothing to salvage, and no telling what was lost.
    return { salvaged: 0, lost: -1 };
  } finally {
    old.close();
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
