/**
 * Puts a rule around every transaction a connection makes from now on: `db.transaction(fn)` and
 * each of its forms (`.deferred`, `.immediate`, `.exclusive`) run through `wrap`. The store uses it
 * twice: the agent's group commits itself first (intakeGroup.ts), and a client's write waits for
 * the agent audibly (clientWait.ts). Wrappers compose: each wraps what was there before.
 */
import type Database from 'better-sqlite3';

type AnyFunction = (...args: never[]) => unknown;
export type TransactionRunner = (...args: unknown[]) => unknown;
export type TransactionForm = 'default' | 'deferred' | 'immediate' | 'exclusive';

export function wrapTransactions(db: Database.Database, wrap: (form: TransactionForm, run: TransactionRunner) => TransactionRunner): void {
  const original = db.transaction.bind(db);
  const transaction = <F extends AnyFunction>(fn: F): Database.Transaction<F> => {
    const inner = original(fn) as unknown as TransactionRunner & Record<TransactionForm, TransactionRunner>;
    return Object.assign(wrap('default', (...args) => inner(...args)), {
      default: wrap('default', (...args) => inner.default(...args)),
      deferred: wrap('deferred', (...args) => inner.deferred(...args)),
      immediate: wrap('immediate', (...args) => inner.immediate(...args)),
      exclusive: wrap('exclusive', (...args) => inner.exclusive(...args)),
    }) as unknown as Database.Transaction<F>;
  };
  Object.defineProperty(db, 'transaction', { value: transaction, configurable: true });
}
