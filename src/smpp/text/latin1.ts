/**
 * ISO-8859-1 (SMPP data_coding 0x03) and IA5/ASCII (0x01): one octet per character.
 * As with GSM 7-bit, characters outside the set are reported, never replaced.
 */
import { AgentError, ErrorCode } from '../../errors.js';

/** Characters (whole code points, distinct, in order) above `maxCode`. */
function charactersAbove(text: string, maxCode: number): string[] {
  const bad = new Set<string>();
  for (const ch of text) {
    if ((ch.codePointAt(0) ?? 0) > maxCode) bad.add(ch);
  }
  return [...bad];
}

export function latin1Unencodable(text: string): string[] {
  return charactersAbove(text, 0xff);
}

export function asciiUnencodable(text: string): string[] {
  return charactersAbove(text, 0x7f);
}

export function latin1Encode(text: string): Buffer {
  return encodeSingleOctet(text, 'latin1', 0xff);
}

export function asciiEncode(text: string): Buffer {
  return encodeSingleOctet(text, 'ascii', 0x7f);
}

export function latin1Decode(octets: Uint8Array): string {
  return Buffer.from(octets).toString('latin1');
}

/** IA5 is 7-bit: the top bit of each octet is not part of the character. */
export function asciiDecode(octets: Uint8Array): string {
  let text = '';
  for (const octet of octets) text += String.fromCharCode(octet & 0x7f);
  return text;
}

function encodeSingleOctet(text: string, encoding: 'latin1' | 'ascii', maxCode: number): Buffer {
  const unencodable = charactersAbove(text, maxCode);
  if (unencodable.length > 0) {
    throw new AgentError(
      `text has characters outside ${encoding === 'latin1' ? 'ISO-8859-1' : 'ASCII'}: ${unencodable.join(' ')}`,
      ErrorCode.Codec_UnencodableText,
      { encoding, unencodable },
    );
  }
  return Buffer.from(text, 'latin1');
}
