/**
 * The centre's receiver: takes the deliver_sm / data_sm PDUs an ESME gets from its SMSC,
 * reassembles concatenated parts (UDH or sar_* TLVs), decodes reports of either encoding, and
 * drops re-sent messages by their (device, seq). Other traffic is handed back as plain text.
 */
import {
  type Pdu,
  Reassembler,
  decodeText,
  encodingForDataCoding,
  getTlv,
  parseUdh,
  receiptFromPdu,
} from '../smpp/index.js';
import { isAgentError } from '../errors.js';
import type { AgentError } from '../errors.js';
import { decodeBinaryReport } from './binaryFormat.js';
import type { ReportMessage } from './model.js';
import { SequenceTracker } from './sequence.js';
import { decodeTextReport, textMagic } from './textFormat.js';

export type ReceivedSms =
  | { readonly kind: 'report'; readonly source: string; readonly message: ReportMessage; readonly missing: readonly number[] }
  | { readonly kind: 'duplicate'; readonly source: string; readonly device: string; readonly seq: number }
  /** A part of a longer message; more are needed. */
  | { readonly kind: 'partial'; readonly source: string }
  /** Looked like a report (our magic) but did not decode. */
  | { readonly kind: 'malformed'; readonly source: string; readonly error: AgentError }
  | { readonly kind: 'other'; readonly source: string; readonly text: string | undefined; readonly bytes: Buffer }
  | { readonly kind: 'receipt'; readonly source: string };

export interface ReportReceiverOptions {
  /** How long the first part of a long message waits for the others (default 10 minutes). */
  readonly partTimeoutMs?: number;
  readonly now?: () => number;
}

/** deliver_sm / data_sm at a central ESME; submit_sm where an SMSC (the simulator) looks at what devices send. */
type IncomingPdu = Extract<Pdu, { command: 'deliver_sm' | 'data_sm' | 'submit_sm' }>;

const esmClassUdhi = 0x40;

export class ReportReceiver {
  private readonly parts: Reassembler<Buffer>;
  private readonly sequences = new SequenceTracker();

  constructor(options: ReportReceiverOptions = {}) {
    this.parts = new Reassembler<Buffer>({ timeoutMs: options.partTimeoutMs ?? 600_000, ...(options.now === undefined ? {} : { now: options.now }) });
  }

  accept(pdu: IncomingPdu): ReceivedSms {
    const source = pdu.source_addr;
    if (receiptFromPdu(pdu) !== undefined) return { kind: 'receipt', source };
    const payload = getTlv(pdu, 'message_payload');
    let userData = Buffer.isBuffer(payload) ? payload : pdu.command === 'data_sm' ? Buffer.alloc(0) : pdu.short_message;
    let fragment: { reference: number; total: number; sequence: number } | undefined;
    if ((pdu.esm_class & esmClassUdhi) !== 0) {
      const udh = parseUdh(userData);
      userData = userData.subarray(udh.headerLength);
      if (udh.concat !== undefined) fragment = { reference: udh.concat.reference, total: udh.concat.total, sequence: udh.concat.sequence };
    } else {
      const reference = getTlv(pdu, 'sar_msg_ref_num');
      const total = getTlv(pdu, 'sar_total_segments');
      const sequence = getTlv(pdu, 'sar_segment_seqnum');
      if (typeof reference === 'number' && typeof total === 'number' && typeof sequence === 'number') fragment = { reference, total, sequence };
    }
    if (fragment !== undefined && fragment.total > 1) {
      const whole = this.parts.add({ source, destination: pdu.destination_addr, ...fragment, payload: Buffer.from(userData) });
      if (whole === undefined) return { kind: 'partial', source };
      userData = Buffer.concat(whole.parts);
    }
    return this.decode(source, userData, pdu.data_coding);
  }

  /** Long messages whose parts stopped coming; call on a timer. */
  expire(): number {
    return this.parts.expire().length;
  }

  private decode(source: string, userData: Buffer, dataCoding: number): ReceivedSms {
    const encoding = encodingForDataCoding(dataCoding);
    const isBinary = encoding === 'binary';
    const text = isBinary ? undefined : safeDecodeText(userData, encoding);
    const looksLikeReport = isBinary ? (userData[0] ?? 0) >> 4 === 0xe : text?.trimStart().startsWith(textMagic.slice(0, 3)) === true;
    if (!looksLikeReport) return { kind: 'other', source, text, bytes: userData };
    let message: ReportMessage;
    try {
      message = isBinary ? decodeBinaryReport(userData) : decodeTextReport(text ?? '');
    } catch (error) {
      if (isAgentError(error)) return { kind: 'malformed', source, error };
      throw error;
    }
    const verdict = this.sequences.accept(message.device, message.seq);
    if (verdict.kind === 'duplicate') return { kind: 'duplicate', source, device: message.device, seq: message.seq };
    return { kind: 'report', source, message, missing: verdict.missing };
  }
}

function safeDecodeText(bytes: Buffer, encoding: ReturnType<typeof encodingForDataCoding>): string | undefined {
  try {
    return decodeText(bytes, encoding);
  } catch {
    return undefined;
  }
}
