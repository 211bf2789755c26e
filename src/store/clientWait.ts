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

/**
 * Takes and releases the write lock (an empty IMMEDIATE transaction: nothing is written), which behind
 * `waitAudibly` knocks when the agent's group holds it and waits for the commit the knock asks for.
 */
export function awaitAgentCommit(db: Database.Database): boolean {
  try {
    db.transaction(() => undefined).immediate();
    return true;
  } catch (error) {
    // A user who may read but not write the file: the read goes ahead on what is committed.
    if ((error as { code?: unknown } | null)?.code === 'SQLITE_READONLY') return false;
    throw error;
  }
}
