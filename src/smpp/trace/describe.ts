/**
 * The few fields a person reads in a trace line: addresses, ids, the bind's account and the text
 * of a message when it is text. Everything else stays in the pcap for Wireshark.
 */
import type { Pdu } from '../codec/pdu.js';
import { readShortMessage } from '../text/incoming.js';

const shownStrings = ['system_id', 'password', 'system_type', 'source_addr', 'destination_addr', 'esme_addr', 'message_id', 'dl_name'] as const;

/** Longest text shown; longer text is cut with '…' (the pcap keeps all of it). */
const maxText = 160;

export function describePdu(pdu: Pdu): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  const record = pdu as unknown as Readonly<Record<string, unknown>>;
  for (const name of shownStrings) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') fields[name] = value;
  }
  if ('dest_address' in pdu) fields['destinations'] = pdu.dest_address.length;
  if ('data_coding' in pdu && ('short_message' in pdu || pdu.command === 'data_sm')) {
    const esmClass = 'esm_class' in pdu ? pdu.esm_class : 0;
    fields['data_coding'] = pdu.data_coding;
    try {
      const message = readShortMessage({ shortMessage: 'short_message' in pdu ? pdu.short_message : Buffer.alloc(0), esmClass, dataCoding: pdu.data_coding, tlvs: pdu.tlvs });
      if (message.encoding === 'binary') fields['octets'] = message.body.length;
      else fields['text'] = message.text.length > maxText ? `${message.text.slice(0, maxText)}…` : message.text;
      if (message.concat !== undefined) fields['part'] = `${message.concat.sequence}/${message.concat.total}`;
    } catch {
      fields['octets'] = 'short_message' in pdu ? pdu.short_message.length : 0;
    }
  }
  return fields;
}
