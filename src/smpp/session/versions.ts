/**
 * What a v3.4 peer may receive. TLVs introduced by v5.0 (congestion_state, the broadcast and
 * network/node TLVs) mean nothing to a v3.4 SMSC and some reject the whole PDU for them, so they
 * are dropped when the bind negotiated 3.4.
 */
import type { Pdu } from '../codec/index.js';

export function isV5OnlyTag(tag: number): boolean {
  return tag === 0x0428 || (tag >= 0x0600 && tag <= 0x06ff);
}

/** The PDU without v5-only TLVs (the same object when it has none). */
export function withoutV5Tlvs(pdu: Pdu): Pdu {
  if (!pdu.tlvs.some((item) => isV5OnlyTag(item.tag))) return pdu;
  return { ...pdu, tlvs: pdu.tlvs.filter((item) => !isV5OnlyTag(item.tag)) };
}
