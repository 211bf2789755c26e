/**
 * The agent's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * two agents in one process, or a test, do not mix). Counters follow what happens (SMPP trace
 * records, link events, report events); gauges are read at scrape time from the store's cheap
 * figures (the trigger-kept totals table) and the agent's snapshot, once per scrape.
 *
 * Names: `edge_sms_` prefix, base units (`_seconds`, `_bytes`), `_total` on counters, labels for
 * what varies (state, priority, command, status, link). The full list is in README.md "Metrics".
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AgentStateSnapshot, MirrorEvent, StateFigures } from '../../mqtt/index.js';
import type { InboxStats, QueueStats } from '../../store/index.js';
import { inboxFigures, InboxMetrics } from './inboxMetrics.js';
import type { SessionState, SmppClient, TraceRecord } from '../../smpp/index.js';
import { processWrittenBytes } from './procIo.js';

export interface MetricsSource {
  readonly version: string;
  /** The outbox figures; throws when the store cannot be read. */
  outbox(): QueueStats;
  inboxCount(): number;
  /** The inbox's sizes and what its caps removed; throws when the store cannot be read. */
  inboxStats?(): InboxStats;
  snapshot(): AgentStateSnapshot;
  smppEnabled: boolean;
  modemEnabled: boolean;
}

const sessionStates: readonly SessionState[] = ['closed', 'connecting', 'binding', 'bound', 'unbinding'];
const registrations = ['home', 'roaming', 'searching', 'denied', 'not-registered', 'unknown'] as const;
const submitCommands = new Set(['submit_sm', 'data_sm', 'submit_multi']);

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly info: Gauge;
  private readonly outboxReports: Gauge;
  private readonly outboxBytes: Gauge;
  private readonly oldestQueued: Gauge;
  private readonly dropped: Counter;
  private readonly inbox: Gauge;
  private readonly inboxDetail: InboxMetrics;
  private readonly storeUp: Gauge;
  private readonly smppUp: Gauge;
  private readonly linkState: Gauge;
  private readonly windowInUse: Gauge;
  private readonly requests: Counter;
  private readonly submits: Counter;
  private readonly responses: Counter;
  private readonly throttles: Counter;
  private readonly inboundRequests: Counter;
  private readonly unanswered: Counter;
  private readonly latency: Histogram;
  private readonly binds: Counter;
  private readonly bindFailures: Counter;
  private readonly linkDrops: Counter;
  private readonly smsParts: Counter;
  private readonly modemUp: Gauge;
  private readonly signal: Gauge;
  private readonly registration: Gauge;
  private readonly written: Counter;
  private readonly counts = { submits: 0, throttles: 0, errors: 0, binds: 0, linkDrops: 0, smpp: 0, modem: 0 };

  constructor(private readonly source: MetricsSource) {
    const registers = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []): Gauge => new Gauge({ name, help, labelNames, registers });
    const counter = (name: string, help: string, labelNames: string[] = []): Counter => new Counter({ name, help, labelNames, registers });
    this.info = gauge('edge_sms_agent_info', 'Always 1; the version label says which agent this is.', ['version']);
    this.outboxReports = gauge('edge_sms_outbox_reports', 'Reports in the outbox by state and priority.', ['state', 'priority']);
    this.outboxBytes = gauge('edge_sms_outbox_payload_bytes', 'Payload bytes of the reports in the outbox, by state.', ['state']);
    this.oldestQueued = gauge('edge_sms_outbox_oldest_queued_age_seconds', 'Age of the oldest queued report; 0 when none is queued.');
    this.dropped = counter('edge_sms_outbox_dropped_reports_total', 'Reports dropped unsent or refused for want of room (caps, coalescing, purges).');
    this.inbox = gauge('edge_sms_inbox_entries', 'Messages and receipts held in the inbox.');
    this.inboxDetail = new InboxMetrics(this.registry);
    this.storeUp = gauge('edge_sms_store_up', '1 when the database answered this scrape, else 0.');
    this.smppUp = gauge('edge_sms_smpp_up', '1 while the SMPP session is bound, else 0.');
    this.linkState = gauge('edge_sms_smpp_link_state', 'The SMPP session state: 1 for the current one.', ['state']);
    this.windowInUse = gauge('edge_sms_smpp_window_in_use', 'Requests sent and not yet answered.');
    this.requests = counter('edge_sms_smpp_requests_total', 'SMPP requests the agent sent, by command.', ['command']);
    this.submits = counter('edge_sms_smpp_submits_total', 'submit_sm, data_sm and submit_multi requests sent.');
    this.responses = counter('edge_sms_smpp_responses_total', "Responses to the agent's requests, by request command and command_status (errors are status != ESME_ROK).", ['command', 'status']);
    this.throttles = counter('edge_sms_smpp_throttles_total', 'Responses with ESME_RTHROTTLED (the SMSC asked us to slow down).');
    this.inboundRequests = counter('edge_sms_smpp_inbound_requests_total', 'Requests the SMSC sent to the agent (deliver_sm, enquire_link, ...), by command.', ['command']);
    this.unanswered = counter('edge_sms_smpp_unanswered_total', 'Requests (either way) that got no response: expired, or the link closed first.', ['command', 'reason']);
    this.latency = new Histogram({
      name: 'edge_sms_smpp_response_latency_seconds',
      help: "Time from the agent's request to the SMSC's response, by request command.",
      labelNames: ['command'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.binds = counter('edge_sms_smpp_binds_total', 'Successful binds (the first and every reconnect).');
    this.bindFailures = counter('edge_sms_smpp_bind_failures_total', 'Binds the SMSC refused.');
    this.linkDrops = counter('edge_sms_smpp_link_drops_total', 'Bound SMPP links that dropped (each is followed by a reconnect).');
    this.smsParts = counter('edge_sms_sms_parts_total', 'SMS parts handed to a link, by link.', ['link']);
    this.modemUp = gauge('edge_sms_modem_up', '1 when the modem has a ready SIM and is registered (home or roaming), else 0.');
    this.signal = gauge('edge_sms_modem_signal_dbm', 'Received signal strength (dBm); NaN when unknown.');
    this.registration = gauge('edge_sms_modem_registration', 'Network registration: 1 for the current status.', ['status']);
    this.written = counter('edge_sms_process_written_bytes_total', "Bytes the agent process caused to be written to storage (/proc/self/io write_bytes).");
    this.info.set({ version: source.version }, 1);
    for (const link of ['smpp', 'modem']) this.smsParts.inc({ link }, 0);
  }

  /** Counts binds, refusals and drops of a bound link. */
  attachSmpp(client: SmppClient): void {
    let bound = false;
    client.on('bound', () => {
      bound = true;
      this.binds.inc();
      this.counts.binds++;
    });
    client.on('bindFailed', () => this.bindFailures.inc());
    client.on('disconnected', () => {
      if (!bound) return;
      bound = false;
      this.linkDrops.inc();
      this.counts.linkDrops++;
    });
  }

  /** Every SMPP trace record of the agent's own link. */
  traceRecord(record: TraceRecord): void {
    if (record.type === 'unanswered') {
      this.unanswered.inc({ command: record.command, reason: record.reason });
      return;
    }
    if (record.type !== 'pdu') return;
    const isResponse = record.command.endsWith('_resp') || record.command === 'generic_nack';
    if (record.dir === 'out' && !isResponse) {
      this.requests.inc({ command: record.command });
      if (submitCommands.has(record.command)) {
        this.submits.inc();
        this.counts.submits++;
      }
    } else if (record.dir === 'in' && !isResponse) {
      this.inboundRequests.inc({ command: record.command });
    } else if (record.dir === 'in' && record.request !== undefined) {
      this.responses.inc({ command: record.request, status: record.status });
      if (record.latencyMs !== undefined) this.latency.observe({ command: record.request }, record.latencyMs / 1000);
      if (record.commandStatus !== 0) this.counts.errors++;
      if (record.status === 'ESME_RTHROTTLED') {
        this.throttles.inc();
        this.counts.throttles++;
      }
    }
  }

  /** Report events: SMS parts per link. */
  event(event: MirrorEvent): void {
    if (event.type !== 'report-submitted') return;
    this.smsParts.inc({ link: event.link }, event.refs.length);
    this.counts[event.link] += event.refs.length;
  }

  /** The key figures the MQTT state carries for fleets without Prometheus. */
  figures(): StateFigures {
    const c = this.counts;
    let inbox: StateFigures['inbox'];
    try {
      const stats = this.source.inboxStats?.();
      inbox = stats === undefined ? undefined : inboxFigures(stats);
    } catch {
      inbox = undefined; // the store's own health check reports why it cannot be read
    }
    return { smppSubmits: c.submits, smppThrottles: c.throttles, smppErrors: c.errors, smppBinds: c.binds, smppLinkDrops: c.linkDrops, smsParts: { smpp: c.smpp, modem: c.modem }, bytesWritten: processWrittenBytes() ?? null, ...(inbox === undefined ? {} : { inbox }) };
  }

  /** The Prometheus text exposition, with the gauges read now. */
  async text(): Promise<string> {
    this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private refresh(): void {
    let stats: QueueStats | undefined;
    try {
      stats = this.source.outbox();
      this.inbox.set(this.source.inboxCount());
      const inboxStats = this.source.inboxStats?.();
      if (inboxStats !== undefined) this.inboxDetail.set(inboxStats);
      this.storeUp.set(1);
    } catch {
      this.storeUp.set(0);
    }
    if (stats !== undefined) {
      for (const [state, byPriority] of Object.entries(stats.byStateAndPriority)) {
        for (const [priority, rows] of Object.entries(byPriority)) this.outboxReports.set({ state, priority }, rows);
      }
      for (const [state, figures] of Object.entries(stats.byState)) this.outboxBytes.set({ state }, figures.bytes);
      this.oldestQueued.set((stats.oldestQueuedAgeMs ?? 0) / 1000);
      this.dropped.reset();
      this.dropped.inc(stats.drops.total);
    }
    const written = processWrittenBytes();
    if (written !== undefined) {
      this.written.reset();
      this.written.inc(written);
    }
    let snapshot: AgentStateSnapshot | undefined;
    try {
      snapshot = this.source.snapshot();
    } catch {
      snapshot = undefined;
    }
    const smppState = snapshot?.smpp.state ?? 'closed';
    this.smppUp.set(this.source.smppEnabled && smppState === 'bound' ? 1 : 0);
    for (const state of sessionStates) this.linkState.set({ state }, state === smppState ? 1 : 0);
    this.windowInUse.set(snapshot?.smpp.windowInUse ?? 0);
    const modem = snapshot?.modem;
    this.modemUp.set(this.source.modemEnabled && modem !== undefined && modem.sim === 'ready' && (modem.registration === 'home' || modem.registration === 'roaming') ? 1 : 0);
    this.signal.set(modem?.signalDbm ?? Number.NaN);
    for (const status of registrations) this.registration.set({ status }, status === (modem?.registration ?? 'unknown') ? 1 : 0);
  }
}
