/** One entry point for every text encoding SMPP carries. */
import { AgentError, ErrorCode } from '../../errors.js';
import { gsm7Decode, gsm7Encode } from './gsm7.js';
import { asciiDecode, asciiEncode, latin1Decode, latin1Encode } from './latin1.js';
import { ucs2Decode, ucs2Encode } from './ucs2.js';

export type TextEncoding = 'gsm7' | 'ascii' | 'latin1' | 'ucs2' | 'binary';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['gsm7', 'ascii', 'latin1', 'ucs2', 'binary'];

export function isTextEncoding(value: unknown): value is TextEncoding {
  return typeof value === 'string' && (TEXT_ENCODINGS as readonly string[]).includes(value);
}

/**
 * Text → octets. 'gsm7' gives unpacked septets (one per octet, as SMPP short_message carries them).
 * 'binary' has no characters: its "text" is hexadecimal, so that binary payloads survive JSON and CLIs.
 */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'gsm7':
      return gsm7Encode(text);
    case 'ascii':
      return asciiEncode(text);
    case 'latin1':
      return latin1Encode(text);
    case 'ucs2':
      return ucs2Encode(text);
    case 'binary':
      return hexToBytes(text);
  }
}

/** Octets → text; the inverse of encodeText ('binary' gives lower-case hex). Never throws on content. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  switch (encoding) {
    case 'gsm7':
      return gsm7Decode(bytes);
    case 'ascii':
      return asciiDecode(bytes);
    case 'latin1':
      return latin1Decode(bytes);
    case 'ucs2':
      return ucs2Decode(bytes);
    case 'binary':
      return Buffer.from(bytes).toString('hex');
  }
}

/** Units a text occupies in an encoding: septets (gsm7), UTF-16 units (ucs2), octets otherwise. */
export function textUnits(text: string, encoding: TextEncoding): number {
  const encoded = encodeText(text, encoding);
  if (encoding === 'ucs2') return encoded.length / 2;
  return encoded.length;
}

function hexToBytes(hex: string): Buffer {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new AgentError('binary text must be hexadecimal with an even number of digits', ErrorCode.Codec_InvalidEncoding, {
      encoding: 'binary',
    });
  }
  return Buffer.from(clean, 'hex');
}
