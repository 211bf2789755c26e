/**
 * Receiving: +CMTI → AT+CMGR → (reassembly) → handed to the sink → AT+CMGD; +CMT and +CDS direct delivery
 * (acknowledged with AT+CNMA when AT+CSMS=1 is active); +CDSI stored reports; and the sweep that reads what
 * is already stored (AT+CMGL) on start and when a notification could not be followed (`+CMTI: ,-1`).
 * Stored copies are deleted only after the sink has taken the message, so a crash loses nothing. An
 * undecodable PDU (bad UDH, concatenation numbers out of range, truncated) goes to the undecodable sink with
 * its hex and reason (the agent keeps it in the inbox) and is then deleted, so garbage cannot fill the SIM.
 */
import { isAgentError } from '../../errors.js';
import { intField } from '../at/fields.js';
import type { Urc } from '../at/urc.js';
import type { DriverContext } from './context.js';
import { parseStoredPdus, parseStoredTexts, textTimestampToIso } from './parsers.js';
import { defaultReassemblyCaps, Reassembler, type ReassemblyCaps } from './reassembly.js';
import type { SentRegistry } from './smsSend.js';
import type { DecodeHints, DecodedPdu, DecodedStatusReport } from './smsCodec.js';
import type { ReceivedSms, StatusReportEvent, StoredLocation, UndecodableSms } from './types.js';

export interface InboxSinks {
  readonly onMessage: (sms: ReceivedSms) => Promise<void> | void;
  readonly onStatusReport: (report: StatusReportEvent) => Promise<void> | void;
  readonly onUndecodable?: (sms: UndecodableSms) => Promise<void> | void;
}

/** A PDU the codec refused, or whose concatenation numbers cannot be right. */
interface Undecodable {
  readonly kind: 'undecodable';
  readonly reason: string;
  readonly sender: string;
}

export class Inbox {
  private readonly reassembler: Reassembler;
  /**
   * Stored messages already read and waiting for hand-over and deletion (`SM:3`): a sweep and a +CMTI can both
   * see the same slot, and it must reach the sink once.
   */
  private readonly held = new Set<string>();
  /** Follow +CMTI/+CDSI with AT+CMGR (off when only listening, e.g. during replay). */
  followStored = true;
  /** Serialises storage work so a CPMS switch is never interleaved with another read. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: DriverContext,
    private readonly sinks: InboxSinks,
    private readonly sent: SentRegistry,
    caps: (ReassemblyCaps & { readonly timeoutMs?: number }) = defaultReassemblyCaps,
  ) {
    // The profile's timeout, unless the agent wants parts given up sooner.
    const timeoutMs = Math.min(ctx.profile.sms.reassemblyTimeoutMs, caps.timeoutMs ?? Number.POSITIVE_INFINITY);
    this.reassembler = new Reassembler(ctx.clock, timeoutMs, (sms) => this.enqueue(() => this.handOver(sms)), caps);
  }

  /** Reacts to SMS URCs; returns true when the URC was an SMS event. */
  handleUrc(urc: Urc): boolean {
    if ((urc.kind === 'new-message' || urc.kind === 'status-report-stored') && !this.followStored) return false;
    if (urc.kind === 'new-message') {
      // `+CMTI: ,-1` (SIM7000G): signalled but not stored where CMGR can reach it; list everything instead.
      if (urc.index < 0 || urc.memory === '') this.enqueue(() => this.sweepNow());
      else this.enqueue(() => this.readStored(urc.memory, urc.index));
      return true;
    }
    if (urc.kind === 'status-report-stored') {
      this.enqueue(() => this.readStored(urc.memory, urc.index));
      return true;
    }
    if (urc.kind === 'message') {
      this.enqueue(() => this.direct(urc));
      return true;
    }
    if (urc.kind === 'status-report') {
      this.enqueue(() => this.directReport(urc));
      return true;
    }
    return false;
  }

  /** Waits until queued storage work is done (tests, stop). */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.work;
      await current;
      if (current === this.work) return;
    }
  }

  flushPartials(): void {
    this.reassembler.flush();
    // Whatever is still stored will be read again by the next start's sweep.
    this.held.clear();
  }

  /**
   * Reads and hands over everything stored in the profile's read storages. Queued behind other storage work,
   * so a sweep never switches AT+CPMS under a +CMTI read (or the other way round).
   */
  sweepAll(): Promise<void> {
    return new Promise((resolve) => {
      this.enqueue(async () => {
        try {
          await this.sweepNow();
        } finally {
          resolve();
        }
      });
    });
  }

  private async sweepNow(): Promise<void> {
    for (const memory of this.ctx.profile.sms.readStorages) {
      try {
        await this.sweep(memory);
      } catch (error) {
        this.ctx.logger.warn({ memory, err: error }, 'could not list stored messages');
      }
    }
  }

  enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => this.ctx.logger.error({ err: error }, 'inbox task failed'));
  }

  private async sweep(memory: string): Promise<void> {
    await this.ctx.selectReadMemory(memory);
    if (this.ctx.smsMode === 'pdu') {
      const response = await this.ctx.send('AT+CMGL=4', { timeoutMs: this.ctx.profile.timeouts.smsSendMs });
      for (const record of parseStoredPdus(response.lines)) {
        // 2/3 are our own stored outgoing messages: not incoming, leave them alone.
        if (record.stat === 2 || record.stat === 3 || record.index === undefined) continue;
        await this.accept(record.pdu, { memory, index: record.index }, { tpduLength: record.length, ...(record.stat !== undefined ? { stat: record.stat } : {}) });
      }
      return;
    }
    const response = await this.ctx.send('AT+CMGL="ALL"', { timeoutMs: this.ctx.profile.timeouts.smsSendMs });
    for (const record of parseStoredTexts(response.lines)) {
      if (record.index === undefined || record.status.startsWith('STO')) continue;
      const location = { memory, index: record.index };
      if (this.hold(location)) this.reassembler.add(textDeliver(record.sender, record.timestamp, record.text), location);
    }
  }

  private async readStored(memory: string, index: number): Promise<void> {
    // Already read by a sweep and waiting for hand-over: nothing to do.
    if (this.held.has(key({ memory, index }))) return;
    await this.ctx.selectReadMemory(memory);
    let response;
    try {
      response = await this.ctx.send(`AT+CMGR=${index}`);
    } catch (error) {
      // +CMS ERROR: 321: the slot is empty or unreadable (SIM7600's "SR" store announces reports it cannot return, G10).
      if (isAgentError(error) && error.context['cms'] === 321) {
        this.ctx.logger.warn({ memory, index }, 'notified message not readable (+CMS ERROR: 321)');
        return;
      }
      throw error;
    }
    if (this.ctx.smsMode === 'pdu') {
      const record = parseStoredPdus(response.lines, index)[0];
      // SIMCom/Huawei answer an empty slot with a bare OK.
      if (record === undefined) return;
      await this.accept(record.pdu, { memory, index }, { tpduLength: record.length, ...(record.stat !== undefined ? { stat: record.stat } : {}) });
      return;
    }
    const record = parseStoredTexts(response.lines, index)[0];
    if (record !== undefined && this.hold({ memory, index })) this.reassembler.add(textDeliver(record.sender, record.timestamp, record.text), { memory, index });
  }

  /** Decodes a stored PDU and routes it: deliver → reassembly, status report → sink, garbage → undecodable sink, then delete. */
  private async accept(hex: string, location: StoredLocation, hints: DecodeHints): Promise<void> {
    if (!this.hold(location)) return;
    const decoded = this.decode(hex, hints);
    if (decoded.kind === 'undecodable') {
      await this.keepUndecodable(hex, decoded, [location]);
      return;
    }
    if (decoded.kind === 'submit') return;
    if (decoded.kind === 'deliver') {
      this.reassembler.add(decoded, location);
      return;
    }
    await this.report(decoded);
    await this.delete([location]);
  }

  private async direct(urc: Extract<Urc, { kind: 'message' }>): Promise<void> {
    if (urc.mode === 'pdu') {
      const decoded = this.decode(urc.pdu, { tpduLength: urc.length });
      await this.acknowledge();
      if (decoded.kind === 'deliver') this.reassembler.add(decoded);
      if (decoded.kind === 'status-report') await this.report(decoded);
      if (decoded.kind === 'undecodable') await this.keepUndecodable(urc.pdu, decoded, []);
      return;
    }
    await this.acknowledge();
    this.reassembler.add(textDeliver(urc.fields[0] ?? '', urc.fields[2] ?? '', urc.text));
  }

  private async directReport(urc: Extract<Urc, { kind: 'status-report' }>): Promise<void> {
    if (urc.mode === 'pdu') {
      const decoded = this.decode(urc.pdu, { tpduLength: urc.length });
      await this.acknowledge();
      if (decoded.kind === 'status-report') await this.report(decoded);
      if (decoded.kind === 'undecodable') await this.keepUndecodable(urc.pdu, decoded, []);
      return;
    }
    await this.acknowledge();
    // Text mode: <fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>
    const f = urc.fields;
    const reference = intField(f[1]);
    const status = intField(f[6]);
    if (reference === undefined || status === undefined) return;
    await this.report({ kind: 'status-report', reference, recipient: f[2] ?? '', timestamp: textTimestampToIso(f[4] ?? '') ?? '', dischargeTime: textTimestampToIso(f[5] ?? '') ?? '', status });
  }

  private decode(hex: string, hints: DecodeHints): DecodedPdu | Undecodable {
    let decoded: DecodedPdu;
    try {
      decoded = this.ctx.codec.decode(hex, hints);
    } catch (error) {
      if (!isAgentError(error)) throw error;
      return { kind: 'undecodable', reason: error.message, sender: '' };
    }
    const concat = decoded.kind === 'deliver' ? (decoded.concat ?? decoded.invalidConcat) : undefined;
    // Part 0, or part 3 of 2, would complete a message with a part that cannot belong to it.
    if (decoded.kind === 'deliver' && concat !== undefined && (concat.total < 1 || concat.sequence < 1 || concat.sequence > concat.total)) {
      return { kind: 'undecodable', reason: `concatenated part ${concat.sequence} of ${concat.total} is out of range (reference ${concat.reference})`, sender: decoded.sender };
    }
    return decoded;
  }

  /** Hands an undecodable PDU to its sink, then deletes the stored copy; a sink that fails leaves it stored for the next sweep. */
  private async keepUndecodable(hex: string, undecodable: Undecodable, stored: readonly StoredLocation[]): Promise<void> {
    // The sink keeps the PDU (the agent's inbox and event, its own summarised warning); a peer can send these by the
    // thousand, and the octets may hold a PIN, so the hex is at debug only.
    const fields = { bytes: Math.floor(hex.length / 2), reason: undecodable.reason, sender: undecodable.sender };
    if (this.sinks.onUndecodable === undefined) this.ctx.logger.warn(fields, 'undecodable SMS PDU deleted from the SIM; nothing keeps it');
    this.ctx.logger.debug({ ...fields, hex }, 'undecodable SMS PDU');
    try {
      await this.sinks.onUndecodable?.({ pduHex: hex, reason: undecodable.reason, sender: undecodable.sender });
    } catch (error) {
      this.ctx.logger.error({ err: error }, 'undecodable-message sink failed; leaving the PDU stored');
      for (const location of stored) this.held.delete(key(location));
      return;
    }
    await this.delete(stored);
  }

  private async acknowledge(): Promise<void> {
    if (this.ctx.ackRequired) await this.ctx.trySend('AT+CNMA');
  }

  private async report(report: DecodedStatusReport): Promise<void> {
    // A report can arrive in the same read as the +CMGS answer; let the sender record its MR first.
    await new Promise((resolve) => setImmediate(resolve));
    const event: StatusReportEvent = {
      reference: report.reference,
      recipient: report.recipient,
      status: report.status,
      state: report.status < 0x20 ? 'delivered' : report.status < 0x40 ? 'pending' : 'failed',
      dischargeTime: report.dischargeTime,
      matched: this.sent.match(report.reference, report.recipient),
    };
    await this.sinks.onStatusReport(event);
  }

  private async handOver(sms: ReceivedSms): Promise<void> {
    try {
      await this.sinks.onMessage(sms);
    } catch (error) {
      // Not stored by the sink: keep it on the modem, the next sweep hands it over again.
      this.ctx.logger.error({ err: error, sender: sms.sender }, 'message sink failed; leaving the message stored');
      for (const location of sms.stored) this.held.delete(key(location));
      return;
    }
    await this.delete(sms.stored);
  }

  private async delete(locations: readonly StoredLocation[]): Promise<void> {
    for (const location of locations) {
      try {
        await this.ctx.selectReadMemory(location.memory);
        await this.ctx.send(`AT+CMGD=${location.index}`);
      } catch (error) {
        this.ctx.logger.warn({ ...location, err: error }, 'could not delete a stored message');
      }
      this.held.delete(key(location));
    }
  }

  /** Marks a stored slot as taken; false when it already is (read twice by a sweep and a +CMTI). */
  private hold(location: StoredLocation): boolean {
    const k = key(location);
    if (this.held.has(k)) return false;
    this.held.add(k);
    return true;
  }
}

function key(location: StoredLocation): string {
  return `${location.memory}:${location.index}`;
}

function textDeliver(sender: string, timestamp: string, text: string): Extract<DecodedPdu, { kind: 'deliver' }> {
  return { kind: 'deliver', sender, smsc: undefined, timestamp: textTimestampToIso(timestamp) ?? timestamp, text, dataHex: undefined, concat: undefined, messageClass: undefined };
}
