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

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

interface Patience {
  /** How long to wait in all (ms). */
  readonly patientMs: number;
  /** Told after each failed try how long the wait has lasted (the caller decides when to say so). */
  readonly onLongWait?: (waitedMs: number) => void;
}

/**
 * Runs `attempt` (which takes the write lock first thing) until it stops failing with SQLITE_BUSY:
 * once with a short wait, then knocking before each try (each waits up to `knockEveryMs` for the
 * lock), `patientMs` in all; past that the last SQLITE_BUSY is thrown.
 */
function whileHeld<T>(db: Database.Database, path: string, attempt: () => T, patience: Patience): T {
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${firstTryMs}`);
  try {
    try {
      return attempt();
    } catch (error) {
      if (codeOf(error) !== 'SQLITE_BUSY' || db.inTransaction) throw error;
    }
    const started = Date.now();
    db.pragma(`busy_timeout = ${knockEveryMs}`);
    for (;;) {
      knock(path);
      try {
        return attempt();
      } catch (error) {
        const waited = Date.now() - started;
        if (codeOf(error) !== 'SQLITE_BUSY' || db.inTransaction || waited >= patience.patientMs) throw error;
        patience.onLongWait?.(waited);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

/** Puts every `db.transaction(...).immediate()` of this client connection behind the wait above. */
export function waitAudibly(db: Database.Database, options: ClientWaitOptions): void {
  let told = false;
  const tellOnce = (waited: number): void => {
    if (told || waited < options.quietMs) return;
    told = true;
    options.onWait();
  };
  db.pragma(`busy_timeout = ${firstTryMs}`);
  const patiently = (run: TransactionRunner): TransactionRunner => (...args) =>
    whileHeld(db, options.path, () => run(...args), { patientMs: options.patientMs, onLongWait: tellOnce });
  wrapTransactions(db, (form, run) => (form === 'immediate' || form === 'exclusive' ? patiently(run) : run));
}

/** How long a read waits for the agent to answer its knock before it reads what is committed. */
const readPatienceMs = 2000;

/**
 * A client's read: takes and releases the write lock (BEGIN IMMEDIATE, ROLLBACK: nothing is written).
 * Held by the agent's open group, it knocks and waits about `readPatienceMs` for the commit the knock
 * asks for. False when the lock stayed held (a holder that does not answer, or a read-only user): the
 * read then goes ahead on what is committed, as reads in WAL mode always can, and never waits longer.
 */
export function awaitAgentCommit(db: Database.Database, path: string): boolean {
  try {
    // exec, not db.transaction: the write wrapper above would wait `patientMs` for a read.
    whileHeld(db, path, () => {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    }, { patientMs: readPatienceMs });
    return true;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_READONLY') return false;
    throw error;
  }
}
