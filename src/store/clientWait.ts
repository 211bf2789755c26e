/**
 * A CLI write while the agent runs: the agent holds its group's transaction open for up to
 * `store.groupCommitS` (intakeGroup.ts; 300 s with batched durability). A client's write that finds
 * the lock held knocks (knock.ts: the agent commits its group at once) and tries again, knocking
 * each second in case the agent's next group took the lock first. Waiting is right (the alternative
 * is "database is locked"), waiting in silence is not: past `quietMs` it says so once (`onWait`),
 * and it gives up with SQLITE_BUSY after `patientMs`.
 *
 * Only IMMEDIATE transactions are retried: they take the write lock at BEGIN, so SQLITE_BUSY there
 * means nothing ran yet and running again is safe.
 */
import type Database from 'better-sqlite3';
import { knock } from './knock.js';
import { wrapTransactions, type TransactionRunner } from './transactionWrap.js';

export interface ClientWaitOptions {
  /** The database file (its knock file is beside it). */
  readonly path: string;
  /** How long a write waits before saying so (ms). */
  readonly quietMs: number;
  /** How long it waits in all (ms): above the longest group, in case no agent answers the knock. */
  readonly patientMs: number;
  /** Told once per process, the first time a write waits longer than `quietMs`. */
  readonly onWait: () => void;
}

/** The first try's wait: an agent's commit between two readings takes microseconds. */
const firstTryMs = 100;
/** Between knocks. */
const knockEveryMs = 1000;

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

/** Puts every `db.transaction(...).immediate()` of this client connection behind the wait above. */
export function waitAudibly(db: Database.Database, options: ClientWaitOptions): void {
  let told = false;
  db.pragma(`busy_timeout = ${firstTryMs}`);
  const patiently = (run: TransactionRunner): TransactionRunner => (...args) => {
    try {
      return run(...args);
    } catch (error) {
      if (!isBusy(error) || db.inTransaction) throw error;
    }
    const started = Date.now();
    db.pragma(`busy_timeout = ${knockEveryMs}`);
    try {
      for (;;) {
        knock(options.path);
        try {
          return run(...args);
        } catch (error) {
          const waited = Date.now() - started;
          if (!isBusy(error) || db.inTransaction || waited >= options.patientMs) throw error;
          if (!told && waited >= options.quietMs) {
            told = true;
            options.onWait();
          }
        }
      }
    } finally {
      db.pragma(`busy_timeout = ${firstTryMs}`);
    }
  };
  wrapTransactions(db, (form, run) => (form === 'immediate' || form === 'exclusive' ? patiently(run) : run));
}

/** How long a read waits for the agent to answer its knock before it reads what is committed. */
const readPatienceMs = 2000;

/**
 * A client's read: takes and releases the write lock (BEGIN IMMEDIATE, ROLLBACK: nothing is written).
 * Held by the agent's open group, it knocks and waits up to `readPatienceMs` for the commit the knock
 * asks for. False when the lock stayed held (a holder that does not answer, or a read-only user): the
 * read then goes ahead on what is committed, as reads in WAL mode always can, and never waits longer.
 */
export function awaitAgentCommit(db: Database.Database, path: string): boolean {
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma(`busy_timeout = ${firstTryMs}`);
    if (lockOnce(db)) return true;
    if (!knock(path)) return false;
    db.pragma(`busy_timeout = ${readPatienceMs}`);
    return lockOnce(db);
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

function lockOnce(db: Database.Database): boolean {
  try {
    // exec, not db.transaction: the write wrapper above would wait `patientMs` for a read.
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_READONLY') return false;
    throw error;
  }
}
