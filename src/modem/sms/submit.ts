/**
 * Sending a whole message through the modem: the text layer splits it (GSM 7-bit or UCS-2,
 * never inside an escape or a surrogate pair) and each part becomes one SMS-SUBMIT with a
 * concatenation header. One part needs no header.
 */
import { parseUdh, splitBinary, splitText, type PortAddressing, type UdhElement } from './deps.js';
import { encodeSubmitPdu, type EncodedSmsPdu, type SubmitFields } from './encode.js';
import { invalidPdu } from './reader.js';

export interface SubmitMessage extends Omit<SubmitFields, 'userData' | 'dcs'> {
  /** The text ('auto': GSM 7-bit when it fits, else UCS-2) … */
  text?: string;
  alphabet?: 'gsm7' | 'ucs2' | 'auto';
  /** … or 8-bit data. */
  data?: Uint8Array;
  /** Concatenation reference: the caller keeps a counter per destination (0–255, or 0–65535 with 16-bit). */
  reference: number;
  referenceBits?: 8 | 16;
  /** Application port addressing (IEI 0x04 / 0x05), in every part. */
  ports?: PortAddressing;
  /** Refuse messages needing more parts (default 255). */
  maxParts?: number;
}

/** One SMS-SUBMIT per part, each with its AT+CMGS length. */
export function encodeSubmit(message: SubmitMessage): EncodedSmsPdu[] {
  const { text, data, alphabet, reference, referenceBits, ports, maxParts, ...fields } = message;
  if ((text === undefined) === (data === undefined)) throw invalidPdu('give either text or data to send');
  const method = referenceBits === 16 ? 'udh16' : 'udh8';
  const common = { method, reference, ...(maxParts === undefined ? {} : { maxParts }), ...(ports === undefined ? {} : { ports }) } as const;
  const split =
    text !== undefined
      ? splitText(text, { ...common, encoding: alphabet === undefined || alphabet === 'auto' ? 'auto' : alphabet })
      : splitBinary(data ?? Buffer.alloc(0), common);
  return split.parts.map((part) => {
    let header: UdhElement[] | undefined;
    let payload = part.shortMessage;
    if (part.esmClassUdhi) {
      const parsed = parseUdh(part.shortMessage);
      header = parsed.elements;
      payload = part.shortMessage.subarray(parsed.headerLength);
    }
    const withHeader = header === undefined ? {} : { header };
    const userData =
      split.encoding === 'binary'
        ? { data: payload, ...withHeader }
        : { encoded: payload, alphabet: split.encoding === 'gsm7' ? ('gsm7' as const) : ('ucs2' as const), ...withHeader };
    return encodeSubmitPdu({ ...fields, userData });
  });
}
