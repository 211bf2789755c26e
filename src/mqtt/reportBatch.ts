/**
 * The MQTT side of a drain's good news, summed. `report-submitted` and `report-delivered` come one per SMS
 * message; on a cellular data plan their payloads (the ids each message carried, its refs) cost about as many
 * bytes as the SMS they describe (issue 14: 2.1× the SMS bytes). Over MQTT they are the bulk that nobody reads
 * one by one, so they are summed into one `events/reports` per interval: how many messages and reports went
 * out and were delivered, with the ids as ranges ("41-68,70"). Failures, expiries and drops are rare and are
 * what an operator asks about, so they stay one event each, and a pending sum is published before them to
 * keep the order (a report's submission before its failure). The local API's `/events` and the console keep
 * the per-message events; `GET /outbox/<id>` has each report's story.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { MirrorEvent } from './events.js';

/** The longest `ids` string of one outcome; past it the ranges end with "…" and `idsComplete` is false. */
const maxIdsChars = 2000;
/** Ids held for one sum; a drain faster than this per interval publishes early, so memory stays bounded. */
const maxHeldIds = 10_000;

export interface OutcomeSum {
  readonly messages: number;
  readonly reports: number;
  /** Report ids as ascending ranges, e.g. "41-68,70". */
  readonly ids: string;
  readonly idsComplete: boolean;
}

/** The payload of `events/reports` (before the mirror adds `deviceId` and `at`). */
export interface ReportsSummary {
  readonly type: 'reports';
  /** When the first outcome summed here happened (ISO 8601). */
  readonly since: string;
  readonly submitted: OutcomeSum;
  readonly delivered: OutcomeSum;
}

class Tally {
  messages = 0;
  private readonly ids = new Set<string>();

  add(ids: readonly string[]): void {
    this.messages += 1;
    for (const id of ids) this.ids.add(id);
  }

  get held(): number {
    return this.ids.size;
  }

  sum(): OutcomeSum {
    const { text, complete } = idRanges([...this.ids]);
    return { messages: this.messages, reports: this.ids.size, ids: text, idsComplete: complete };
  }
}

export class ReportEventBatcher {
  private submitted = new Tally();
  private delivered = new Tally();
  private since: number | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly publish: (summary: ReportsSummary) => void,
  ) {}

  /** True when the event was summed (and must not be published alone); flushes first for any other report event. */
  offer(event: MirrorEvent): boolean {
    if (this.intervalMs <= 0) return false;
    if (event.type !== 'report-submitted' && event.type !== 'report-delivered') {
      if (event.type.startsWith('report-')) this.flush();
      return false;
    }
    (event.type === 'report-submitted' ? this.submitted : this.delivered).add(event.ids);
    if (this.since === undefined) {
      this.since = this.clock.now();
      this.timer = this.clock.setTimeout(() => this.flush(), this.intervalMs);
    }
    if (this.submitted.held + this.delivered.held >= maxHeldIds) this.flush();
    return true;
  }

  /** Publishes what is summed, if anything (also at stop, so a drain's last outcomes are not kept back). */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.since === undefined) return;
    const summary: ReportsSummary = { type: 'reports', since: new Date(this.since).toISOString(), submitted: this.submitted.sum(), delivered: this.delivered.sum() };
    this.since = undefined;
    this.submitted = new Tally();
    this.delivered = new Tally();
    this.publish(summary);
  }
}

/** "1-3,7,9-10" from ids that are decimal numbers; any other id is listed as it is, after the numbers. */
export function idRanges(ids: readonly string[]): { text: string; complete: boolean } {
  const numbers = ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number).sort((a, b) => a - b);
  const others = ids.filter((id) => !/^\d{1,15}$/.test(id));
  const pieces: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let end = i;
    while (end + 1 < numbers.length && (numbers[end + 1] as number) - (numbers[end] as number) <= 1) end += 1;
    pieces.push(end === i ? String(numbers[i]) : `${numbers[i]}-${numbers[end]}`);
    i = end + 1;
  }
  pieces.push(...others);
  let text = '';
  for (const piece of pieces) {
    const next = text === '' ? piece : `${text},${piece}`;
    if (next.length > maxIdsChars) return { text: `${text},…`, complete: false };
    text = next;
  }
  return { text, complete: true };
}
