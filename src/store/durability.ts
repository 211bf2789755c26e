/**
 * What each commit costs the SD card, and what a power cut may take (issue 14; figures from
 * `npm run bench -- sdcard` in bench/RESULTS.md).
 *
 * The card is worn per page the kernel writes back, not per byte SQLite hands it: every fsync'd
 * commit costs at least one whole 4 KiB filesystem page of the WAL, plus one more for each 4 KiB
 * its frames span. So the store (1) keeps frames small (512-byte database pages: an enqueue's six or
 * seven changed pages fit in one filesystem page; measured 11.2 KB written per reading end to end,
 * against 14.9 KB with 1 KiB pages and 38 KB with SQLite's 4 KiB), and (2) fsyncs only the commits whose loss
 * would lose an acknowledged reading or change what goes on the air:
 *
 * - `intake` (enqueues): `full` (default) commits with `synchronous = FULL`, so a reading whose id
 *   was returned survives a power cut. `batched` commits with NORMAL — the WAL write is in the
 *   kernel, so a crashed or killed process loses nothing — and the WAL is fsynced at most
 *   `batchMs` later: a power cut loses at most the last `batchMs` of acknowledged readings.
 * - Building a message (queued → sending, before it is sent) is durable before it goes on the air
 *   in both modes: a message that went on the air must be found again after a power cut, so it is
 *   re-sent byte for byte with its sequence number and the centre recognises the duplicate. Without
 *   the journal that is a FULL commit; with it, the build's journal record (`built`).
 * - `relaxed` (submitted, send failures, receipts, the sweep) commits with NORMAL and is fsynced by
 *   the next durable commit or at most `batchMs` later. Losing one costs a duplicate the centre
 *   recognises, never a lost reading: a lost `submitted` leaves the message `sending`, which
 *   recovery re-sends as built; a lost receipt leaves it `submitted` until its receipt timeout,
 *   then it is re-sent as built; a lost expiry or prune is redone by the next sweep.
 *
 * With `synchronous: 'normal'` (a device on a UPS) nothing is fsynced outside checkpoints, as before.
 *
 * The agent goes further (`intakeJournal`, the default; intakeGroup.ts): its enqueues, message
 * builds and relaxed writes share one open transaction for `groupMs` (10 s; 300 s in `batched`),
 * committed without an fsync, and what makes an acknowledged reading durable is its record in the
 * intake journal — one 512-byte direct write, O_DSYNC in `full`, fdatasynced within `batchMs` in
 * `batched`; a build's record is durable at once in both. The guarantees above are the same;
 * the difference is that a kill -9 now also loses the open transaction (its readings come back from
 * the journal at the next start; its relaxed writes cost what the bullets above say). Measured
 * per reading: 3.1 KB in `full`, 0.9 KB in `batched` at its defaults, against 15.6 KB with a commit per reading (bench
 * "sdcard", rounds 3 and 4).
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import type { IntakeGroup } from './intakeGroup.js';
import type { JournalItem } from './intakeJournal.js';
import { syncPath } from './sectorFile.js';

export type Durability = 'full' | 'batched';

/** Page size of new files, and the one an agent converts an older file to (see settlePageSize). */
export const storePageSize = 512;
/**
 * Checkpoint after this many WAL frames (2 MiB of 512-byte pages) instead of SQLite's 1000: a
 * checkpoint writes every changed page to the database file once, and the same few right-hand
 * pages change again and again, so fewer checkpoints write fewer copies of them.
 */
export const walAutocheckpointPages = 4000;
/** A file larger than this is converted at a later start (VACUUM rewrites it all and needs as much room again). */
export const convertPageSizeMaxBytes = 64 * 2 ** 20;

export interface CommitPolicyOptions {
  readonly durability?: Durability;
  /** At most this long between a NORMAL commit and the fsync that makes it durable (ms, default 1000). */
  readonly batchMs?: number;
  /** 'normal': the connection never fsyncs outside checkpoints (the old UPS setting); nothing here syncs. */
  readonly synchronous?: 'full' | 'normal';
}

/**
 * Runs the store's write transactions with the synchronous level their loss warrants and keeps the
 * promise of the header: no NORMAL commit stays un-fsynced longer than `batchMs`.
 */
export class CommitPolicy {
  readonly durability: Durability;
  readonly batchMs: number;
  private readonly base: 'full' | 'normal';
  /** A NORMAL commit is in the WAL but not yet fsynced. */
  private unsynced = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The agent's grouped enqueues with their journal (intakeGroup.ts); clients commit each enqueue. */
  private group: IntakeGroup | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
    options: CommitPolicyOptions = {},
    private readonly logger?: Logger,
  ) {
    this.durability = options.durability ?? 'full';
    this.batchMs = options.batchMs ?? 1000;
    this.base = options.synchronous ?? 'full';
  }

  /** A NORMAL commit is waiting for its fsync. */
  get pendingSync(): boolean {
    return this.unsynced;
  }

  /** From now on enqueues share one transaction, each made durable by the intake journal (the agent only). */
  groupWith(group: IntakeGroup): void {
    this.group = group;
  }

  /**
   * An enqueue: durable on return ('full'), or within batchMs ('batched'). With a group, `entriesOf`
   * names the readings to journal; inside another transaction the outer commit decides.
   */
  intake<T>(fn: () => T, entriesOf: (result: T) => readonly JournalItem[] = () => []): T {
    const group = this.joinable();
    if (group !== undefined) return group.run(fn, entriesOf);
    if (this.durability === 'batched') return this.relaxed(fn);
    const result = fn();
    // A FULL commit fsyncs the whole WAL, the NORMAL commits before it included.
    if (!this.db.inTransaction && this.base === 'full') this.unsynced = false;
    return result;
  }

  /**
   * A message build, which must survive a power cut before the message goes on the air (see the
   * header): with the agent's group, its journal record does that (durable on return, in both
   * modes) and the build commits with the group; otherwise a FULL commit, as before.
   */
  built<T>(fn: () => T, entriesOf: (result: T) => readonly JournalItem[]): T {
    const group = this.joinable();
    if (group !== undefined) return group.run(fn, entriesOf, true);
    return fn();
  }

  /** A transaction whose loss on a power cut costs at most a duplicate the centre recognises (see the header). */
  relaxed<T>(fn: () => T): T {
    // The agent: relaxed writes ride in the intake group (intakeGroup.ts), committed with it.
    const group = this.joinable();
    if (group !== undefined) return group.relaxed(fn);
    // Inside an outer transaction the outer commit decides; with 'normal' there is nothing to relax.
    if (this.base === 'normal' || this.db.inTransaction || this.closed) return fn();
    this.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.pragma('synchronous = FULL');
      this.unsynced = true;
      // unref: a process that exits without close() loses nothing (the WAL writes are in the kernel).
      this.timer ??= setTimeout(() => this.syncNow(), this.batchMs).unref();
    }
  }

  /** The agent's group, when this write may go into it: not closed, and not inside another transaction than the group's. */
  private joinable(): IntakeGroup | undefined {
    const group = this.group;
    return group !== undefined && !this.closed && (!this.db.inTransaction || group.isOpen) ? group : undefined;
  }

  /** fsyncs the WAL if a NORMAL commit is waiting (the timer, and close). */
  syncNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.unsynced) return;
    this.unsynced = false;
    try {
      // SQLite's own descriptor is not reachable; the sync applies to the file all the same.
      syncPath(this.walPath, true);
    } catch (error) {
      // No WAL file (checkpointed and removed): nothing is waiting in it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger?.warn({ err: error }, 'store: could not fsync the WAL');
    }
  }

  /** Makes everything committed durable and stops the timer. */
  close(): void {
    try {
      this.group?.close();
    } finally {
      this.syncNow();
      this.closed = true;
    }
  }
}

/**
 * Gives a new file the store's page size, and converts an older file when `convert` is set (the
 * agent, which owns the file; a CLI client must not block on it): VACUUM rewrites the pages, which a
 * WAL file allows only after leaving WAL mode. Runs before `journal_mode = WAL`. Returns what was done.
 */
export function settlePageSize(db: Database.Database, path: string, convert: boolean, logger?: Logger): 'new' | 'kept' | 'converted' | 'deferred' {
  const current = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (pages === 0) {
    db.pragma(`page_size = ${storePageSize}`);
    return 'new';
  }
  if (current === storePageSize || !convert || path === ':memory:') return 'kept';
  if (current * pages > convertPageSizeMaxBytes) {
    logger?.info({ pageSize: current, bytes: current * pages }, `store: the database keeps its ${current}-byte pages until it is under ${convertPageSizeMaxBytes / 2 ** 20} MiB (converting rewrites it)`);
    return 'deferred';
  }
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma(`page_size = ${storePageSize}`);
    db.exec('VACUUM');
    logger?.info({ from: current, to: storePageSize }, `store: database converted from ${current}- to ${storePageSize}-byte pages (less written to the SD card per reading)`);
    return 'converted';
  } catch (error) {
    // Another process has it open, or no room for the copy: the old page size works, only wears more.
    logger?.warn({ err: error, pageSize: current }, 'store: could not convert the database to smaller pages; keeping its page size');
    return 'deferred';
  }
}
