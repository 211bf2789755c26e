/**
 * The centre's receiver: takes the deliver_sm / data_sm PDUs an ESME gets from its SMSC,
 * reassembles concatenated parts (UDH or sar_* TLVs), decodes reports of either encoding, and
 * drops re-sent messages by their (device, seq). Other traffic is handed back as plain text.
 */
import { type Pdu, type TextEncoding, Reassembler, joinParts, readShortMessage, receiptFromPdu } from '../smpp/index.js';
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

export class ReportReceiver {
  private readonly parts: Reassembler<Buffer>;
  private readonly sequences = new SequenceTracker();

  constructor(options: ReportReceiverOptions = {}) {
    this.parts = new Reassembler<Buffer>({ timeoutMs: options.partTimeoutMs ?? 600_000, ...(options.now === undefined ? {} : { now: options.now }) });
  }

  accept(pdu: IncomingPdu): ReceivedSms {
    const source = pdu.source_addr;
    if (receiptFromPdu(pdu) !== undefined) return { kind: 'receipt', source };
    // The text layer takes the message apart: short_message or message_payload, the UDH, and the
    // concatenation facts from the UDH or the sar_* TLVs. A malformed UDH throws Codec_InvalidUdh.
    const part = readShortMessage({
      shortMessage: pdu.command === 'data_sm' ? Buffer.alloc(0) : pdu.short_message,
      esmClass: pdu.esm_class,
      dataCoding: pdu.data_coding,
      tlvs: pdu.tlvs,
    });
    let bodies: readonly Buffer[] = [part.body];
    const concat = part.concat;
    if (concat !== undefined && concat.total > 1) {
      const fragment = { reference: concat.reference, total: concat.total, sequence: concat.sequence };
      const whole = this.parts.add({ source, destination: pdu.destination_addr, ...fragment, payload: part.body });
      if (whole === undefined) return { kind: 'partial', source };
      bodies = whole.parts;
    }
    return this.decode(source, bodies, part.encoding);
  }

  /** Long messages whose parts stopped coming; call on a timer. */
  expire(): number {
    return this.parts.expire().length;
  }

  private decode(source: string, bodies: readonly Buffer[], encoding: TextEncoding): ReceivedSms {
    const userData = Buffer.concat(bodies);
    const isBinary = encoding === 'binary';
    // Decoded from the joined parts, so a character split across two parts comes out whole.
    const text = isBinary ? undefined : joinParts(bodies, encoding);
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
