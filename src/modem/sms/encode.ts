/**
 * Encoding single SMS TPDUs with the SMSC prefix modems expect in PDU mode. SMS-SUBMIT is what
 * we send (AT+CMGS); SMS-DELIVER and SMS-STATUS-REPORT are what the modem emulator produces.
 */
import { buildDcs, gsm7Encode, gsm7Septets, parseDcs, ucs2Encode, type DcsAlphabet, type MessageClass, type UdhElement } from './deps.js';
import { encodeSmscAddress, encodeTpAddress, type AddressInput } from './address.js';
import { invalidPdu } from './reader.js';
import { encodeTimestamp } from './timestamp.js';
import { encodeUserData } from './userData.js';
import { encodeValidity, VPF_BITS, type ValidityInput } from './validity.js';

/** A PDU ready for the modem. */
export interface EncodedSmsPdu {
  /** Upper-case hex, SMSC prefix included: what is typed after the `> ` prompt. */
  hex: string;
  bytes: Buffer;
  /** TPDU octets, SMSC prefix excluded: the number in AT+CMGS=<length> (27.005 §3.5.1). */
  tpduLength: number;
}

/** Text in an alphabet ('auto': GSM 7-bit when it fits, else UCS-2), or 8-bit data. */
export type UserDataInput =
  | { text: string; alphabet?: 'gsm7' | 'ucs2' | 'auto'; header?: UdhElement[] }
  | { data: Uint8Array; header?: UdhElement[] }
  /** Already encoded: unpacked septets (gsm7) or UTF-16BE octets (ucs2), as the text layer's splitText gives them. */
  | { encoded: Uint8Array; alphabet: 'gsm7' | 'ucs2'; header?: UdhElement[] };

interface CommonFields {
  /** SMSC prefix; omitted: 00, the modem uses its stored SMSC (AT+CSCA). */
  smsc?: AddressInput;
  pid?: number;
  /** A raw TP-DCS; otherwise built from the alphabet and messageClass. */
  dcs?: number;
  messageClass?: MessageClass;
  userData: UserDataInput;
}

export interface SubmitFields extends CommonFields {
  destination: AddressInput;
  /** TP-MR, default 0 (modems usually substitute their own and return it in +CMGS). */
  mr?: number;
  validity?: ValidityInput;
  statusReportRequest?: boolean;
  rejectDuplicates?: boolean;
  replyPath?: boolean;
}

export interface DeliverFields extends CommonFields {
  originator: AddressInput;
  scts: string | Date;
  /** Default false (TP-MMS set: no more messages waiting). */
  moreMessagesToSend?: boolean;
  loopPrevention?: boolean;
  statusReportIndication?: boolean;
  replyPath?: boolean;
}

export interface StatusReportFields {
  smsc?: AddressInput;
  mr: number;
  recipient: AddressInput;
  scts: string | Date;
  dischargeTime: string | Date;
  /** TP-ST, e.g. 0x00 delivered. */
  status: number;
  statusReportQualifier?: 'submit' | 'command';
  moreMessagesToSend?: boolean;
  loopPrevention?: boolean;
  /** Emit a TP-PI octet even with no optional fields (some SCs send 00). */
  parameterIndicator?: number;
}

export function encodeSubmitPdu(fields: SubmitFields): EncodedSmsPdu {
  const { dcs, payload, header } = prepareUserData(fields);
  const { udl, ud } = encodeUserData(parseDcs(dcs).alphabet, payload, header);
  const validity = encodeValidity(fields.validity);
  let fo = 0x01 | (VPF_BITS[validity.format] << 3);
  if (fields.rejectDuplicates === true) fo |= 0x04;
  if (fields.statusReportRequest === true) fo |= 0x20;
  if (header !== undefined && header.length > 0) fo |= 0x40;
  if (fields.replyPath === true) fo |= 0x80;
  const tpdu = Buffer.concat([
    Buffer.of(fo, octet('TP-MR', fields.mr ?? 0)),
    encodeTpAddress(fields.destination),
    Buffer.of(octet('TP-PID', fields.pid ?? 0), dcs),
    validity.octets,
    Buffer.of(udl),
    ud,
  ]);
  return finish(encodeSmscAddress(fields.smsc), tpdu);
}

export function encodeDeliverPdu(fields: DeliverFields): EncodedSmsPdu {
  const { dcs, payload, header } = prepareUserData(fields);
  const { udl, ud } = encodeUserData(parseDcs(dcs).alphabet, payload, header);
  let fo = 0x00;
  if (fields.moreMessagesToSend !== true) fo |= 0x04;
  if (fields.loopPrevention === true) fo |= 0x08;
  if (fields.statusReportIndication === true) fo |= 0x20;
  if (header !== undefined && header.length > 0) fo |= 0x40;
  if (fields.replyPath === true) fo |= 0x80;
  const tpdu = Buffer.concat([
    Buffer.of(fo),
    encodeTpAddress(fields.originator),
    Buffer.of(octet('TP-PID', fields.pid ?? 0), dcs),
    encodeTimestamp(fields.scts),
    Buffer.of(udl),
    ud,
  ]);
  return finish(encodeSmscAddress(fields.smsc), tpdu);
}

export function encodeStatusReportPdu(fields: StatusReportFields): EncodedSmsPdu {
  let fo = 0x02;
  if (fields.moreMessagesToSend !== true) fo |= 0x04;
  if (fields.loopPrevention === true) fo |= 0x08;
  if (fields.statusReportQualifier === 'command') fo |= 0x20;
  const parts = [
    Buffer.of(fo, octet('TP-MR', fields.mr)),
    encodeTpAddress(fields.recipient),
    encodeTimestamp(fields.scts),
    encodeTimestamp(fields.dischargeTime),
    Buffer.of(octet('TP-ST', fields.status)),
  ];
  if (fields.parameterIndicator !== undefined) parts.push(Buffer.of(octet('TP-PI', fields.parameterIndicator)));
  return finish(encodeSmscAddress(fields.smsc), Buffer.concat(parts));
}

function prepareUserData(fields: CommonFields): { dcs: number; payload: Buffer; header: UdhElement[] | undefined } {
  const input = fields.userData;
  const header = input.header;
  if ('data' in input) {
    const dcs = fields.dcs ?? buildDcs('8bit', classOption(fields.messageClass));
    return { dcs: octet('TP-DCS', dcs), payload: Buffer.from(input.data), header };
  }
  if ('encoded' in input) {
    const dcs = fields.dcs ?? buildDcs(input.alphabet, classOption(fields.messageClass));
    if (parseDcs(dcs).alphabet !== input.alphabet) throw invalidPdu(`TP-DCS 0x${dcs.toString(16)} does not say ${input.alphabet}`, { dcs });
    return { dcs: octet('TP-DCS', dcs), payload: Buffer.from(input.encoded), header };
  }
  let alphabet: DcsAlphabet;
  if (fields.dcs !== undefined) {
    alphabet = parseDcs(fields.dcs).alphabet;
    if (alphabet === '8bit') throw invalidPdu('TP-DCS says 8-bit data but text was given', { dcs: fields.dcs });
  } else {
    const wanted = input.alphabet ?? 'auto';
    alphabet = wanted === 'auto' ? (canGsm7(input.text) ? 'gsm7' : 'ucs2') : wanted;
  }
  const dcs = fields.dcs ?? buildDcs(alphabet, classOption(fields.messageClass));
  let payload: Buffer;
  try {
    payload = alphabet === 'gsm7' ? gsm7Encode(input.text) : ucs2Encode(input.text);
  } catch (e) {
    throw invalidPdu(`text cannot be encoded as ${alphabet}`, { alphabet }, e);
  }
  return { dcs: octet('TP-DCS', dcs), payload, header };
}

function canGsm7(text: string): boolean {
  return gsm7Septets(text) !== undefined;
}

function classOption(messageClass: MessageClass | undefined): { messageClass?: MessageClass } {
  return messageClass === undefined ? {} : { messageClass };
}

function octet(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw invalidPdu(`${what} must be 0..255, got ${value}`, { field: what, value });
  return value;
}

function finish(smsc: Buffer, tpdu: Buffer): EncodedSmsPdu {
  const bytes = Buffer.concat([smsc, tpdu]);
  return { hex: bytes.toString('hex').toUpperCase(), bytes, tpduLength: tpdu.length };
}
