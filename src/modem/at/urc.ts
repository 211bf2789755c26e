/**
 * Unsolicited result codes: recognising them (so the channel can pull them out of a response) and
 * parsing them into typed events. Formats: 27.005 §3.4.1 (+CMTI/+CMT/+CDS/+CDSI), 27.007 §7.2/§10.1
 * (+CREG/+CGREG/+CEREG), boot banners per family (REFERENCE.md §3).
 */
import { intField, quotedFlags, splitFields, splitPrefix } from './fields.js';

export type RegistrationKind = 'CREG' | 'CGREG' | 'CEREG';

export interface RegistrationState {
  readonly which: RegistrationKind;
  /** 27.007 <stat>: 0 idle, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming, 6/7 SMS-only, 8 emergency, 9/10 CSFB, 11 RLOS. */
  readonly stat: number;
  readonly lac?: string;
  readonly cellId?: string;
  readonly act?: number;
}

export type Urc =
  | { readonly kind: 'new-message'; readonly memory: string; readonly index: number; readonly line: string }
  | { readonly kind: 'message'; readonly mode: 'pdu'; readonly length: number; readonly pdu: string; readonly line: string }
  | { readonly kind: 'message'; readonly mode: 'text'; readonly fields: readonly string[]; readonly text: string; readonly line: string }
  | { readonly kind: 'status-report'; readonly mode: 'pdu'; readonly length: number; readonly pdu: string; readonly line: string }
  | { readonly kind: 'status-report'; readonly mode: 'text'; readonly fields: readonly string[]; readonly line: string }
  | { readonly kind: 'status-report-stored'; readonly memory: string; readonly index: number; readonly line: string }
  | { readonly kind: 'registration'; readonly state: RegistrationState; readonly line: string }
  | { readonly kind: 'ring'; readonly type: string; readonly line: string }
  | { readonly kind: 'caller-id'; readonly number: string; readonly toa: number | undefined; readonly line: string }
  | { readonly kind: 'call-ended'; readonly line: string }
  | { readonly kind: 'sim'; readonly state: string; readonly line: string }
  | { readonly kind: 'boot'; readonly line: string }
  | { readonly kind: 'ready'; readonly what: 'sms' | 'call' | 'phonebook'; readonly line: string }
  | { readonly kind: 'power'; readonly down: boolean; readonly line: string }
  | { readonly kind: 'gnss'; readonly line: string }
  | { readonly kind: 'vendor'; readonly line: string }
  | { readonly kind: 'unknown'; readonly line: string };

/** What must follow a URC header line before it is complete. */
export type UrcBody = { readonly kind: 'none' } | { readonly kind: 'pdu'; readonly length: number } | { readonly kind: 'text'; readonly length?: number };

const exactUrcs: ReadonlyMap<string, Urc['kind']> = new Map([
  ['RING', 'ring'],
  ['NO CARRIER', 'call-ended'],
  ['BUSY', 'call-ended'],
  ['NO ANSWER', 'call-ended'],
  ['RDY', 'boot'],
  ['START', 'boot'],
  ['^SYSSTART', 'boot'],
  ['Call Ready', 'ready'],
  ['SMS Ready', 'ready'],
  ['SMS DONE', 'ready'],
  ['PB DONE', 'ready'],
  ['NORMAL POWER DOWN', 'power'],
  ['UNDER-VOLTAGE POWER DOWN', 'power'],
  ['UNDER-VOLTAGE WARNNING', 'power'],
  ['UNDER-VOLTAGE WARNING', 'power'],
  ['OVER-VOLTAGE POWER DOWN', 'power'],
  ['OVER-VOLTAGE WARNNING', 'power'],
  ['OVER-VOLTAGE WARNING', 'power'],
  ['POWERED DOWN', 'power'],
]);

/** URC prefixes (the part before the colon). Registration/SIM prefixes are URCs only when no query claims them. */
const prefixUrcs: ReadonlyMap<string, Urc['kind']> = new Map([
  ['+CMTI', 'new-message'],
  ['+CMT', 'message'],
  ['+CDS', 'status-report'],
  ['+CDSI', 'status-report-stored'],
  ['+CREG', 'registration'],
  ['+CGREG', 'registration'],
  ['+CEREG', 'registration'],
  ['+C5GREG', 'vendor'],
  ['+CRING', 'ring'],
  ['+CLIP', 'caller-id'],
  ['+CPIN', 'sim'],
  ['+CFUN', 'vendor'],
  ['+QUSIM', 'vendor'],
  ['+QIND', 'vendor'],
  ['+CUSD', 'vendor'],
  ['+CGEV', 'vendor'],
  ['+CTZV', 'vendor'],
  ['+CTZE', 'vendor'],
  ['*PSUTTZ', 'vendor'],
  ['+PSUTTZ', 'vendor'],
  ['DST', 'vendor'],
  ['+CIEV', 'vendor'],
  ['+CSQN', 'vendor'],
  ['+CGPS', 'gnss'],
  ['+UULOC', 'gnss'],
  ['+QGPSURC', 'gnss'],
  ['+UUGIND', 'vendor'],
  ['+UUSORD', 'vendor'],
  ['+CMGRMI', 'vendor'],
  ['*ATREADY', 'boot'],
  ['+CBM', 'vendor'],
  ['+CDSI', 'status-report-stored'],
  ['+CSMINS', 'vendor'],
  ['+CPSI', 'vendor'],
  ['+QSIMSTAT', 'vendor'],
  ['+CSCON', 'vendor'],
  ['+APPRDY', 'vendor'],
  ['+CNETCI', 'vendor'],
]);

/** The URC kind of a line, or undefined when it does not look unsolicited. Huawei's caret lines (`^RSSI:`, `^MODE:`, …) are all URCs. */
export function urcKindOf(line: string): Urc['kind'] | undefined {
  const exact = exactUrcs.get(line);
  if (exact) return exact;
  const { prefix } = splitPrefix(line);
  if (prefix === '') return undefined;
  const known = prefixUrcs.get(prefix);
  if (known) return known;
  if (prefix === '^BOOT') return 'vendor';
  if (prefix.startsWith('^')) return 'vendor';
  return undefined;
}

/** The longest text-mode SMS body: 160 GSM characters, or 140 octets shown as 280 hex characters (8-bit, UCS-2). */
const maxTextBodyChars = 320;

/** The body a URC header announces: +CMT/+CDS in PDU mode a PDU line, +CMT in text mode the message text. */
export function urcBody(line: string): UrcBody {
  const { prefix, rest } = splitPrefix(line);
  if (prefix === '+CMT') {
    const fields = splitFields(rest);
    const quoted = quotedFlags(rest);
    // PDU mode: `+CMT: [<alpha>],<length>` — two fields, the first not an address (it may be "" though).
    if (fields.length === 2 && intField(fields[1]) !== undefined && (fields[0] === '' || quoted[0] === true) && !/^\+?\d{3,}$/.test(fields[0] ?? '')) {
      return { kind: 'pdu', length: intField(fields[1]) ?? 0 };
    }
    // Text mode with AT+CSDH=1 (27.005 §3.4.1): `+CMT: <oa>,[<alpha>],<scts>,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>`,
    // 10 fields once the quoted <scts> is one; without them the body is one line. A length no single SM
    // can have (a damaged line) is not believed: the body is then one line, so the channel never waits
    // for thousands of characters that will not come.
    const length = fields.length >= 10 ? intField(fields[fields.length - 1]) : undefined;
    return length === undefined || length > maxTextBodyChars ? { kind: 'text' } : { kind: 'text', length };
  }
  if (prefix === '+CDS') {
    const fields = splitFields(rest);
    const length = intField(fields[0]);
    if (fields.length === 1 && length !== undefined) return { kind: 'pdu', length };
  }
  return { kind: 'none' };
}

/** Expected hex characters of a PDU whose TPDU is `length` octets, given its first hex octet (the SMSC length). */
export function expectedPduChars(length: number, hexSoFar: string): number | undefined {
  const smscOctets = Number.parseInt(hexSoFar.slice(0, 2), 16);
  if (hexSoFar.length < 2 || Number.isNaN(smscOctets)) return undefined;
  return 2 * (1 + smscOctets + length);
}

/** Parses a complete URC (header plus its body, when it has one). Never throws: odd lines become `unknown`. */
export function parseUrc(line: string, body?: string): Urc {
  const kind = urcKindOf(line) ?? 'unknown';
  const { rest } = splitPrefix(line);
  const fields = splitFields(rest);
  switch (kind) {
    case 'new-message':
    case 'status-report-stored': {
      const index = intField(fields[1]);
      if (index === undefined) return { kind: 'unknown', line };
      return { kind, memory: fields[0] ?? '', index, line };
    }
    case 'message': {
      const shape = urcBody(line);
      if (shape.kind === 'pdu') return { kind: 'message', mode: 'pdu', length: shape.length, pdu: (body ?? '').toUpperCase(), line };
      return { kind: 'message', mode: 'text', fields, text: body ?? '', line };
    }
    case 'status-report': {
      const shape = urcBody(line);
      if (shape.kind === 'pdu') return { kind: 'status-report', mode: 'pdu', length: shape.length, pdu: (body ?? '').toUpperCase(), line };
      return { kind: 'status-report', mode: 'text', fields, line };
    }
    case 'registration': {
      const state = parseRegistration(line, false);
      return state ? { kind: 'registration', state, line } : { kind: 'unknown', line };
    }
    case 'ring':
      return { kind: 'ring', type: line === 'RING' ? 'VOICE' : (fields[0] ?? ''), line };
    case 'caller-id':
      return { kind: 'caller-id', number: fields[0] ?? '', toa: intField(fields[1]), line };
    case 'call-ended':
      return { kind: 'call-ended', line };
    case 'sim':
      return { kind: 'sim', state: rest.trim(), line };
    case 'boot':
      return { kind: 'boot', line };
    case 'ready':
      return { kind: 'ready', what: line.startsWith('SMS') ? 'sms' : line.startsWith('PB') ? 'phonebook' : 'call', line };
    case 'power':
      return { kind: 'power', down: line.includes('DOWN'), line };
    case 'gnss':
      return { kind: 'gnss', line };
    case 'vendor':
      // Quectel reports SMS/phonebook readiness as +QIND; A76xx as `*ATREADY: 1` (handled as boot above).
      if (/^\+QIND:\s*"?SMS DONE"?/i.test(line)) return { kind: 'ready', what: 'sms', line };
      if (/^\+QIND:\s*"?PB DONE"?/i.test(line)) return { kind: 'ready', what: 'phonebook', line };
      return { kind: 'vendor', line };
    case 'unknown':
      return { kind: 'unknown', line };
  }
}

/**
 * `+CREG: …` in either form. Solicited (answer to AT+CREG?): `<n>,<stat>[,<lac>,<ci>[,<AcT>]]`;
 * unsolicited: `<stat>[,<lac>,<ci>[,<AcT>]]`. The two look alike, so the caller says which it expects.
 */
export function parseRegistration(line: string, solicited: boolean): RegistrationState | undefined {
  const { prefix, rest } = splitPrefix(line);
  const which = prefix.slice(1);
  if (which !== 'CREG' && which !== 'CGREG' && which !== 'CEREG') return undefined;
  const fields = splitFields(rest);
  const offset = solicited ? 1 : 0;
  const stat = intField(fields[offset]);
  if (stat === undefined) {
    // `+CREG: 2,,` (Novatel, not registered): no stat printed means not registered.
    if (solicited && fields.length >= 2 && fields[1] === '') return { which, stat: 0 };
    return undefined;
  }
  const lac = fields[offset + 1];
  const cellId = fields[offset + 2];
  // CEREG with n=4/5 inserts [<rac>] etc.; we keep the first three location fields only.
  const act = intField(fields[offset + 3]);
  return {
    which,
    stat,
    ...(lac !== undefined && lac !== '' ? { lac: lac.toUpperCase() } : {}),
    ...(cellId !== undefined && cellId !== '' ? { cellId: cellId.toUpperCase() } : {}),
    ...(act !== undefined ? { act } : {}),
  };
}

/**
 * Whether a `+CxREG:` line seen while `AT+CxREG?` is outstanding is the answer (n,stat,…) or a URC that
 * slipped in (stat,lac,ci…): in the answer the second field is a small integer <stat>.
 */
export function isSolicitedRegistration(line: string): boolean {
  const fields = splitFields(splitPrefix(line).rest);
  if (fields.length < 2) return false;
  const second = fields[1] ?? '';
  if (second === '') return true;
  const stat = intField(second);
  return stat !== undefined && stat <= 11 && !/"/.test(line.split(',')[1] ?? '');
}
