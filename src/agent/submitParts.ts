/**
 * Turns one report message (the wire-format payload the batch planner chose) into the submit_sm
 * PDUs that carry it: split as configured, 8-bit binary with application ports, a delivery receipt
 * requested when the kind wants one. Sequence numbers are the session's to give.
 */
import { createPdu, splitBinary, splitText, type PduOf, type SplitMethod } from '../smpp/index.js';

export interface SubmitAddressing {
  /** source_addr; alphanumeric senders get TON 5, numbers TON 1 (international) or 0. */
  readonly source: string;
  readonly destination: string;
  readonly split: SplitMethod;
  /** Concatenation reference for this message (mod 256 for udh8). */
  readonly reference: number;
  /** Application port of binary reports. */
  readonly port: number;
  readonly receipt: boolean;
  readonly maxParts: number;
}

/** TON/NPI from the address' form: `+447…` international/E.164, digits unknown/E.164, else alphanumeric. */
export function addressType(address: string): { readonly ton: number; readonly npi: number; readonly addr: string } {
  if (/^\+\d{1,20}$/.test(address)) return { ton: 1, npi: 1, addr: address.slice(1) };
  if (/^\d{1,20}$/.test(address)) return { ton: 0, npi: 1, addr: address };
  if (address === '') return { ton: 0, npi: 0, addr: '' };
  return { ton: 5, npi: 0, addr: address };
}

export function submitParts(payload: string | Buffer, addressing: SubmitAddressing): Array<PduOf<'submit_sm'>> {
  const options = { method: addressing.split, reference: addressing.reference, maxParts: addressing.maxParts };
  const split =
    typeof payload === 'string'
      ? splitText(payload, { ...options, encoding: 'gsm7' })
      : splitBinary(payload, { ...options, ports: { sourcePort: addressing.port, destinationPort: addressing.port } });
  const source = addressType(addressing.source);
  const destination = addressType(addressing.destination);
  return split.parts.map((part) =>
    createPdu('submit_sm', {
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: source.addr,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: destination.addr,
      esm_class: part.esmClassUdhi ? 0x40 : 0x00,
      // SMSC delivery receipt on final outcome (success or failure), SMPP 3.4 §5.2.17.
      registered_delivery: addressing.receipt ? 0x01 : 0x00,
      data_coding: split.dataCoding,
      short_message: part.shortMessage,
      tlvs: part.tlvs,
    }),
  );
}
