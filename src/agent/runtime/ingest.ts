/**
 * Everything that enters the outbox goes through here, whatever the door (the `report` CLI, HTTP API,
 * MQTT, SMS command, GNSS poller), and through the one door policy (../door.ts) first: readings become
 * `{"time", "fields"}` entries of their kind, to be packed into report messages; plain SMS are entries
 * of kind `sms`.
 */
import type { AgentConfig, ReportKindConfig } from '../config/index.js';
import { type DroppedReport, type EnqueueResult, type Outbox, type Priority, type ReportInput } from '../../store/index.js';
import { DoorPolicy } from '../door.js';

export const plainSmsKind = 'sms';

export interface ReadingResult {
  /** The first entry's id; null when the outbox had no room for any (more urgent reports fill it). */
  readonly id: number | null;
  /** Every entry made: one per destination. */
  readonly ids: readonly number[];
  /** The numbers of `to` whose entry the outbox refused for want of room (the others were queued). */
  readonly refusedTo: readonly string[];
  readonly dropped: readonly DroppedReport[];
}

export class Ingest {
  private readonly door: DoorPolicy;

  constructor(
    private readonly outbox: Outbox,
    private readonly config: AgentConfig,
    private readonly now: () => number,
    /** Told after every enqueue, so the router looks at once. */
    private readonly onQueued: () => void,
  ) {
    this.door = new DoorPolicy(config);
  }

  /** Reports went back to the queue (an operator's retry): the router looks at once, as after an enqueue. */
  requeued(): void {
    this.onQueued();
  }

  kindPolicy(kind: string): ReportKindConfig | undefined {
    return this.config.reports.kinds[kind];
  }

  /**
   * Queues a reading: one outbox entry, or one per number in `to` (Outbox.enqueueToEach), all in one
   * transaction. `id` is the first entry's, `ids` every entry's. Throws the door's AgentError
   * (Store_InvalidInput, Report_TooLarge) for a reading that could never be sent.
   */
  reading(value: unknown): ReadingResult {
    const { input, reading } = this.door.reading(value, this.now());
    const policy = this.kindPolicy(input.kind);
    const entry: ReportInput = {
      kind: input.kind,
      priority: input.priority ?? policy?.priority ?? 'normal',
      payload: JSON.stringify({ time: reading.time, fields: reading.fields }),
      ...(input.ttlS === undefined ? {} : { ttlMs: input.ttlS * 1000 }),
      ...(input.to === undefined ? {} : { destinations: input.to }),
    };
    // One path for one number or several: a full outbox answers `id: null` per refused entry, which
    // every door (HTTP 507, MQTT Store_Full, the CLI's exit 1) turns into the same refusal.
    const results = this.outbox.enqueueToEach(entry);
    this.onQueued();
    const ids = results.flatMap((result) => (result.id === null ? [] : [result.id]));
    const refusedTo = results.flatMap((result) => (result.id === null && result.destination !== undefined ? [result.destination] : []));
    return { id: ids[0] ?? null, ids, refusedTo, dropped: results.flatMap((result) => result.dropped) };
  }

  /** Throws the door's AgentError unless a plain SMS to `to` with `text` could be sent. */
  checkSms(to: string, text: string): void {
    this.door.sms(to, text);
  }

  /** Queues a plain SMS; `id: null` when the outbox had no room for it. Throws the door's AgentError for one that could never go. */
  sms(to: string, text: string, priority: Priority = 'high', ttlMs?: number): EnqueueResult {
    const checked = this.door.sms(to, text);
    const [result] = this.outbox.enqueueMany([{ kind: plainSmsKind, priority, payload: checked.text, destinations: [checked.to], ...(ttlMs === undefined ? {} : { ttlMs }) }]);
    this.onQueued();
    return result ?? { id: null, dropped: [] };
  }
}
