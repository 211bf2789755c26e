/** One entry point for the centre: a text SMS body or the octets of an 8-bit one, whichever arrived. */
import { decodeBinaryReport } from './binaryFormat.js';
import type { ReportMessage } from './model.js';
import { decodeTextReport } from './textFormat.js';

export function decodeReport(input: string | Uint8Array): ReportMessage {
  return typeof input === 'string' ? decodeTextReport(input) : decodeBinaryReport(input);
}
