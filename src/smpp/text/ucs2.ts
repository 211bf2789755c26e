/**
 * UCS-2 as SMSCs and handsets really use it: UTF-16 big-endian. Characters beyond the BMP
 * (emoji) travel as surrogate pairs, which every current handset renders; they count as two units.
 */

/** Text → UTF-16BE octets (surrogate pairs kept as two units). */
export function ucs2Encode(text: string): Buffer {
  const out = Buffer.from(text, 'utf16le');
  return out.swap16();
}

/**
 * UTF-16BE octets → text. An odd trailing octet cannot be a character: it decodes as U+FFFD
 * rather than failing, because a receiver should show what it can of a damaged message.
 */
export function ucs2Decode(octets: Uint8Array): string {
  const even = octets.length - (octets.length % 2);
  const swapped = Buffer.from(octets.subarray(0, even));
  swapped.swap16();
  const text = swapped.toString('utf16le');
  return even === octets.length ? text : `${text}\uFFFD`;
}

/** UTF-16 code units the text needs (an emoji is two). */
export function ucs2Units(text: string): number {
  return text.length;
}
