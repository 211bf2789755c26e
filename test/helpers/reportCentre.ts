/**
 * The centre's side of an end-to-end test: every report message the device sent, whichever way it
 * came (submit_sm at an SMSC, SMS-SUBMIT through the modem, text from node-smpp's server), decoded
 * and put through one sequence check, so a reading can be counted exactly once across both links.
 * Readings are identified by a unique field (`n`) the test puts in each report.
 */
import { ReportReceiver, decodeTextReport, type ReportMessage } from '../../src/report/index.js';
import { decodeSmsPdu } from '../../src/modem/index.js';
import type { Pdu } from '../../src/smpp/index.js';

export type Via = 'smpp' | 'modem';

export interface Arrival {
  readonly seq: number;
  readonly via: Via;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  /** A tag the test gives the arrival (e.g. which SMSC life or agent life it fell in). */
  readonly period: string;
  readonly ids: readonly number[];
}

export class ReportCentre {
  /** First arrival of each message (by seq). */
  readonly messages = new Map<number, Arrival>();
  /** Re-sent messages (same seq again), as they arrived. */
  readonly duplicates: Arrival[] = [];
  /** Readings by their `n`: the seqs that carried them. */
  readonly readings = new Map<number, number[]>();
  readonly problems: string[] = [];
  private readonly receiver = new ReportReceiver();
  private readonly modemParts = new Map<string, string[]>();
  private readonly payloads = new Map<number, string>();
  period = 'start';

  constructor(private readonly field = 'n') {}

  /** A submit_sm (or deliver_sm) as our SMSC simulator saw it. */
  acceptPdu(pdu: Pdu): void {
    if (pdu.command !== 'submit_sm' && pdu.command !== 'deliver_sm' && pdu.command !== 'data_sm') return;
    const received = this.receiver.accept(pdu);
    const key = pdu.command === 'data_sm' ? '' : pdu.short_message.toString('hex');
    switch (received.kind) {
      case 'report':
        return this.message(received.message, 'smpp', key);
      case 'duplicate': {
        // The receiver dropped it by (device, seq); a re-send must be the same bytes.
        const first = this.payloads.get(received.seq);
        if (first !== undefined && key !== '' && first !== key) this.problems.push(`seq ${received.seq} re-sent with different content`);
        this.duplicates.push({ seq: received.seq, via: 'smpp', at: Date.now(), period: this.period, ids: [] });
        return;
      }
      case 'partial':
      case 'receipt':
        return;
      case 'malformed':
      case 'other':
        this.problems.push(`smpp: not a report (${received.kind})`);
        return;
    }
  }

  /** The hex PDU of an AT+CMGS (SMS-SUBMIT, without SMSC prefix handling beyond the decoder's). */
  acceptModemPdu(hex: string, tpduLength?: number): void {
    const pdu = decodeSmsPdu(hex, tpduLength === undefined ? {} : { tpduLength });
    if (pdu.type !== 'SMS-SUBMIT') {
      this.problems.push(`modem: ${pdu.type} where an SMS-SUBMIT was expected`);
      return;
    }
    const text = pdu.userData.text ?? '';
    const concat = pdu.userData.header?.concat;
    if (concat === undefined || concat.total <= 1) return this.text(text, 'modem');
    const key = `${pdu.destination.value}/${concat.reference}`;
    const parts = this.modemParts.get(key) ?? [];
    parts[concat.sequence - 1] = text;
    this.modemParts.set(key, parts);
    if (parts.filter((part) => part !== undefined).length < concat.total) return;
    this.modemParts.delete(key);
    this.text(parts.join(''), 'modem');
  }

  /** A whole report message's text (the SMSC decoded it, e.g. node-smpp's server). */
  text(text: string, via: Via): void {
    let message: ReportMessage;
    try {
      message = decodeTextReport(text);
    } catch (error) {
      this.problems.push(`${via}: undecodable report ${JSON.stringify(text)}: ${String(error)}`);
      return;
    }
    if (this.messages.has(message.seq)) {
      const first = this.messages.get(message.seq);
      const ids = this.ids(message);
      if (first !== undefined && ids.join(',') !== first.ids.join(',')) this.problems.push(`seq ${message.seq} re-sent with other readings`);
      this.duplicates.push({ seq: message.seq, via, at: Date.now(), period: this.period, ids });
      return;
    }
    this.message(message, via, text);
  }

  /** Readings (by `n`) that arrived in no message, out of 0..count-1. */
  missing(count: number): number[] {
    const out: number[] = [];
    for (let n = 0; n < count; n++) if (!this.readings.has(n)) out.push(n);
    return out;
  }

  /** Readings carried by more than one distinct message (a re-send must reuse its seq). */
  inSeveralMessages(): number[] {
    return [...this.readings].filter(([, seqs]) => seqs.length > 1).map(([n]) => n);
  }

  private message(message: ReportMessage, via: Via, key: string): void {
    if (this.messages.has(message.seq)) {
      // Came first by the other link (the receiver only sees the SMPP ones).
      this.duplicates.push({ seq: message.seq, via, at: Date.now(), period: this.period, ids: this.ids(message) });
      return;
    }
    const ids = this.ids(message);
    this.messages.set(message.seq, { seq: message.seq, via, at: Date.now(), period: this.period, ids });
    this.payloads.set(message.seq, key);
    for (const n of ids) {
      const seqs = this.readings.get(n) ?? [];
      seqs.push(message.seq);
      this.readings.set(n, seqs);
    }
  }

  private ids(message: ReportMessage): number[] {
    return message.readings.map((reading) => reading.fields[this.field]).filter((n): n is number => typeof n === 'number');
  }
}

/**
 * Taps the modem emulator's input: the hex PDU typed after each `AT+CMGS=<length>` prompt, up to Ctrl-Z.
 * Wraps `input` (what the pty feeds) so the emulator itself is untouched.
 */
export function tapModemSubmits(emulator: { input(chunk: Buffer): void }, onPdu: (hex: string, tpduLength: number) => void): void {
  const original = emulator.input.bind(emulator);
  let line = '';
  let entry: string | undefined;
  let length = 0;
  emulator.input = (chunk: Buffer): void => {
    for (const char of chunk.toString('latin1')) {
      if (entry !== undefined) {
        if (char === '\x1a') {
          onPdu(entry.trim(), length);
          entry = undefined;
        } else if (char === '\x1b') entry = undefined;
        else entry += char;
        continue;
      }
      if (char === '\r') {
        const cmgs = /^AT\+CMGS=(\d+)$/i.exec(line.trim());
        if (cmgs !== null) {
          entry = '';
          length = Number(cmgs[1]);
        }
        line = '';
      } else if (char !== '\n') line += char;
    }
    original(chunk);
  };
}
