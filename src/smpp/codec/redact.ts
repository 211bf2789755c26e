/**
 * Passwords out of bind and outbind PDUs, for every place a PDU is shown or kept: trace logs,
 * captures (pcap), analysers, live trace streams. The password's octets are replaced by as many
 * `*` (0x2A), so lengths, offsets and command_length stay right and a capture still decodes.
 * Every other PDU is returned as it is (the same object: no copy on the hot path).
 *
 * With `{ messages: true }` the bodies of inbound messages (deliver_sm, data_sm: short_message and
 * message_payload) are starred too: an SMS to the device may carry a command PIN or signature, and a
 * trace at any level must not show one. What is left (addresses, data_coding, esm_class, lengths)
 * still tells an encoding or routing story.
 */
import { CommandId } from './commands.js';
import { decodePdu } from './decode.js';
import { encodePdu } from './encode.js';
import type { Pdu } from './pdu.js';
import type { Tlv } from './tlv.js';

const passwordCommands: ReadonlySet<number> = new Set([CommandId.bind_receiver, CommandId.bind_transmitter, CommandId.bind_transceiver, CommandId.outbind]);
const star = 0x2a;
const messageCommands: ReadonlySet<number> = new Set([CommandId.deliver_sm, CommandId.data_sm]);

export interface RedactOptions {
  /** Also star the bodies of inbound messages (deliver_sm, data_sm). */
  readonly messages?: boolean;
}

/** True when the PDU's bytes carry a password (bind_transmitter/receiver/transceiver, outbind). */
export function carriesPassword(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && passwordCommands.has(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32BE(4));
}

/**
 * A PDU's wire bytes with the password replaced; other PDUs are returned unchanged (not copied).
 * Truncated or malformed bytes are redacted as far as they go: everything after system_id's NUL up
 * to the next NUL (or the end) is starred, so a damaged bind never shows its password either.
 */
export function redactPduBytes(bytes: Uint8Array, options: RedactOptions = {}): Uint8Array {
  if (options.messages === true && bytes.length >= 16 && messageCommands.has(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32BE(4))) {
    try {
      return encodePdu(redactPdu(decodePdu(Buffer.from(bytes)), options));
    } catch {
      // Undecodable: keep the header only, star the rest.
      const copy = Buffer.from(bytes);
      copy.fill(star, 16);
      return copy;
    }
  }
  if (!carriesPassword(bytes)) return bytes;
  const copy = Buffer.from(bytes);
  const systemIdEnd = copy.indexOf(0, 16);
  if (systemIdEnd === -1) return copy;
  const passwordEnd = copy.indexOf(0, systemIdEnd + 1);
  copy.fill(star, systemIdEnd + 1, passwordEnd === -1 ? copy.length : passwordEnd);
  return copy;
}

/** A decoded PDU with its password replaced by as many `*`; other PDUs are returned unchanged. */
export function redactPdu<P extends Pdu>(pdu: P, options: RedactOptions = {}): P {
  // A delivery receipt (esm_class message type 0x04) carries no user text: it stays readable.
  if (options.messages === true && (pdu.command === 'deliver_sm' || pdu.command === 'data_sm') && (pdu.esm_class & 0x3c) !== 0x04) {
    const tlvs = pdu.tlvs.map((entry): Tlv => (entry.name === 'message_payload' && Buffer.isBuffer(entry.value) ? { ...entry, value: Buffer.alloc(entry.value.length, star) } : entry));
    if (pdu.command === 'deliver_sm') return { ...pdu, short_message: Buffer.alloc(pdu.short_message.length, star), tlvs };
    return { ...pdu, tlvs };
  }
  if (!('password' in pdu) || typeof pdu.password !== 'string') return pdu;
  return { ...pdu, password: '*'.repeat(pdu.password.length) };
}
