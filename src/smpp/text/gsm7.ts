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

/**
 * Encoding table indexed by UTF-16 code unit: the septet (0x00–0x7F), 0x100 | code for the
 * extension table, or −1. Every character of both tables is in the BMP below U+20AD ('€'),
 * so 8 K entries cover them; a flat table keeps encoding at a few ns a character, which the
 * SMPP codec's throughput target needs.
 */
const ENCODE_TABLE: Int16Array = (() => {
  const table = new Int16Array(0x20ad).fill(-1);
  BASIC_TABLE.forEach((ch, code) => {
    if (code !== GSM7_ESCAPE) table[ch.charCodeAt(0)] = code;
  });
  for (const [code, ch] of EXTENSION_TABLE) table[ch.charCodeAt(0)] = 0x100 | code;
  return table;
})();

/** Decoding tables as UTF-16 code units. */
const BASIC_UNITS: Uint16Array = Uint16Array.from(BASIC_TABLE, (ch) => ch.charCodeAt(0));
const EXTENSION_UNITS: Int32Array = (() => {
  const units = new Int32Array(128).fill(-1);
  for (const [code, ch] of EXTENSION_TABLE) units[code] = ch.charCodeAt(0);
  return units;
})();

function lookup(unit: number): number {
  return unit < ENCODE_TABLE.length ? (ENCODE_TABLE[unit] ?? -1) : -1;
}

/** The default extension table's character for the septet after an escape, if it defines one. */
export function gsm7ExtensionChar(code: number): string | undefined {
  return EXTENSION_TABLE.get(code & 0x7f);
}

/** Characters of the extension table: each costs two septets. */
export const GSM7_EXTENSION_CHARACTERS: readonly string[] = [...EXTENSION_TABLE.values()];

/** Septets for one character: 1 (main table), 2 (extension table) or 0 (not representable). */
export function gsm7CharSeptets(ch: string): 0 | 1 | 2 {
  if (ch.length !== 1) return 0;
  const v = lookup(ch.charCodeAt(0));
  return v < 0 ? 0 : v > 0x7f ? 2 : 1;
}

/** Septets the text needs in the default alphabet, or undefined when some character is not in it. */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const v = lookup(text.charCodeAt(i));
    if (v < 0) return undefined;
    septets += v > 0x7f ? 2 : 1;
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
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = lookup(text.charCodeAt(i));
    if (v < 0) {
      const unencodable = gsm7Unencodable(text);
      throw new AgentError(
        `text has characters outside the GSM 03.38 alphabet: ${unencodable.map(describeChar).join(' ')}`,
        ErrorCode.Codec_UnencodableText,
        { encoding: 'gsm7', unencodable },
      );
    }
    if (v > 0x7f) {
      out[n++] = GSM7_ESCAPE;
      out[n++] = v & 0x7f;
    } else {
      out[n++] = v;
    }
  }
  return out.subarray(0, n);
}

/**
 * Unpacked septets → text. Lenient, as 23.038 asks of a receiver: an escape followed by a code the
 * extension table does not define shows the main-table character for that code; escape-escape
 * (reserved for a further table) and a trailing lone escape show as a space. Bit 7 is ignored.
 */
export function gsm7Decode(septets: Uint8Array): string {
  // Characters go straight into UTF-16LE octets; one toString at the end is far cheaper than
  // concatenating a string per character.
  const out = Buffer.allocUnsafe(septets.length * 2);
  let n = 0;
  for (let i = 0; i < septets.length; i++) {
    const code = (septets[i] ?? 0) & 0x7f;
    let unit: number;
    if (code !== GSM7_ESCAPE) {
      unit = BASIC_UNITS[code] ?? 0x20;
    } else if (++i >= septets.length) {
      unit = 0x20;
    } else {
      const next = (septets[i] ?? 0) & 0x7f;
      const extended = EXTENSION_UNITS[next] ?? -1;
      unit = extended >= 0 ? extended : next === GSM7_ESCAPE ? 0x20 : (BASIC_UNITS[next] ?? 0x20);
    }
    out[n++] = unit & 0xff;
    out[n++] = unit >> 8;
  }
  return out.toString('utf16le', 0, n);
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
