/**
 * Passwords out of PDU bytes, for everything that shows or keeps a PDU (trace lines, JSON, pcap
 * captures). bind_transmitter / bind_receiver / bind_transceiver and outbind carry a password
 * as their second C-Octet String; its octets become '*' one for one, so command_length, the
 * string's NUL and every later field stay where they were and a capture still decodes.
 */
import { CommandId } from './commands.js';

const withPassword = new Set<number>([CommandId.bind_transmitter, CommandId.bind_receiver, CommandId.bind_transceiver, CommandId.outbind]);
const star = 0x2a;

/**
 * The PDU's bytes with any password replaced by as many '*' octets. Returns `bytes` itself when
 * there is nothing to hide (so the common case copies nothing), else a redacted copy; the input
 * is never changed (it may be the very buffer being forwarded). Works on malformed PDUs too: a
 * password without its NUL is starred up to the end of the PDU.
 */
export function redactPduPasswords(bytes: Buffer): Buffer {
  if (bytes.length < 17 || !withPassword.has(bytes.readUInt32BE(4))) return bytes;
  const end = Math.min(bytes.length, bytes.readUInt32BE(0) >= 16 ? bytes.readUInt32BE(0) : bytes.length);
  const systemIdEnd = bytes.indexOf(0, 16);
  if (systemIdEnd < 0 || systemIdEnd + 1 >= end) return bytes;
  const start = systemIdEnd + 1;
  let stop = bytes.indexOf(0, start);
  if (stop < 0 || stop > end) stop = end;
  if (stop === start) return bytes; // an empty password: nothing to hide
  const copy = Buffer.from(bytes);
  copy.fill(star, start, stop);
  return copy;
}
