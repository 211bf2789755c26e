/**
 * Everything that enters the outbox goes through here, whatever the door (HTTP API, MQTT, SMS
 * command, GNSS poller): readings become `{"time", "fields"}` entries of their kind, to be packed
 * into report messages; plain SMS are entries of kind `sms`.
 */
import type { AgentConfig, ReportKindConfig } from '../config/index.js';
import type { EnqueueResult, Outbox, Priority } from '../../store/index.js';
import type { ReadingInput } from '../readingInput.js';

export const plainSmsKind = 'sms';

export class Ingest {
  constructor(
    private readonly outbox: Outbox,
    private readonly config: AgentConfig,
    private readonly now: () => number,
    /** Told after every enqueue, so the router looks at once. */
    private readonly onQueued: () => void,
  ) {}

  kindPolicy(kind: string): ReportKindConfig | undefined {
    return this.config.reports.kinds[kind];
  }

  reading(input: ReadingInput): EnqueueResult {
    const policy = this.kindPolicy(input.kind);
    const time = input.time ?? Math.floor(this.now() / 1000);
    const result = this.outbox.enqueue({
      kind: input.kind,
      priority: input.priority ?? policy?.priority ?? 'normal',
      payload: JSON.stringify({ time, fields: input.data }),
      ...(input.ttlS === undefined ? {} : { ttlMs: input.ttlS * 1000 }),
    });
    this.onQueued();
    return result;
  }

  sms(to: string, text: string, priority: Priority = 'high'): EnqueueResult {
    const result = this.outbox.enqueue({ kind: plainSmsKind, priority, payload: text, destinations: [to] });
    this.onQueued();
    return result;
  }
}
