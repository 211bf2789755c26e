/**
 * One link's trace: every PDU in both directions becomes a record, each response is paired with
 * its request by (direction, sequence_number) and gets its latency, and a request that is never
 * answered is reported when it expires or the link closes. The proxy makes one per client
 * connection; the agent one per SMPP session. Passwords are redacted before anything is decoded,
 * so no record can carry one.
 */
import { commandNameOf, isResponse } from '../codec/commands.js';
import { decodePdu } from '../codec/decode.js';
import { isSmppDecodeError } from '../codec/decodeError.js';
import type { Pdu } from '../codec/pdu.js';
import { redactPduBytes } from '../codec/redact.js';
import { commandStatusName } from '../codec/status.js';
import { describePdu } from './describe.js';
import type { PduRecord, TraceDir, TraceRecord } from './records.js';
import type { TraceSummary } from './summary.js';

export interface LinkTracerOptions {
  readonly conn: number;
  /** A request unanswered this long is reported as expired (ms). */
  readonly timeoutMs: number;
  /** Where records go. */
  readonly emit: (record: TraceRecord) => void;
  /** Summaries the link's figures are added to (its own, and e.g. the proxy's over all connections). */
  readonly summaries?: readonly TraceSummary[];
  /**
   * Also star the bodies of messages to the ESME (deliver_sm, data_sm; receipts stay readable): the
   * agent's own trace does, since an SMS command carries a PIN or a signature. Passwords always are.
   */
  readonly redactMessages?: boolean;
  /** Wall-clock milliseconds with sub-millisecond resolution (default: performance's). */
  readonly now?: () => number;
}

interface Pending {
  readonly command: string;
  readonly at: number;
}

/** The PDU as the trace and the capture may show it (the smpp part's one redaction, `redactPduBytes`): `bytes` itself when nothing is hidden. */
export function redactedBytes(bytes: Buffer, messages: boolean): Buffer {
  const safe = redactPduBytes(bytes, { messages });
  return safe === bytes ? bytes : Buffer.isBuffer(safe) ? safe : Buffer.from(safe.buffer, safe.byteOffset, safe.byteLength);
}

/** Wall-clock ms with the resolution of performance.now(), so latencies below 1 ms still mean something. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class LinkTracer {
  /** Unanswered requests by `${dir}:${seq}` (the direction the request went). */
  private readonly pending = new Map<string, Pending>();
  private readonly now: () => number;
  private readonly summaries: readonly TraceSummary[];
  private closed = false;

  constructor(private readonly options: LinkTracerOptions) {
    this.now = options.now ?? preciseNow;
    this.summaries = options.summaries ?? [];
  }

  get conn(): number {
    return this.options.conn;
  }

  /** Requests still waiting for their response. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * One whole PDU as it crossed the link. `bytes` may be a view of a buffer that is reused after
   * this call: nothing keeps it. `pdu` saves a decode when the caller already has one (it must be
   * the same PDU); a bind's password is still taken from the redacted bytes.
   */
  pdu(dir: TraceDir, bytes: Buffer, decoded?: Pdu): PduRecord {
    const at = this.now();
    const safe = redactedBytes(bytes, this.options.redactMessages === true);
    const commandId = safe.readUInt32BE(4);
    const commandStatus = safe.readUInt32BE(8);
    const seq = safe.readUInt32BE(12);
    const command = commandNameOf(commandId) ?? `0x${commandId.toString(16).padStart(8, '0')}`;
    let pdu = safe === bytes ? decoded : undefined;
    let error: string | undefined;
    if (pdu === undefined) {
      try {
        pdu = decodePdu(safe);
      } catch (cause) {
        if (!isSmppDecodeError(cause)) throw cause;
        error = cause.message;
      }
    }
    const base = { type: 'pdu' as const, at: new Date(at).toISOString(), conn: this.options.conn, dir, command, seq, commandStatus, status: commandStatusName(commandStatus), length: bytes.length };
    const fields = pdu === undefined ? undefined : describePdu(pdu);
    let record: PduRecord = { ...base, ...(fields === undefined || Object.keys(fields).length === 0 ? {} : { fields }), ...(error === undefined ? {} : { error }) };
    for (const summary of this.summaries) summary.pdu();
    if (isResponse(commandId)) {
      // A response travels the other way from its request.
      const key = `${dir === 'in' ? 'out' : 'in'}:${seq}`;
      const request = this.pending.get(key);
      if (request === undefined) {
        record = { ...record, unmatched: true };
        for (const summary of this.summaries) summary.response(command, record.status, undefined);
      } else {
        this.pending.delete(key);
        const latencyMs = Math.round((at - request.at) * 1000) / 1000;
        record = { ...record, request: request.command, latencyMs };
        for (const summary of this.summaries) summary.response(request.command, record.status, latencyMs);
      }
    } else {
      for (const summary of this.summaries) summary.request(command);
      // outbind and alert_notification are never answered: nothing to wait for.
      if (command !== 'outbind' && command !== 'alert_notification') {
        const key = `${dir}:${seq}`;
        const previous = this.pending.get(key);
        if (previous !== undefined) this.unanswered(dir, seq, previous, 'expired', at);
        this.pending.set(key, { command, at });
      }
    }
    this.options.emit(record);
    return record;
  }

  /** The byte stream in `dir` cannot be framed any more (command_length < 16). */
  unframeable(dir: TraceDir, reason: string): void {
    this.options.emit({ type: 'connection', at: new Date(this.now()).toISOString(), conn: this.options.conn, event: 'unframeable', dir, reason });
  }

  /** Reports (and forgets) requests older than the timeout; call it now and then. */
  sweep(): void {
    const now = this.now();
    for (const [key, request] of this.pending) {
      if (now - request.at < this.options.timeoutMs) continue;
      this.pending.delete(key);
      const [dir, seq] = key.split(':') as [TraceDir, string];
      this.unanswered(dir, Number(seq), request, 'expired', now);
    }
  }

  /** The link closed: every request still waiting is reported unanswered. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const now = this.now();
    for (const [key, request] of this.pending) {
      const [dir, seq] = key.split(':') as [TraceDir, string];
      this.unanswered(dir, Number(seq), request, 'closed', now);
    }
    this.pending.clear();
  }

  private unanswered(dir: TraceDir, seq: number, request: Pending, reason: 'expired' | 'closed', now: number): void {
    for (const summary of this.summaries) summary.unanswered(request.command);
    this.options.emit({ type: 'unanswered', at: new Date(now).toISOString(), conn: this.options.conn, dir, command: request.command, seq, reason, ageMs: Math.round(now - request.at) });
  }
}
