/**
 * The agent's view of its own SMPP link, the same as `smpp proxy` gives of someone else's: every
 * PDU of every session through one LinkTracer (pairing, latency, unanswered requests), the records
 * into a bounded hub for `GET /trace` and `edge-sms-agent trace`, to listeners (the metrics), and,
 * with `smpp.capture.file`, into a bounded ring of pcap files (`file` and `file.1`).
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { EventHub } from '../api/index.js';
import { LinkTracer, PcapRing, preciseNow, redactedBytes, TcpFlow, TraceSummary, type SmppClient, type SmppSession, type SummaryRecord, type TraceRecord } from '../../smpp/index.js';

export interface SmppTraceOptions {
  /** Requests unanswered this long are reported expired (the session's response timeout). */
  readonly requestTimeoutMs: number;
  readonly capture?: { readonly file: string; readonly maxBytes: number } | undefined;
  /** Records kept for clients that connect later (default 500). */
  readonly keep?: number;
}

const sweepEveryMs = 1000;

export class SmppTrace {
  readonly hub: EventHub<TraceRecord>;
  private readonly listeners: Array<(record: TraceRecord) => void> = [];
  /** 1,000 latencies per command are plenty for a device's percentiles and keep it to ~8 KB each. */
  private readonly summary = new TraceSummary('all', 1000);
  private readonly ring: PcapRing | undefined;
  private readonly tracers = new Set<LinkTracer>();
  private readonly sweeper: NodeJS.Timeout;
  private nextConn = 1;

  constructor(private readonly options: SmppTraceOptions) {
    this.hub = new EventHub<TraceRecord>(options.keep ?? 500);
    this.ring = options.capture === undefined ? undefined : openRing(options.capture.file, options.capture.maxBytes);
    this.sweeper = setInterval(() => {
      for (const tracer of this.tracers) tracer.sweep();
    }, sweepEveryMs);
    this.sweeper.unref();
  }

  /** True when a capture is being kept. */
  get capturing(): boolean {
    return this.ring !== undefined;
  }

  /** Follows every session the client makes from now on. */
  attach(client: SmppClient): void {
    client.on('session', (session) => this.follow(session));
  }

  /** Called with every record (after the hub has it). */
  onRecord(listener: (record: TraceRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Counts and latencies per command since the agent started. */
  summaryRecord(): SummaryRecord {
    return this.summary.record(new Date().toISOString());
  }

  /** The capture so far as one pcap (the older half first); undefined when capture is off. */
  capture(): Buffer | undefined {
    return this.ring?.read();
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const tracer of this.tracers) tracer.close();
    this.tracers.clear();
    this.ring?.close();
  }

  private follow(session: SmppSession): void {
    const conn = this.nextConn++;
    const tracer = new LinkTracer({ conn, timeoutMs: this.options.requestTimeoutMs, emit: (record) => this.publish(record), summaries: [this.summary], redactMessages: true });
    this.tracers.add(tracer);
    let flow: TcpFlow | undefined;
    let opened = false;
    session.on('pdu', ({ dir, pdu, bytes }) => {
      if (!opened) {
        // The first PDU (our bind) is the first moment the socket's two ends are known for sure.
        opened = true;
        const ends = session.endpoints;
        if (ends !== undefined) {
          if (this.ring !== undefined) flow = new TcpFlow(this.ring, ends.local, ends.remote);
          this.publish({ type: 'connection', at: new Date().toISOString(), conn, event: 'open', esme: `${ends.local.address}:${ends.local.port}`, smsc: `${ends.remote.address}:${ends.remote.port}` });
        }
      }
      tracer.pdu(dir, bytes, pdu);
      // The segment is built (copied) before this returns, so the reused read buffer is safe here.
      flow?.data(preciseNow(), dir, redactedBytes(bytes, true));
    });
    // A PDU that did not decode is still a PDU on the wire: traced with its header and the reason.
    session.on('undecodable', (_error, bytes) => {
      if (bytes === undefined) return;
      tracer.pdu('in', bytes);
      flow?.data(preciseNow(), 'in', redactedBytes(bytes, true));
    });
    session.once('closed', (error) => {
      tracer.close();
      this.tracers.delete(tracer);
      flow?.close(preciseNow());
      this.publish({ type: 'connection', at: new Date().toISOString(), conn, event: 'close', ...(error === undefined ? {} : { reason: error.message }) });
    });
  }

  private publish(record: TraceRecord): void {
    this.hub.publish(record);
    for (const listener of this.listeners) listener(record);
  }
}

/** The capture ring, or a config error that names the key and the reason (a missing directory, no permission). */
function openRing(file: string, maxBytes: number): PcapRing {
  try {
    return new PcapRing(file, maxBytes);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new AgentError(`smpp.capture.file: cannot write ${file} (${reason}); point it at a writable directory such as /var/lib/edge-sms-agent/`,
      ErrorCode.Config_Invalid, { key: 'smpp.capture.file' }, { cause });
  }
}
