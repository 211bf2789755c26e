/**
 * The inbox's figures as Prometheus metrics, read from the store at scrape time: what it holds, the
 * concatenated messages waiting for parts, and what its caps removed or gave up. The counters mirror the
 * store's own (kept in the database), so they count since the database was created, not since start.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { InboxStats } from '../../store/index.js';
import type { InboxFigures } from '../../mqtt/index.js';

export class InboxMetrics {
  private readonly bytes: Gauge;
  private readonly partialMessages: Gauge;
  private readonly partialBytes: Gauge;
  private readonly dropped: Counter;
  private readonly incomplete: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.bytes = new Gauge({ name: 'edge_sms_inbox_payload_bytes', help: 'Payload bytes of the entries held in the inbox.', registers });
    this.partialMessages = new Gauge({ name: 'edge_sms_inbox_partial_messages', help: 'Concatenated SMS waiting for their missing parts.', registers });
    this.partialBytes = new Gauge({ name: 'edge_sms_inbox_partial_bytes', help: 'Bytes of the parts waiting for their siblings.', registers });
    this.dropped = new Counter({ name: 'edge_sms_inbox_dropped_total', help: 'Inbox entries removed to keep store.inboxMaxRows / inboxMaxBytes, by kind (receipt, undecodable, mo).', labelNames: ['kind'], registers });
    this.incomplete = new Counter({ name: 'edge_sms_inbox_incomplete_total', help: 'Concatenated SMS given up and kept incomplete, by reason (timeout, sender-cap, total-cap).', labelNames: ['reason'], registers });
  }

  set(stats: InboxStats): void {
    this.bytes.set(stats.bytes);
    this.partialMessages.set(stats.partialMessages);
    this.partialBytes.set(stats.partialBytes);
    this.dropped.reset();
    for (const [kind, count] of Object.entries(stats.dropped.byKind)) this.dropped.inc({ kind }, count);
    this.incomplete.reset();
    for (const [reason, count] of Object.entries(stats.incomplete)) this.incomplete.inc({ reason }, count);
  }
}

/** The same figures for the MQTT state (fleets without Prometheus). */
export function inboxFigures(stats: InboxStats): InboxFigures {
  const incomplete = Object.values(stats.incomplete).reduce((sum, n) => sum + n, 0);
  return { rows: stats.rows, bytes: stats.bytes, partialMessages: stats.partialMessages, dropped: stats.dropped.total, incomplete };
}
