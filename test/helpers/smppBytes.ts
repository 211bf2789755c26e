/**
 * Hand assembly of SMPP bytes for golden tests, independent of the codec under test:
 * each helper returns hex for one wire element as the spec lays it out.
 */

/** A C-Octet String: its ASCII octets and the NUL. */
export function z(text: string): string {
  return `${Buffer.from(text, 'latin1').toString('hex')}00`;
}

/** One octet. */
export function u8(value: number): string {
  return value.toString(16).padStart(2, '0');
}

export function u16(value: number): string {
  return value.toString(16).padStart(4, '0');
}

export function u32(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** sm_length and the octets of a short message. */
export function sm(bytes: Buffer | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  return u8(buffer.length) + buffer.toString('hex');
}

/** A TLV: tag, length, value (value given as hex). */
export function tlvHex(tag: number, valueHex: string): string {
  return u16(tag) + u16(valueHex.length / 2) + valueHex;
}

/** A whole PDU: the header (command_length computed from the body) and the body. */
export function pduHex(commandId: number, status: number, sequence: number, ...body: string[]): string {
  const joined = body.join('').replace(/\s+/g, '');
  return u32(16 + joined.length / 2) + u32(commandId) + u32(status) + u32(sequence) + joined;
}

export function fromHex(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}
