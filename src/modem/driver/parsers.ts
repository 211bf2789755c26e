/**
 * Pure parsers for the answers the driver reads: +CPIN, +CSQ, +COPS, +CPMS, +CMGS, +CSCA, identity lines,
 * and the richer per-model signal answers. Each takes the information lines of one response and never throws
 * on odd input: it returns undefined (or an `unknown` state) and the caller decides.
 */
import { intField, splitFields, splitPrefix } from '../at/fields.js';
import type { SignalParserName } from '../profile/types.js';

export type SimState =
  | 'ready'
  | 'pin-required'
  | 'puk-required'
  | 'pin2-required'
  | 'puk2-required'
  | 'phone-lock'
  | 'not-inserted'
  | 'not-ready'
  | 'failure'
  | 'busy'
  | 'unknown';

/** `+CPIN: READY` / `SIM PIN` / … (also Huawei `^CPIN: READY,,10,3,10,3`) and the URC forms. */
export function simStateFromText(text: string): SimState {
  const value: string = text.trim().toUpperCase().split(',')[0]?.trim() ?? '';
  switch (value) {
    case 'READY':
      return 'ready';
    case 'SIM PIN':
      return 'pin-required';
    case 'SIM PUK':
      return 'puk-required';
    case 'SIM PIN2':
      return 'pin2-required';
    case 'SIM PUK2':
      return 'puk2-required';
    case 'PH-SIM PIN':
    case 'PH-NET PIN':
    case 'PH-FSIM PIN':
      return 'phone-lock';
    case 'NOT INSERTED':
    case 'SIM REMOVED':
    case 'ABSENT':
      return 'not-inserted';
    case 'NOT READY':
      return 'not-ready';
    default:
      return 'unknown';
  }
}

export function parseCpin(lines: readonly string[]): SimState {
  for (const line of lines) {
    const { prefix, rest } = splitPrefix(line);
    if (prefix === '+CPIN' || prefix === '^CPIN') return simStateFromText(rest);
  }
  return 'unknown';
}

/** SIM state implied by a +CME error code when AT+CPIN? itself fails. */
export function simStateFromCme(code: number | undefined): SimState {
  switch (code ?? -1) {
    case 10:
      return 'not-inserted';
    case 11:
      return 'pin-required';
    case 12:
      return 'puk-required';
    case 13:
    case 15:
      return 'failure';
    case 14:
      return 'busy';
    default:
      return 'unknown';
  }
}

export interface SignalQuality {
  /** 27.007 <rssi> 0..31, 99 unknown. */
  readonly rssi: number;
  /** RSSI in dBm (-113 + 2·rssi), null when unknown. */
  readonly rssiDbm: number | null;
  /** RXQUAL 0..7, null when unknown (LTE modems always print 99). */
  readonly ber: number | null;
}

export function parseCsq(lines: readonly string[]): SignalQuality | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+CSQ');
  if (line === undefined) return undefined;
  const fields = splitFields(splitPrefix(line).rest);
  const rssi = intField(fields[0]);
  const ber = intField(fields[1]);
  if (rssi === undefined) return undefined;
  return { rssi, rssiDbm: rssiToDbm(rssi), ber: ber === undefined || ber === 99 || ber > 7 ? null : ber };
}

export function rssiToDbm(rssi: number): number | null {
  if (rssi < 0 || rssi > 31) return null;
  return -113 + 2 * rssi;
}

/** Richer figures some models give (LTE RSRP/RSRQ/SINR); every field optional. */
export interface ExtendedSignal {
  readonly source: string;
  readonly rat?: string;
  readonly rsrpDbm?: number;
  readonly rsrqDb?: number;
  readonly rssiDbm?: number;
  readonly sinrDb?: number;
}

/** 27.007 +CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp> (index values, 99/255 unknown). */
export function parseCesq(lines: readonly string[]): ExtendedSignal | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+CESQ');
  if (line === undefined) return undefined;
  const f = splitFields(splitPrefix(line).rest).map((v) => intField(v));
  const rsrq = f[4];
  const rsrp = f[5];
  const rxlev = f[0];
  return {
    source: '+CESQ',
    ...(rsrp !== undefined && rsrp !== 255 ? { rsrpDbm: -141 + rsrp, rat: 'LTE' } : {}),
    ...(rsrq !== undefined && rsrq !== 255 ? { rsrqDb: -20 + rsrq / 2 } : {}),
    ...(rxlev !== undefined && rxlev !== 99 ? { rssiDbm: -111 + rxlev } : {}),
  };
}

/**
 * Quectel +QCSQ: "<sysmode>",<value1>[,<value2>…]; LTE: "LTE",<rssi>,<rsrp>,<sinr>,<rsrq> (sinr in 1/5 dB steps
 * offset, per the EC25 manual: SINR = value/5 - 20). GSM: "GSM",<gsm_rssi>; WCDMA: "WCDMA",<rssi>,<rscp>,<ecio>.
 */
export function parseQcsq(lines: readonly string[]): ExtendedSignal | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+QCSQ');
  if (line === undefined) return undefined;
  const fields = splitFields(splitPrefix(line).rest);
  const rat = fields[0] ?? '';
  const n = fields.slice(1).map((v) => intField(v));
  if (rat === 'LTE' || rat === 'CAT-M' || rat === 'CAT-NB' || rat === 'eMTC' || rat === 'NBIoT') {
    return {
      source: '+QCSQ',
      rat,
      ...(n[0] !== undefined ? { rssiDbm: n[0] } : {}),
      ...(n[1] !== undefined ? { rsrpDbm: n[1] } : {}),
      ...(n[2] !== undefined ? { sinrDb: n[2] / 5 - 20 } : {}),
      ...(n[3] !== undefined ? { rsrqDb: n[3] } : {}),
    };
  }
  return { source: '+QCSQ', rat, ...(n[0] !== undefined ? { rssiDbm: n[0] } : {}) };
}

/**
 * SIMCom +CPSI?: LTE `+CPSI: LTE,Online,460-00,0x5A1E,187214780,257,EUTRAN-BAND3,1300,5,5,-94,-850,-545,15`
 * (…,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>); GSM `+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42`.
 * SIM7600 prints LTE RSRQ/RSRP/RSSI in tenths of dB (-94 → -9.4 dB, -850 → -85.0 dBm); SIM7000 prints whole dB,
 * so values beyond the physical range of whole dB are taken as tenths.
 */
export function parseCpsi(lines: readonly string[]): ExtendedSignal | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+CPSI');
  if (line === undefined) return undefined;
  const fields = splitFields(splitPrefix(line).rest);
  const rat = fields[0] ?? '';
  if (rat === 'LTE' || rat.startsWith('CAT')) {
    const rsrq = intField(fields[10]);
    const rsrp = intField(fields[11]);
    const rssi = intField(fields[12]);
    const sinr = intField(fields[13]);
    const tenths = (v: number): number => (Math.abs(v) > 200 ? v / 10 : v);
    return {
      source: '+CPSI',
      rat,
      ...(rsrp !== undefined ? { rsrpDbm: tenths(rsrp) } : {}),
      ...(rsrq !== undefined ? { rsrqDb: Math.abs(rsrq) > 40 ? rsrq / 10 : rsrq } : {}),
      ...(rssi !== undefined ? { rssiDbm: tenths(rssi) } : {}),
      ...(sinr !== undefined ? { sinrDb: sinr } : {}),
    };
  }
  return { source: '+CPSI', rat };
}

/** The profile's richer signal answer, by parser name. */
export function parseExtendedSignal(parser: SignalParserName, lines: readonly string[]): ExtendedSignal | undefined {
  switch (parser) {
    case 'cesq':
      return parseCesq(lines);
    case 'simcom-cpsi':
      return parseCpsi(lines);
    case 'quectel-qcsq':
      return parseQcsq(lines);
    case 'none':
      return undefined;
  }
}

export interface OperatorInfo {
  readonly mode: number;
  readonly name?: string;
  readonly format?: number;
  /** 27.007 <AcT>: 0 GSM, 2 UTRAN, 7 E-UTRAN, 8 EC-GSM-IoT, 9 NB-IoT… */
  readonly act?: number;
}

export function parseCops(lines: readonly string[]): OperatorInfo | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+COPS');
  if (line === undefined) return undefined;
  const fields = splitFields(splitPrefix(line).rest);
  const mode = intField(fields[0]);
  if (mode === undefined) return undefined;
  const format = intField(fields[1]);
  const name = fields[2];
  const act = intField(fields[3]);
  return { mode, ...(format !== undefined ? { format } : {}), ...(name ? { name } : {}), ...(act !== undefined ? { act } : {}) };
}

export interface StorageUsage {
  readonly memory: string;
  readonly used: number;
  readonly total: number;
}

/** Set answer `+CPMS: 0,30,0,30,0,30` (memories given by the caller) or query answer `+CPMS: "ME",0,25,…`. */
export function parseCpms(lines: readonly string[], memories: readonly string[] = []): StorageUsage[] {
  const line = lines.find((l) => splitPrefix(l).prefix === '+CPMS');
  if (line === undefined) return [];
  const fields = splitFields(splitPrefix(line).rest);
  const out: StorageUsage[] = [];
  if (fields.length > 0 && intField(fields[0]) === undefined) {
    for (let i = 0; i + 2 < fields.length + 1; i += 3) {
      const used = intField(fields[i + 1]);
      const total = intField(fields[i + 2]);
      if (used !== undefined && total !== undefined) out.push({ memory: fields[i] ?? '', used, total });
    }
    return out;
  }
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const used = intField(fields[i]);
    const total = intField(fields[i + 1]);
    if (used !== undefined && total !== undefined) out.push({ memory: memories[i / 2] ?? '', used, total });
  }
  return out;
}

/** `+CMGS: 13` (or Quectel `+QCMGS: 190`): the TP-MR the SMSC acknowledged, 0..255. */
export function parseMessageReference(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const { prefix, rest } = splitPrefix(line);
    if (prefix === '+CMGS' || prefix === '+QCMGS' || prefix === '+CMSS') return intField(splitFields(rest)[0]);
  }
  return undefined;
}

/** `+CSCA: "+2782913593",145`; with CSCS=UCS2 the number is UCS2 hex and decoded here. */
export function parseCsca(lines: readonly string[]): string | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === '+CSCA');
  if (line === undefined) return undefined;
  const value = splitFields(splitPrefix(line).rest)[0] ?? '';
  if (/^(00[0-9A-F]{2})+$/i.test(value) && value.length >= 8) {
    return String.fromCharCode(...(value.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  }
  return value;
}

/** The first run of `min..max` digits in the lines (IMEI 15, IMSI 15, ICCID 19-20), prefixed or not. */
export function parseDigits(lines: readonly string[], min: number, max: number): string | undefined {
  for (const line of lines) {
    const value = splitPrefix(line).prefix === '' ? line : splitPrefix(line).rest;
    const match = new RegExp(`(?:^|[^0-9A-F])([0-9]{${min},${max}}[0-9F]?)(?:$|[^0-9])`, 'i').exec(` ${value.replace(/"/g, '')} `);
    if (match?.[1]) return match[1].replace(/F$/i, '');
  }
  return undefined;
}

/** ICCID from +CCID / +ICCID / +QCCID / a bare line, or from AT+CRSM=176,12258 (EF_ICCID, nibble-swapped BCD). */
export function parseIccid(lines: readonly string[]): string | undefined {
  const crsm = lines.find((l) => splitPrefix(l).prefix === '+CRSM');
  if (crsm !== undefined) {
    const fields = splitFields(splitPrefix(crsm).rest);
    if (intField(fields[0]) !== 144) return undefined;
    const hex = fields[2] ?? '';
    let digits = '';
    for (let i = 0; i + 1 < hex.length; i += 2) digits += `${hex[i + 1] ?? ''}${hex[i] ?? ''}`;
    return digits.replace(/F+$/i, '');
  }
  return parseDigits(lines, 18, 21);
}

/** Firmware / model text: the information lines joined, `+CGMR:` prefixes removed. */
export function parseText(lines: readonly string[]): string | undefined {
  const text = lines
    .map((l) => (/^\+[A-Z]+:/.test(l) ? splitPrefix(l).rest.trim() : l.trim()))
    .filter((l) => l.length > 0)
    .join(' ');
  return text === '' ? undefined : text;
}

export interface StoredPdu {
  readonly index: number | undefined;
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT; undefined when the modem omits it (ZTE). */
  readonly stat: number | undefined;
  readonly length: number;
  readonly pdu: string;
}

/** PDU-mode +CMGL (several) or +CMGR (one, no index) records. Header: last field is the TPDU length. */
export function parseStoredPdus(lines: readonly string[], readIndex?: number): StoredPdu[] {
  const out: StoredPdu[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const { prefix, rest } = splitPrefix(line);
    if (prefix !== '+CMGL' && prefix !== '+CMGR' && prefix !== '+CMGRD') continue;
    const fields = splitFields(rest);
    const length = intField(fields[fields.length - 1]);
    const pdu = lines[i + 1];
    if (length === undefined || pdu === undefined || !/^[0-9A-F]+$/i.test(pdu)) continue;
    const isList = prefix === '+CMGL';
    out.push({ index: isList ? intField(fields[0]) : readIndex, stat: intField(isList ? fields[1] : fields[0]), length, pdu: pdu.toUpperCase() });
    i++;
  }
  return out;
}

/** Text-mode +CMGR/+CMGL/+CMT record: header fields and body lines up to the next header. */
export interface StoredText {
  readonly index: number | undefined;
  readonly status: string;
  readonly sender: string;
  readonly timestamp: string;
  readonly text: string;
}

export function parseStoredTexts(lines: readonly string[], readIndex?: number): StoredText[] {
  const out: StoredText[] = [];
  let current: { index: number | undefined; status: string; sender: string; timestamp: string; body: string[] } | undefined;
  const flush = (): void => {
    if (current) out.push({ index: current.index, status: current.status, sender: current.sender, timestamp: current.timestamp, text: current.body.join('\n') });
  };
  for (const line of lines) {
    const { prefix, rest } = splitPrefix(line);
    if (prefix === '+CMGL' || prefix === '+CMGR') {
      flush();
      const fields = splitFields(rest);
      const isList = prefix === '+CMGL';
      const f = isList ? fields.slice(1) : fields;
      current = { index: isList ? intField(fields[0]) : readIndex, status: f[0] ?? '', sender: f[1] ?? '', timestamp: f[3] ?? '', body: [] };
    } else if (current) {
      current.body.push(line);
    }
  }
  flush();
  return out;
}

/**
 * Text-mode time stamp `"yy/MM/dd,hh:mm:ss±zz"` (zz in quarter hours) → ISO 8601 with offset, e.g.
 * `13/03/08,15:02:16+08` → `2013-03-08T15:02:16+02:00`.
 */
export function textTimestampToIso(value: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-])(\d{1,2})$/.exec(value.trim());
  if (!m) return undefined;
  const quarters = Number(m[8]);
  const hh = String(Math.floor(quarters / 4)).padStart(2, '0');
  const mm = String((quarters % 4) * 15).padStart(2, '0');
  return `20${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}${hh}:${mm}`;
}
