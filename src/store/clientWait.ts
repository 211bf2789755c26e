/**
 * A CLI write while the agent runs: the agent holds its group's transaction open for up to
 * `store.groupCommitS` (intakeGroup.ts; 60 s with batched durability), so a client's write may wait
 * that long for the lock. Waiting is right (the alternative is "database is locked"), waiting in
 * silence is not: each write transaction of a client first waits `quietMs`, and when the lock is
 * still held it says so once (`onWait`) and waits up to `patientMs` more.
 *
 * Only IMMEDIATE transactions are retried: they take the write lock at BEGIN, so SQLITE_BUSY there
 * means nothing ran yet and running again is safe.
 */
import type Database from 'better-sqlite3';

type AnyFunction = (...args: never[]) => unknown;
type Runner = (...args: unknown[]) => unknown;

export interface ClientWaitOptions {
  /** How long a write waits before saying so (ms). */
  readonly quietMs: number;
  /** How long it then waits in all (ms): above the longest group (120 s). */
  readonly patientMs: number;
  /** Told once per process, the first time a write has to wait longer than `quietMs`. */
  readonly onWait: () => void;
}

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

/** Puts every `db.transaction(...).immediate()` of this client connection behind the wait above. */
export function waitAudibly(db: Database.Database, options: ClientWaitOptions): void {
  const original = db.transaction.bind(db);
  let told = false;
  db.pragma(`busy_timeout = ${options.quietMs}`);
  const patiently = (run: Runner): Runner => (...args) => {
    try {
      return run(...args);
    } catch (error) {
      if (!isBusy(error) || db.inTransaction) throw error;
      if (!told) options.onWait();
      told = true;
      db.pragma(`busy_timeout = ${options.patientMs}`);
      try {
        return run(...args);
      } finally {
        db.pragma(`busy_timeout = ${options.quietMs}`);
      }
    }
  };
  const transaction = <F extends AnyFunction>(fn: F): Database.Transaction<F> => {
    const inner = original(fn) as unknown as Runner & Record<'default' | 'deferred' | 'immediate' | 'exclusive', Runner>;
    return Object.assign((...args: unknown[]) => inner(...args), {
      default: (...args: unknown[]) => inner.default(...args),
      deferred: (...args: unknown[]) => inner.deferred(...args),
      immediate: patiently((...args) => inner.immediate(...args)),
      exclusive: patiently((...args) => inner.exclusive(...args)),
    }) as unknown as Database.Transaction<F>;
  };
  Object.defineProperty(db, 'transaction', { value: transaction, configurable: true });
}
