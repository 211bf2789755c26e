/**
 * What an ESME does with each PDU an SMSC sends it, as one exhaustive table: adding a command
 * to the codec fails the type check here until someone decides how a session treats it.
 */
import type { CommandName } from '../codec/index.js';

export type InboundKind =
  /** answered with enquire_link_resp */
  | 'enquireLink'
  /** answered with unbind_resp; the link then closes */
  | 'unbind'
  /** deliver_sm / data_sm: handed to the application, which decides the status */
  | 'message'
  /** accepted only while waiting for an outbind */
  | 'outbind'
  /** alert_notification: reported, never answered (it has no response) */
  | 'alert'
  /** a request an SMSC does not send to an ESME: generic_nack ESME_RINVCMDID */
  | 'notForEsme'
  /** a response: matched against the window before this table is consulted */
  | 'response';

export const inboundKind: Readonly<Record<CommandName, InboundKind>> = {
  enquire_link: 'enquireLink',
  unbind: 'unbind',
  deliver_sm: 'message',
  data_sm: 'message',
  outbind: 'outbind',
  alert_notification: 'alert',
  bind_transmitter: 'notForEsme',
  bind_receiver: 'notForEsme',
  bind_transceiver: 'notForEsme',
  submit_sm: 'notForEsme',
  submit_multi: 'notForEsme',
  query_sm: 'notForEsme',
  cancel_sm: 'notForEsme',
  replace_sm: 'notForEsme',
  broadcast_sm: 'notForEsme',
  query_broadcast_sm: 'notForEsme',
  cancel_broadcast_sm: 'notForEsme',
  bind_transmitter_resp: 'response',
  bind_receiver_resp: 'response',
  bind_transceiver_resp: 'response',
  unbind_resp: 'response',
  enquire_link_resp: 'response',
  generic_nack: 'response',
  submit_sm_resp: 'response',
  deliver_sm_resp: 'response',
  data_sm_resp: 'response',
  submit_multi_resp: 'response',
  query_sm_resp: 'response',
  cancel_sm_resp: 'response',
  replace_sm_resp: 'response',
  broadcast_sm_resp: 'response',
  query_broadcast_sm_resp: 'response',
  cancel_broadcast_sm_resp: 'response',
};
