/**
 * User Data Header (3GPP TS 23.040 §9.2.3.24): UDHL, then information elements (IEI, IEDL, data).
 * Concatenation (IEI 0x00, 8-bit reference; 0x08, 16-bit) and application port addressing
 * (0x04, 8-bit ports; 0x05, 16-bit) are understood; every other element is kept as raw octets
 * so that a header re-encodes unchanged.
 */
import { AgentError, ErrorCode } from '../../errors.js';

export const Iei = {
  concat8: 0x00,
  ports8: 0x04,
  ports16: 0x05,
  concat16: 0x08,
  singleShift: 0x24,
  lockingShift: 0x25,
} as const;

export type UdhElement =
  | { type: 'concat'; referenceBits: 8 | 16; reference: number; total: number; sequence: number }
  | { type: 'ports'; portBits: 8 | 16; destinationPort: number; sourcePort: number }
  | { type: 'raw'; iei: number; data: Buffer };

export interface ParsedUdh {
  elements: UdhElement[];
  /** Octets the header occupies, UDHL included: where the message text starts. */
  headerLength: number;
  /** The concatenation element in force (the last valid one, as 23.040 asks), if any. */
  concat?: Extract<UdhElement, { type: 'concat' }>;
  ports?: Extract<UdhElement, { type: 'ports' }>;
  /** National language single shift (IEI 0x24) and locking shift (IEI 0x25) language ids, 23.040 §9.2.3.24.15–16. */
  singleShift?: number;
  lockingShift?: number;
}

/** The largest header that leaves room for at least one octet of user data in 140. */
const MAX_UDH_OCTETS = 139;

/** Encodes elements into a header, UDHL first. */
export function buildUdh(elements: readonly UdhElement[]): Buffer {
  const body: Buffer[] = elements.map(encodeElement);
  const length = body.reduce((sum, b) => sum + b.length, 0);
  if (length + 1 > MAX_UDH_OCTETS) {
    throw invalid(`a user data header of ${length + 1} octets leaves no room in 140`, { length: length + 1 });
  }
  return Buffer.concat([Buffer.of(length), ...body]);
}

/**
 * Reads the header at the start of `userData` (UDHL first). Throws AgentError(Codec_InvalidUdh)
 * when lengths do not add up or a known element has the wrong size. A concatenation element with
 * a zero total or an out-of-range sequence is kept as raw and ignored, as 23.040 §9.2.3.24.1 says.
 */
export function parseUdh(userData: Uint8Array): ParsedUdh {
  if (userData.length < 1) throw invalid('user data header is empty', {});
  const udhl = userData[0] ?? 0;
  if (udhl + 1 > userData.length) {
    throw invalid(`UDHL ${udhl} runs past the ${userData.length - 1} octets of user data`, { udhl, available: userData.length - 1 });
  }
  const elements: UdhElement[] = [];
  const result: ParsedUdh = { elements, headerLength: udhl + 1 };
  let offset = 1;
  const end = udhl + 1;
  while (offset < end) {
    if (offset + 2 > end) throw invalid(`information element at octet ${offset} is cut off`, { offset, udhl });
    const iei = userData[offset] ?? 0;
    const iedl = userData[offset + 1] ?? 0;
    const dataStart = offset + 2;
    if (dataStart + iedl > end) {
      throw invalid(`information element 0x${hex(iei)} of ${iedl} octets runs past the header`, { iei, iedl, offset, udhl });
    }
    const data = Buffer.from(userData.subarray(dataStart, dataStart + iedl));
    const element = decodeElement(iei, data);
    elements.push(element);
    if (element.type === 'concat') result.concat = element;
    else if (element.type === 'ports') result.ports = element;
    else if (element.iei === Iei.singleShift && element.data.length === 1) result.singleShift = element.data[0] ?? 0;
    else if (element.iei === Iei.lockingShift && element.data.length === 1) result.lockingShift = element.data[0] ?? 0;
    offset = dataStart + iedl;
  }
  return result;
}

function decodeElement(iei: number, data: Buffer): UdhElement {
  switch (iei) {
    case Iei.concat8:
    case Iei.concat16: {
      const bits = iei === Iei.concat8 ? 8 : 16;
      const size = bits === 8 ? 3 : 4;
      if (data.length !== size) throw invalid(`concatenation element 0x${hex(iei)} must be ${size} octets, got ${data.length}`, { iei });
      const reference = bits === 8 ? (data[0] ?? 0) : data.readUInt16BE(0);
      const total = data[size - 2] ?? 0;
      const sequence = data[size - 1] ?? 0;
      if (total === 0 || sequence === 0 || sequence > total) return { type: 'raw', iei, data };
      return { type: 'concat', referenceBits: bits, reference, total, sequence };
    }
    case Iei.ports8:
    case Iei.ports16: {
      const bits = iei === Iei.ports8 ? 8 : 16;
      const size = bits === 8 ? 2 : 4;
      if (data.length !== size) throw invalid(`port element 0x${hex(iei)} must be ${size} octets, got ${data.length}`, { iei });
      return bits === 8
        ? { type: 'ports', portBits: 8, destinationPort: data[0] ?? 0, sourcePort: data[1] ?? 0 }
        : { type: 'ports', portBits: 16, destinationPort: data.readUInt16BE(0), sourcePort: data.readUInt16BE(2) };
    }
    default:
      return { type: 'raw', iei, data };
  }
}

function encodeElement(element: UdhElement): Buffer {
  switch (element.type) {
    case 'concat': {
      const { referenceBits, reference, total, sequence } = element;
      checkInt('reference', reference, referenceBits === 8 ? 0xff : 0xffff);
      checkInt('total', total, 0xff, 1);
      checkInt('sequence', sequence, total, 1);
      return referenceBits === 8
        ? Buffer.of(Iei.concat8, 3, reference, total, sequence)
        : Buffer.of(Iei.concat16, 4, reference >> 8, reference & 0xff, total, sequence);
    }
    case 'ports': {
      const { portBits, destinationPort, sourcePort } = element;
      const max = portBits === 8 ? 0xff : 0xffff;
      checkInt('destination port', destinationPort, max);
      checkInt('source port', sourcePort, max);
      if (portBits === 8) return Buffer.of(Iei.ports8, 2, destinationPort, sourcePort);
      const out = Buffer.of(Iei.ports16, 4, 0, 0, 0, 0);
      out.writeUInt16BE(destinationPort, 2);
      out.writeUInt16BE(sourcePort, 4);
      return out;
    }
    case 'raw':
      checkInt('IEI', element.iei, 0xff);
      if (element.data.length > 0xff) throw invalid(`information element data of ${element.data.length} octets exceeds 255`, {});
      return Buffer.concat([Buffer.of(element.iei, element.data.length), element.data]);
  }
}

function checkInt(what: string, value: number, max: number, min = 0): void {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${what} must be ${min}..${max}, got ${value}`, { [what]: value });
}

function invalid(message: string, context: Record<string, unknown>): AgentError {
  return new AgentError(message, ErrorCode.Codec_InvalidUdh, context);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
