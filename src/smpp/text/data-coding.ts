/**
 * Data coding: SMPP's data_coding (SMPP v3.4 §5.2.19) and the 3GPP TS 23.038 §4 SMS Data Coding
 * Scheme it extends. SMPP gives 0x00–0x0F its own meanings (0x00 "SMSC default", 0x03 Latin-1, …);
 * from 0x10 upward the octet is the 23.038 coding group, which the modem's TP-DCS uses throughout.
 */
import type { TextEncoding } from './encoding.js';

export type DcsAlphabet = 'gsm7' | '8bit' | 'ucs2';
export type MessageClass = 0 | 1 | 2 | 3;
export type MwiKind = 'voicemail' | 'fax' | 'email' | 'other';

/** A 23.038 data coding scheme, taken apart. */
export interface DataCodingScheme {
  /** Alphabet of the user data. Reserved alphabets read as GSM 7-bit, as 23.038 tells receivers to. */
  alphabet: DcsAlphabet;
  /** The coding group, for display and for round trips. */
  group: 'general' | 'autoDelete' | 'reserved' | 'mwiDiscard' | 'mwiStoreGsm7' | 'mwiStoreUcs2' | 'dataClass';
  /** Text compressed per 23.042: we cannot read it, so callers should treat it as octets. */
  compressed: boolean;
  messageClass?: MessageClass;
  /** Message waiting indication groups (1100, 1101, 1110). */
  mwi?: { active: boolean; kind: MwiKind; store: boolean };
  /** True when a reserved value was read as GSM 7-bit. */
  reserved: boolean;
}

const MWI_KINDS: readonly MwiKind[] = ['voicemail', 'fax', 'email', 'other'];

/** Takes a TP-DCS octet (23.038 §4) apart. Total: every value 0..255 has an answer. */
export function parseDcs(dcs: number): DataCodingScheme {
  const value = dcs & 0xff;
  const high = value >> 4;
  if (high <= 0x7) {
    // 00xx xxxx general data coding, 01xx xxxx the same marked for automatic deletion.
    const alphabetBits = (value >> 2) & 0x3;
    const scheme: DataCodingScheme = {
      alphabet: alphabetBits === 1 ? '8bit' : alphabetBits === 2 ? 'ucs2' : 'gsm7',
      group: high <= 0x3 ? 'general' : 'autoDelete',
      compressed: (value & 0x20) !== 0,
      reserved: alphabetBits === 3,
    };
    if ((value & 0x10) !== 0) scheme.messageClass = (value & 0x3) as MessageClass;
    return scheme;
  }
  if (high <= 0xb) return { alphabet: 'gsm7', group: 'reserved', compressed: false, reserved: true };
  if (high <= 0xe) {
    return {
      alphabet: high === 0xe ? 'ucs2' : 'gsm7',
      group: high === 0xc ? 'mwiDiscard' : high === 0xd ? 'mwiStoreGsm7' : 'mwiStoreUcs2',
      compressed: false,
      mwi: { active: (value & 0x08) !== 0, kind: MWI_KINDS[value & 0x3] ?? 'other', store: high !== 0xc },
      reserved: false,
    };
  }
  // 1111 xxxx: data coding / message class.
  return {
    alphabet: (value & 0x04) !== 0 ? '8bit' : 'gsm7',
    group: 'dataClass',
    compressed: false,
    messageClass: (value & 0x3) as MessageClass,
    reserved: false,
  };
}

/** Builds a TP-DCS octet: general group, or 1111 xxxx when a message class is wanted for GSM7/8-bit. */
export function buildDcs(alphabet: DcsAlphabet, options: { messageClass?: MessageClass; compressed?: boolean } = {}): number {
  const alphabetBits = alphabet === 'gsm7' ? 0 : alphabet === '8bit' ? 1 : 2;
  let dcs = alphabetBits << 2;
  if (options.compressed === true) dcs |= 0x20;
  if (options.messageClass !== undefined) dcs |= 0x10 | options.messageClass;
  return dcs;
}

/** SMPP data_coding for an encoding: gsm7 0x00 (SMSC default), ascii 0x01, latin1 0x03, binary 0x04, ucs2 0x08. */
export function dataCodingFor(encoding: TextEncoding): number {
  switch (encoding) {
    case 'gsm7':
      return 0x00;
    case 'ascii':
      return 0x01;
    case 'latin1':
      return 0x03;
    case 'binary':
      return 0x04;
    case 'ucs2':
      return 0x08;
  }
}

/**
 * The encoding of an SMPP data_coding value. 0x00 is the SMSC's default alphabet: GSM 7-bit almost
 * everywhere, but some SMSCs use Latin-1 or ASCII there, so `smscDefault` can say so. Character sets we do not decode (JIS 0x05, Cyrillic 0x06, Hebrew 0x07,
 * pictogram 0x09, ISO-2022-JP 0x0A, Kanji 0x0D, KS C 5601 0x0E) and compressed text are 'binary',
 * so their octets reach the caller intact rather than as wrong characters.
 */
export function encodingForDataCoding(dataCoding: number, options: { smscDefault?: TextEncoding } = {}): TextEncoding {
  const value = dataCoding & 0xff;
  switch (value) {
    case 0x00:
      return options.smscDefault ?? 'gsm7';
    case 0x01:
      return 'ascii';
    case 0x03:
      return 'latin1';
    case 0x08:
      return 'ucs2';
    default:
      if (value < 0x10) return 'binary';
  }
  const scheme = parseDcs(value);
  if (scheme.compressed) return 'binary';
  return scheme.alphabet === '8bit' ? 'binary' : scheme.alphabet;
}
