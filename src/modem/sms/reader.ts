/**
 * A bounded reader over PDU octets. Every read checks the remaining length and fails with
 * AgentError(Modem_InvalidPdu), so the decoders above it never index past the end (and never
 * meet a RangeError from Buffer).
 */
import { AgentError, ErrorCode } from '../../errors.js';

export function invalidPdu(message: string, context: Record<string, unknown> = {}, cause?: unknown): AgentError {
  return new AgentError(message, ErrorCode.Modem_InvalidPdu, context, cause === undefined ? undefined : { cause });
}

export class PduReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  octet(what: string): number {
    if (this.remaining < 1) throw invalidPdu(`PDU ends before ${what} (octet ${this.offset})`, { offset: this.offset, field: what });
    const value = this.bytes[this.offset] ?? 0;
    this.offset += 1;
    return value;
  }

  take(length: number, what: string): Buffer {
    if (length < 0 || this.remaining < length) {
      throw invalidPdu(`PDU ends inside ${what}: ${length} octets needed at octet ${this.offset}, ${this.remaining} left`, {
        offset: this.offset,
        field: what,
        needed: length,
        remaining: this.remaining,
      });
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** Whatever is left (possibly empty). */
  rest(): Buffer {
    const out = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return out;
  }
}

/** Hex as modems print it (case-insensitive, whitespace tolerated) → octets. */
export function hexToPduBytes(hex: string): Buffer {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length === 0) throw invalidPdu('PDU is empty');
  if (clean.length % 2 !== 0) throw invalidPdu(`PDU hex has an odd number of digits (${clean.length})`, { hexLength: clean.length });
  if (!/^[0-9a-fA-F]+$/.test(clean)) throw invalidPdu('PDU hex contains non-hex characters', { hex: clean.slice(0, 64) });
  return Buffer.from(clean, 'hex');
}
