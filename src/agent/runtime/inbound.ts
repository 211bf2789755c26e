/**
 * What arrives from the network, over either link: delivery receipts settle outbox messages; MO
 * messages are stored in the inbox once (deduplicated, reassembled), and those that are SMS
 * commands from allowed senders are obeyed, their replies queued like any other SMS.
 * For SMPP the answer is the deliver_sm_resp status: ESME_ROK once stored, ESME_RX_T_APPN when the
 * store failed, so the SMSC retries rather than the message being lost. A message that cannot be
 * decoded (bad UDH, concatenation numbers out of range, an unknown data_coding) would never store on a
 * retry: it is kept in the inbox as undecodable, with its raw octets, published, and answered ESME_ROK.
 */
import { systemClock } from '../../clock.js';
import { errorCodeName, isAgentError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { CommandStatus, readShortMessage, TlvTag, type DeliveryReceipt, type InboundMessage as SmppInbound } from '../../smpp/index.js';
import type { ReceivedSms, StatusReportEvent, UndecodableSms } from '../../modem/index.js';
import type { Store } from '../../store/index.js';
import type { CommandAuthority } from '../commandAuthority.js';
import type { Lockout } from '../commandGuard.js';
import { redactCommandText, type SmsCommandName } from '../smsCommands.js';
import { SummarisedLog } from '../../summaryLog.js';

export interface InboundEvents {
  /** `text` with any PIN or signature already redacted. */
  smsReceived(from: string, text: string, via: 'smpp' | 'modem'): void;
  /** A sender (or everyone) was just locked out of SMS commands. */
  lockout(lockout: Lockout): void;
  /** Answers an SMS command; the reply goes back to the sender through the outbox. */
  command(name: SmsCommandName, args: readonly string[], from: string): Promise<string>;
  reply(to: string, text: string): void;
  /** A receipt that matched no sent part yet. */
  earlyReceipt?(receipt: { readonly ref: string; readonly outcome: 'delivered' | 'failed' }): void;
  /** An inbound message kept as undecodable (raw octets in the inbox). */
  undecodable(from: string, reason: string, raw: Buffer, inboxId: number | undefined, via: 'smpp' | 'modem'): void;
}

const deliveredStats = new Set(['DELIVRD', 'ACCEPTD']);
const pendingStats = new Set(['ENROUTE', 'UNKNOWN']);

export class InboundProcessor {
  constructor(
    private readonly store: Store,
    private readonly authority: CommandAuthority,
    private readonly events: InboundEvents,
    private readonly logger: Logger,
  ) {
    this.undecodableLog = new SummarisedLog(logger, systemClock, 'undecodableSinceLast');
  }

  /** A peer can send junk by the thousand: each is in the inbox and its event; the log says how often. */
  private readonly undecodableLog: SummarisedLog;


  /** The SMPP session's inbound handler: returns the response status. */
  smpp(message: SmppInbound, receipt: DeliveryReceipt | undefined): number {
    try {
      if (receipt !== undefined) {
        if (pendingStats.has(receipt.stat)) return CommandStatus.ESME_ROK; // an intermediate notification
        const outcome = deliveredStats.has(receipt.stat) ? 'delivered' : 'failed';
        const body = message.command === 'deliver_sm' ? message.short_message : Buffer.alloc(0);
        const result = this.store.receiveReceipt({ link: 'smpp', sender: message.source_addr, ref: receipt.messageId, outcome, payload: body });
        // Ahead of the submit_sm_resp it answers: held until the outbox records that reference (earlyReceipts.ts).
        if (result.status === 'stored' && !result.matched) this.events.earlyReceipt?.({ ref: receipt.messageId, outcome });
        this.logger.debug({ ref: receipt.messageId, stat: receipt.stat, settled: result.settled }, 'smpp receipt');
        return CommandStatus.ESME_ROK;
      }
      const shortMessage = message.command === 'deliver_sm' ? message.short_message : Buffer.alloc(0);
      const decoded = decodeInbound(shortMessage, message);
      if ('fault' in decoded) {
        const stored = this.store.inbox.addUndecodable({ link: 'smpp', sender: message.source_addr, recipient: message.destination_addr, raw: decoded.raw, reason: decoded.fault });
        this.undecodableLog.note('smpp', { from: message.source_addr, reason: decoded.fault, status: stored.status }, 'undecodable inbound SMS kept in the inbox as received');
        if (stored.status === 'stored') this.events.undecodable(message.source_addr, decoded.fault, decoded.raw, stored.id, 'smpp');
        return CommandStatus.ESME_ROK;
      }
      const { read, concat } = decoded;
      const stored = this.store.inbox.addMessage({
        link: 'smpp',
        sender: message.source_addr,
        recipient: message.destination_addr,
        payload: read.encoding === 'binary' ? read.body : read.text,
        ...(concat === undefined ? {} : { concat }),
      });
      if (stored.status === 'stored') {
        // The whole message (parts reassembled by the inbox).
        const entry = this.store.inbox.get(stored.id);
        if (entry !== undefined) this.handleText(entry.sender, textOf(entry.payload), 'smpp');
      }
      return CommandStatus.ESME_ROK;
    } catch (error) {
      this.logger.error({ err: error }, 'inbound SMPP message not stored; the SMSC will retry');
      return CommandStatus.ESME_RX_T_APPN;
    }
  }

  modemMessage(sms: ReceivedSms): void {
    const payload = sms.text ?? Buffer.from(sms.dataHex ?? '', 'hex');
    if (!sms.complete) {
      // Parts missing (timed out, or pushed out by the reassembly caps): kept with what arrived, never obeyed as a command.
      // The event shows the text with any PIN or signature redacted, as sms-received does; the inbox keeps it as it came.
      const shown = sms.text === undefined ? undefined : Buffer.from(redactCommandText(sms.text));
      this.keepUndecodable(sms.sender, Buffer.from(payload), `incomplete: ${sms.received} of ${sms.parts} parts arrived`, shown);
      return;
    }
    const sentAt = Date.parse(sms.timestamp);
    const stored = this.store.inbox.addMessage({ link: 'modem', sender: sms.sender, payload, sentAt: Number.isNaN(sentAt) ? null : sentAt });
    if (stored.status === 'stored' && sms.text !== undefined) this.handleText(sms.sender, sms.text, 'modem');
  }

  /** A PDU the modem driver could not decode: kept with its octets before the driver deletes it from the SIM (throws when the store fails, so it stays stored). */
  modemUndecodable(sms: UndecodableSms): void {
    const raw = /^(?:[0-9A-Fa-f]{2})*$/.test(sms.pduHex) ? Buffer.from(sms.pduHex, 'hex') : Buffer.from(sms.pduHex, 'latin1');
    this.keepUndecodable(sms.sender, raw, sms.reason);
  }

  private keepUndecodable(sender: string, raw: Buffer, reason: string, shown: Buffer = raw): void {
    const stored = this.store.inbox.addUndecodable({ link: 'modem', sender, raw, reason });
    this.undecodableLog.note('modem', { from: sender, reason, status: stored.status }, 'undecodable modem SMS kept in the inbox as received');
    if (stored.status === 'stored') this.events.undecodable(sender, reason, shown, stored.id, 'modem');
  }

  modemStatusReport(report: StatusReportEvent): void {
    if (report.state === 'pending') return;
    this.store.receiveReceipt({ link: 'modem', sender: report.recipient, ref: String(report.reference), outcome: report.state, payload: `TP-ST ${report.status}` });
  }

  private handleText(from: string, text: string, via: 'smpp' | 'modem'): void {
    this.events.smsReceived(from, redactCommandText(text), via);
    const verdict = this.authority.judge(from, text);
    if (verdict.kind === 'refused') {
      // A flood is a few warn lines per lockout, not one per SMS: failures are bounded by the lockouts,
      // while refusals that count nothing (locked out, a stranger) could come by the thousand.
      const level = verdict.reason === 'locked-out' || verdict.reason === 'sender-not-allowed' ? 'debug' : 'warn';
      this.logger[level]({ from, reason: verdict.reason }, 'SMS command refused');
      for (const lockout of verdict.lockouts) {
        this.logger.warn({ scope: lockout.scope, sender: lockout.sender, until: new Date(lockout.until).toISOString(), failures: lockout.failures }, 'SMS commands locked out');
        this.events.lockout(lockout);
      }
      return;
    }
    if (verdict.kind !== 'command') return;
    this.events.command(verdict.name, verdict.args, from).then(
      (reply) => this.events.reply(from, reply),
      (error: unknown) => this.logger.error({ err: error, command: verdict.name }, 'SMS command failed'),
    );
  }
}

function textOf(payload: string | Uint8Array): string {
  return typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
}

type Decoded =
  | { readonly read: ReturnType<typeof readShortMessage>; readonly concat: { ref: number; total: number; seq: number } | undefined }
  | { readonly fault: string; readonly raw: Buffer };

/** Decodes a deliver_sm's text and concatenation; a fault names why it never will decode (never thrown). */
function decodeInbound(shortMessage: Buffer, message: SmppInbound): Decoded {
  const payloadTlv = message.tlvs.find((tlv) => tlv.tag === TlvTag.message_payload);
  const raw = shortMessage.length === 0 && Buffer.isBuffer(payloadTlv?.value) ? payloadTlv.value : shortMessage;
  try {
    const read = readShortMessage({ shortMessage, dataCoding: message.data_coding, esmClass: message.esm_class, tlvs: message.tlvs });
    const concat = read.concat === undefined ? undefined : { ref: read.concat.reference, total: read.concat.total, seq: read.concat.sequence };
    if (concat !== undefined && (concat.total < 1 || concat.seq < 1 || concat.seq > concat.total)) {
      return { fault: `concatenated part ${concat.seq} of ${concat.total} is out of range (${read.concat?.via ?? 'udh'})`, raw };
    }
    return { read, concat };
  } catch (error) {
    return { fault: isAgentError(error) ? `${errorCodeName(error.code)}: ${error.message}` : String(error), raw };
  }
}
