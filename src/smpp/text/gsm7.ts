/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1, §6.2.1.1).
 *
 * "Unpacked" septets are one per byte (0x00–0x7F); characters of the extension table take two:
 * the escape 0x1B and their code. Packing into octets lives in septets.ts.
 * Characters outside the alphabet are reported, never replaced: a silent '?' in an alarm text
 * is worse than an error the caller can act on (send as UCS-2 instead).
 */
import { AgentError, ErrorCode } from '../../errors.js';

/** The escape to the extension table. */
export const GSM7_ESCAPE = 0x1b;

/** Main table, indexed by septet. 0x1B (escape) is a placeholder, never produced by decoding. */
const BASIC_TABLE: readonly string[] = [
  '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
  'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u001b', 'Æ', 'æ', 'ß', 'É',
  ' ', '!', '"', '#', '¤', '%', '&', "'", '(', ')', '*', '+', ',', '-', '.', '/',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
  '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
  'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
  '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/** Extension table: septet after the escape → character (23.038 §6.2.1.1). */
const EXTENSION_TABLE: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

/** Character → septet for the main table (the escape itself is not a character). */
const BASIC_CODES: ReadonlyMap<string, number> = new Map(
  BASIC_TABLE.flatMap((ch, code) => (code === GSM7_ESCAPE ? [] : [[ch, code] as const])),
);
const EXTENSION_CODES: ReadonlyMap<string, number> = new Map([...EXTENSION_TABLE].map(([code, ch]) => [ch, code]));

/** Characters of the extension table: each costs two septets. */
export const GSM7_EXTENSION_CHARACTERS: readonly string[] = [...EXTENSION_TABLE.values()];

/** Septets for one character: 1 (main table), 2 (extension table) or 0 (not representable). */
export function gsm7CharSeptets(ch: string): 0 | 1 | 2 {
  if (BASIC_CODES.has(ch)) return 1;
  if (EXTENSION_CODES.has(ch)) return 2;
  return 0;
}

/** Septets the text needs in the default alphabet, or undefined when some character is not in it. */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (const ch of text) {
    const cost = gsm7CharSeptets(ch);
    if (cost === 0) return undefined;
    septets += cost;
  }
  return septets;
}

/** The distinct characters (whole code points, in order of appearance) the alphabet cannot hold. */
export function gsm7Unencodable(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of text) {
    if (gsm7CharSeptets(ch) === 0) bad.add(ch);
  }
  return [...bad];
}

/** Text → unpacked septets; throws AgentError(Codec_UnencodableText) naming what does not fit. */
export function gsm7Encode(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const basic = BASIC_CODES.get(ch);
    if (basic !== undefined) {
      out.push(basic);
      continue;
    }
    const extended = EXTENSION_CODES.get(ch);
    if (extended !== undefined) {
      out.push(GSM7_ESCAPE, extended);
      continue;
    }
    const unencodable = gsm7Unencodable(text);
    throw new AgentError(
      `text has characters outside the GSM 03.38 alphabet: ${unencodable.map(describeChar).join(' ')}`,
      ErrorCode.Codec_UnencodableText,
      { encoding: 'gsm7', unencodable },
    );
  }
  return Buffer.from(out);
}

/**
 * Unpacked septets → text. Lenient, as 23.038 asks of a receiver: an escape followed by a code the
 * extension table does not define shows the main-table character for that code; escape-escape
 * (reserved for a further table) and a trailing lone escape show as a space. Bit 7 is ignored.
 */
export function gsm7Decode(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const code = (septets[i] ?? 0) & 0x7f;
    if (code !== GSM7_ESCAPE) {
      text += BASIC_TABLE[code] ?? '';
      continue;
    }
    i++;
    if (i >= septets.length) {
      text += ' ';
      break;
    }
    const next = (septets[i] ?? 0) & 0x7f;
    const extended = EXTENSION_TABLE.get(next);
    if (extended !== undefined) text += extended;
    else if (next === GSM7_ESCAPE) text += ' ';
    else text += BASIC_TABLE[next] ?? '';
  }
  return text;
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
