/**
 * National language shift tables (3GPP TS 23.038 Annex A), selected per message by the UDH
 * elements 0x24 (single shift: replaces the extension table) and 0x25 (locking shift: replaces
 * the default alphabet), 23.040 §9.2.3.24.15–16. Turkish operators send them; a decoder that
 * ignores them turns 'ş' into '@'-like garbage. We decode the Latin-script tables: Turkish (1),
 * Spanish (2, single shift only) and Portuguese (3). The Indic tables (4–13) are not carried;
 * text using them decodes with the default tables and the caller is told so.
 */
import { GSM7_ESCAPE, gsm7ExtensionChar } from './gsm7.js';

export type NationalLanguage = 'turkish' | 'spanish' | 'portuguese';

/** 23.038 Table 6.2.1.2.4.1 language identifiers. */
export const NATIONAL_LANGUAGE_IDS: Readonly<Record<number, NationalLanguage>> = { 1: 'turkish', 2: 'spanish', 3: 'portuguese' };

/** Locking shift tables as 128 characters in septet order (0x1B, the escape, is a placeholder space). */
const LOCKING: Readonly<Record<number, string>> = {
  // A.3.1 Turkish
  1:
    '@£$¥€éùıòÇ\nĞğ\rÅå' +
    'Δ_ΦΓΛΩΠΨΣΘΞ ŞşßÉ' +
    ' !"#¤%&\'()*+,-./' +
    '0123456789:;<=>?' +
    'İABCDEFGHIJKLMNO' +
    'PQRSTUVWXYZÄÖÑÜ§' +
    'çabcdefghijklmno' +
    'pqrstuvwxyzäöñüà',
  // A.3.3 Portuguese
  3:
    '@£$¥êéúíóç\nÔô\rÁá' +
    'Δ_ªÇÀ∞^\\€Ó| ÂâÊÉ' +
    ' !"#º%&\'()*+,-./' +
    '0123456789:;<=>?' +
    'ÍABCDEFGHIJKLMNO' +
    'PQRSTUVWXYZÃÕÚÜ§' +
    '~abcdefghijklmno' +
    'pqrstuvwxyzãõ`üà',
};

/** Single shift tables: septet after the escape → character. */
const SINGLE: Readonly<Record<number, ReadonlyMap<number, string>>> = {
  // A.2.1 Turkish
  1: new Map([
    [0x0a, '\f'], [0x14, '^'], [0x28, '{'], [0x29, '}'], [0x2f, '\\'], [0x3c, '['], [0x3d, '~'], [0x3e, ']'],
    [0x40, '|'], [0x47, 'Ğ'], [0x49, 'İ'], [0x53, 'Ş'], [0x63, 'ç'], [0x65, '€'], [0x67, 'ğ'], [0x69, 'ı'], [0x73, 'ş'],
  ]),
  // A.2.2 Spanish
  2: new Map([
    [0x09, 'ç'], [0x0a, '\f'], [0x14, '^'], [0x28, '{'], [0x29, '}'], [0x2f, '\\'], [0x3c, '['], [0x3d, '~'], [0x3e, ']'],
    [0x40, '|'], [0x41, 'Á'], [0x49, 'Í'], [0x4f, 'Ó'], [0x55, 'Ú'], [0x61, 'á'], [0x65, '€'], [0x69, 'í'], [0x6f, 'ó'], [0x75, 'ú'],
  ]),
  // A.2.3 Portuguese
  3: new Map([
    [0x05, 'ê'], [0x09, 'ç'], [0x0a, '\f'], [0x0b, 'Ô'], [0x0c, 'ô'], [0x0e, 'Á'], [0x0f, 'á'],
    [0x12, 'Φ'], [0x13, 'Γ'], [0x14, '^'], [0x15, 'Ω'], [0x16, 'Π'], [0x17, 'Ψ'], [0x18, 'Σ'], [0x19, 'Θ'], [0x1f, 'Ê'],
    [0x28, '{'], [0x29, '}'], [0x2f, '\\'], [0x3c, '['], [0x3d, '~'], [0x3e, ']'],
    [0x40, '|'], [0x41, 'À'], [0x49, 'Í'], [0x4f, 'Ó'], [0x55, 'Ú'], [0x5b, 'Ã'], [0x5c, 'Õ'],
    [0x61, 'Â'], [0x65, '€'], [0x69, 'í'], [0x6f, 'ó'], [0x75, 'ú'], [0x7b, 'ã'], [0x7c, 'õ'], [0x7f, 'â'],
  ]),
};

export interface ShiftTables {
  /** Language id of IEI 0x24 (single shift). */
  singleShift?: number;
  /** Language id of IEI 0x25 (locking shift). */
  lockingShift?: number;
}

/** Whether we carry the tables a message asks for (unknown ids decode with the defaults). */
export function supportsShiftTables(shift: ShiftTables): boolean {
  const lockingOk = shift.lockingShift === undefined || LOCKING[shift.lockingShift] !== undefined;
  const singleOk = shift.singleShift === undefined || SINGLE[shift.singleShift] !== undefined;
  return lockingOk && singleOk;
}

/**
 * Unpacked septets → text through national tables. `fallback` is the default decoder for
 * whatever a national table leaves undefined (a receiver shows the main-table character).
 */
export function gsm7DecodeNational(septets: Uint8Array, shift: ShiftTables, fallback: (septets: Uint8Array) => string): string {
  const locking = shift.lockingShift === undefined ? undefined : LOCKING[shift.lockingShift];
  const single = shift.singleShift === undefined ? undefined : SINGLE[shift.singleShift];
  if (locking === undefined && single === undefined) return fallback(septets);
  const main = (code: number): string => (locking === undefined ? fallback(Uint8Array.of(code)) : (locking[code] ?? ' '));
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const code = (septets[i] ?? 0) & 0x7f;
    if (code !== GSM7_ESCAPE) {
      text += main(code);
      continue;
    }
    i++;
    if (i >= septets.length) {
      text += ' ';
      break;
    }
    const next = (septets[i] ?? 0) & 0x7f;
    // Without a national single shift the default extension table applies (23.038 §6.2.1.2.4).
    const extended = single !== undefined ? single.get(next) : gsm7ExtensionChar(next);
    text += extended ?? (next === GSM7_ESCAPE ? ' ' : main(next));
  }
  return text;
}
