/**
 * The SMPP analyser proxy: ESMEs connect to it, and for each one it opens its own connection to
 * the SMSC and passes the bytes through unchanged, each chunk forwarded the moment it is read
 * (no waiting for a whole PDU, so timing stays as close to a direct link as a proxy can). A copy
 * of each direction is framed into PDUs for the trace (LinkTracer: pairing, latency, unanswered
 * requests, summaries) and, when asked, the capture (one synthetic TCP conversation per client).
 * It never answers anything itself: binds, enquire_links and errors are the two ends' business.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { AgentError, ErrorCode } from '../../errors.js';
import { PduFramer, type FramerEvent } from '../codec/framer.js';
import { openSocket } from '../session/connect.js';
import { systemClock } from '../session/clock.js';
import type { SmppEndpoint } from '../session/url.js';
import type { PacketSink } from '../trace/pcapFile.js';
import type { SummaryRecord, TraceDir, TraceRecord } from '../trace/records.js';
import { TraceSummary } from '../trace/summary.js';
import { TcpFlow } from '../trace/tcpFlow.js';
import { LinkTracer, preciseNow, redactedBytes } from '../trace/tracer.js';

export interface SmppProxyOptions {
  readonly host: string;
  /** 0 picks a free port (see `start()`'s result). */
  readonly port: number;
  readonly upstream: SmppEndpoint;
  /** Every trace record, in order. */
  readonly record: (record: TraceRecord) => void;
  /** Where the capture goes, if any. */
  readonly capture?: PacketSink;
  /** A request unanswered this long is reported expired (ms); default 30,000. */
  readonly requestTimeoutMs?: number;
  /** Connecting to the SMSC may take this long (ms); default 10,000. */
  readonly connectTimeoutMs?: number;
  /** Largest PDU framed for the trace (larger ones are still forwarded); default 65,536. */
  readonly maxPduSize?: number;
}

interface Connection {
  readonly tracer: LinkTracer;
  readonly summary: TraceSummary;
  readonly client: Socket;
  upstream: Socket | undefined;
}

const sweepEveryMs = 1000;
const maxFinished = 1000;

export class SmppProxy {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly all = new TraceSummary('all');
  /** Summaries of connections that have closed (the latest 1,000), kept for the final report. */
  private readonly finished: SummaryRecord[] = [];
  private nextConn = 1;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: SmppProxyOptions) {}

  /** Listens; resolves with the port. */
  async start(): Promise<number> {
    const server = createServer({ pauseOnConnect: true }, (client) => void this.accept(client));
    this.server = server;
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause) => reject(new AgentError(`cannot listen on ${host}:${port}: ${cause.message}`, ErrorCode.Smpp_ConnectionClosed, { host, port }, { cause })));
      server.listen(port, host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    this.sweeper = setInterval(() => {
      for (const connection of this.connections) connection.tracer.sweep();
    }, sweepEveryMs);
    this.sweeper.unref();
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  /** Per open and closed connection, then over all of them. */
  summaries(): SummaryRecord[] {
    const at = new Date().toISOString();
    return [...this.finished, ...[...this.connections].map((connection) => connection.summary.record(at)), this.all.record(at)];
  }

  /** Closes the listener and every connection (their unanswered requests are reported). */
  async stop(): Promise<void> {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const server = this.server;
    this.server = undefined;
    const closing = [...this.connections].map((connection) => new Promise<void>((resolve) => {
      connection.client.once('close', () => resolve());
      connection.client.destroy();
      connection.upstream?.destroy();
      if (connection.client.destroyed && connection.client.closed) resolve();
    }));
    await Promise.all(closing);
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async accept(client: Socket): Promise<void> {
    const conn = this.nextConn++;
    const summary = new TraceSummary(conn);
    const emit = this.options.record;
    const tracer = new LinkTracer({ conn, timeoutMs: this.options.requestTimeoutMs ?? 30_000, emit, summaries: [summary, this.all] });
    const connection: Connection = { tracer, summary, client, upstream: undefined };
    this.connections.add(connection);
    client.on('error', () => undefined); // 'close' follows and tells the story
    const esme = `${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`;
    let upstream: Socket;
    let onRead: ((handler: (buffer: Buffer, length: number) => void) => void) | undefined;
    try {
      const opened = await openSocket(this.options.upstream, this.options.connectTimeoutMs ?? 10_000, systemClock);
      upstream = opened.socket;
      onRead = opened.onRead;
    } catch (error) {
      const reason = error instanceof AgentError ? error.message : String(error);
      emit({ type: 'connection', at: new Date().toISOString(), conn, event: 'close', esme, reason });
      this.connections.delete(connection);
      client.destroy();
      return;
    }
    if (client.destroyed) {
      upstream.destroy();
      this.connections.delete(connection);
      return;
    }
    connection.upstream = upstream;
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const smsc = `${upstream.remoteAddress ?? '?'}:${upstream.remotePort ?? '?'}`;
    emit({ type: 'connection', at: new Date().toISOString(), conn, event: 'open', esme, smsc });
    const capture = this.options.capture;
    const flow = capture === undefined ? undefined : new TcpFlow(capture,
      { address: client.remoteAddress ?? '0.0.0.0', port: client.remotePort ?? 0 },
      { address: upstream.remoteAddress ?? '0.0.0.0', port: upstream.remotePort ?? 0 });
    flow?.open(preciseNow());

    this.relay(client, upstream, 'out', tracer, flow);
    this.relay(upstream, client, 'in', tracer, flow, onRead);
    let reason: string | undefined;
    upstream.on('error', (error) => (reason ??= `SMSC side: ${error.message}`));
    client.on('error', (error) => (reason ??= `ESME side: ${error.message}`));
    let open = 2;
    const closed = (): void => {
      if (--open > 0) return;
      tracer.close();
      flow?.close(preciseNow());
      this.connections.delete(connection);
      emit({ type: 'connection', at: new Date().toISOString(), conn, event: 'close', esme, smsc, ...(reason === undefined ? {} : { reason }) });
      const record = summary.record(new Date().toISOString());
      this.finished.push(record);
      // A proxy that runs for weeks keeps the latest closed connections' summaries; 'all' counts every one.
      if (this.finished.length > maxFinished) this.finished.shift();
      emit(record);
    };
    // A half-close passes through as a half-close; a socket gone for good takes the other with it.
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => {
      upstream.destroy();
      closed();
    });
    upstream.on('close', () => {
      client.destroy();
      closed();
    });
    client.resume();
  }

  /**
   * Forwards `from` → `to` as bytes arrive (with back-pressure: a slow reader pauses the writer),
   * then frames a copy for the trace and the capture.
   */
  private relay(from: Socket, to: Socket, dir: TraceDir, tracer: LinkTracer, flow: TcpFlow | undefined, onRead?: (handler: (buffer: Buffer, length: number) => void) => void): void {
    const framer = new PduFramer({ maxPduSize: this.options.maxPduSize ?? 65_536 });
    const captured: Buffer[] = [];
    const onPdu = (bytes: Buffer): boolean => {
      tracer.pdu(dir, bytes);
      // The capture gets the PDUs this read completed, passwords starred (copied: `bytes` may be reused).
      if (flow !== undefined) captured.push(Buffer.from(redactedBytes(bytes, false)));
      return true;
    };
    const onOther = (event: FramerEvent): boolean => {
      if (event.kind === 'invalid') {
        // command_length < 16: no later PDU can be found in this direction; the bytes still pass.
        tracer.unframeable(dir, event.error.message);
        return false;
      }
      return true;
    };
    const take = (chunk: Buffer, length: number): void => {
      framer.feed(chunk, length, onPdu, onOther);
      if (flow !== undefined && captured.length > 0) {
        flow.data(preciseNow(), dir, captured.length === 1 ? captured[0]! : Buffer.concat(captured));
        captured.length = 0;
      }
    };
    const forward = (chunk: Buffer): void => {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    if (onRead !== undefined) {
      onRead((buffer, length) => {
        // The read buffer is reused: the socket keeps what it writes, so forward a copy.
        const chunk = Buffer.from(buffer.subarray(0, length));
        forward(chunk);
        take(chunk, length);
      });
    } else {
      from.on('data', (chunk: Buffer) => {
        forward(chunk);
        take(chunk, chunk.length);
      });
    }
  }
}
