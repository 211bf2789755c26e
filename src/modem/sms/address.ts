/**
 * Address fields (3GPP TS 23.040 §9.1.2.5): a length, the type of address (TON/NPI), then the
 * number as swapped BCD semi-octets, or, for TON 101, an alphanumeric name packed as GSM 7-bit.
 * TP addresses count their length in semi-octets (digits); the SMSC address of the RP layer
 * (24.011), which modems put in front of the TPDU, counts octets including the type octet.
 */
import { gsm7Decode, gsm7Encode, gsm7Septets, packSeptets, unpackSeptets } from '../../smpp/index.js';
import { invalidPdu, type PduReader } from './reader.js';

export type AddressType = 'unknown' | 'international' | 'national' | 'network' | 'subscriber' | 'alphanumeric' | 'abbreviated' | 'reserved';

const TON_NAMES: readonly AddressType[] = ['unknown', 'international', 'national', 'network', 'subscriber', 'alphanumeric', 'abbreviated', 'reserved'];

export interface SmsAddress {
  /** Digits (with '+' for international numbers) or the alphanumeric name. */
  value: string;
  type: AddressType;
  /** The type-of-address octet, e.g. 0x91. */
  toa: number;
  /** Type of number (bits 6–4) and numbering plan identification (bits 3–0). */
  ton: number;
  npi: number;
}

/** What callers give when encoding: a string ('+4917…', '0170…', 'ACME') or the parts. */
export type AddressInput = string | { value: string; toa?: number };

/** BCD semi-octet digits: 0–9, then * # a b c for 1010–1110 (23.040 §9.1.2.3); 1111 is the filler. */
const DIGITS = '0123456789*#abc';

/** 23.040 §9.1.2.5: the address field is at most 12 octets, i.e. 20 digits. */
const MAX_DIGITS = 20;

export function decodeTpAddress(reader: PduReader, what: string): SmsAddress {
  const length = reader.octet(`${what} length`);
  const toa = reader.octet(`${what} type`);
  const ton = (toa >> 4) & 0x7;
  const type = TON_NAMES[ton] ?? 'unknown';
  if (length > MAX_DIGITS) throw invalidPdu(`${what} claims ${length} digits, at most ${MAX_DIGITS} fit`, { field: what, length });
  const octets = reader.take(Math.ceil(length / 2), what);
  if (type === 'alphanumeric') {
    const septets = Math.floor((length * 4) / 7);
    return { value: gsm7Decode(unpackSeptets(octets, septets)), type, toa, ton, npi: toa & 0xf };
  }
  return { value: withPlus(decodeDigits(octets, length), ton), type, toa, ton, npi: toa & 0xf };
}

/** The SMSC prefix modems give in PDU mode; undefined when its length octet is 0 ("use the stored SMSC"). */
export function decodeSmscAddress(reader: PduReader): SmsAddress | undefined {
  const length = reader.octet('SMSC length');
  if (length === 0) return undefined;
  if (length > 11) throw invalidPdu(`SMSC address claims ${length} octets, at most 11 fit`, { field: 'SMSC', length });
  const toa = reader.octet('SMSC type');
  const ton = (toa >> 4) & 0x7;
  const octets = reader.take(length - 1, 'SMSC address');
  const digits = decodeDigits(octets, octets.length * 2);
  const type = TON_NAMES[ton] ?? 'unknown';
  return { value: withPlus(digits, ton), type, toa, ton, npi: toa & 0xf };
}

export function encodeTpAddress(input: AddressInput): Buffer {
  const { value, toa } = resolveAddress(input);
  if (((toa >> 4) & 0x7) === 5) {
    const septets = gsm7Septets(value);
    if (septets === undefined || septets > 11) {
      throw invalidPdu(`alphanumeric address "${value}" must be at most 11 GSM 7-bit septets`, { value });
    }
    const packed = packSeptets(gsm7Encode(value));
    return Buffer.concat([Buffer.of(Math.ceil((septets * 7) / 4), toa), packed]);
  }
  const digits = stripPlus(value);
  if (digits.length > MAX_DIGITS) throw invalidPdu(`address "${value}" has more than ${MAX_DIGITS} digits`, { value });
  return Buffer.concat([Buffer.of(digits.length, toa), encodeDigits(digits)]);
}

/** The SMSC prefix; `undefined` gives the single octet 00 (the modem uses its stored SMSC). */
export function encodeSmscAddress(input: AddressInput | undefined): Buffer {
  if (input === undefined) return Buffer.of(0);
  const { value, toa } = resolveAddress(input);
  const digits = stripPlus(value);
  if (digits.length === 0) return Buffer.of(0);
  if (digits.length > MAX_DIGITS) throw invalidPdu(`SMSC address "${value}" has more than ${MAX_DIGITS} digits`, { value });
  const encoded = encodeDigits(digits);
  return Buffer.concat([Buffer.of(encoded.length + 1, toa), encoded]);
}

/**
 * '+…' → international (0x91); digits only → unknown/ISDN (0x81); anything else → alphanumeric (0xD0).
 * An explicit `toa` wins.
 */
export function resolveAddress(input: AddressInput): { value: string; toa: number } {
  const value = typeof input === 'string' ? input.trim() : input.value;
  if (typeof input !== 'string' && input.toa !== undefined) {
    if (!Number.isInteger(input.toa) || input.toa < 0x80 || input.toa > 0xff) {
      throw invalidPdu(`type of address must be 0x80..0xFF, got ${input.toa}`, { toa: input.toa });
    }
    if (((input.toa >> 4) & 0x7) !== 5) checkDialable(value);
    return { value, toa: input.toa };
  }
  // Letters a/b/c are semi-octet digits too, but a name like "abc" is far likelier: only an explicit toa makes them digits.
  if (/^\+[0-9*#]+$/.test(value)) return { value, toa: 0x91 };
  if (/^[0-9*#]+$/.test(value)) return { value, toa: 0x81 };
  if (value.length === 0) throw invalidPdu('address is empty');
  return { value, toa: 0xd0 };
}

function checkDialable(value: string): void {
  if (!/^\+?[0-9*#abc]*$/i.test(value)) throw invalidPdu(`address "${value}" has characters a semi-octet number cannot hold`, { value });
}

function stripPlus(value: string): string {
  return value.startsWith('+') ? value.slice(1) : value;
}

function withPlus(digits: string, ton: number): string {
  return ton === 1 && digits.length > 0 ? `+${digits}` : digits;
}

/** Swapped semi-octets → digits, stopping at `count` digits or the first filler nibble. */
export function decodeDigits(octets: Uint8Array, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const octet = octets[i >> 1] ?? 0xff;
    const nibble = i % 2 === 0 ? octet & 0x0f : octet >> 4;
    if (nibble === 0x0f) break;
    out += DIGITS[nibble] ?? '';
  }
  return out;
}

/** Digits → swapped semi-octets, an odd count padded with the filler F. */
export function encodeDigits(digits: string): Buffer {
  const out = Buffer.alloc(Math.ceil(digits.length / 2), 0xff);
  for (let i = 0; i < digits.length; i++) {
    const nibble = DIGITS.indexOf((digits[i] ?? '').toLowerCase());
    if (nibble < 0) throw invalidPdu(`"${digits}" has a character that is not a semi-octet digit`, { digits });
    const index = i >> 1;
    const current = out[index] ?? 0xff;
    out[index] = i % 2 === 0 ? (current & 0xf0) | nibble : (current & 0x0f) | (nibble << 4);
  }
  return out;
}
