/**
 * One store per process: the database file with its outbox and inbox. The agent opens it with
 * `recoverSending: true` (it owns the in-flight rows); CLI commands open it as clients, which
 * must never touch rows another process is sending.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type DatabaseOptions } from './database.js';
import { CommitPolicy, type Durability } from './durability.js';
import { Inbox, type InboundReceipt, type InboxOptions, type InboxResult } from './inbox.js';
import type { SweepResult } from './maintenance.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { batchedMaxBuilds, defaultMaxBuilds, IntakeGroup } from './intakeGroup.js';
import { awaitAgentCommit, waitAudibly } from './clientWait.js';
import { IntakeJournal, journalPathOf, type JournalItem } from './intakeJournal.js';

/** How long a client (the CLI) waits for the write lock in all: above the longest group the agent holds (300 s). */
const clientPatientMs = 310_000;

export interface StoreOptions extends DatabaseOptions {
  readonly outbox?: OutboxOptions;
  readonly inbox?: Omit<InboxOptions, 'clock'>;
  /** Put `sending` rows back to `queued` at open: only the agent (the one sender) may do this. */
  readonly recoverSending?: boolean;
  /** 'full' (default): an enqueue is fsynced before its id is returned; 'batched': within `batchMs` (durability.ts). */
  readonly durability?: Durability;
  /** Longest time a commit waits for its fsync in batched mode, and a relaxed one in either mode (ms, default 1000). */
  readonly batchMs?: number;
  /**
   * Group enqueues in one transaction and make each durable in the intake journal (`<path>.intake`,
   * intakeGroup.ts): far fewer bytes written per reading. Only for the file's owner (`recoverSending`).
   */
  readonly intakeJournal?: boolean;
  /** With the journal: how long readings and state changes share one transaction (ms; default 10 s, intakeGroup.ts). */
  readonly groupMs?: number;
  /** The journal's size for a new file (bytes, a multiple of 512; default 1 MiB: ~2,000 single readings). */
  readonly intakeJournalBytes?: number;
  /** With the journal: a group commit or flush that failed on a timer (intakeGroup.ts); the agent's live store hears it. */
  readonly onBackgroundError?: (error: unknown) => void;
  /** A client's write found the agent's group holding the lock and waits for its commit (said once; clientWait.ts). */
  readonly onLockWait?: () => void;
  /** With the journal: called before it starts again, once the database holds its readings durably. */
  readonly beforeJournalRestart?: () => void;
}

export interface Store {
  readonly db: Database.Database;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  /** Rows moved from `sending` back to `queued` at open. */
  readonly recovered: number;
  /** Acknowledged readings are made durable by the intake journal (intakeGroup.ts), not by their commit. */
  readonly journaled: boolean;
  /** The periodic housekeeping: outbox expiry, receipt timeouts and pruning, and inbox pruning. */
  sweep(): SweepResult & { inboxPruned: number };
  /** Stores a receipt once and applies it to the outbox, in one transaction. */
  /** `matched`: a sent part had this reference (false: unknown so far, e.g. a receipt ahead of its submit_sm_resp). */
  receiveReceipt(receipt: InboundReceipt): InboxResult & { settled: number; matched: boolean };
  /**
   * A client's read: when the running agent holds uncommitted readings in its open group, asks it to
   * commit them (a knock, clientWait.ts) and waits for that commit (2 s at most), so what follows reads
   * the file as the agent sees it. Nothing is written. False when no commit came (no agent answered, or a
   * read-only user): the read then sees what is committed, up to `store.groupCommitS` late.
   */
  awaitAgentCommit(): boolean;
  close(): void;
}

export function openStore(options: StoreOptions): Store {
  // Only the agent (recoverSending: the file's owner) converts an older file's page size: a CLI client must not block on it.
  const db = openDatabase({
    convertPageSize: options.recoverSending === true,
    // A client (the CLI) may wait for the agent's open group: up to store.groupCommitS (at most 300 s, intakeGroup.ts).
    ...(options.recoverSending === true ? {} : { busyTimeoutMs: clientPatientMs }),
    ...options,
    ...(options.logger === undefined && options.outbox?.logger !== undefined ? { logger: options.outbox.logger } : {}),
  });
  // After the open (its own writes wait patiently), a client's writes say so when they have to wait (clientWait.ts).
  if (options.recoverSending !== true && options.readonly !== true) {
    waitAudibly(db, { path: options.path, quietMs: 1500, patientMs: clientPatientMs, onWait: options.onLockWait ?? (() => undefined) });
  }
  const commits = new CommitPolicy(db, `${db.name}-wal`, { durability: options.durability, batchMs: options.batchMs, synchronous: options.synchronous }, options.outbox?.logger);
  try {
    const journaled = options.intakeJournal === true && options.recoverSending === true && options.path !== ':memory:'
      ? groupIntake(db, commits, options) : undefined;
    const outbox = new Outbox(db, { ...options.outbox, commits });
    if (journaled !== undefined) {
      journaled.group.restoreWith((entries) => outbox.restoreJournaled(entries));
      outbox.restoreJournaled(journaled.entries);
      // Restored durably: an empty record starts the journal's new run, so no later open reads the old one again.
      journaled.journal.append([]);
    }
    const inbox = new Inbox(db, { ...options.inbox, ...(options.outbox?.clock ? { clock: options.outbox.clock } : {}) });
    const recovered = options.recoverSending === true ? outbox.recover() : 0;
    const applyReceipt = db.transaction((receipt: InboundReceipt) => {
      const stored = inbox.addReceipt(receipt);
      if (stored.status !== 'stored') return { ...stored, settled: 0, matched: true };
      const outcome = receipt.outcome === 'failed' ? { errorClass: 'permanent' as const, reason: 'delivery receipt: undeliverable' } : undefined;
      const applied = outbox.receipt(receipt.link, receipt.ref, receipt.outcome, outcome);
      return { ...stored, settled: applied.settled, matched: applied.matched };
    });
    return {
      db,
      outbox,
      inbox,
      recovered,
      journaled: journaled !== undefined,
      // A lost receipt leaves its message submitted until the receipt timeout re-sends it as built (durability.ts).
      receiveReceipt: (receipt) => commits.relaxed(() => applyReceipt.immediate(receipt)),
      sweep: () => ({ ...outbox.sweep(), inboxPruned: inbox.prune() }),
      awaitAgentCommit: () => awaitAgentCommit(db, options.path),
      close: () => {
        try {
          commits.close();
        } finally {
          if (db.open) db.close();
        }
      },
    };
  } catch (error) {
    commits.close();
    db.close();
    throw error;
  }
}

/**
 * Sets up the grouped, journaled intake before the outbox prepares its transactions, and returns
 * what the journal held (restored by the caller once the outbox exists). Without a usable journal
 * file (read-only directory, no space to preallocate it) each enqueue is committed durably as before.
 */
function groupIntake(db: Database.Database, commits: CommitPolicy, options: StoreOptions): { group: IntakeGroup; journal: IntakeJournal; entries: JournalItem[] } | undefined {
  const logger = options.logger ?? options.outbox?.logger;
  const path = journalPathOf(options.path);
  let journal: IntakeJournal;
  let entries: JournalItem[];
  try {
    entries = IntakeJournal.readItems(path);
    journal = new IntakeJournal(path, options.durability === 'batched' ? 'flush' : 'each', options.intakeJournalBytes);
  } catch (error) {
    logger?.warn({ err: error, path }, 'store: no intake journal (each reading is committed on its own, writing more to the card)');
    return undefined;
  }
  const group = new IntakeGroup(db, `${db.name}-wal`, journal, {
    flushMs: options.batchMs ?? 1000,
    // batched, the card-saving mode: a 300 s group holds ~10 builds at one reading a second (intakeGroup.ts).
    maxBuilds: options.durability === 'batched' ? batchedMaxBuilds : defaultMaxBuilds,
    ...(options.groupMs === undefined ? {} : { groupMs: options.groupMs }),
    ...(options.onBackgroundError === undefined ? {} : { onError: options.onBackgroundError }),
    ...(logger === undefined ? {} : { logger }),
    ...(options.beforeJournalRestart === undefined ? {} : { beforeRestart: options.beforeJournalRestart }),
  });
  group.install();
  commits.groupWith(group);
  group.commitOnKnock(options.path);
  if (!journal.isDirect) logger?.info({ path }, 'store: the intake journal is written through the page cache (this filesystem refuses direct I/O): durable, only more bytes per reading');
  return { group, journal, entries };
}
