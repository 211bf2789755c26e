/**
 * The router: moves outbox entries onto a link. SMPP while bound; the modem for fallback kinds
 * once SMPP has been down long enough; otherwise the outbox waits. Report readings are packed by
 * the batch planner into report messages (one per destination); plain SMS go one by one. A message
 * that failed or was cut off by a crash is re-sent exactly as built, so the centre's sequence
 * check removes whole duplicates. At most a window of messages is in flight per link.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { errorCodeName, ErrorCode } from '../../errors.js';
import { buildMessage, encodeBinaryReport, encodeTextReport, planBatch, type PartCapacity, type PendingReading, type ReportEncoding } from '../../report/index.js';
import type { SplitMethod } from '../../smpp/index.js';
import { type LinkName, type LinkStates, chooseLink } from './linkChoice.js';
import type { BuiltMessage, ErrorClass, KindRouting, MessageSender, QueuedEntry, RouterStore } from './types.js';
import { EntryVetting } from './vetting.js';

export interface RouterOptions {
  readonly store: RouterStore;
  readonly senders: { readonly smpp?: MessageSender; readonly modem?: MessageSender };
  readonly links: () => LinkStates;
  readonly kinds: (kind: string) => KindRouting;
  /** The device id or alias that reports carry. */
  readonly device: string;
  readonly destinations: { readonly smpp: string; readonly modem: string };
  readonly maxParts: number;
  readonly capacity: Readonly<Record<ReportEncoding, PartCapacity>>;
  readonly fallbackAfterMs: number;
  /** Messages in flight at once per link (SMPP: the session window; modem: 1). */
  readonly windows: Readonly<Record<LinkName, number>>;
  readonly classify: (error: unknown) => { readonly errorClass: ErrorClass; readonly reason: string };
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Queued entries looked at per planning round. */
  readonly lookahead?: number;
  /** How plain SMS are split (to know one that can never fit `maxParts`); default udh8. */
  readonly smsSplit?: SplitMethod;
  /** Told after a message's link references are recorded (early receipts wait for them). */
  readonly onSubmitted?: (refs: readonly string[]) => void;
  /** Told of each entry failed as Report_Unsendable (counted, published). */
  readonly onUnsendable?: (entry: QueuedEntry, reason: string) => void;
}

/** The reason recorded on an entry that can never be sent: the code first, so tools can match it. */
export const unsendablePrefix = `${errorCodeName(ErrorCode.Report_Unsendable)}: `;

const smsKind = 'sms';
/** Queued entries `sendHeldNow` counts at most (the count is for the operator's reply). */
const heldCountLimit = 10_000;

export class Router {
  private readonly inFlight = new Map<LinkName, Set<Promise<void>>>([
    ['smpp', new Set()],
    ['modem', new Set()],
  ]);
  private timer: TimerHandle | undefined;
  private timerAt: number | undefined;
  private running = false;
  private pumping = false;
  private fallbackAfterMs: number;
  /** Readings queued at or before this moment are due whatever their kind's delay (see sendHeldNow). */
  private releasedUpTo = Number.NEGATIVE_INFINITY;
  /** Entries already warned about (several destinations): the router looks at a held entry on every kick. */
  private readonly warnedMultiDestination = new Set<number>();
  private readonly vetting: EntryVetting;
  /** Entries failed as Report_Unsendable since start. */
  private unsendableCount = 0;

  constructor(private readonly options: RouterOptions) {
    this.fallbackAfterMs = options.fallbackAfterMs;
    const sizing = { device: options.device, maxParts: options.maxParts, capacity: options.capacity, split: options.smsSplit ?? 'udh8' };
    this.vetting = new EntryVetting(sizing, (kind) => options.kinds(kind).encoding, smsKind);
  }

  /** Entries failed as Report_Unsendable since start. */
  get unsendable(): number {
    return this.unsendableCount;
  }

  /** How long SMPP must be down before fallback kinds go by modem (set-config); applies at once. */
  setFallbackAfter(ms: number): void {
    this.fallbackAfterMs = ms;
    this.kick();
  }

  /**
   * Sends held readings now: every reading queued up to this moment counts as due, whatever its kind's
   * `maxDelayS`. One-shot: readings queued later wait as usual. The router looks on the next tick, so a
   * reading the caller queues right after (the REPORT command's status) is packed together with them.
   * Returns how many queued readings it released (counted up to 10,000).
   */
  sendHeldNow(): number {
    const now = this.options.clock.now();
    this.releasedUpTo = now;
    const released = this.options.store.due(heldCountLimit, { fallbackOnly: false }).filter((entry) => entry.kind !== smsKind && entry.createdAt <= now).length;
    this.schedule(now);
    return released;
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  /** New work or a link change: look again now. */
  kick(): void {
    if (!this.running || this.pumping) return;
    this.pumping = true;
    try {
      this.pump();
    } catch (error) {
      // A bug in planning must not stop the agent; log it and look again later.
      this.options.logger?.error({ err: error }, 'router: planning failed');
      this.schedule(this.options.clock.now() + 5000);
    } finally {
      this.pumping = false;
    }
  }

  /** Stops taking work and waits (at most `graceMs`) for messages in flight to be acknowledged. */
  async stop(graceMs: number): Promise<number> {
    this.running = false;
    this.clearTimer();
    const pending = [...(this.inFlight.get('smpp') ?? []), ...(this.inFlight.get('modem') ?? [])];
    if (pending.length === 0) return 0;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = this.options.clock.setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([Promise.allSettled(pending).then(() => 'done' as const), timeout]);
    if (timer !== undefined) this.options.clock.clearTimeout(timer);
    return outcome === 'timeout' ? this.inFlightCount() : 0;
  }

  inFlightCount(link?: LinkName): number {
    if (link !== undefined) return this.inFlight.get(link)?.size ?? 0;
    return (this.inFlight.get('smpp')?.size ?? 0) + (this.inFlight.get('modem')?.size ?? 0);
  }

  private pump(): void {
    const { clock, store } = this.options;
    for (;;) {
      const now = clock.now();
      const choice = chooseLink(this.options.links(), now, this.fallbackAfterMs, this.options.senders.modem !== undefined);
      if (choice.link === 'none') return this.schedule(choice.retryAt);
      const link = choice.link;
      const fallbackOnly = link === 'modem';
      if (this.inFlightCount(link) >= this.options.windows[link]) return; // a completion kicks again
      const resend = store.resendable(1, { fallbackOnly })[0];
      if (resend !== undefined) {
        store.restartMessage(resend.messageId, link);
        this.dispatch(link, resend);
        continue;
      }
      const entries = store.due(this.options.lookahead ?? 500, { fallbackOnly });
      const next = this.nextMessage(entries, link, now);
      if (next.kind === 'wait') return this.schedule(minDefined(next.until, store.nextAttemptAt()));
      this.dispatch(link, next.message);
    }
  }

  /**
   * Takes entries in the outbox's order (most urgent first). A plain SMS is a message of its own; readings
   * are grouped by destination, each group planned where its most urgent reading stands.
   */
  private nextMessage(entries: readonly QueuedEntry[], link: LinkName, now: number): { kind: 'send'; message: BuiltMessage } | { kind: 'wait'; until: number | undefined } {
    const { store } = this.options;
    const defaultDestination = this.options.destinations[link];
    const candidates: Array<{ sms: QueuedEntry; destination: string } | { group: Array<PendingReading<number>>; destination: string }> = [];
    const groups = new Map<string, Array<PendingReading<number>>>();
    for (const entry of entries) {
      const destination = entry.destinations[0] ?? defaultDestination;
      if (entry.destinations.length > 1 && !this.warnedMultiDestination.has(entry.id)) {
        // The agent's own doors queue one entry per number (store/perDestination.ts); an entry written straight into
        // the outbox with several cannot be split here (one entry, one message), so say who is not reached.
        if (this.warnedMultiDestination.size >= 1000) this.warnedMultiDestination.clear();
        this.warnedMultiDestination.add(entry.id);
        this.options.logger?.warn({ id: entry.id, sentTo: destination, notReached: entry.destinations.slice(1) }, 'router: an outbox entry with several destinations goes to the first only; queue one entry per destination');
      }
      const verdict = this.vetting.vet(entry);
      if (!verdict.ok) {
        this.failUnsendable(entry, link, verdict.reason);
        continue;
      }
      if (entry.kind === smsKind) {
        candidates.push({ sms: entry, destination });
        continue;
      }
      const reading = verdict.reading;
      if (reading === undefined) continue;
      const routing = this.options.kinds(entry.kind);
      let group = groups.get(destination);
      if (group === undefined) {
        group = [];
        groups.set(destination, group);
        candidates.push({ group, destination });
      }
      const released = entry.createdAt <= this.releasedUpTo;
      group.push({ id: entry.id, reading, encoding: routing.encoding, deadline: entry.createdAt + routing.maxDelayMs, urgent: routing.maxDelayMs === 0 || released });
    }
    let until: number | undefined;
    for (const candidate of candidates) {
      const { destination } = candidate;
      if ('sms' in candidate) {
        // Plain SMS (send-sms commands, replies to SMS commands) never wait and are never packed.
        const { sms } = candidate;
        return { kind: 'send', message: store.startMessage([sms.id], link, () => ({ destination, payload: sms.payload, format: 'sms' })) };
      }
      const seq = store.peekNextSeq();
      let plan: ReturnType<typeof planBatch<number>>;
      try {
        plan = planBatch(candidate.group, now, { device: this.options.device, seq, maxParts: this.options.maxParts, capacity: this.options.capacity });
      } catch (error) {
        // Vetting makes this unreachable for any entry we know of; if the planner still refuses, the most
        // urgent reading of the group goes alone, so the queue moves on whatever the fault.
        const head = candidate.group[0];
        const entry = head === undefined ? undefined : entries.find((queued) => queued.id === head.id);
        if (entry === undefined) throw error;
        this.failUnsendable(entry, link, `the planner refused it: ${error instanceof Error ? error.message : String(error)}`);
        return { kind: 'wait', until: now };
      }
      if (plan.action === 'wait') until = minDefined(until, plan.until);
      if (plan.action !== 'send') continue;
      const readings = plan.message.readings;
      const message = store.startMessage(plan.ids, link, (given) => {
        // Re-encode in the rare case the sequence number is not the one planned with.
        const payload = given === seq ? plan.payload : encode(buildMessage(this.options.device, given, readings), plan.encoding);
        return { destination, payload, format: plan.encoding === 'text' ? 'report-text' : 'report-binary' };
      });
      return { kind: 'send', message };
    }
    return { kind: 'wait', until };
  }

  /** Fails one entry that can never be sent, alone: logged once (it leaves the queue), counted, published (report-failed). */
  private failUnsendable(entry: QueuedEntry, link: LinkName, reason: string): void {
    this.options.store.failUnsendable(entry.id, link, `${unsendablePrefix}${reason}`);
    this.unsendableCount += 1;
    this.options.logger?.error({ id: entry.id, kind: entry.kind, reason, unsendable: this.unsendableCount }, 'router: a report that can never be sent was failed (Report_Unsendable); the others go on');
    this.options.onUnsendable?.(entry, reason);
  }

  private dispatch(link: LinkName, message: BuiltMessage): void {
    const sender = this.options.senders[link];
    const flights = this.inFlight.get(link);
    if (sender === undefined || flights === undefined) return;
    const { store, logger } = this.options;
    const flight = sender
      .send(message)
      .then(
        (refs) => {
          store.submitted(message.messageId, refs);
          this.options.onSubmitted?.(refs);
        },
        (error: unknown) => {
          const { errorClass, reason } = this.options.classify(error);
          logger?.warn({ messageId: message.messageId, link, errorClass, reason }, 'router: message not sent');
          store.failed(message.messageId, errorClass, reason);
        },
      )
      .catch((error: unknown) => logger?.error({ err: error, messageId: message.messageId }, 'router: could not record the outcome'))
      .finally(() => {
        flights.delete(flight);
        this.kick();
      });
    flights.add(flight);
  }

  private schedule(at: number | undefined): void {
    if (at === undefined || !this.running) return;
    if (this.timerAt !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.options.clock.setTimeout(() => {
      this.timerAt = undefined;
      this.timer = undefined;
      this.kick();
    }, Math.max(0, at - this.options.clock.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }
}

function encode(message: ReturnType<typeof buildMessage>, encoding: ReportEncoding): string | Buffer {
  return encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
