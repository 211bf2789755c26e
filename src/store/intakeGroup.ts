/**
 * Group commit across readings, for the SD card (issue 14). A reading committed alone appends six
 * or seven b-tree pages to the WAL (the row, three indexes, the totals: ~3.9 KB with 512-byte
 * pages) and, fsynced, dirties one more 4 KiB block; readings committed together share those pages.
 * So the agent keeps its enqueues in one open IMMEDIATE transaction for up to `groupMs` and makes
 * each acknowledged reading durable in the intake journal instead (intakeJournal.ts: one 512-byte
 * direct write). A power cut or a kill loses the open transaction, never a reading: the next start
 * replays the journal's readings the database lacks, under the ids they were acknowledged with.
 *
 * Message builds ride in the group too (a few, far apart: see `run`), each made durable by its own
 * journal record (a build must survive a power cut before it goes on the air; the next start
 * restores a lost one as built), and so do relaxed writes (a submit_sm_resp, a receipt, the sweep: losing one costs a duplicate the
 * centre recognises, durability.ts). The group is committed (NORMAL: into the WAL, no fsync) when
 * `groupMs` has passed, and at close; any other write of the store commits it at once, together
 * with itself and fsynced, as every such write was before (`install` puts every `db.transaction` of
 * this connection behind that rule: an inbound SMS or a re-send is never held). A transaction that changed nothing (a read) leaves the group open. The journal starts
 * again only after the database holds all it holds durably (`commitDurably`: the commit, then an
 * fdatasync of the WAL).
 *
 * Within the process nothing changes: the agent's own connection reads its uncommitted rows.
 * Other processes see a reading up to `groupMs` late unless they knock (knock.ts: the CLI's writes
 * and `queue list` do, and the agent commits at once); a client that gets no answer waits for the
 * group's own commit (clientWait.ts).
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import { IntakeJournal, type JournalItem } from './intakeJournal.js';
import { listenForKnocks } from './knock.js';
import { wrapTransactions } from './transactionWrap.js';
import { syncPath } from './sectorFile.js';

/**
 * How long readings share one open transaction: 10 s measured 3.6 KB written per reading against
 * 4.2 KB at 5 s (bench "sdcard"). A CLI writer waits for the commit (its busy timeout is 30 s).
 */
export const defaultGroupMs = 10_000;

/**
 * Message builds one group may hold (see `run`): each is a message a kill would re-send. `batched`
 * allows more: its 300 s group holds ~10 builds at one reading a second, and committing at the fifth
 * measured 1.37 KB a reading against 0.96 KB (bench "sdcard", round 4).
 */
export const defaultMaxBuilds = 4;
export const batchedMaxBuilds = 16;
/** How close two builds come in a drain (see `run`). */
const drainBuildGapMs = 5000;

export interface IntakeGroupOptions {
  /** How long readings share one transaction (ms, default 10000). */
  readonly groupMs?: number;
  /**
   * batchMs: with a journal in 'flush' mode (batched durability) the longest a record waits for its
   * fdatasync, and how long a group opened by a relaxed write is held (ms, default 1000).
   */
  readonly flushMs?: number;
  /** Message builds one group holds before the next build commits it (default `defaultMaxBuilds`). */
  readonly maxBuilds?: number;
  readonly logger?: Logger;
  /** Called once the database holds the journal's readings durably, before the journal starts again (the WAL-loss mark). */
  readonly beforeRestart?: () => void;
  /**
   * A commit or flush that failed on a timer, with no caller to throw to (the agent's live store sets
   * a damaged file aside on it; liveStore.ts). The readings stay in the journal either way.
   */
  readonly onError?: (error: unknown) => void;
}

export class IntakeGroup {
  private open = false;
  /** Depth of intake work running inside the group (its own savepoints must not commit it). */
  private joined = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When the open group began, and how long it is held (groupMs, or flushMs when a relaxed write opened it). */
  private openedAt = 0;
  private heldFor = 0;
  /** Message builds in the open group (counted from its begin), and when the last one was made. */
  private builds = 0;
  private lastBuildAt = 0;
  /** The open transaction was lost (a failed commit): the journal's readings go back in before new ones. */
  private lost = false;

  private readonly groupMs: number;
  private readonly flushMs: number;
  private readonly maxBuilds: number;
  private readonly logger: Logger | undefined;
  /** Puts readings back from the journal (the outbox's restoreJournaled; set once the outbox exists). */
  private restore: ((items: readonly JournalItem[]) => number) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly beforeRestart: (() => void) | undefined;
  private readonly onError: ((error: unknown) => void) | undefined;
  private stopKnocks: () => void = () => undefined;
  private readonly totalChanges: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
    private readonly journal: IntakeJournal,
    options: IntakeGroupOptions = {},
  ) {
    this.groupMs = options.groupMs ?? defaultGroupMs;
    this.flushMs = options.flushMs ?? 1000;
    this.maxBuilds = options.maxBuilds ?? defaultMaxBuilds;
    this.logger = options.logger;
    this.beforeRestart = options.beforeRestart;
    this.onError = options.onError;
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /** How lost readings go back in (the outbox, which is made after the group). */
  restoreWith(restore: (items: readonly JournalItem[]) => number): void {
    this.restore = restore;
  }

  /**
   * Puts every transaction this connection makes from now on behind the group: the group commits
   * first. Called before the outbox and inbox prepare their transactions.
   */
  install(): void {
    wrapTransactions(this.db, (_form, run) => (...args) => this.around(() => run(...args)));
  }

  /**
   * Runs an enqueue (or a message build) inside the group and journals what it did (`entriesOf` its
   * result) before returning: on return every reading it accepted survives a power cut. `flush`
   * (a build, about to go on the air): durable on return in batched mode too, not within batchMs.
   */
  run<T>(work: () => T, entriesOf: (result: T) => readonly JournalItem[], flush = false): T {
    if (this.lost) this.restoreLost();
    // A kill or a power cut loses the group's builds, submit_sm_resps and receipts, and each lost one
    // re-sends its message (as built: the centre drops the duplicate). So a build that follows another
    // within `drainBuildGapMs` (a backlog draining) commits the group first, fsynced, as every build
    // was before: a kill then re-sends about the messages in flight (the outage drill's bound). Builds
    // far apart share a group, up to `maxBuilds`: at one reading a second a message fills
    // every ~30 s, and one build per group measured 2.7 KB a reading in batched, two 2.0 (bench
    // "sdcard", round 3).
    const drainingOrFull = this.builds >= this.maxBuilds || Date.now() - this.lastBuildAt < drainBuildGapMs;
    // (Never from inside the group's own work: that commit belongs to the outer call.)
    if (flush && this.open && this.joined === 0 && this.builds > 0 && drainingOrFull) this.commit('full');
    if (!this.open) this.begin();
    else if (this.heldFor < this.groupMs) this.holdLonger();
    const result = this.inside(work);
    if (flush) {
      this.builds += 1;
      this.lastBuildAt = Date.now();
    }
    const entries = entriesOf(result);
    if (entries.length > 0) this.journalOrCommit(entries, flush);
    return result;
  }

  /** From now on a CLI's knock on `<dbPath>.knock` (knock.ts) commits the open group at once, so its write need not wait. */
  commitOnKnock(dbPath: string): void {
    this.stopKnocks();
    this.stopKnocks = listenForKnocks(dbPath, () => {
      // Never inside the group's own work (a knock is an event-loop turn of its own, but be sure).
      if (this.open && this.joined === 0) this.commitQuietly();
    }, this.logger);
  }

  /** The group's transaction is open now. */
  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Runs one of the connection's transactions while the group may be open: inside it (a savepoint),
   * and when it changed anything the group commits at once with it, fsynced, as every write outside
   * the intake and the relaxed ones was before. A read (the router looking for messages to re-send
   * after each reading) leaves the group open.
   */
  around<T>(run: () => T): T {
    if (!this.open || this.joined > 0) return run();
    const before = this.changes();
    const result = this.inside(run);
    if (this.open && this.changes() !== before) this.commit('full');
    return result;
  }

  /**
   * Runs a relaxed write (a submit_sm_resp, a receipt, the sweep: durability.ts says what losing one
   * costs — a duplicate the centre recognises, never a reading) inside the group, opening it when
   * needed: it commits with the next group commit, sharing its pages with the readings around it.
   */
  relaxed<T>(run: () => T): T {
    if (this.lost) this.restoreLost();
    // Opened by a relaxed write (no readings flowing): held only `flushMs` (batchMs), as long as such a
    // write waited for its fsync before, so an idle agent does not keep other writers out for 10 s.
    if (!this.open) this.begin(this.flushMs);
    return this.inside(run);
  }

  /** Runs `work` as part of the group: its transactions nest in the group's (savepoints) instead of committing it. */
  private inside<T>(work: () => T): T {
    this.joined += 1;
    try {
      return work();
    } finally {
      this.joined -= 1;
      this.noticeLoss();
    }
  }

  private changes(): number {
    return this.totalChanges.get() as number;
  }

  /** Commits the open group: into the WAL ('normal'), or fsynced ('full'). Throws what the commit threw, the group then counted lost. */
  commit(level: 'normal' | 'full' = 'normal'): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.open) return;
    this.open = false;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      // SQLITE_FULL or an I/O error: SQLite may have rolled back already; make sure, and restore later.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.lost = true;
      throw error;
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    // SQLite refuses to change the level inside a transaction: a FULL commit is this commit and an fsync of the WAL.
    if (level === 'full') syncPath(this.walPath, true);
  }

  /** Commits and fsyncs the WAL: everything the journal holds is then durable in the database. */
  commitDurably(): void {
    this.commit('full');
  }

  /** Commits (durably) and closes the journal. */
  close(): void {
    this.stopKnocks();
    try {
      if (this.flushTimer !== undefined) this.flushJournal();
      if (this.open) this.commitDurably();
    } catch (error) {
      // A damaged or full database (the live store is setting it aside): the readings stay in the
      // journal, and the next open of this path puts back those its database lacks.
      this.logger?.warn({ err: error }, 'store: the grouped readings could not be committed at close; the intake journal keeps them');
    } finally {
      this.journal.close();
    }
  }

  private begin(holdMs = this.groupMs): void {
    this.builds = 0;
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    this.openedAt = Date.now();
    this.heldFor = holdMs;
    // unref: a process that exits without close() loses nothing (the journal holds the readings).
    this.timer = setTimeout(() => this.commitQuietly(), holdMs).unref();
  }

  /** Readings joined a group a relaxed write opened: it is held as long as a readings' group (3.6 KB a reading against 4.1 KB, bench "sdcard"). */
  private holdLonger(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.heldFor = this.groupMs;
    this.timer = setTimeout(() => this.commitQuietly(), Math.max(0, this.openedAt + this.groupMs - Date.now())).unref();
  }

  /** The group's timer and knocks: nobody to throw to, so a failure is logged and handed to `onError`. */
  private commitQuietly(): void {
    this.quietly(() => this.commit(), 'store: could not commit the grouped readings; they are kept in the intake journal and go in with the next reading');
  }

  /** The journal's flush timer (batched), for a flush whose fallback commit failed too. */
  private flushQuietly(): void {
    this.quietly(() => this.flushJournal(), 'store: could not make the journaled readings durable (flush and commit failed); they are retried with the next reading');
  }

  private quietly(work: () => void, failure: string): void {
    try {
      work();
    } catch (error) {
      this.logger?.warn({ err: error }, failure);
      this.onError?.(error);
    }
  }

  private journalOrCommit(entries: readonly JournalItem[], flush: boolean): void {
    const record = this.journal.encode(entries);
    if (!this.journal.canHold(record.length)) {
      // A burst larger than the journal: committed durably as one transaction, as without a journal.
      this.commitDurably();
      return;
    }
    if (!this.journal.fits(record.length)) {
      // Full: the group (these readings included) goes durably into the database, then the journal starts again.
      this.commitDurably();
      try {
        this.beforeRestart?.();
      } catch (error) {
        // The readings are durable already; the mark only detects a later WAL loss (lossWatch.ts).
        this.logger?.warn({ err: error }, 'store: could not update the WAL-loss mark before the intake journal restarted');
      }
      this.journal.restart();
      return;
    }
    try {
      this.journal.appendRecord(record);
      // Batched durability: the record is with the device; its cache is flushed within flushMs (the loss
      // window), or now for a build. A direct write left nothing in the page cache: the flush writes no page.
      if (this.journal.sync === 'flush' && flush) this.flushJournal();
      else if (this.journal.sync === 'flush') this.flushTimer ??= setTimeout(() => this.flushQuietly(), this.flushMs).unref();
    } catch (error) {
      this.logger?.warn({ err: error, path: this.journal.path }, 'store: could not write the intake journal; committing the readings durably instead');
      this.commitDurably();
    }
  }

  private flushJournal(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      this.journal.flush();
    } catch (error) {
      this.logger?.warn({ err: error, path: this.journal.path }, 'store: could not flush the intake journal; committing the readings durably instead');
      this.commitDurably();
    }
  }

  /** After SQLite rolled the group back on its own (SQLITE_FULL, I/O errors inside an enqueue). */
  private noticeLoss(): void {
    if (this.open && !this.db.inTransaction) {
      this.open = false;
      this.lost = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Puts the acknowledged readings of a lost group back (the journal has them), durably, before anything new. */
  private restoreLost(): void {
    if (this.restore === undefined) throw new Error('intake group: no restore set');
    this.restore(IntakeJournal.readItems(this.journal.path));
    this.lost = false;
  }
}
