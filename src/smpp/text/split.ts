/**
 * Splitting long messages for submit_sm (3GPP TS 23.040 §9.2.3.24.1, SMPP v3.4 §5.3.2.22–24, §5.3.2.32).
 *
 * Part sizes follow from the 140-octet user data: 160 / 153 (8-bit reference) / 152 (16-bit) GSM
 * septets, 140 / 134 / 133 octets, 70 / 67 / 66 UCS-2 units. Parts are cut on character boundaries
 * of the *encoded* text, so a GSM escape pair or a UTF-16 surrogate pair never straddles two parts.
 * GSM 7-bit text goes out unpacked (one septet per octet after the UDH), as SMSCs expect in
 * short_message; `gsm7Packing: 'packed'` packs it, with fill bits after the UDH, for SMSCs that want that.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { chooseEncoding } from './choose.js';
import { dataCodingFor } from './data-coding.js';
import { encodeText, type TextEncoding } from './encoding.js';
import { GSM7_ESCAPE } from './gsm7.js';
import { fillBitsAfterUdh, packSeptets } from './septets.js';
import { textTlv, type Tlv } from './tlv.js';
import { buildUdh, type UdhElement } from './udh.js';

export type SplitMethod = 'udh8' | 'udh16' | 'sar' | 'payload';

export interface PortAddressing {
  destinationPort: number;
  sourcePort: number;
  /** 8-bit (IEI 0x04) or 16-bit (IEI 0x05) ports; default 16. */
  portBits?: 8 | 16;
}

export interface SplitCommonOptions {
  method: SplitMethod;
  /** Concatenation reference: 0..255 used modulo 256 for udh8, 0..65535 for udh16 and sar. */
  reference: number;
  /** Refuse texts needing more parts (default and ceiling 255, the largest total a UDH can carry). */
  maxParts?: number;
  /** Application ports: a UDH element with udh8/udh16, source_port/destination_port TLVs with sar/payload. */
  ports?: PortAddressing;
}

export interface SplitTextOptions extends SplitCommonOptions {
  /** Default 'auto': chooseEncoding (gsm7, else ucs2; latin1 too with allowLatin1). */
  encoding?: TextEncoding | 'auto';
  allowLatin1?: boolean;
  /** GSM 7-bit in short_message: 'unpacked' (default, one septet per octet) or 'packed'. */
  gsm7Packing?: 'unpacked' | 'packed';
}

export interface SplitPart {
  shortMessage: Buffer;
  /** Set esm_class bit 6 (0x40, UDHI) on the submit_sm carrying this part. */
  esmClassUdhi: boolean;
  tlvs: Tlv[];
}

export interface SplitResult {
  encoding: TextEncoding;
  dataCoding: number;
  parts: SplitPart[];
}

/** The user data field of one SMS, in octets. */
export const USER_DATA_OCTETS = 140;
/** A TLV's length field is 16 bits. */
const MAX_PAYLOAD_OCTETS = 0xffff;
const MAX_PARTS = 255;

export function splitText(text: string, options: SplitTextOptions): SplitResult {
  const requested = options.encoding ?? 'auto';
  const encoding: TextEncoding =
    requested === 'auto' ? chooseEncoding(text, { allowLatin1: options.allowLatin1 === true }).encoding : requested;
  const packed = encoding === 'gsm7' && options.gsm7Packing === 'packed';
  return splitEncoded(encodeText(text, encoding), encoding, options, packed);
}

/** Splits 8-bit data (data_coding 0x04), typically with application ports. */
export function splitBinary(bytes: Uint8Array, options: SplitCommonOptions): SplitResult {
  return splitEncoded(Buffer.from(bytes), 'binary', options, false);
}

/** Encoded units (septets for gsm7, octets otherwise) that fit after a header of `udhOctets`. */
export function partCapacity(encoding: TextEncoding, udhOctets: number): number {
  const octets = USER_DATA_OCTETS - udhOctets;
  if (encoding === 'gsm7') return Math.floor((octets * 8) / 7);
  if (encoding === 'ucs2') return octets - (octets % 2);
  return octets;
}

function splitEncoded(encoded: Buffer, encoding: TextEncoding, options: SplitCommonOptions, packed: boolean): SplitResult {
  const maxParts = Math.min(options.maxParts ?? MAX_PARTS, MAX_PARTS);
  checkReference(options);
  const dataCoding = dataCodingFor(encoding);
  const result = (parts: SplitPart[]): SplitResult => ({ encoding, dataCoding, parts });
  const portTlvs = options.ports === undefined ? [] : [
    textTlv('source_port', options.ports.sourcePort),
    textTlv('destination_port', options.ports.destinationPort),
  ];

  if (options.method === 'payload') {
    if (encoded.length > MAX_PAYLOAD_OCTETS) {
      throw new AgentError(`message of ${encoded.length} octets exceeds message_payload's 65535`, ErrorCode.Codec_PduTooLarge, {
        octets: encoded.length,
      });
    }
    const body = packed ? packSeptets(encoded) : encoded;
    return result([{ shortMessage: Buffer.alloc(0), esmClassUdhi: false, tlvs: [...portTlvs, textTlv('message_payload', body)] }]);
  }

  const portElements: UdhElement[] = options.ports === undefined || options.method === 'sar' ? [] : [portElement(options.ports)];
  const singleUdh = portElements.length === 0 ? Buffer.alloc(0) : buildUdh(portElements);
  if (encoded.length <= partCapacity(encoding, singleUdh.length)) {
    return result([{ shortMessage: userData(singleUdh, encoded, packed), esmClassUdhi: singleUdh.length > 0, tlvs: options.method === 'sar' ? portTlvs : [] }]);
  }

  // The header every part will carry (for sar, the one the SMSC will add on the air interface).
  const referenceBits = options.method === 'udh16' ? 16 : 8;
  const concatOctets = referenceBits === 8 ? 5 : 6;
  const portOctets = options.ports === undefined ? 0 : options.ports.portBits === 8 ? 4 : 6;
  const capacity = partCapacity(encoding, 1 + concatOctets + portOctets);
  const chunks = cutAtCharacters(encoded, encoding, capacity);
  if (chunks.length > maxParts) {
    throw new AgentError(`message needs ${chunks.length} parts, at most ${maxParts} allowed`, ErrorCode.Codec_PduTooLarge, {
      parts: chunks.length,
      maxParts,
    });
  }
  const total = chunks.length;
  const parts = chunks.map((chunk, index): SplitPart => {
    const sequence = index + 1;
    if (options.method === 'sar') {
      const tlvs = [
        textTlv('sar_msg_ref_num', options.reference & 0xffff),
        textTlv('sar_total_segments', total),
        textTlv('sar_segment_seqnum', sequence),
        ...portTlvs,
      ];
      return { shortMessage: userData(Buffer.alloc(0), chunk, packed), esmClassUdhi: false, tlvs };
    }
    const reference = referenceBits === 8 ? options.reference & 0xff : options.reference & 0xffff;
    const udh = buildUdh([{ type: 'concat', referenceBits, reference, total, sequence }, ...portElements]);
    return { shortMessage: userData(udh, chunk, packed), esmClassUdhi: true, tlvs: [] };
  });
  return result(parts);
}

/** UDH followed by the text: unpacked septets / octets as they are, or packed septets after fill bits. */
function userData(udh: Buffer, chunk: Buffer, packed: boolean): Buffer {
  if (!packed) return udh.length === 0 ? chunk : Buffer.concat([udh, chunk]);
  return Buffer.concat([udh, packSeptets(chunk, fillBitsAfterUdh(udh.length))]);
}

/** Greedy cut into pieces of at most `capacity` units, never inside a GSM escape or a surrogate pair. */
function cutAtCharacters(encoded: Buffer, encoding: TextEncoding, capacity: number): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  while (start < encoded.length) {
    let end = start;
    while (end < encoded.length) {
      const width = characterWidth(encoded, end, encoding);
      if (end + width - start > capacity) break;
      end += width;
    }
    chunks.push(encoded.subarray(start, end));
    start = end;
  }
  return chunks;
}

/** Octets of the character starting at `index` in encoded text. */
function characterWidth(encoded: Buffer, index: number, encoding: TextEncoding): number {
  if (encoding === 'gsm7') return encoded[index] === GSM7_ESCAPE && index + 1 < encoded.length ? 2 : 1;
  if (encoding === 'ucs2') {
    if (index + 3 < encoded.length) {
      const unit = encoded.readUInt16BE(index);
      const next = encoded.readUInt16BE(index + 2);
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return 4;
    }
    return Math.min(2, encoded.length - index);
  }
  return 1;
}

function portElement(ports: PortAddressing): UdhElement {
  return { type: 'ports', portBits: ports.portBits ?? 16, destinationPort: ports.destinationPort, sourcePort: ports.sourcePort };
}

function checkReference(options: SplitCommonOptions): void {
  const { reference } = options;
  if (!Number.isInteger(reference) || reference < 0 || reference > 0xffff) {
    throw new AgentError(`concatenation reference must be 0..65535, got ${reference}`, ErrorCode.Codec_InvalidField, { reference });
  }
}
