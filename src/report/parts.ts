/**
 * How many SMS parts an encoded report needs. Text reports are GSM-7 basic characters only, so a
 * character is a septet; binary reports are octets, less the UDH that port addressing needs.
 */
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

/** UDH sizes: length octet 1, concatenation IE 5 (8-bit ref) or 6 (16-bit ref), 16-bit port IE 6. */
export function partCapacity(encoding: ReportEncoding, options: CapacityOptions): PartCapacity {
  // With TLV splitting the SMSC still adds an 8-bit concatenation UDH on the air interface.
  const concatIe = options.split === 'udh16' ? 6 : 5;
  if (encoding === 'text') {
    const udhSeptets = Math.ceil(((1 + concatIe) * 8) / 7);
    return { single: 160, perPart: 160 - udhSeptets };
  }
  const portIe = options.portIn === 'tlv' ? 0 : 6;
  const single = 140 - (portIe === 0 ? 0 : 1 + portIe);
  return { single, perPart: 140 - (1 + concatIe + portIe) };
}

export function partsNeeded(units: number, capacity: PartCapacity): number {
  return units <= capacity.single ? 1 : Math.ceil(units / capacity.perPart);
}
