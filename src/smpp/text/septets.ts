/**
 * Packing of 7-bit characters into octets (3GPP TS 23.038 §6.1.2.1.1): septets are laid
 * end to end, least significant bit first, so "hellohello" packs to E8 32 9B FD 46 97 D9 EC 37.
 *
 * Fill bits: when a user data header precedes GSM 7-bit text (23.040 §9.2.3.24), the text starts
 * on the next septet boundary counted from the start of the user data, so 0–6 zero bits sit
 * between the header and the first septet. `fillBits` is that count.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { GSM7_ESCAPE } from './gsm7.js';

const CR = 0x0d;

export interface PackOptions {
  /**
   * Use <CR> rather than zero bits when 7 bits are left over in the last octet (23.038 §6.1.2.3.1),
   * and add a second <CR> when the text itself ends in <CR> on an octet boundary. Needed where the
   * length travels in octets (USSD, cell broadcast); SMS counts septets in TP-UDL / sm_length is the
   * septet count, so the default is off — and off is what handsets and modems send.
   */
  padWithCr?: boolean;
}

/** Fill bits needed after a header of `udhOctets` octets (including its length octet) to reach a septet boundary. */
export function fillBitsAfterUdh(udhOctets: number): number {
  return udhOctets === 0 ? 0 : (7 - ((udhOctets * 8) % 7)) % 7;
}

/** Octets occupied by `septetCount` packed septets after `fillBits` fill bits. */
export function packedLength(septetCount: number, fillBits = 0): number {
  return Math.ceil((fillBits + septetCount * 7) / 8);
}

/** Unpacked septets (one per byte, bit 7 ignored) → packed octets, with `fillBits` leading zero bits. */
export function packSeptets(septets: Uint8Array, fillBits = 0, options: PackOptions = {}): Buffer {
  checkFillBits(fillBits);
  let input = septets;
  if (options.padWithCr === true && input.length > 0) {
    const bits = fillBits + input.length * 7;
    const endsOnBoundary = bits % 8 === 0;
    const last = input[input.length - 1];
    // A wanted trailing <CR> ending exactly on an octet boundary would look like padding: double it.
    if (endsOnBoundary && last === CR && input[input.length - 2] !== GSM7_ESCAPE) {
      input = Buffer.concat([input, Buffer.of(CR)]);
    }
  }
  const totalBits = fillBits + input.length * 7;
  // Every octet is written below (the last one after the loop), so the pooled unsafe allocation is safe.
  const out = Buffer.allocUnsafe(Math.ceil(totalBits / 8));
  // A bit accumulator: septets go in at the top, whole octets come out at the bottom (LSB first).
  let acc = 0;
  let bits = fillBits;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    acc |= ((input[i] ?? 0) & 0x7f) << bits;
    bits += 7;
    if (bits >= 8) {
      out[n++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0 && n < out.length) out[n] = acc & 0xff;
  if (options.padWithCr === true && out.length * 8 - totalBits === 7) {
    writeSeptet(out, totalBits, CR);
  }
  return out;
}

/**
 * Packed octets → `septetCount` unpacked septets, skipping `fillBits` leading bits.
 * Throws AgentError(Codec_Truncated) when the octets hold fewer septets than asked for.
 */
export function unpackSeptets(packed: Uint8Array, septetCount: number, fillBits = 0): Buffer {
  checkFillBits(fillBits);
  if (!Number.isInteger(septetCount) || septetCount < 0) {
    throw new AgentError(`septet count must be a non-negative integer, got ${septetCount}`, ErrorCode.Codec_InvalidField, {
      septetCount,
    });
  }
  const needed = packedLength(septetCount, fillBits);
  if (needed > packed.length) {
    throw new AgentError(
      `${septetCount} septets after ${fillBits} fill bits need ${needed} octets, only ${packed.length} present`,
      ErrorCode.Codec_Truncated,
      { septetCount, fillBits, octets: packed.length },
    );
  }
  const out = Buffer.alloc(septetCount);
  for (let i = 0; i < septetCount; i++) {
    const bit = fillBits + i * 7;
    const index = bit >> 3;
    const shift = bit & 7;
    let value = (packed[index] ?? 0) >> shift;
    if (shift > 1) value |= (packed[index + 1] ?? 0) << (8 - shift);
    out[i] = value & 0x7f;
  }
  return out;
}

/** Septets that fit in `octets` octets after `fillBits` fill bits (for lengths given in octets). */
export function septetsInOctets(octets: number, fillBits = 0): number {
  return Math.max(0, Math.floor((octets * 8 - fillBits) / 7));
}

/**
 * Drops the <CR> a sender added as padding (23.038 §6.1.2.3.1) from septets whose count was
 * derived from an octet length: a final <CR> in the last 7 bits is padding, and a doubled <CR>
 * ending on an octet boundary stands for one.
 */
export function stripCrPadding(septets: Buffer, fillBits = 0): Buffer {
  const n = septets.length;
  if (n === 0 || septets[n - 1] !== CR) return septets;
  const bits = fillBits + n * 7;
  // Filling the octets exactly and ending in <CR>: that <CR> sat in 7 spare bits.
  if (bits % 8 === 0) return septets.subarray(0, n - 1);
  // <CR><CR> where the text before the second one ended on an octet boundary: a wanted <CR>, doubled.
  if ((bits - 7) % 8 === 0 && n >= 2 && septets[n - 2] === CR) return septets.subarray(0, n - 1);
  return septets;
}

function writeSeptet(out: Buffer, bit: number, value: number): void {
  const index = bit >> 3;
  const shift = bit & 7;
  out[index] = ((out[index] ?? 0) | (value << shift)) & 0xff;
  if (shift > 1 && index + 1 < out.length) out[index + 1] = ((out[index + 1] ?? 0) | (value >> (8 - shift))) & 0xff;
}

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 7) {
    throw new AgentError(`fill bits must be 0..7, got ${fillBits}`, ErrorCode.Codec_InvalidField, { fillBits });
  }
}
