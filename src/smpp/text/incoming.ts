/**
 * Reading what an SMSC delivers (deliver_sm / data_sm): the payload from short_message or
 * message_payload, the UDH when esm_class has UDHI (0x40), the text in the data_coding's
 * encoding, and the concatenation facts from the UDH or the sar_* TLVs, ready for a Reassembler.
 */
import { decodeText, type TextEncoding } from './encoding.js';
import { encodingForDataCoding } from './data-coding.js';
import { fillBitsAfterUdh, septetsInOctets, stripCrPadding, unpackSeptets } from './septets.js';
import { TextTlvTag, type Tlv } from './tlv.js';
import { parseUdh, type ParsedUdh } from './udh.js';
import { gsm7Decode } from './gsm7.js';
import { gsm7DecodeNational, type ShiftTables } from './national.js';

export interface ShortMessageInput {
  shortMessage: Buffer;
  esmClass?: number;
  dataCoding: number;
  tlvs?: readonly Tlv[];
  /** GSM 7-bit as one septet per octet (default, what SMSCs send) or packed. */
  gsm7Packing?: 'unpacked' | 'packed';
  /** What data_coding 0x00 means on this SMSC (default gsm7). */
  smscDefault?: TextEncoding;
}

export interface ConcatInfo {
  reference: number;
  total: number;
  sequence: number;
  /** Where it came from: a UDH element (8- or 16-bit reference) or the sar_* TLVs. */
  via: 'udh8' | 'udh16' | 'sar';
}

export interface IncomingShortMessage {
  encoding: TextEncoding;
  /** This part's text ('binary': hex). */
  text: string;
  /** The payload after the UDH: unpacked septets for gsm7, octets otherwise. Join parts with `joinParts`. */
  body: Buffer;
  udh?: ParsedUdh;
  concat?: ConcatInfo;
  ports?: { destinationPort: number; sourcePort: number };
}

const UDHI = 0x40;

/** Takes one delivered message apart. Throws AgentError(Codec_InvalidUdh) when the UDH is malformed. */
export function readShortMessage(input: ShortMessageInput): IncomingShortMessage {
  const tlvs = input.tlvs ?? [];
  const payloadTlv = tlvs.find((t) => t.tag === TextTlvTag.message_payload);
  const payload = input.shortMessage.length === 0 && Buffer.isBuffer(payloadTlv?.value) ? payloadTlv.value : input.shortMessage;
  const encoding = encodingForDataCoding(input.dataCoding, input.smscDefault === undefined ? {} : { smscDefault: input.smscDefault });
  let udh: ParsedUdh | undefined;
  let body = payload;
  if (((input.esmClass ?? 0) & UDHI) !== 0) {
    udh = parseUdh(payload);
    body = payload.subarray(udh.headerLength);
  }
  if (encoding === 'gsm7' && input.gsm7Packing === 'packed') {
    body = unpackPacked(body, udh === undefined ? 0 : fillBitsAfterUdh(udh.headerLength));
  }
  const national = encoding === 'gsm7' && (udh?.singleShift !== undefined || udh?.lockingShift !== undefined);
  const text = national && udh !== undefined ? gsm7DecodeNational(body, shiftOf(udh), gsm7Decode) : decodeText(body, encoding);
  const result: IncomingShortMessage = { encoding, text, body: Buffer.from(body) };
  if (udh !== undefined) result.udh = udh;
  const concat = udh?.concat;
  if (concat !== undefined) {
    result.concat = { reference: concat.reference, total: concat.total, sequence: concat.sequence, via: concat.referenceBits === 8 ? 'udh8' : 'udh16' };
  } else {
    const reference = tlvNumber(tlvs, TextTlvTag.sar_msg_ref_num);
    const total = tlvNumber(tlvs, TextTlvTag.sar_total_segments);
    const sequence = tlvNumber(tlvs, TextTlvTag.sar_segment_seqnum);
    if (reference !== undefined && total !== undefined && sequence !== undefined) result.concat = { reference, total, sequence, via: 'sar' };
  }
  if (udh?.ports !== undefined) {
    result.ports = { destinationPort: udh.ports.destinationPort, sourcePort: udh.ports.sourcePort };
  } else {
    const destinationPort = tlvNumber(tlvs, TextTlvTag.destination_port);
    const sourcePort = tlvNumber(tlvs, TextTlvTag.source_port);
    if (destinationPort !== undefined && sourcePort !== undefined) result.ports = { destinationPort, sourcePort };
  }
  return result;
}

/**
 * The text of a reassembled message from its parts' bodies. Joining the octets before decoding
 * repairs senders that split a GSM escape or a surrogate pair across two parts.
 */
export function joinParts(bodies: readonly Buffer[], encoding: TextEncoding): string {
  return decodeText(Buffer.concat(bodies), encoding);
}

/**
 * Packed septets whose count is only known from the octet length: 7 spare zero bits would read
 * as a trailing '@', and <CR> padding (23.038 §6.1.2.3.1) as a trailing <CR>; both are dropped.
 */
function unpackPacked(octets: Buffer, fillBits: number): Buffer {
  const count = septetsInOctets(octets.length, fillBits);
  let septets = unpackSeptets(octets, count, fillBits);
  const exact = fillBits + count * 7 === octets.length * 8;
  if (exact && count > 0 && septets[count - 1] === 0x00) septets = septets.subarray(0, count - 1);
  else septets = stripCrPadding(septets, fillBits);
  return septets;
}

function shiftOf(udh: ParsedUdh): ShiftTables {
  return {
    ...(udh.singleShift === undefined ? {} : { singleShift: udh.singleShift }),
    ...(udh.lockingShift === undefined ? {} : { lockingShift: udh.lockingShift }),
  };
}

function tlvNumber(tlvs: readonly Tlv[], tag: number): number | undefined {
  const value = tlvs.find((t) => t.tag === tag)?.value;
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value) && value.length >= 1 && value.length <= 4) return value.readUIntBE(0, value.length);
  return undefined;
}
