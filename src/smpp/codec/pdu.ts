/**
 * The PDU types: one interface per command, fields named as in the spec (snake_case) so that JSON
 * output reads like the spec and compares field-for-field with other SMPP libraries.
 * Integers are numbers, C-Octet Strings are latin1 strings, times are '' or the 16-character
 * SMPP form, short_message is raw bytes (sm_length is implied by its length), TLVs keep wire order.
 */
import type { CommandName } from './commands.js';
import type { Tlv } from './tlv.js';

export interface PduHeader<C extends CommandName> {
  command: C;
  command_status: number;
  sequence_number: number;
  tlvs: Tlv[];
}

interface BindFields {
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  addr_ton: number;
  addr_npi: number;
  address_range: string;
}

interface SystemIdField {
  system_id: string;
}

interface MessageIdField {
  message_id: string;
}

interface SourceFields {
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
}

interface DestinationFields {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
}

/** submit_sm and deliver_sm share one body (v5.0 §4.2.1.1, §4.3.1.1). */
interface ShortMessageFields extends SourceFields, DestinationFields {
  service_type: string;
  esm_class: number;
  protocol_id: number;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
  short_message: Buffer;
}

export interface SmeDestination {
  dest_flag: 1;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
}

export interface DistributionListDestination {
  dest_flag: 2;
  dl_name: string;
}

export type DestAddress = SmeDestination | DistributionListDestination;

export interface UnsuccessSme {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  error_status_code: number;
}

export interface BindTransmitter extends PduHeader<'bind_transmitter'>, BindFields {}
export interface BindTransmitterResp extends PduHeader<'bind_transmitter_resp'>, SystemIdField {}
export interface BindReceiver extends PduHeader<'bind_receiver'>, BindFields {}
export interface BindReceiverResp extends PduHeader<'bind_receiver_resp'>, SystemIdField {}
export interface BindTransceiver extends PduHeader<'bind_transceiver'>, BindFields {}
export interface BindTransceiverResp extends PduHeader<'bind_transceiver_resp'>, SystemIdField {}
export interface Outbind extends PduHeader<'outbind'>, SystemIdField {
  password: string;
}
export type Unbind = PduHeader<'unbind'>;
export type UnbindResp = PduHeader<'unbind_resp'>;
export type EnquireLink = PduHeader<'enquire_link'>;
export type EnquireLinkResp = PduHeader<'enquire_link_resp'>;
export type GenericNack = PduHeader<'generic_nack'>;

export interface SubmitSm extends PduHeader<'submit_sm'>, ShortMessageFields {}
export interface SubmitSmResp extends PduHeader<'submit_sm_resp'>, MessageIdField {}
export interface DeliverSm extends PduHeader<'deliver_sm'>, ShortMessageFields {}
export interface DeliverSmResp extends PduHeader<'deliver_sm_resp'>, MessageIdField {}

export interface DataSm extends PduHeader<'data_sm'>, SourceFields, DestinationFields {
  service_type: string;
  esm_class: number;
  registered_delivery: number;
  data_coding: number;
}
export interface DataSmResp extends PduHeader<'data_sm_resp'>, MessageIdField {}

export interface SubmitMulti extends PduHeader<'submit_multi'>, SourceFields {
  service_type: string;
  dest_address: DestAddress[];
  esm_class: number;
  protocol_id: number;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
  short_message: Buffer;
}
export interface SubmitMultiResp extends PduHeader<'submit_multi_resp'>, MessageIdField {
  unsuccess_sme: UnsuccessSme[];
}

export interface QuerySm extends PduHeader<'query_sm'>, MessageIdField, SourceFields {}
export interface QuerySmResp extends PduHeader<'query_sm_resp'>, MessageIdField {
  final_date: string;
  message_state: number;
  error_code: number;
}

export interface CancelSm extends PduHeader<'cancel_sm'>, MessageIdField, SourceFields, DestinationFields {
  service_type: string;
}
export type CancelSmResp = PduHeader<'cancel_sm_resp'>;

export interface ReplaceSm extends PduHeader<'replace_sm'>, MessageIdField, SourceFields {
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  sm_default_msg_id: number;
  short_message: Buffer;
}
export type ReplaceSmResp = PduHeader<'replace_sm_resp'>;

export interface AlertNotification extends PduHeader<'alert_notification'>, SourceFields {
  esme_addr_ton: number;
  esme_addr_npi: number;
  esme_addr: string;
}

/** v5.0 §4.4.1.1; the broadcast area, content type, repetitions and frequency are mandatory TLVs. */
export interface BroadcastSm extends PduHeader<'broadcast_sm'>, SourceFields, MessageIdField {
  service_type: string;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
}
export interface BroadcastSmResp extends PduHeader<'broadcast_sm_resp'>, MessageIdField {}
export interface QueryBroadcastSm extends PduHeader<'query_broadcast_sm'>, MessageIdField, SourceFields {}
export interface QueryBroadcastSmResp extends PduHeader<'query_broadcast_sm_resp'>, MessageIdField {}
export interface CancelBroadcastSm extends PduHeader<'cancel_broadcast_sm'>, MessageIdField, SourceFields {
  service_type: string;
}
export type CancelBroadcastSmResp = PduHeader<'cancel_broadcast_sm_resp'>;

export type Pdu =
  | BindTransmitter
  | BindTransmitterResp
  | BindReceiver
  | BindReceiverResp
  | BindTransceiver
  | BindTransceiverResp
  | Outbind
  | Unbind
  | UnbindResp
  | EnquireLink
  | EnquireLinkResp
  | GenericNack
  | SubmitSm
  | SubmitSmResp
  | DeliverSm
  | DeliverSmResp
  | DataSm
  | DataSmResp
  | SubmitMulti
  | SubmitMultiResp
  | QuerySm
  | QuerySmResp
  | CancelSm
  | CancelSmResp
  | ReplaceSm
  | ReplaceSmResp
  | AlertNotification
  | BroadcastSm
  | BroadcastSmResp
  | QueryBroadcastSm
  | QueryBroadcastSmResp
  | CancelBroadcastSm
  | CancelBroadcastSmResp;

/** The PDU type of one command: `PduOf<'submit_sm'>` is `SubmitSm`. */
export type PduOf<C extends CommandName> = Extract<Pdu, { command: C }>;

/** The names of a command's mandatory body fields. */
export type BodyFieldName<C extends CommandName> = Exclude<keyof PduOf<C>, keyof PduHeader<C>> & string;

/** What `createPdu` accepts: any subset of the PDU's fields except the command itself. */
export type PduFields<C extends CommandName> = Partial<Omit<PduOf<C>, 'command'>>;
