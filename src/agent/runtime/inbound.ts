/**
 * What arrives from the network, over either link: delivery receipts settle outbox messages; MO
 * messages are stored in the inbox once (deduplicated, reassembled), and those that are SMS
 * commands from allowed senders are obeyed, their replies queued like any other SMS.
 * For SMPP the answer is the deliver_sm_resp status: ESME_ROK once stored, ESME_RX_T_APPN when the
 * store failed, so the SMSC retries rather than the message being lost.
 */
import type { Logger } from '../../logger.js';
import { CommandStatus, readShortMessage, type DeliveryReceipt, type InboundMessage as SmppInbound } from '../../smpp/index.js';
import type { ReceivedSms, StatusReportEvent } from '../../modem/index.js';
import type { Store } from '../../store/index.js';
import type { CommandAuthority } from '../commandAuthority.js';
import type { Lockout } from '../commandGuard.js';
import { redactCommandText, type SmsCommandName } from '../smsCommands.js';

export interface InboundEvents {
  /** `text` with any PIN or signature already redacted. */
  smsReceived(from: string, text: string, via: 'smpp' | 'modem'): void;
  /** A sender (or everyone) was just locked out of SMS commands. */
  lockout(lockout: Lockout): void;
  /** Answers an SMS command; the reply goes back to the sender through the outbox. */
  command(name: SmsCommandName, args: readonly string[], from: string): Promise<string>;
  reply(to: string, text: string): void;
}

const deliveredStats = new Set(['DELIVRD', 'ACCEPTD']);
const pendingStats = new Set(['ENROUTE', 'UNKNOWN']);

export class InboundProcessor {
  constructor(
    private readonly store: Store,
    private readonly authority: CommandAuthority,
    private readonly events: InboundEvents,
    private readonly logger: Logger,
  ) {}

  /** The SMPP session's inbound handler: returns the response status. */
  smpp(message: SmppInbound, receipt: DeliveryReceipt | undefined): number {
    try {
      if (receipt !== undefined) {
        if (pendingStats.has(receipt.stat)) return CommandStatus.ESME_ROK; // an intermediate notification
        const outcome = deliveredStats.has(receipt.stat) ? 'delivered' : 'failed';
        const body = message.command === 'deliver_sm' ? message.short_message : Buffer.alloc(0);
        const result = this.store.receiveReceipt({ link: 'smpp', sender: message.source_addr, ref: receipt.messageId, outcome, payload: body });
        this.logger.debug({ ref: receipt.messageId, stat: receipt.stat, settled: result.settled }, 'smpp receipt');
        return CommandStatus.ESME_ROK;
      }
      const shortMessage = message.command === 'deliver_sm' ? message.short_message : Buffer.alloc(0);
      const read = readShortMessage({ shortMessage, dataCoding: message.data_coding, esmClass: message.esm_class, tlvs: message.tlvs });
      const concat = read.concat === undefined ? undefined : { ref: read.concat.reference, total: read.concat.total, seq: read.concat.sequence };
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
    const sentAt = Date.parse(sms.timestamp);
    const stored = this.store.inbox.addMessage({ link: 'modem', sender: sms.sender, payload, sentAt: Number.isNaN(sentAt) ? null : sentAt });
    if (stored.status === 'stored' && sms.text !== undefined) this.handleText(sms.sender, sms.text, 'modem');
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
