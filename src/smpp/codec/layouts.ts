/**
 * The mandatory body of every command as data: field name, wire kind and, for C-Octet Strings,
 * the spec's maximum size including the terminating NUL. Encoder, decoder and createPdu all walk
 * these arrays, so a field's layout is written once. Kinds are small integers so the hot loops
 * switch on a number, not a string.
 */
import { CommandId, commandNames } from './commands.js';
import type { CommandName } from './commands.js';
import type { BodyFieldName } from './pdu.js';
import { compileDecodedBuilder, compileDefaultsBuilder, compileFastEncoder, compileValuesReader } from './builders.js';
import type { DecodedBuilder, DefaultsBuilder, FastEncoder, ValuesReader } from './builders.js';
import { FieldKind, type FieldSpec } from './fieldKinds.js';

export { FieldKind, type FieldSpec } from './fieldKinds.js';

/** SMPP address and string sizes (v5.0 §4.7), including the NUL. */
export const Size = {
  systemId: 16,
  password: 9,
  systemType: 13,
  addressRange: 41,
  serviceType: 6,
  address: 21,
  /** data_sm and alert_notification carry longer addresses (v3.4 §4.7.1, §4.12.1). */
  longAddress: 65,
  messageId: 65,
  time: 17,
  dlName: 21,
} as const;

const c = <N extends string>(name: N, max: number): FieldSpec<N> => ({ name, kind: FieldKind.cstring, max });
const i1 = <N extends string>(name: N): FieldSpec<N> => ({ name, kind: FieldKind.int1, max: 0 });
const sm = <N extends string>(name: N): FieldSpec<N> => ({ name, kind: FieldKind.shortMessage, max: 0 });

const bind = [
  c('system_id', Size.systemId),
  c('password', Size.password),
  c('system_type', Size.systemType),
  i1('interface_version'),
  i1('addr_ton'),
  i1('addr_npi'),
  c('address_range', Size.addressRange),
] as const;

const source = [i1('source_addr_ton'), i1('source_addr_npi'), c('source_addr', Size.address)] as const;
const destination = [i1('dest_addr_ton'), i1('dest_addr_npi'), c('destination_addr', Size.address)] as const;
const systemId = [c('system_id', Size.systemId)] as const;
const messageId = [c('message_id', Size.messageId)] as const;

const shortMessage = [
  c('service_type', Size.serviceType),
  ...source,
  ...destination,
  i1('esm_class'),
  i1('protocol_id'),
  i1('priority_flag'),
  c('schedule_delivery_time', Size.time),
  c('validity_period', Size.time),
  i1('registered_delivery'),
  i1('replace_if_present_flag'),
  i1('data_coding'),
  i1('sm_default_msg_id'),
  sm('short_message'),
] as const;

type Layouts = { readonly [C in CommandName]: ReadonlyArray<FieldSpec<BodyFieldName<C>>> };

export const layouts: Layouts = {
  generic_nack: [],
  bind_receiver: bind,
  bind_receiver_resp: systemId,
  bind_transmitter: bind,
  bind_transmitter_resp: systemId,
  bind_transceiver: bind,
  bind_transceiver_resp: systemId,
  outbind: [c('system_id', Size.systemId), c('password', Size.password)],
  unbind: [],
  unbind_resp: [],
  enquire_link: [],
  enquire_link_resp: [],
  submit_sm: shortMessage,
  submit_sm_resp: messageId,
  deliver_sm: shortMessage,
  deliver_sm_resp: messageId,
  data_sm: [
    c('service_type', Size.serviceType),
    i1('source_addr_ton'),
    i1('source_addr_npi'),
    c('source_addr', Size.longAddress),
    i1('dest_addr_ton'),
    i1('dest_addr_npi'),
    c('destination_addr', Size.longAddress),
    i1('esm_class'),
    i1('registered_delivery'),
    i1('data_coding'),
  ],
  data_sm_resp: messageId,
  submit_multi: [
    c('service_type', Size.serviceType),
    ...source,
    { name: 'dest_address', kind: FieldKind.destAddresses, max: 0 },
    i1('esm_class'),
    i1('protocol_id'),
    i1('priority_flag'),
    c('schedule_delivery_time', Size.time),
    c('validity_period', Size.time),
    i1('registered_delivery'),
    i1('replace_if_present_flag'),
    i1('data_coding'),
    i1('sm_default_msg_id'),
    sm('short_message'),
  ],
  submit_multi_resp: [c('message_id', Size.messageId), { name: 'unsuccess_sme', kind: FieldKind.unsuccessSmes, max: 0 }],
  query_sm: [c('message_id', Size.messageId), ...source],
  query_sm_resp: [c('message_id', Size.messageId), c('final_date', Size.time), i1('message_state'), i1('error_code')],
  cancel_sm: [c('service_type', Size.serviceType), c('message_id', Size.messageId), ...source, ...destination],
  cancel_sm_resp: [],
  replace_sm: [
    c('message_id', Size.messageId),
    ...source,
    c('schedule_delivery_time', Size.time),
    c('validity_period', Size.time),
    i1('registered_delivery'),
    i1('sm_default_msg_id'),
    sm('short_message'),
  ],
  replace_sm_resp: [],
  alert_notification: [
    i1('source_addr_ton'),
    i1('source_addr_npi'),
    c('source_addr', Size.longAddress),
    i1('esme_addr_ton'),
    i1('esme_addr_npi'),
    c('esme_addr', Size.longAddress),
  ],
  broadcast_sm: [
    c('service_type', Size.serviceType),
    ...source,
    c('message_id', Size.messageId),
    i1('priority_flag'),
    c('schedule_delivery_time', Size.time),
    c('validity_period', Size.time),
    i1('replace_if_present_flag'),
    i1('data_coding'),
    i1('sm_default_msg_id'),
  ],
  broadcast_sm_resp: messageId,
  query_broadcast_sm: [c('message_id', Size.messageId), ...source],
  query_broadcast_sm_resp: messageId,
  cancel_broadcast_sm: [c('service_type', Size.serviceType), c('message_id', Size.messageId), ...source],
  cancel_broadcast_sm_resp: [],
};

/** interface_version a bind carries unless told otherwise: v3.4, which every SMSC accepts. */
export const defaultInterfaceVersion = 0x34;

/** A zero-length Buffer cannot be changed, so every empty short_message can share this one. */
const emptyOctets = Buffer.alloc(0);

/** The value a field takes when not given (createPdu) or left out of a response (decodePdu). */
export function emptyValue(field: FieldSpec): unknown {
  switch (field.kind) {
    case FieldKind.cstring:
      return '';
    case FieldKind.int1:
      return field.name === 'interface_version' ? defaultInterfaceVersion : 0;
    case FieldKind.shortMessage:
      return emptyOctets;
    case FieldKind.destAddresses:
    case FieldKind.unsuccessSmes:
      return [];
  }
}

/** What the codec needs to know about one command, found by id or by name. */
export interface CommandSpec {
  readonly name: CommandName;
  readonly id: number;
  readonly isResponse: boolean;
  readonly fields: readonly FieldSpec[];
  /** Builds the decoded PDU object in one literal (see builders.ts). */
  readonly build: DecodedBuilder;
  /** Builds a PDU from given fields and defaults in one literal. */
  readonly create: DefaultsBuilder;
  /** Reads the body values of a PDU in layout order. */
  readonly values: ValuesReader;
  /** The no-TLV, all-valid fast path of encodePdu (none for commands with list fields). */
  readonly encode: FastEncoder | undefined;
}

/**
 * A command's spec, its code compiled on first use: a session uses a handful of the ~40 commands,
 * and compiling all of them at import made ~160 functions (and their sources) that outlived the
 * first young-generation collections — enough, with the tables, for V8 to double its young
 * generation at start-up for good (bench/session, peak RSS).
 */
class LazyCommandSpec implements CommandSpec {
  readonly isResponse: boolean;
  private builder: DecodedBuilder | undefined;
  private creator: DefaultsBuilder | undefined;
  private reader: ValuesReader | undefined;
  private encoder: FastEncoder | undefined | null = null;

  constructor(
    readonly name: CommandName,
    readonly id: number,
    readonly fields: readonly FieldSpec[],
  ) {
    this.isResponse = (id & 0x80000000) !== 0;
  }

  get build(): DecodedBuilder {
    return (this.builder ??= compileDecodedBuilder(this.fields));
  }

  get create(): DefaultsBuilder {
    if (this.creator === undefined) {
      const defaults = this.fields.map((field) => (field.kind === FieldKind.destAddresses || field.kind === FieldKind.unsuccessSmes ? () => [] : emptyValue(field)));
      this.creator = compileDefaultsBuilder(this.fields, defaults);
    }
    return this.creator;
  }

  get values(): ValuesReader {
    return (this.reader ??= compileValuesReader(this.fields));
  }

  get encode(): FastEncoder | undefined {
    if (this.encoder === null) this.encoder = compileFastEncoder(this.id, this.fields);
    return this.encoder;
  }
}

export const specsByName = new Map<string, CommandSpec>();
export const specsById = new Map<number, CommandSpec>();
for (const name of commandNames) {
  const id = CommandId[name];
  const spec = new LazyCommandSpec(name, id, layouts[name]);
  specsByName.set(name, spec);
  specsById.set(id, spec);
}
