/**
 * TP-User-Data (3GPP TS 23.040 §9.2.3.24). With GSM 7-bit, TP-UDL counts septets including the
 * header, and the text starts on the first septet boundary after the header: the fill bits are
 * implied by the header length. With 8-bit and UCS-2, TP-UDL counts octets.
 */
import {
  buildUdh,
  gsm7Decode,
  gsm7DecodeNational,
  supportsShiftTables,
  isAgentError,
  packSeptets,
  parseUdh,
  ucs2Decode,
  unpackSeptets,
  type DcsAlphabet,
  type ParsedUdh,
  type UdhElement,
} from './deps.js';
import { invalidPdu } from './reader.js';
import type { SmsUserData } from './types.js';

/** The user data field is 140 octets: 160 septets. */
export const MAX_UD_OCTETS = 140;
export const MAX_UD_SEPTETS = 160;

/** Septets a header of `headerOctets` (UDHL included) takes, fill bits included. */
function headerSeptets(headerOctets: number): number {
  return Math.ceil((headerOctets * 8) / 7);
}

export function decodeUserData(
  ud: Buffer,
  udl: number,
  alphabet: DcsAlphabet,
  options: { udhi: boolean; compressed: boolean },
  warnings: string[],
): SmsUserData {
  const septetMode = alphabet === 'gsm7' && !options.compressed;
  const declaredOctets = septetMode ? Math.ceil((udl * 7) / 8) : udl;
  if (septetMode && udl > MAX_UD_SEPTETS) warnings.push(`TP-UDL ${udl} exceeds 160 septets`);
  if (!septetMode && udl > MAX_UD_OCTETS) warnings.push(`TP-UDL ${udl} exceeds 140 octets`);
  let available = ud;
  if (ud.length < declaredOctets) {
    // Real PDUs with a TP-UDL larger than their data exist (python-gsmmodem keeps one): show what is there.
    warnings.push(`user data has ${ud.length} octets, TP-UDL announces ${declaredOctets}`);
  } else if (ud.length > declaredOctets) {
    warnings.push(`${ud.length - declaredOctets} octets after the user data ignored`);
    available = ud.subarray(0, declaredOctets);
  }

  let header: ParsedUdh | undefined;
  let headerOctets = 0;
  if (options.udhi) {
    if (available.length === 0) throw invalidPdu('TP-UDHI is set but the user data is empty');
    try {
      header = parseUdh(available);
    } catch (e) {
      throw invalidPdu(`user data header is malformed: ${isAgentError(e) ? e.message : String(e)}`, {}, e);
    }
    headerOctets = header.headerLength;
  }

  if (septetMode) {
    const skip = headerOctets === 0 ? 0 : headerSeptets(headerOctets);
    if (skip > udl) throw invalidPdu(`user data header of ${headerOctets} octets is longer than TP-UDL ${udl} septets`, { udl, headerOctets });
    const fill = skip * 7 - headerOctets * 8;
    const body = available.subarray(headerOctets);
    const fits = Math.max(0, Math.floor((body.length * 8 - fill) / 7));
    const septets = unpackSeptets(body, Math.min(udl - skip, fits), fill);
    return withHeader({ udl, text: decodeGsm7(septets, header, warnings), data: septets }, header);
  }
  const data = Buffer.from(available.subarray(headerOctets));
  if (alphabet === 'ucs2' && !options.compressed) return withHeader({ udl, text: ucs2Decode(data), data }, header);
  return withHeader({ udl, data }, header);
}

/** Builds TP-UDL and TP-UD from a header and the payload (unpacked septets for GSM 7-bit, octets otherwise). */
export function encodeUserData(
  alphabet: DcsAlphabet,
  payload: Uint8Array,
  elements: readonly UdhElement[] | undefined,
): { udl: number; ud: Buffer } {
  const header = elements === undefined || elements.length === 0 ? Buffer.alloc(0) : buildUdh(elements);
  if (alphabet === 'gsm7') {
    const skip = header.length === 0 ? 0 : headerSeptets(header.length);
    const udl = skip + payload.length;
    if (udl > MAX_UD_SEPTETS) throw invalidPdu(`user data of ${udl} septets exceeds 160`, { udl });
    return { udl, ud: Buffer.concat([header, packSeptets(payload, skip * 7 - header.length * 8)]) };
  }
  const ud = Buffer.concat([header, payload]);
  if (ud.length > MAX_UD_OCTETS) throw invalidPdu(`user data of ${ud.length} octets exceeds 140`, { udl: ud.length });
  return { udl: ud.length, ud };
}

/** GSM 7-bit through the national shift tables the header names (23.040 §9.2.3.24.15–16), if any. */
function decodeGsm7(septets: Buffer, header: ParsedUdh | undefined, warnings: string[]): string {
  if (header?.singleShift === undefined && header?.lockingShift === undefined) return gsm7Decode(septets);
  const shift = {
    ...(header.singleShift === undefined ? {} : { singleShift: header.singleShift }),
    ...(header.lockingShift === undefined ? {} : { lockingShift: header.lockingShift }),
  };
  if (!supportsShiftTables(shift)) warnings.push(`national language table ${JSON.stringify(shift)} not supported; decoded with the default alphabet where it has no table`);
  return gsm7DecodeNational(septets, shift, gsm7Decode);
}

function withHeader(data: SmsUserData, header: ParsedUdh | undefined): SmsUserData {
  return header === undefined ? data : { ...data, header };
}
