/**
 * What the agent shows of itself besides its state: the SMPP trace (and capture) of its own link
 * and the Prometheus metrics, built together because the metrics count from the trace's records.
 * The agent wires it with a line per hook: routes before the API listens, the SMPP client when it
 * exists, every published event, and stop.
 */
import type { SmppClient } from '../../smpp/index.js';
import { metricsRoutes, traceRoutes, type Route } from '../api/index.js';
import type { AgentConfig } from '../config/index.js';
import type { MirrorEvent, StateFigures } from '../../mqtt/index.js';
import { AgentMetrics, type MetricsSource } from '../metrics/agentMetrics.js';
import { SmppTrace } from './smppTrace.js';

export class Observability {
  readonly trace: SmppTrace;
  readonly metrics: AgentMetrics;

  constructor(config: AgentConfig, source: Omit<MetricsSource, 'smppEnabled' | 'modemEnabled'>) {
    const capture = config.smpp.capture.file === undefined ? undefined : { file: config.smpp.capture.file, maxBytes: config.smpp.capture.maxBytes };
    this.trace = new SmppTrace({ requestTimeoutMs: config.smpp.responseTimeoutMs, capture });
    this.metrics = new AgentMetrics({ ...source, smppEnabled: config.smpp.enabled, modemEnabled: config.modem.enabled });
    this.trace.onRecord((record) => this.metrics.traceRecord(record));
  }

  routes(): Route[] {
    return [
      ...traceRoutes({ hub: this.trace.hub, summary: () => this.trace.summaryRecord(), capture: () => this.trace.capture() }),
      ...metricsRoutes({ text: () => this.metrics.text(), contentType: this.metrics.contentType }),
    ];
  }

  attachSmpp(client: SmppClient): void {
    this.trace.attach(client);
    this.metrics.attachSmpp(client);
  }

  event(event: MirrorEvent): void {
    this.metrics.event(event);
  }

  figures(): StateFigures {
    return this.metrics.figures();
  }

  stop(): void {
    this.trace.stop();
  }
}
