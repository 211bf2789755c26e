/**
 * Passwords out of bind and outbind PDUs, for every place a PDU is shown or kept: trace logs,
 * captures (pcap), analysers, live trace streams. The password's octets are replaced by as many
 * `*` (0x2A), so lengths, offsets and command_length stay right and a capture still decodes.
 * Every other PDU is returned as it is (the same object: no copy on the hot path).
 */
import { CommandId } from './commands.js';
import type { Pdu } from './pdu.js';

const passwordCommands: ReadonlySet<number> = new Set([CommandId.bind_receiver, CommandId.bind_transmitter, CommandId.bind_transceiver, CommandId.outbind]);
const star = 0x2a;

/** True when the PDU's bytes carry a password (bind_transmitter/receiver/transceiver, outbind). */
export function carriesPassword(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && passwordCommands.has(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32BE(4));
}

/**
 * A PDU's wire bytes with the password replaced; other PDUs are returned unchanged (not copied).
 * Truncated or malformed bytes are redacted as far as they go: everything after system_id's NUL up
 * to the next NUL (or the end) is starred, so a damaged bind never shows its password either.
 */
export function redactPduBytes(bytes: Uint8Array): Uint8Array {
  if (!carriesPassword(bytes)) return bytes;
  const copy = Buffer.from(bytes);
  const systemIdEnd = copy.indexOf(0, 16);
  if (systemIdEnd === -1) return copy;
  const passwordEnd = copy.indexOf(0, systemIdEnd + 1);
  copy.fill(star, systemIdEnd + 1, passwordEnd === -1 ? copy.length : passwordEnd);
  return copy;
}

/** A decoded PDU with its password replaced by as many `*`; other PDUs are returned unchanged. */
export function redactPdu<P extends Pdu>(pdu: P): P {
  if (!('password' in pdu) || typeof pdu.password !== 'string') return pdu;
  return { ...pdu, password: '*'.repeat(pdu.password.length) };
}
