/**
 * TP-Validity-Period (3GPP TS 23.040 §9.2.3.12): relative (one octet), absolute (a time stamp)
 * or enhanced (seven octets, §9.2.3.12.3). TP-VPF in the first octet says which is present.
 */
import { decodeTimestamp, encodeTimestamp } from './timestamp.js';
import { decodeDigits } from './address.js';
import { invalidPdu } from './reader.js';

export type ValidityPeriodFormat = 'none' | 'enhanced' | 'relative' | 'absolute';

/** Two-bit TP-VPF value (first octet bits 4–3) for each format. */
export const VPF_BITS: Readonly<Record<ValidityPeriodFormat, number>> = { none: 0, enhanced: 1, relative: 2, absolute: 3 };
export const VPF_NAMES: readonly ValidityPeriodFormat[] = ['none', 'enhanced', 'relative', 'absolute'];

export type ValidityPeriod =
  | { format: 'relative'; raw: number; seconds: number }
  | { format: 'absolute'; time?: string; raw: Buffer }
  | { format: 'enhanced'; raw: Buffer; singleShot: boolean; seconds?: number };

/** What callers give when encoding. */
export type ValidityInput =
  | { relativeSeconds: number }
  | { relativeRaw: number }
  | { absolute: string | Date }
  | { enhanced: Buffer };

/** TP-VP relative octet → seconds: 5 min steps to 12 h, 30 min to 24 h, days to 30, then weeks. */
export function relativeVpSeconds(raw: number): number {
  const v = raw & 0xff;
  if (v <= 143) return (v + 1) * 5 * 60;
  if (v <= 167) return 12 * 3600 + (v - 143) * 30 * 60;
  if (v <= 196) return (v - 166) * 86400;
  return (v - 192) * 7 * 86400;
}

/** The smallest relative period that lasts at least `seconds` (capped at 63 weeks, 0xFF). */
export function relativeVpFor(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw invalidPdu(`validity period must be a positive number of seconds, got ${seconds}`);
  for (let raw = 0; raw <= 0xff; raw++) if (relativeVpSeconds(raw) >= seconds) return raw;
  return 0xff;
}

export function decodeValidity(format: ValidityPeriodFormat, octets: Buffer): ValidityPeriod | undefined {
  switch (format) {
    case 'none':
      return undefined;
    case 'relative': {
      const raw = octets[0] ?? 0;
      return { format, raw, seconds: relativeVpSeconds(raw) };
    }
    case 'absolute': {
      const time = decodeTimestamp(octets);
      return time === undefined ? { format, raw: Buffer.from(octets) } : { format, time, raw: Buffer.from(octets) };
    }
    case 'enhanced':
      return decodeEnhanced(Buffer.from(octets));
  }
}

/** Octets the validity field occupies for a format. */
export function validityLength(format: ValidityPeriodFormat): number {
  return format === 'none' ? 0 : format === 'relative' ? 1 : 7;
}

export function encodeValidity(input: ValidityInput | undefined): { format: ValidityPeriodFormat; octets: Buffer } {
  if (input === undefined) return { format: 'none', octets: Buffer.alloc(0) };
  if ('relativeSeconds' in input) return { format: 'relative', octets: Buffer.of(relativeVpFor(input.relativeSeconds)) };
  if ('relativeRaw' in input) {
    if (!Number.isInteger(input.relativeRaw) || input.relativeRaw < 0 || input.relativeRaw > 0xff) {
      throw invalidPdu(`relative validity must be 0..255, got ${input.relativeRaw}`);
    }
    return { format: 'relative', octets: Buffer.of(input.relativeRaw) };
  }
  if ('absolute' in input) return { format: 'absolute', octets: encodeTimestamp(input.absolute) };
  if (input.enhanced.length !== 7) throw invalidPdu(`enhanced validity period must be 7 octets, got ${input.enhanced.length}`);
  return { format: 'enhanced', octets: Buffer.from(input.enhanced) };
}

/** §9.2.3.12.3: bit 6 single shot, bits 2–0 the format of what follows. */
function decodeEnhanced(raw: Buffer): ValidityPeriod {
  const indicator = raw[0] ?? 0;
  const singleShot = (indicator & 0x40) !== 0;
  const kind = indicator & 0x07;
  const base = { format: 'enhanced' as const, raw, singleShot };
  if ((indicator & 0x80) !== 0) return base; // extension octets: not defined further, keep raw
  switch (kind) {
    case 1:
      return { ...base, seconds: relativeVpSeconds(raw[1] ?? 0) };
    case 2:
      return { ...base, seconds: raw[1] ?? 0 };
    case 3: {
      const hms = decodeDigits(raw.subarray(1, 4), 6);
      if (!/^\d{6}$/.test(hms)) return base;
      return { ...base, seconds: Number(hms.slice(0, 2)) * 3600 + Number(hms.slice(2, 4)) * 60 + Number(hms.slice(4, 6)) };
    }
    default:
      return base;
  }
}
