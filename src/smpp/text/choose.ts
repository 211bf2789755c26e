/**
 * Picking the encoding for a text. For SMS the real choice is GSM 7-bit or UCS-2: Latin-1
 * (data_coding 0x03) is converted by some SMSCs and shown as garbage by others, so it is only
 * considered when the caller says its SMSC handles it.
 */
import { gsm7Septets } from './gsm7.js';
import { latin1Unencodable } from './latin1.js';

export interface ChooseOptions {
  /** Consider Latin-1 (default false: gsm7 or ucs2 only, which every handset and SMSC supports). */
  allowLatin1?: boolean;
}

export interface EncodingChoice {
  encoding: 'gsm7' | 'ucs2' | 'latin1';
  /** Septets (gsm7), octets (latin1) or UTF-16 units (ucs2). */
  units: number;
}

/**
 * The smallest encoding that holds the text: GSM 7-bit when every character is in the alphabet;
 * with `allowLatin1`, Latin-1 when it fits and costs fewer bits than GSM (text heavy in `[]{}€`-style
 * escapes, or with characters such as 'ç' that only Latin-1 has); otherwise UCS-2.
 */
export function chooseEncoding(text: string, options: ChooseOptions = {}): EncodingChoice {
  const septets = gsm7Septets(text);
  const latin1Fits = options.allowLatin1 === true && latin1Unencodable(text).length === 0;
  const latin1Octets = text.length;
  if (septets !== undefined) {
    if (latin1Fits && latin1Octets * 8 < septets * 7) return { encoding: 'latin1', units: latin1Octets };
    return { encoding: 'gsm7', units: septets };
  }
  if (latin1Fits) return { encoding: 'latin1', units: latin1Octets };
  return { encoding: 'ucs2', units: text.length };
}
