/**
 * Every standard TLV (optional parameter) of SMPP v3.4 (§5.3.2) and v5.0 (§4.8.4), by name, tag and value type.
 *
 * Value types: int1/int2/int4 are big-endian unsigned integers of that many octets; cstring is a
 * NUL-terminated C-Octet String; string is text without a terminator (decimal-digit node ids);
 * octets is raw bytes. TLVs whose specs disagree on size (ms_validity is 1 or 4 octets in v5.0,
 * alert_on_message_delivery is empty in v3.4 and 0–1 octets in v5.0, dest_addr_np_country is
 * 1–5 octets) are octets so that every length decodes and re-encodes unchanged.
 * Unknown tags, including vendor tags 0x1400–0x3FFF, become `tlv_0x1234` with their raw bytes.
 */
export type TlvKind = 'int1' | 'int2' | 'int4' | 'cstring' | 'string' | 'octets';

const definitions = {
  dest_addr_subunit: [0x0005, 'int1'],
  dest_network_type: [0x0006, 'int1'],
  dest_bearer_type: [0x0007, 'int1'],
  dest_telematics_id: [0x0008, 'int2'],
  source_addr_subunit: [0x000d, 'int1'],
  source_network_type: [0x000e, 'int1'],
  source_bearer_type: [0x000f, 'int1'],
  source_telematics_id: [0x0010, 'int2'],
  qos_time_to_live: [0x0017, 'int4'],
  payload_type: [0x0019, 'int1'],
  additional_status_info_text: [0x001d, 'cstring'],
  receipted_message_id: [0x001e, 'cstring'],
  ms_msg_wait_facilities: [0x0030, 'int1'],
  privacy_indicator: [0x0201, 'int1'],
  source_subaddress: [0x0202, 'octets'],
  dest_subaddress: [0x0203, 'octets'],
  user_message_reference: [0x0204, 'int2'],
  user_response_code: [0x0205, 'int1'],
  source_port: [0x020a, 'int2'],
  destination_port: [0x020b, 'int2'],
  sar_msg_ref_num: [0x020c, 'int2'],
  language_indicator: [0x020d, 'int1'],
  sar_total_segments: [0x020e, 'int1'],
  sar_segment_seqnum: [0x020f, 'int1'],
  sc_interface_version: [0x0210, 'int1'],
  callback_num_pres_ind: [0x0302, 'int1'],
  callback_num_atag: [0x0303, 'octets'],
  number_of_messages: [0x0304, 'int1'],
  callback_num: [0x0381, 'octets'],
  dpf_result: [0x0420, 'int1'],
  set_dpf: [0x0421, 'int1'],
  ms_availability_status: [0x0422, 'int1'],
  network_error_code: [0x0423, 'octets'],
  message_payload: [0x0424, 'octets'],
  delivery_failure_reason: [0x0425, 'int1'],
  more_messages_to_send: [0x0426, 'int1'],
  message_state: [0x0427, 'int1'],
  congestion_state: [0x0428, 'int1'],
  ussd_service_op: [0x0501, 'int1'],
  broadcast_channel_indicator: [0x0600, 'int1'],
  broadcast_content_type: [0x0601, 'octets'],
  broadcast_content_type_info: [0x0602, 'octets'],
  broadcast_message_class: [0x0603, 'int1'],
  broadcast_rep_num: [0x0604, 'int2'],
  broadcast_frequency_interval: [0x0605, 'octets'],
  broadcast_area_identifier: [0x0606, 'octets'],
  broadcast_error_status: [0x0607, 'int4'],
  broadcast_area_success: [0x0608, 'int1'],
  broadcast_end_time: [0x0609, 'cstring'],
  broadcast_service_group: [0x060a, 'octets'],
  billing_identification: [0x060b, 'octets'],
  source_network_id: [0x060d, 'cstring'],
  dest_network_id: [0x060e, 'cstring'],
  source_node_id: [0x060f, 'string'],
  dest_node_id: [0x0610, 'string'],
  dest_addr_np_resolution: [0x0611, 'int1'],
  dest_addr_np_information: [0x0612, 'octets'],
  dest_addr_np_country: [0x0613, 'octets'],
  display_time: [0x1201, 'int1'],
  sms_signal: [0x1203, 'int2'],
  ms_validity: [0x1204, 'octets'],
  alert_on_message_delivery: [0x130c, 'octets'],
  its_reply_type: [0x1380, 'int1'],
  its_session_info: [0x1383, 'octets'],
} as const satisfies Record<string, readonly [number, TlvKind]>;

export type TlvName = keyof typeof definitions;

/** The tag of every standard TLV: `TlvTag.message_payload === 0x0424`. */
export const TlvTag = Object.fromEntries(Object.entries(definitions).map(([name, [tag]]) => [name, tag])) as {
  readonly [N in TlvName]: (typeof definitions)[N][0];
};

type KindValue<K extends TlvKind> = K extends 'int1' | 'int2' | 'int4' ? number : K extends 'octets' ? Buffer : string;
/** The JavaScript type of a named TLV's value. */
export type TlvValueOf<N extends TlvName> = KindValue<(typeof definitions)[N][1]>;

/** One TLV as it appears in a PDU, in wire order. `name` is the standard name or `tlv_0x1234` for unknown tags. */
export interface Tlv {
  tag: number;
  name: string;
  value: number | string | Buffer;
}

export interface TlvDefinition {
  readonly name: TlvName;
  readonly tag: number;
  readonly kind: TlvKind;
}

const byTag = new Map<number, TlvDefinition>();
const byName = new Map<string, TlvDefinition>();
for (const [name, [tag, kind]] of Object.entries(definitions) as Array<[TlvName, readonly [number, TlvKind]]>) {
  const definition: TlvDefinition = { name, tag, kind };
  byTag.set(tag, definition);
  byName.set(name, definition);
}

export function tlvDefinitionByTag(tag: number): TlvDefinition | undefined {
  return byTag.get(tag);
}

export function tlvDefinitionByName(name: string): TlvDefinition | undefined {
  return byName.get(name);
}

export function tlvDefinitions(): readonly TlvDefinition[] {
  return [...byTag.values()];
}

/** `tlv_0x1234`: the name an unknown tag goes by. */
export function unknownTlvName(tag: number): string {
  return `tlv_0x${tag.toString(16).padStart(4, '0')}`;
}

/** The tag for a standard name or a `tlv_0x1234` name; undefined for anything else. */
export function tlvTagFromName(name: string): number | undefined {
  const known = byName.get(name);
  if (known !== undefined) return known.tag;
  const match = /^tlv_0x([0-9a-fA-F]{4})$/.exec(name);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

/** Builds a standard TLV by name: `tlv('message_payload', bytes)`. */
export function tlv<N extends TlvName>(name: N, value: TlvValueOf<N>): Tlv {
  return { tag: definitions[name][0], name, value };
}

/** Builds a TLV of a tag outside the standard table (a vendor TLV); its value is always raw bytes. */
export function rawTlv(tag: number, value: Buffer): Tlv {
  const known = byTag.get(tag);
  return { tag, name: known?.name ?? unknownTlvName(tag), value };
}

/** The value of the first TLV with that name, or undefined. */
export function getTlv<N extends TlvName>(pdu: { readonly tlvs: readonly Tlv[] }, name: N): TlvValueOf<N> | undefined {
  const tag = definitions[name][0];
  for (const item of pdu.tlvs) if (item.tag === tag) return item.value as TlvValueOf<N>;
  return undefined;
}

/** Every value of TLVs with that name, in order (callback_num and broadcast_area_identifier may repeat). */
export function getTlvs<N extends TlvName>(pdu: { readonly tlvs: readonly Tlv[] }, name: N): Array<TlvValueOf<N>> {
  const tag = definitions[name][0];
  return pdu.tlvs.filter((item) => item.tag === tag).map((item) => item.value as TlvValueOf<N>);
}
