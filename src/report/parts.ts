/**
 * How many SMS parts an encoded report needs. Text reports are GSM-7 basic characters only, so a
 * character is a septet; binary reports are octets, less the UDH that port addressing needs.
 */
import { partCapacity as unitsAfterHeader } from '../smpp/index.js';

export type ReportEncoding = 'text' | 'binary';

/** Units (septets for text, octets for binary) that fit a single SMS, and each part of a concatenated one. */
export interface PartCapacity {
  readonly single: number;
  readonly perPart: number;
}

export interface CapacityOptions {
  /** How long messages are split: UDH with an 8-bit or 16-bit reference, or SMPP TLVs (sar_* / message_payload). */
  readonly split: 'udh8' | 'udh16' | 'tlv';
  /** Binary reports only: the application port travels in the UDH (modem, or SMSCs without port TLVs) or in SMPP TLVs. */
  readonly portIn?: 'udh' | 'tlv';
}

/** Information elements: concatenation 5 octets (8-bit ref) or 6 (16-bit ref), 16-bit ports 6; a UDH adds its length octet. */
export function reportPartCapacity(encoding: ReportEncoding, options: CapacityOptions): PartCapacity {
  // With TLV splitting the SMSC still adds an 8-bit concatenation UDH on the air interface.
  const concatIe = options.split === 'udh16' ? 6 : 5;
  const portIe = encoding === 'binary' && options.portIn !== 'tlv' ? 6 : 0;
  const udh = (elements: number): number => (elements === 0 ? 0 : 1 + elements);
  const alphabet = encoding === 'text' ? 'gsm7' : 'binary';
  return { single: unitsAfterHeader(alphabet, udh(portIe)), perPart: unitsAfterHeader(alphabet, udh(concatIe + portIe)) };
}

export function partsNeeded(units: number, capacity: PartCapacity): number {
  return units <= capacity.single ? 1 : Math.ceil(units / capacity.perPart);
}
