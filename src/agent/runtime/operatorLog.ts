/**
 * The story an operator follows at `info`: links up and down with the reason, the modem registered
 * or lost, the first message through the modem in an SMSC outage (the fallback), outages with
 * their counts, and final failures and drops as summaries. Everything else stays at debug.
 *
 * Failures and drops can come by the thousand (a purge, a flood at a full outbox, an SMSC that
 * rejects every message), so they are summarised: the first of a kind is logged at once, the rest
 * are counted and logged at most once per `summaryMs` per kind (default one minute) with their
 * counts, and whatever is still counted is logged on stop. Every line carries `event` (a stable
 * name to grep or alert on) besides its sentence.
 */
import type { Logger } from '../../logger.js';
import type { ModemStatus } from '../../modem/index.js';
import type { LinkName, MirrorEvent } from '../../mqtt/index.js';

export interface OperatorLogOptions {
  /** Reports waiting in the outbox now (for the outage lines). */
  readonly queued: () => number;
  readonly summaryMs?: number;
  readonly now?: () => number;
}

type SummaryKind = 'reports-failed' | 'reports-dropped' | 'inbox-dropped' | 'sms-incomplete';

interface Summary {
  /** When a line of this kind was last written. */
  lastAt: number;
  /** Counted since then, by reason. */
  readonly pending: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
}

const summaryText: Readonly<Record<SummaryKind, string>> = {
  'reports-failed': 'report(s) failed for good',
  'reports-dropped': 'report(s) dropped unsent',
  'inbox-dropped': 'inbox entries removed to keep the inbox caps',
  'sms-incomplete': 'concatenated SMS never completed, kept in the inbox as incomplete',
};

const linkNames: Readonly<Record<LinkName, string>> = { smpp: 'SMPP link', modem: 'modem', mqtt: 'MQTT broker link' };

export class OperatorLog {
  private readonly summaries = new Map<SummaryKind, Summary>();
  private readonly summaryMs: number;
  private readonly now: () => number;
  /** SMPP outage in progress: messages the modem carried during it, and whether the fallback was announced. */
  private outage: { viaModem: number; announced: boolean; startedAt: number } | undefined;
  /** Links in an outage: the agent also announces `outage-ended` at the first bind, which ends nothing. */
  private readonly down = new Set<LinkName>();
  private registered: boolean | undefined;
  private phase: string | undefined;

  constructor(
    private readonly log: Logger,
    private readonly options: OperatorLogOptions,
  ) {
    this.summaryMs = options.summaryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Every event the agent publishes passes here. */
  event(event: MirrorEvent): void {
    switch (event.type) {
      case 'link-up':
        this.log.info({ event: 'link-up', link: event.link }, `${linkNames[event.link]} up`);
        return;
      case 'link-down':
        this.log.info({ event: 'link-down', link: event.link, reason: event.reason }, `${linkNames[event.link]} down: ${event.reason}`);
        return;
      case 'outage-began': {
        const queued = this.options.queued();
        this.down.add(event.link);
        if (event.link === 'smpp') this.outage = { viaModem: 0, announced: false, startedAt: this.now() };
        this.log.info({ event: 'outage-began', link: event.link, queued }, `${event.link.toUpperCase()} outage began: ${queued} report(s) waiting in the outbox`);
        return;
      }
      case 'outage-ended': {
        if (!this.down.delete(event.link)) return;
        const queued = this.options.queued();
        const viaModem = event.link === 'smpp' ? (this.outage?.viaModem ?? 0) : 0;
        if (event.link === 'smpp') this.outage = undefined;
        this.log.info(
          { event: 'outage-ended', link: event.link, durationSeconds: event.durationSeconds, viaModem, queued },
          `${event.link.toUpperCase()} outage ended after ${event.durationSeconds} s: ${viaModem} message(s) went through the modem meanwhile, ${queued} report(s) to send now`,
        );
        return;
      }
      case 'report-submitted':
        if (event.link === 'modem') this.carriedByModem(event.ids.length);
        return;
      case 'report-failed':
        if (event.final) this.count('reports-failed', event.reason, event.ids.length);
        return;
      case 'report-dropped':
        this.count('reports-dropped', event.reason, event.count);
        return;
      case 'inbox-dropped':
        this.count('inbox-dropped', event.reason, event.count);
        return;
      case 'sms-incomplete':
        this.count('sms-incomplete', event.reason, event.count);
        return;
      case 'command-lockout': {
        const who = event.scope === 'global' ? 'every sender' : (event.sender ?? 'a sender');
        this.log.warn({ event: 'command-lockout', scope: event.scope, sender: event.sender, until: event.until, failures: event.failures }, `SMS commands locked out for ${who} until ${event.until} after ${event.failures} wrong PIN(s)`);
        return;
      }
      case 'report-delivered':
      case 'report-expired':
      case 'sms-received':
      case 'report-unsendable':
      case 'sms-undecodable':
      case 'store-damaged':
        // Routine (debug elsewhere), summarised by the expiry sweep's own log, or logged at error where they happen
        // (the router's vetting, the inbound decoder, the store's integrity check).
        return;
    }
  }

  /** The modem's status changed: logs its phase and registration when they change. */
  modemStatus(status: ModemStatus): void {
    if (status.phase !== this.phase) {
      const first = this.phase === undefined;
      this.phase = status.phase;
      if (!(first && status.phase === 'initialising')) {
        const reason = status.lastError === undefined || status.phase === 'ready' ? '' : `: ${status.lastError}`;
        this.log.info({ event: 'modem-phase', phase: status.phase, ...(status.lastError === undefined ? {} : { reason: status.lastError }) }, `modem ${status.phase}${reason}`);
      }
    }
    const registered = isRegistered(status);
    if (registered === undefined || registered === this.registered) return;
    const before = this.registered;
    this.registered = registered;
    if (registered) this.log.info({ event: 'modem-registered', registration: registrationText(status) }, `modem registered on the network (${registrationText(status)})`);
    else if (before === true) this.log.info({ event: 'modem-lost', registration: registrationText(status) }, `modem lost the network (${registrationText(status)})`);
  }

  /** Logs what is still counted and stops the summary timers. */
  stop(): void {
    for (const [kind, summary] of this.summaries) {
      if (summary.timer !== undefined) clearTimeout(summary.timer);
      summary.timer = undefined;
      this.flush(kind, summary);
    }
  }

  private carriedByModem(reports: number): void {
    if (this.outage === undefined) return;
    this.outage.viaModem++;
    if (this.outage.announced) return;
    this.outage.announced = true;
    const downSeconds = Math.round((this.now() - this.outage.startedAt) / 1000);
    this.log.info({ event: 'fallback', link: 'modem', reports, downSeconds }, `fallback: SMPP down for ${downSeconds} s, urgent reports go through the modem`);
  }

  private count(kind: SummaryKind, reason: string, count: number): void {
    if (count <= 0) return;
    let summary = this.summaries.get(kind);
    if (summary === undefined) this.summaries.set(kind, (summary = { lastAt: Number.NEGATIVE_INFINITY, pending: new Map(), timer: undefined }));
    summary.pending.set(reason, (summary.pending.get(reason) ?? 0) + count);
    const dueAt = summary.lastAt + this.summaryMs;
    if (this.now() >= dueAt) {
      this.flush(kind, summary);
      return;
    }
    if (summary.timer !== undefined) return;
    const timer = setTimeout(() => {
      summary.timer = undefined;
      this.flush(kind, summary);
    }, dueAt - this.now());
    // A summary alone must not keep the process alive; stop() writes what is left.
    timer.unref();
    summary.timer = timer;
  }

  private flush(kind: SummaryKind, summary: Summary): void {
    if (summary.pending.size === 0) return;
    const byReason = Object.fromEntries(summary.pending);
    const total = [...summary.pending.values()].reduce((sum, n) => sum + n, 0);
    summary.pending.clear();
    summary.lastAt = this.now();
    const reasons = Object.entries(byReason).map(([reason, n]) => `${n} ${reason}`).join(', ');
    this.log.warn({ event: kind, count: total, byReason, windowS: Math.round(this.summaryMs / 1000) }, `${total} ${summaryText[kind]} (${reasons})`);
  }
}

const registeredStats: ReadonlySet<number> = new Set([1, 5, 6, 7, 9, 10]);

/** Registered when any of CREG/CGREG/CEREG says home or roaming; undefined before the modem answered. */
function isRegistered(status: ModemStatus): boolean | undefined {
  const states = Object.values(status.registration);
  if (states.length === 0) return undefined;
  return states.some((state) => state !== undefined && registeredStats.has(state.stat));
}

/** 27.007 <stat> in words. */
const statNames: Readonly<Record<number, string>> = { 0: 'not registered', 1: 'home', 2: 'searching', 3: 'denied', 4: 'unknown', 5: 'roaming', 6: 'home, SMS only', 7: 'roaming, SMS only', 9: 'home, CSFB', 10: 'roaming, CSFB' };

function registrationText(status: ModemStatus): string {
  return Object.entries(status.registration).map(([kind, state]) => `${kind}: ${state === undefined ? '?' : (statNames[state.stat] ?? String(state.stat))}`).join(', ');
}
