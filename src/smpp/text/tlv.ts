/**
 * The TLV shape the text layer produces for sar_* and message_payload. It is structurally the
 * codec's `Tlv` (src/smpp/codec); it is declared here so that text does not depend on the codec,
 * and not exported, so that `src/smpp/index.ts` exports one `Tlv` only.
 */
export interface Tlv {
  tag: number;
  name: string;
  value: number | string | Buffer;
}

/** SMPP v3.4 §5.3.2 tags of the TLVs the text layer builds. */
export const TextTlvTag = {
  source_port: 0x020a,
  destination_port: 0x020b,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  message_payload: 0x0424,
} as const;

export type TextTlvName = keyof typeof TextTlvTag;

export function textTlv(name: TextTlvName, value: number | Buffer): Tlv {
  return { tag: TextTlvTag[name], name, value };
}
