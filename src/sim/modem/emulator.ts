/**
 * A modem emulator speaking AT like the chosen profile's real modem (formats from shared/modem/): SIM and PIN,
 * registration, signal, SMS storage, PDU- and text-mode send with the `> ` prompt, incoming +CMTI/+CMT,
 * status reports (+CDS/+CDSI), GNSS fix and no-fix, and scriptable faults. It is transport-free: bytes in
 * through `input`, bytes out through the `output` callback; `pty.ts` puts it on a real pseudo-terminal.
 */
import { describeCme, decodeSmsPdu, encodeDeliverPdu, encodeStatusReportPdu, encodeSubmit, type ModemProfile } from '../../modem/index.js';
import type { SmsDeliver } from '../../modem/index.js';
import { flavourFor, type Flavour } from './flavours.js';
import { cgnsinf, cgpsinfo, gnssFlavourCommands, qgpsloc, uuloc, type EmulatedFix } from './gnssAnswers.js';
import { SmsStorage } from './smsStorage.js';
import { handleCommand } from './commands.js';

export const emulatorFaults = ['no-sim', 'sim-pin', 'no-network', 'network-lost-during-send', 'hang', 'garbage'] as const;
export type EmulatorFault = (typeof emulatorFaults)[number];

export interface EmulatorOptions {
  readonly profile: ModemProfile;
  readonly faults?: readonly EmulatorFault[];
  readonly pin?: string;
  /** GNSS position; undefined = no fix. */
  readonly fix?: EmulatedFix;
  /** Delay before boot URCs, status reports and the +UULOC answer, in ms (default 20). */
  readonly delayMs?: number;
  readonly now?: () => Date;
  /** false: AT+CMGF=0 is refused (+CMS ERROR: 303), as on modems whose PDU mode is unusable. */
  readonly pduMode?: boolean;
}

export interface IncomingSms {
  readonly from: string;
  readonly text: string;
  readonly smsc?: string;
  readonly at?: Date;
  /** 23.040 concatenation reference for long texts. */
  readonly reference?: number;
}

/** Settings a reboot resets, as a real modem forgets everything not saved with AT&W. */
export interface Volatile {
  echo: boolean;
  cmee: 0 | 1 | 2;
  cmgf: 0 | 1;
  /** AT+CSDH: 1 shows the full 27.005 text-mode header (with the body's <length>). */
  csdh: 0 | 1;
  cscs: string;
  csmpFo: number;
  cnmi: [number, number, number, number, number];
  csms: 0 | 1;
  pendingAcks: number;
  readMemory: string;
  writeMemory: string;
  receiveMemory: string;
  regUrc: Record<'CREG' | 'CGREG' | 'CEREG', number>;
  gnssOn: boolean;
  simState: 'ready' | 'absent' | 'pin';
  functional: boolean;
}

export class ModemEmulator {
  readonly flavour: Flavour;
  readonly storage: SmsStorage;
  readonly faults: Set<EmulatorFault>;
  state: Volatile;
  fix: EmulatedFix | undefined;
  /** Message references handed out in +CMGS, 0..255, wrapping. */
  private mr = 0;
  private line = '';
  /** After a CMGS, bytes up to Ctrl-Z/ESC are the message. */
  private entry: { command: string; data: string } | undefined;
  private readonly delayMs: number;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  /** Everything the host sent, as complete command lines (for tests). */
  readonly commands: string[] = [];

  constructor(
    readonly options: EmulatorOptions,
    private readonly output: (bytes: Buffer) => void,
  ) {
    this.flavour = flavourFor(options.profile.name);
    this.faults = new Set(options.faults ?? []);
    this.fix = options.fix;
    this.delayMs = options.delayMs ?? 20;
    const sim7600 = options.profile.name === 'simcom-sim7600';
    // SIM7600: ME holds 23 and the SR store has no room at all (`+CPMS: 0,0,…`, REFERENCE G10).
    const capacity = (memory: string): number => (memory === 'SR' ? (sim7600 ? 0 : 30) : memory === 'ME' ? (sim7600 ? 23 : 255) : 30);
    const first = (memory: string): number => (memory === 'ME' && options.profile.name.startsWith('simcom') ? 0 : 1);
    this.storage = new SmsStorage(capacity, first);
    this.state = this.freshState();
  }

  get pin(): string {
    return this.options.pin ?? '1234';
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Prints the boot URCs (as after power-on). */
  boot(): void {
    this.state = this.freshState();
    const lines = this.state.simState === 'absent' ? this.flavour.bootNoSim : this.state.simState === 'pin' ? this.flavour.bootSimPin : this.flavour.boot;
    this.later(() => lines.forEach((l) => this.urc(l)));
  }

  /** Restarts: drops a half-typed command, forgets settings, prints the boot URCs. */
  reboot(): void {
    this.line = '';
    this.entry = undefined;
    this.boot();
  }

  setFault(fault: EmulatorFault, on: boolean): void {
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
    if (fault === 'no-sim' || fault === 'sim-pin') this.state.simState = this.initialSim();
    if (fault === 'no-network') this.registrationChanged();
  }

  /** Bytes from the host. */
  input(chunk: Buffer): void {
    if (this.faults.has('hang') || this.closed) return;
    for (const char of chunk.toString('latin1')) {
      if (this.entry !== undefined) {
        if (char === '\x1a' || char === '\x1b') {
          const entry = this.entry;
          this.entry = undefined;
          if (this.state.echo) this.raw(entry.data);
          if (char === '\x1b') this.final('OK');
          else handleCommand(this, entry.command, entry.data);
        } else this.appendEntry(char);
        continue;
      }
      if (char === '\r') {
        const line = this.line.trim();
        this.line = '';
        if (this.state.echo) this.raw(`${line}\r`);
        if (line !== '') {
          this.commands.push(line);
          handleCommand(this, line, undefined);
        }
      } else if (char !== '\n') this.line += char;
    }
  }

  /** Opens message entry after AT+CMGS: prints the prompt. */
  startEntry(command: string): void {
    this.entry = { command, data: '' };
    this.raw('\r\n> ');
  }

  appendEntry(char: string): void {
    if (this.entry) this.entry.data += char;
  }

  nextReference(): number {
    const mr = this.mr;
    this.mr = (this.mr + 1) % 256;
    return mr;
  }

  registered(): boolean {
    return this.state.functional && this.state.simState === 'ready' && !this.faults.has('no-network');
  }

  /** Delivers an SMS from the network: stored with +CMTI or routed directly as +CMT, per AT+CNMI. */
  receive(sms: IncomingSms): void {
    const at = sms.at ?? this.now();
    // The codec splits text only for SUBMITs: split that way, then re-wrap each part's user data as a DELIVER.
    const submits = encodeSubmit({ destination: '+10000', text: sms.text, reference: sms.reference ?? 7 })
      .map((part) => decodeSmsPdu(part.hex))
      .filter((pdu) => pdu.type === 'SMS-SUBMIT');
    const parts = submits.map((submit) => {
      const text = submit.userData.text ?? '';
      const alphabet = submit.dcs.alphabet === 'ucs2' ? ('ucs2' as const) : ('gsm7' as const);
      return encodeDeliverPdu({
        smsc: sms.smsc ?? '+27829135930',
        originator: sms.from,
        scts: at,
        userData: { text, alphabet, ...(submit.userData.header ? { header: submit.userData.header.elements } : {}) },
      });
    });
    for (const part of parts) this.deliverPdu(part.hex, part.tpduLength);
  }

  /**
   * Delivers an SMS-DELIVER PDU exactly as given (hex, SMSC field first), stored or direct per AT+CNMI: how a
   * test hands the host a malformed one (bad UDH, part 0, a truncated PDU) that no well-behaved encoder makes.
   */
  receivePdu(hex: string): void {
    const smscOctets = Number.parseInt(hex.slice(0, 2), 16) || 0;
    this.deliverPdu(hex, Math.max(0, hex.length / 2 - 1 - smscOctets));
  }

  private deliverPdu(hex: string, tpduLength: number): void {
    const mt = this.state.cnmi[1];
    if (mt === 2 || mt === 3) {
      if (this.state.cmgf === 1) {
        const pdu = decodeSmsPdu(hex) as SmsDeliver;
        const text = pdu.userData.text ?? '';
        const scts = textTimestamp(pdu.scts ?? '');
        // 27.005 §3.4.1: with AT+CSDH=1, <tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length> follow; <length> in characters.
        const header = this.state.csdh === 1
          ? `+CMT: "${pdu.originator.value}",,"${scts}",${pdu.originator.toa},${pdu.firstOctet},${pdu.pid},${pdu.dcs.value},"${pdu.smsc?.value ?? ''}",${pdu.smsc?.toa ?? 145},${text.length}`
          : `+CMT: "${pdu.originator.value}","","${scts}"`;
        this.urc(header, text);
      } else this.urc(`+CMT: ${this.flavour.cmtAlpha},${tpduLength}`, hex);
      if (this.state.csms === 1) this.state.pendingAcks++;
      return;
    }
    const memory = this.state.receiveMemory;
    const index = this.storage.store(memory, { stat: 0, pdu: hex, tpduLength });
    if (index !== undefined && mt === 1) this.urc(`+CMTI: "${memory}",${index}`);
  }

  /** A status report for a sent message, after a short delay, as AT+CNMI <ds> asks. */
  scheduleStatusReport(mr: number, recipient: string, text: boolean): void {
    const ds = this.state.cnmi[3];
    if (ds === 0) return;
    this.later(() => {
      const now = this.now();
      if (text && this.state.cmgf === 1) {
        this.urc(`+CDS: 6,${mr},"${recipient}",${recipient.startsWith('+') ? 145 : 129},"${textTimestamp(now)}","${textTimestamp(now)}",0`);
        return;
      }
      const pdu = encodeStatusReportPdu({ smsc: '+27829135930', mr, recipient, scts: now, dischargeTime: now, status: 0 });
      if (ds === 1) {
        this.urc(`+CDS: ${pdu.tpduLength}`, pdu.hex);
        if (this.state.csms === 1) this.state.pendingAcks++;
      }
      else {
        const index = this.storage.store('SR', { stat: 0, pdu: pdu.hex, tpduLength: pdu.tpduLength });
        if (index !== undefined) this.urc(`+CDSI: "SR",${index}`);
      }
    });
  }

  /** Registration change URCs for every AT+CxREG=<n> the host enabled. */
  registrationChanged(): void {
    const stat = this.registered() ? 1 : this.faults.has('no-network') ? 2 : 0;
    for (const [kind, n] of Object.entries(this.state.regUrc)) {
      if (n >= 1) this.urc(n === 2 && stat === 1 ? `+${kind}: ${stat},"1F00","079D903",7` : `+${kind}: ${stat}`);
    }
  }

  gnssAnswer(query: string): string[] | 'no-fix-error' | 'not-active' | undefined {
    switch (this.flavour.gnss) {
      case 'simcom-cgnsinf':
        return /^AT\+CGNSINF$/.test(query) ? [cgnsinf(this.state.gnssOn, this.fix)] : undefined;
      case 'simcom-cgpsinfo':
      case 'simcom-cgnssinfo':
        return /^AT\+CGPSINFO$/.test(query) ? [cgpsinfo(this.state.gnssOn ? this.fix : undefined)] : undefined;
      case 'quectel-qgpsloc':
        if (!/^AT\+QGPSLOC(=\d)?$/.test(query)) return undefined;
        if (!this.state.gnssOn) return 'not-active';
        return this.fix === undefined ? 'no-fix-error' : [qgpsloc(this.fix)];
      case 'ublox-uloc':
        if (!/^AT\+ULOC=/.test(query)) return undefined;
        this.later(() => this.urc(uuloc(this.fix, this.now())));
        return [];
      case 'none':
        return undefined;
    }
  }

  gnssPower(command: string): boolean | undefined {
    const { on, off } = gnssFlavourCommands(this.flavour.gnss);
    if (on.test(command)) return true;
    if (off.test(command)) return false;
    return undefined;
  }

  /** Final result codes and information lines, framed CR LF … CR LF (ATV1). */
  respond(lines: readonly string[], final = 'OK'): void {
    this.garbage();
    for (const line of lines) this.raw(`\r\n${line}\r\n`);
    this.raw(`\r\n${final}\r\n`);
  }

  final(result: string): void {
    this.respond([], result);
  }

  cmeError(code: number): void {
    if (this.state.cmee === 0) this.final('ERROR');
    else if (this.state.cmee === 1) this.final(`+CME ERROR: ${code}`);
    else this.final(`+CME ERROR: ${describeCme(code)?.name ?? code}`);
  }

  cmsError(code: number): void {
    this.final(this.state.cmee === 0 ? 'ERROR' : `+CMS ERROR: ${code}`);
  }

  /** An unsolicited line, with an optional body line (+CMT/+CDS PDU, text). */
  urc(line: string, body?: string): void {
    if (this.faults.has('hang') || this.closed) return;
    this.raw(`\r\n${line}\r\n${body === undefined ? '' : `${body}\r\n`}`);
  }

  later(task: () => void, ms = this.delayMs): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) task();
    }, ms);
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  raw(text: string): void {
    if (!this.closed) this.output(Buffer.from(text, 'latin1'));
  }

  private garbage(): void {
    if (this.faults.has('garbage')) this.output(Buffer.from([0xff, 0xfe, 0x00, 0x13, 0xf8, 0x80, 0x0d, 0x0a, 0xe1, 0xff]));
  }

  private initialSim(): Volatile['simState'] {
    return this.faults.has('no-sim') ? 'absent' : this.faults.has('sim-pin') ? 'pin' : 'ready';
  }

  private freshState(): Volatile {
    const memory = this.flavour.memory;
    return {
      echo: true,
      cmee: 0,
      cmgf: 0,
      csdh: 0,
      cscs: 'GSM',
      csmpFo: 17,
      cnmi: [2, 1, 0, 0, 0],
      csms: 0,
      pendingAcks: 0,
      readMemory: memory,
      writeMemory: memory,
      receiveMemory: memory,
      regUrc: { CREG: 0, CGREG: 0, CEREG: 0 },
      gnssOn: false,
      simState: this.initialSim(),
      functional: true,
    };
  }
}

/** `yy/MM/dd,hh:mm:ss±zz` (quarter hours), as text mode prints time stamps. */
export function textTimestamp(value: string | Date): string {
  const iso = typeof value === 'string' ? value : value.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!m) return '00/01/01,00:00:00+00';
  const quarters = Number(m[8]) * 4 + Number(m[9]) / 15;
  return `${m[1]}/${m[2]}/${m[3]},${m[4]}:${m[5]}:${m[6]}${m[7]}${String(quarters).padStart(2, '0')}`;
}
