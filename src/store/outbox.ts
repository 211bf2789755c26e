/**
 * The outbox: every report enters here before anything is sent, and nothing leaves until a
 * success or a final failure is recorded. All methods are synchronous (better-sqlite3): each is
 * one short IMMEDIATE transaction, so none can be held across an `await` by construction.
 *
 * Sending a report is: `claim` (queued → sending, inside a new message row) → `submitted` or
 * `sendFailed` → `receipt` or the receipt timeout in `sweep`. Batched messages use `peekDue` +
 * `startMessage` to put many reports in one message; the settling calls are the same.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { Capacity, defaultCaps, validateCaps, type Caps, type QueueTally } from './capacity.js';
import { DropLedger, type DropListener } from './drops.js';
import { MessageRows, type OutboundMessage } from './messageRows.js';
import { defaultBackoff, PolicyBook, validateBackoff, type BackoffPolicy, type KindPolicy } from './policy.js';
import { encodeDestinations, encodePayload, reportColumns, RowTransitions, toReport, type ReportRow } from './reportRows.js';
import { NoticeBoard, type OutboxListener } from './notices.js';
import { Settlement } from './settlement.js';
import { BuiltMessages, boundToResend, type BuiltMessage, type MessageContent } from './builtMessages.js';
import { OutboxStats, type QueueStats } from './stats.js';
import { keepTimes, OutboxMaintenance, type PurgeOptions, type SweepResult } from './maintenance.js';
import { perDestination } from './perDestination.js';
import { highestReportId, nextReportIdSql } from './idFloor.js';
import { isBuild, type JournalEntry, type JournalItem, type JournaledBuild } from './intakeJournal.js';
import { CommitPolicy } from './durability.js';
import { validateInput } from './reportInput.js';
import { systemClock, type TimeSource } from '../clock.js';
import { priorityRank, type DroppedReport, type EnqueueResult, type ErrorClass, type Link, type Report, type ReportInput, type ReportState } from './types.js';

export interface OutboxOptions {
  readonly clock?: TimeSource;
  /** Source of jitter for back-off, in [0, 1); tests pass a fixed one. */
  readonly random?: () => number;
  readonly logger?: Logger;
  /** Per-kind policy overrides from config, merged over the defaults in policy.ts. */
  readonly kinds?: Readonly<Record<string, Partial<KindPolicy>>>;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly caps?: Partial<Caps>;
  /** How long failed / expired reports stay for `queue list` and `queue retry` (ms, default 7 days). */
  readonly keepFinishedMs?: number;
  /** How long delivered reports (and `submitted` ones no receipt is awaited for) stay (ms, default keepFinishedMs); 0: deleted as they settle. */
  readonly keepDeliveredMs?: number;
  /** Called after each committed drop, for the MQTT event. */
  readonly onDrop?: DropListener;
  /** Called after each committed outcome (submitted, delivered, failed, expired), one notice per message or sweep batch. */
  readonly onNotice?: OutboxListener;
  /** How enqueues and settling commits are synced (durability.ts); default: every enqueue fsynced, settling within 1 s. */
  readonly commits?: CommitPolicy;
}

export interface ClaimOptions {
  /** Most reports to claim in this transaction (a drain batch). */
  readonly limit: number;
  readonly link: Link;
}

export interface Claimed {
  readonly messageId: number;
  readonly report: Report;
}

const listPageSize = 500;

interface DueParams {
  now: number;
  limit: number;
  kinds?: string;
}

export class Outbox {
  readonly policies: PolicyBook;
  private readonly clock: TimeSource;
  private readonly logger: Logger;
  private readonly rows: RowTransitions;
  private readonly messages: MessageRows;
  private readonly capacity: Capacity;
  private readonly drops: DropLedger;
  private readonly settlement: Settlement;
  private readonly notices: NoticeBoard;
  private readonly maintenance: OutboxMaintenance;
  private readonly statistics: OutboxStats;
  private readonly insert: Database.Statement;
  private readonly insertWithId: Database.Statement;
  private readonly selectById: Database.Statement<[number], { kind: string; payload: Buffer }>;
  private readonly dueAny: Database.Statement<[DueParams], ReportRow>;
  private readonly dueOfKinds: Database.Statement<[DueParams], ReportRow>;
  private readonly dueNotOfKinds: Database.Statement<[DueParams], ReportRow>;
  private readonly selectMany: Database.Statement<[string], ReportRow>;
  private readonly built: BuiltMessages;
  private readonly earliestAttempt: Database.Statement<[number], { at: number | null }>;
  private readonly commits: CommitPolicy;

  constructor(
    private readonly db: Database.Database,
    options: OutboxOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.policies = new PolicyBook(options.kinds);
    this.commits = options.commits ?? new CommitPolicy(db, `${db.name}-wal`);
    const backoff = validateBackoff({ ...defaultBackoff, ...options.backoff });
    this.rows = new RowTransitions(db);
    this.messages = new MessageRows(db);
    this.capacity = new Capacity(db, validateCaps({ ...defaultCaps, ...options.caps }));
    this.drops = new DropLedger(db, this.logger, options.onDrop);
    this.notices = new NoticeBoard(options.onNotice, this.logger);
    const context = { db, rows: this.rows, messages: this.messages, policies: this.policies, clock: this.clock, logger: this.logger, notices: this.notices };
    const keep = keepTimes(options);
    this.settlement = new Settlement(context, backoff, options.random ?? Math.random, keep.deliveredMs === 0);
    this.built = new BuiltMessages(context);
    // Only retried reports (error_class set) wait for a back-off; a partial index keeps this cheap
    // without costing fresh enqueues a write.
    this.earliestAttempt = db.prepare(`SELECT MIN(next_attempt_at) AS at FROM reports
      WHERE state = 'queued' AND error_class IS NOT NULL AND next_attempt_at > ?`);
    this.maintenance = new OutboxMaintenance(context, this.drops, this.settlement, keep);
    this.statistics = new OutboxStats(db, this.drops);
    // The id never repeats one handed out before, even after the newest rows were deleted (idFloor.ts).
    this.insert = db.prepare(`INSERT INTO reports (id, kind, priority, state, payload, payload_is_text, destinations, bytes, created_at,
      expires_at, next_attempt_at, updated_at) VALUES (${nextReportIdSql}, @kind, @priority, 'queued', @payload, @isText, @destinations, @bytes, @now, @expiresAt, @now, @now)`);
    this.selectById = db.prepare('SELECT kind, payload FROM reports WHERE id = ?');
    this.insertWithId = db.prepare(`INSERT INTO reports (id, kind, priority, state, payload, payload_is_text, destinations, bytes, created_at,
      expires_at, next_attempt_at, updated_at) VALUES (@id, @kind, @priority, 'queued', @payload, @isText, @destinations, @bytes, @now, @expiresAt, @now, @now)`);
    // Reports bound to a message that will be re-sent as built are not packed anew.
    const due = `SELECT ${reportColumns} FROM reports WHERE state = 'queued' AND next_attempt_at <= @now
      AND (expires_at IS NULL OR expires_at > @now) AND (message_id IS NULL OR NOT ${boundToResend})`;
    const order = 'ORDER BY priority, created_at, id LIMIT @limit';
    this.dueAny = db.prepare(`${due} ${order}`);
    this.dueOfKinds = db.prepare(`${due} AND kind IN (SELECT value FROM json_each(@kinds)) ${order}`);
    this.dueNotOfKinds = db.prepare(`${due} AND kind NOT IN (SELECT value FROM json_each(@kinds)) ${order}`);
    this.selectMany = db.prepare(`SELECT ${reportColumns} FROM reports WHERE id IN (SELECT value FROM json_each(?)) ORDER BY priority, created_at, id`);
  }

  /** Crash recovery, run at open: whatever was `sending` when the process died goes back to `queued`. */
  recover(): number {
    return this.maintenance.recoverSending();
  }

  /** Adds one report in its own (durable) transaction. Throws Store_Full when it cannot fit. */
  enqueue(input: ReportInput): EnqueueResult {
    const [result] = this.enqueueMany([input]);
    if (result === undefined || result.id === null) {
      throw new AgentError(
        `outbox full: no room for a ${input.priority} ${input.kind} report without dropping more urgent ones`,
        ErrorCode.Store_Full,
        { kind: input.kind, priority: input.priority },
      );
    }
    return result;
  }

  /** Adds a burst in one transaction (one commit, one fsync). Reports that cannot fit get `id: null`. */
  enqueueMany(inputs: readonly ReportInput[]): EnqueueResult[] {
    return this.insertAll(inputs, undefined);
  }

  /**
   * One report for each of its destinations: one entry per distinct number (see perDestination.ts),
   * in one transaction. The entries are copies of one reading, so neither the caps nor coalescing
   * may remove one of them to make room for another: a copy that does not fit is refused instead
   * (a burst of separate reports, by contrast, keeps its newest). `destination` is undefined for a
   * report without destinations (it goes to the default one).
   */
  enqueueToEach(input: ReportInput): Array<EnqueueResult & { readonly destination: string | undefined }> {
    const entries = perDestination(input);
    const results = this.insertAll(entries, entries.length > 1 ? new Set<number>() : undefined);
    return results.map((result, index) => ({ ...result, destination: entries[index]?.destinations?.[0] }));
  }

  /** Inserts `inputs` in one transaction; with `spare`, no input's entry is a victim of a later one. */
  private insertAll(inputs: readonly ReportInput[], spare: Set<number> | undefined): EnqueueResult[] {
    inputs.forEach(validateInput);
    const now = this.clock.now();
    const run = this.db.transaction(() => {
      const tally = this.capacity.queued();
      return inputs.map((input) => {
        const result = this.insertOne(input, now, tally, spare);
        if (result.id !== null) spare?.add(result.id);
        return result;
      });
    });
    const results = this.commits.intake(() => run.immediate(), (done) => journalEntries(inputs, done));
    this.drops.announce(results.flatMap((result) => result.dropped));
    return results;
  }

  /**
   * At start, the readings the intake journal holds that this database lacks (their group never
   * committed: a kill or a power cut), under the ids they were acknowledged with, in one durable
   * transaction. An id at or below the highest the store has handed out was committed (and may
   * since have been sent and pruned): only ids above it are missing. Then the messages built in
   * that group, as built (BuiltMessages.restore). Returns how many readings and messages went back in.
   */
  restoreJournaled(items: readonly JournalItem[]): number {
    const entries = items.filter((item): item is JournalEntry => !isBuild(item));
    const builds = items.filter(isBuild);
    const highest = highestReportId(this.db);
    const missing = entries.filter((entry) => entry.id > highest).sort((a, b) => a.id - b.id);
    // A CLI client that wrote while the agent was down may have taken an acknowledged id: that
    // reading goes back under a new id (the only case where an id changes; said at warn).
    const taken = entries.filter((entry) => entry.id <= highest && this.heldByAnother(entry));
    if (missing.length === 0 && taken.length === 0 && builds.length === 0) return 0;
    const now = this.clock.now();
    const run = this.db.transaction(() => {
      const tally = this.capacity.queued();
      const back = missing.filter((entry) => this.insertOne(entry.input, now, tally, undefined, entry.id).id !== null).length;
      const moved = taken.filter((entry) => this.insertOne(entry.input, now, tally, undefined).id !== null).length;
      // Then the messages built from them (and from readings committed earlier), in the order built.
      const outcomes = builds.map((build) => ({ build, outcome: this.built.restore(build) }));
      return { readings: back + moved, outcomes };
    });
    const { readings, outcomes } = run.immediate();
    // info: after a kill or a power cut this is the designed path, and nothing was lost.
    if (missing.length > 0) {
      this.logger.info({ restored: readings, of: missing.length + taken.length, ids: `${missing[0]?.id}–${missing.at(-1)?.id}` },
        'store: acknowledged readings restored from the intake journal (the process stopped before their group was committed)');
    }
    if (taken.length > 0) {
      this.logger.warn({ ids: taken.map((entry) => entry.id) },
        'store: another process took the ids of acknowledged readings while the agent was stopped; those readings were restored under new ids');
    }
    this.sayRestoredBuilds(outcomes);
    return readings + outcomes.filter(({ outcome }) => outcome === 'restored').length;
  }

  private sayRestoredBuilds(outcomes: ReadonlyArray<{ build: JournaledBuild; outcome: 'restored' | 'present' | 'unrestorable' }>): void {
    const restored = outcomes.filter(({ outcome }) => outcome === 'restored').map(({ build }) => build.messageId);
    const unrestorable = outcomes.filter(({ outcome }) => outcome === 'unrestorable').map(({ build }) => build.messageId);
    if (restored.length > 0) {
      this.logger.info({ messages: restored }, 'store: messages built before the stop restored from the intake journal (re-sent as built, so the centre sees duplicates)');
    }
    if (unrestorable.length > 0) {
      // Their reports were taken by a CLI purge, or dropped by a full queue while restoring: the rest go out in new messages.
      this.logger.warn({ messages: unrestorable }, 'store: messages built before the stop could not be restored as built (their reports are gone or changed); their remaining reports are packed anew');
    }
  }

  /** The journaled id is used by a different reading (not this one committed earlier, nor pruned). */
  private heldByAnother(entry: JournalEntry): boolean {
    const row = this.selectById.get(entry.id);
    return row !== undefined && (row.kind !== entry.input.kind || !row.payload.equals(encodePayload(entry.input.payload).payload));
  }

  private insertOne(input: ReportInput, now: number, tally: QueueTally, spare: ReadonlySet<number> | undefined, id?: number): EnqueueResult {
    const policy = this.policies.for(input.kind);
    const { payload, isText } = encodePayload(input.payload);
    const rank = priorityRank(input.priority);
    const victims = this.capacity.makeRoom(rank, payload.length, tally, spare);
    if (victims === null) {
      const refused: DroppedReport = { id: null, kind: input.kind, priority: input.priority, bytes: payload.length, reason: 'rejected-full' };
      this.drops.record([refused], now);
      return { id: null, dropped: [refused] };
    }
    const info = (id === undefined ? this.insert : this.insertWithId).run({
      ...(id === undefined ? {} : { id }),
      kind: input.kind,
      priority: rank,
      payload,
      isText,
      destinations: encodeDestinations(input.destinations),
      bytes: payload.length,
      now,
      expiresAt: now + (input.ttlMs ?? policy.ttlMs),
    });
    tally.rows += 1;
    tally.bytes += payload.length;
    const coalesced = this.capacity.coalesce(input.kind, policy.coalesceKeepNewest, tally, spare);
    const dropped = [...victims, ...coalesced];
    this.drops.record(dropped, now);
    return { id: Number(info.lastInsertRowid), dropped };
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction: the outbox calls inside it become savepoints and share
   * one commit (one fsync). The router settles a window of responses or receipts this way.
   * `fn` must be synchronous; drop announcements inside it go out before the outer commit.
   */
  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Queued reports that are due, most urgent and oldest first, without claiming them (for packing). */
  peekDue(options: ClaimOptions): Report[] {
    return this.dueRows(options, this.clock.now()).map(toReport);
  }

  /** Claims up to `limit` due reports, one message each: queued → sending. */
  claim(options: ClaimOptions): Claimed[] {
    const now = this.clock.now();
    const run = this.db.transaction(() =>
      this.dueRows(options, now).map((row): Claimed => {
        const messageId = this.messages.create(options.link, now);
        const sending = this.rows.apply(row, 'sending', now, { attempts: row.attempts + 1, messageId });
        return { messageId, report: toReport(sending) };
      }),
    );
    return run.immediate();
  }

  /** The report sequence number the next built message will carry. */
  peekNextSeq(): number {
    return this.built.peekNextSeq();
  }

  /**
   * Puts queued reports into one new message kept as built (queued → sending): `build` makes the
   * payload from the message's sequence number. A failed or crashed message is re-sent as it is.
   */
  buildMessage(reportIds: readonly number[], link: Link, build: (seq: number) => MessageContent): BuiltMessage {
    // Durable before it goes on the air: fsynced, or journaled by the agent's group (durability.ts).
    const at = this.clock.now();
    return this.commits.built(() => this.built.build(reportIds, link, build), (message) => [{ ...journaledBuild(message, link), at }]);
  }

  /** Built messages waiting to be re-sent as they are, oldest first, that the link may carry. */
  resendable(limit: number, link: Link): BuiltMessage[] {
    const allow = link === 'smpp' ? () => true : (kind: string) => this.policies.for(kind).modemFallback;
    return this.built.resendable(limit, this.clock.now(), allow);
  }

  /** When the earliest queued report's back-off ends, if any is waiting for one. */
  nextAttemptAt(): number | undefined {
    return this.earliestAttempt.get(this.clock.now())?.at ?? undefined;
  }

  /** A resendable message goes out again: requeued → sending, with its reports. */
  restartMessage(messageId: number, link: Link): void {
    this.built.restartMessage(messageId, link);
  }

  /** Puts the given queued reports into one new message (queued → sending) and returns its id. */
  startMessage(reportIds: readonly number[], link: Link): number {
    const now = this.clock.now();
    const run = this.db.transaction(() => {
      const found = this.selectMany.all(JSON.stringify(reportIds));
      const messageId = this.messages.create(link, now);
      for (const id of reportIds) {
        const row = found.find((candidate) => candidate.id === id);
        if (row === undefined) throw new AgentError(`report ${id} not found`, ErrorCode.Store_NotFound, { id });
        this.rows.apply(row, 'sending', now, { attempts: row.attempts + 1, messageId });
      }
      return messageId;
    });
    return run.immediate();
  }

  /** The link accepted the message (submit_sm_resp OK, +CMGS): sending → submitted, one ref per SMS part. */
  submitted(messageId: number, refs: readonly string[]): number {
    return this.notices.around(() => this.commits.relaxed(() => this.settlement.submitted(messageId, refs)));
  }

  /** The link refused or failed the message: retry per error class, or fail / expire. */
  sendFailed(messageId: number, errorClass: ErrorClass, reason: string): number {
    return this.notices.around(() => this.commits.relaxed(() => this.settlement.sendFailed(messageId, errorClass, reason)));
  }

  /** A delivery receipt for one SMS part (by the link's reference). Returns how many reports it settled. */
  receipt(link: Link, ref: string, outcome: 'delivered' | 'failed', failure?: { errorClass: ErrorClass; reason: string }): { matched: boolean; settled: number } {
    return this.notices.around(() => this.commits.relaxed(() => this.settlement.receipt(link, ref, outcome, failure)));
  }

  /** Expires stale reports, re-queues those whose receipt never came, prunes old finished rows. */
  sweep(): SweepResult {
    return this.notices.around(() => this.commits.relaxed(() => this.maintenance.sweep()));
  }

  /** Operator: a failed or expired report goes back to the queue with fresh attempts and TTL. */
  retry(id: number): Report {
    return toReport(this.maintenance.retry(id));
  }

  /** Operator: every failed report back to the queue; returns how many. */
  retryFailed(): number {
    return this.maintenance.retryAllFailed();
  }

  /** Operator: deletes reports in a state older than a duration; queued ones count as drops. */
  purge(options: PurgeOptions): number {
    return this.maintenance.purge(options);
  }

  /** How many reports `purge(options)` would delete now (for the operator's confirmation). */
  countPurgeable(options: PurgeOptions): number {
    return this.maintenance.countPurgeable(options);
  }

  /** The message a report went out in (see Report.messageId): link, state, part references. */
  message(messageId: number): OutboundMessage | undefined {
    const row = this.messages.get(messageId);
    return row === undefined ? undefined : { ...row, refs: this.messages.refs(messageId) };
  }

  get(id: number): Report | undefined {
    const row = this.rows.row(id);
    return row === undefined ? undefined : toReport(row);
  }

  /**
   * Streams reports, oldest id first, a page at a time: each page is one short read, so no
   * statement (and no read snapshot) stays open while the caller awaits between reports.
   */
  *list(filter: { state?: ReportState; kind?: string; limit?: number } = {}): Generator<Report> {
    const conditions = ['id > @after'];
    if (filter.state !== undefined) conditions.push('state = @state');
    if (filter.kind !== undefined) conditions.push('kind = @kind');
    const page = this.db.prepare<Record<string, unknown>, ReportRow>(
      `SELECT ${reportColumns} FROM reports WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT @pageSize`,
    );
    let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
    let after = 0;
    while (remaining > 0) {
      const rows = page.all({ after, state: filter.state, kind: filter.kind, pageSize: Math.min(listPageSize, remaining) });
      for (const row of rows) yield toReport(row);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      remaining -= rows.length;
    }
  }

  /** The newest `limit` reports (optionally of one state and kind), newest first: one short read (the console's list). */
  newest(filter: { state?: ReportState; kind?: string; limit: number }): Report[] {
    const conditions = ['1 = 1'];
    if (filter.state !== undefined) conditions.push('state = @state');
    if (filter.kind !== undefined) conditions.push('kind = @kind');
    const rows = this.db
      .prepare<Record<string, unknown>, ReportRow>(`SELECT ${reportColumns} FROM reports WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT @limit`)
      .all({ state: filter.state, kind: filter.kind, limit: filter.limit });
    return rows.map(toReport);
  }

  /** Counts for the MQTT state: by state and priority, oldest queued age, drops. */
  stats(): QueueStats {
    return this.statistics.read(this.clock.now());
  }

  private dueRows(options: ClaimOptions, now: number): ReportRow[] {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new AgentError(`claim limit must be a positive integer, got ${options.limit}`, ErrorCode.Store_InvalidInput);
    }
    if (options.link === 'smpp') return this.dueAny.all({ now, limit: options.limit });
    // Only kinds whose policy lets the modem carry them; unknown kinds follow `default`.
    const kinds = this.policies.kinds();
    const defaultAllows = this.policies.for('default').modemFallback;
    const listed = kinds.filter((kind) => this.policies.for(kind).modemFallback !== defaultAllows);
    return defaultAllows
      ? this.dueNotOfKinds.all({ now, limit: options.limit, kinds: JSON.stringify(listed) })
      : this.dueOfKinds.all({ now, limit: options.limit, kinds: JSON.stringify(listed) });
  }
}

function journaledBuild(message: BuiltMessage, link: Link): Omit<JournaledBuild, 'at'> {
  return { messageId: message.messageId, seq: message.seq, link, destination: message.destination, format: message.format, payload: message.payload, reportIds: message.reportIds };
}

/** The readings an enqueue acknowledged, with their ids, for the intake journal. */
function journalEntries(inputs: readonly ReportInput[], results: readonly EnqueueResult[]): JournalEntry[] {
  return inputs.flatMap((input, index) => {
    const id = results[index]?.id;
    return id === undefined || id === null ? [] : [{ id, input }];
  });
}
