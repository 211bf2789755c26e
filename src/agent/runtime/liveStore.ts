/**
 * The agent's store as its parts hold it, so a database found damaged while the agent runs can be
 * set aside and replaced under the router, the inbound path, the API and the commands without
 * stopping any of them (issue 13). Every part gets the facade `store`: its `outbox`, `inbox` and
 * `db` always forward to the database in use now, and every error that comes out of them passes
 * here first.
 *
 * The swap. The first SQLITE_CORRUPT or SQLITE_NOTADB (anywhere in an error's causes) marks the
 * store damaged; from then until the swap is over every call through the facade is refused with
 * Store_Corrupt (HTTP 503: the caller keeps the reading and tries again), so no reading is
 * acknowledged into a file about to be set aside. The swap itself runs on the next turn of the
 * event loop — never inside the transaction that met the damage: close, move the file aside with
 * its -wal and -shm, open a fresh file with ids continuing above the old ones, and take readings
 * again at once. What can be read of the owed reports is then salvaged into it in chunks of
 * `salvageChunk`, a turn of the event loop each (store/integrity.ts; rows are read by id without
 * indexes, so a damaged index costs nothing): a large outbox (~80 µs a report, bench "walLoss")
 * must not hold the event loop past the systemd watchdog. The event and the log line follow when
 * it is done. Reports that were in flight are queued again (sent again: at least once, never
 * lost); their late answers find no message of theirs in the fresh file.
 *
 * No extra check is run on detection: SQLite has already said the file is damaged, and a full
 * `integrity_check` (O(N log N), blocking) would only delay the swap. It is also what makes run-time
 * detection worth having next to the start-time `quick_check`, which does not compare indexes with
 * their tables: a bad index is found the first time a query walks it.
 *
 * The guard. A file damaged again within `repeatWindowMs` of the last set-aside (at start or at run
 * time), or a swap that itself fails, means the medium is failing rather than one bad write: moving
 * files aside again would only fill the card with copies. The agent then stops trying until it is
 * restarted, says so at error, and health keeps a `store` problem naming the fix.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { clearPendingSalvage, notePendingSalvage, Salvage, setAside, type DamageReport, type Inbox, type Outbox, type Store } from '../../store/index.js';
import type { Condition } from '../health/model.js';

/** A second damage this soon after a set-aside stops the agent from trying again. */
export const repeatWindowMs = 3_600_000;
/** Reports copied per turn of the event loop (~40 ms here). */
export const salvageChunk = 500;
/** How long health keeps saying the database was replaced while running. */
const reportForMs = 24 * 3_600_000;

export interface RuntimeDamage extends DamageReport {
  /** Set-asides while running, since start (this one included). */
  readonly count: number;
}

export interface LiveStoreOptions {
  readonly path: string;
  /** Opens the store at `path` with the agent's options (the same call as at start). */
  readonly open: () => Store;
  /** Ids in a fresh file continue above this (the acknowledged high-water mark). */
  readonly idFloor: () => number;
  readonly logger: Logger;
  /** After a successful swap (the event, a kick for the router). */
  readonly replaced: (damage: RuntimeDamage) => void;
  /** When the last set-aside happened before this store was opened (the start-time check), if any. */
  readonly setAsideAt?: number | undefined;
  readonly now?: () => number;
}

type Phase = 'ok' | 'damaged' | 'gave-up';

export class LiveStore {
  /** The store every part holds. */
  readonly store: Store;
  private current: Store;
  private phase: Phase = 'ok';
  private swapTimer: NodeJS.Immediate | undefined;
  private salvageTimer: NodeJS.Immediate | undefined;
  private salvage: { readonly job: Salvage; readonly movedTo: string; readonly reason: string } | undefined;
  private lastSetAsideAt: number | undefined;
  private last: { damage: RuntimeDamage; at: number } | undefined;
  private gaveUp: string | undefined;
  private count = 0;
  private readonly now: () => number;

  constructor(private readonly options: LiveStoreOptions) {
    this.now = options.now ?? Date.now;
    this.lastSetAsideAt = options.setAsideAt;
    this.current = options.open();
    const live = this.current;
    this.store = {
      db: this.forward<Database.Database>(() => this.usable().db),
      outbox: this.forward<Outbox>(() => this.usable().outbox),
      inbox: this.forward<Inbox>(() => this.usable().inbox),
      recovered: live.recovered,
      journaled: live.journaled,
      sweep: () => this.call(() => this.usable().sweep()),
      receiveReceipt: (receipt) => this.call(() => this.usable().receiveReceipt(receipt)),
      awaitAgentCommit: () => this.call(() => this.usable().awaitAgentCommit()),
      close: () => this.close(),
    };
  }

  /** A store error met anywhere (also those that did not come through the facade): damage starts the swap. */
  noteError(error: unknown): void {
    if (this.phase !== 'ok' || !isDamage(error)) return;
    this.phase = 'damaged';
    const reason = describe(error);
    // warn: the error line (one per damage) comes with the outcome, when the salvage is done.
    this.options.logger.warn({ err: error }, 'the database is damaged (found while running): readings are refused (Store_Corrupt) until it is set aside and replaced');
    this.swapTimer = setImmediate(() => {
      this.swapTimer = undefined;
      this.swap(reason);
    });
  }

  /** Health conditions: a replacement in the last day (or under way), or the agent having given up. */
  conditions(now: number): Condition[] {
    if (this.gaveUp !== undefined) return [{ check: 'store', key: 'gave-up', reason: this.gaveUp, graceMs: 0 }];
    if (this.salvage !== undefined) return [{ check: 'store', key: 'replaced', reason: `the database was damaged while running and set aside as ${this.salvage.movedTo}: salvaging its unsent reports`, graceMs: 0 }];
    const last = this.last;
    if (last === undefined || now - last.at > reportForMs) return [];
    const { damage } = last;
    const lost = damage.lost > 0 ? `, ${damage.lost} lost` : damage.lost < 0 ? ', an unknown number lost' : '';
    return [{ check: 'store', key: 'replaced', reason: `the database was damaged while running and set aside as ${damage.movedTo}: ${damage.salvaged} unsent reports salvaged${lost} (${damage.count} time(s) since start)`, graceMs: 0 }];
  }

  close(): void {
    if (this.swapTimer !== undefined) clearImmediate(this.swapTimer);
    this.swapTimer = undefined;
    this.stopSalvage();
    this.current.close();
  }

  private swap(reason: string): void {
    const { logger, path } = this.options;
    const now = this.now();
    const since = this.lastSetAsideAt;
    if (since !== undefined && now - since < repeatWindowMs) {
      return this.giveUp(`the database was damaged again ${Math.round((now - since) / 60_000)} min after it was last set aside (${reason}): the storage is probably failing, so the agent stopped setting files aside; readings may be refused (Store_Corrupt). Check or replace the SD card, then restart the agent`);
    }
    this.stopSalvage();
    let movedTo: string;
    try {
      this.current.close();
      movedTo = setAside(path, new Date(now));
      this.current = this.options.open();
      this.salvage = { job: Salvage.begin(this.current.db, movedTo, this.options.idFloor()), movedTo, reason };
      notePendingSalvage(path, movedTo); // a stop before the last chunk: the next start finishes it
    } catch (error) {
      logger.error({ err: error }, 'the damaged database could not be replaced');
      return this.giveUp(`the database was damaged while running (${reason}) and could not be replaced (${describe(error)}): readings are refused (Store_Corrupt). Check the SD card and free space, then restart the agent`);
    }
    this.count += 1;
    this.lastSetAsideAt = now;
    this.phase = 'ok';
    this.salvageStep();
  }

  /** One chunk of the salvage, then the next on a later turn; the news when it is done. */
  private salvageStep(): void {
    this.salvageTimer = undefined;
    const salvage = this.salvage;
    if (salvage === undefined) return;
    try {
      salvage.job.step(salvageChunk);
    } catch (error) {
      // The fresh file failed under the copy: its damage (if that is what it was) takes the usual path.
      this.noteError(error);
      this.options.logger.error({ err: error }, 'the salvage into the fresh database stopped; what was not copied counts as lost');
      return this.finishSalvage();
    }
    if (!salvage.job.done) {
      this.salvageTimer = setImmediate(() => this.salvageStep());
      return;
    }
    this.finishSalvage();
  }

  private finishSalvage(): void {
    const salvage = this.salvage;
    if (salvage === undefined) return;
    this.salvage = undefined;
    const damage: DamageReport = { reason: salvage.reason, movedTo: salvage.movedTo, ...salvage.job.finish() };
    clearPendingSalvage(this.options.path);
    const now = this.now();
    this.last = { damage: { ...damage, count: this.count }, at: now };
    this.options.logger.error({ movedTo: damage.movedTo, salvaged: damage.salvaged, lost: damage.lost, reason: damage.reason, count: this.count },
      'the database was damaged while running: moved aside (kept for forensics), its unsent reports salvaged into a fresh one; the agent carries on');
    this.options.replaced(this.last.damage);
  }

  /** A salvage cut short (the agent stops, or the fresh file failed too): closes the damaged file. */
  private stopSalvage(): void {
    if (this.salvageTimer !== undefined) clearImmediate(this.salvageTimer);
    this.salvageTimer = undefined;
    this.salvage?.job.finish();
    this.salvage = undefined;
  }

  private giveUp(reason: string): void {
    this.phase = 'gave-up';
    this.gaveUp = reason;
    this.stopSalvage();
    this.options.logger.error({ reason }, 'the database keeps failing: no more set-asides until the agent is restarted');
  }

  /** The store to use now; refuses while a swap is pending, or when giving up left no open file. */
  private usable(): Store {
    if (this.phase === 'damaged' || (this.phase === 'gave-up' && !this.current.db.open)) {
      throw new AgentError(this.phase === 'damaged'
        ? 'the database was found damaged and is being set aside and replaced: the reading was not stored; try again in a moment'
        : 'the database is damaged and could not be replaced: the reading was not stored (see /healthz)', ErrorCode.Store_Corrupt, { path: this.options.path });
    }
    return this.current;
  }

  private call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      this.noteError(error);
      throw error;
    }
  }

  /** An object whose properties are read from `target()` each time; its methods report their errors here. */
  private forward<T extends object>(target: () => T): T {
    return new Proxy(Object.create(null) as T, {
      get: (_, key) => {
        const object = target();
        const value: unknown = Reflect.get(object, key, object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => this.call(() => (value as (...a: unknown[]) => unknown).apply(object, args));
      },
    });
  }
}

/** SQLite's own word that the file is damaged (a Store_Corrupt we raised ourselves is not new news). */
export function isDamage(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 8; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isAgentError(cause)) continue;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return true;
  }
  return false;
}

/** Damage, or the live store's refusal because of it. */
export function isDamageNews(error: unknown): boolean {
  return isDamage(error) || (isAgentError(error) && error.code === ErrorCode.Store_Corrupt);
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
