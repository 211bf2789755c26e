/**
 * SMPP command ids of v3.4 and v5.0 (v5.0 §4.7.5 table 4-59 / v3.4 §5.1.2.1).
 * A response's id is its request's id with bit 31 set; generic_nack is 0x80000000 alone.
 * outbind and alert_notification have no response PDU: the peer answers an outbind with a bind,
 * and an alert_notification is not acknowledged at all.
 */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
  broadcast_sm: 0x00000111,
  broadcast_sm_resp: 0x80000111,
  query_broadcast_sm: 0x00000112,
  query_broadcast_sm_resp: 0x80000112,
  cancel_broadcast_sm: 0x00000113,
  cancel_broadcast_sm_resp: 0x80000113,
} as const;

export type CommandName = keyof typeof CommandId;

/** Names of the commands whose name ends in `_resp`, plus generic_nack. */
export type ResponseName = Extract<CommandName, `${string}_resp`> | 'generic_nack';
export type RequestName = Exclude<CommandName, ResponseName>;
/** Requests that the peer answers with a PDU of their own name + `_resp`. */
export type AnsweredRequestName = { [C in RequestName]: `${C}_resp` extends CommandName ? C : never }[RequestName];
/** The response command of an answered request: `submit_sm` → `submit_sm_resp`. */
export type ResponseCommandOf<C extends AnsweredRequestName> = `${C}_resp` & CommandName;

export const commandNames = Object.keys(CommandId) as CommandName[];

const namesById = new Map<number, CommandName>(commandNames.map((name) => [CommandId[name], name]));

/** The command's name for an id, or undefined when the id is not a command of v3.4 or v5.0. */
export function commandNameOf(commandId: number): CommandName | undefined {
  return namesById.get(commandId);
}

/** True for response ids (bit 31 set), including generic_nack and ids we do not know. */
export function isResponse(commandId: number): boolean {
  return (commandId & 0x80000000) !== 0;
}

/** The response a request is answered with: `submit_sm` → `submit_sm_resp`; undefined for outbind, alert_notification and responses. */
export function responseCommandFor(command: CommandName): CommandName | undefined {
  if (isResponse(CommandId[command])) return undefined;
  return namesById.get((CommandId[command] | 0x80000000) >>> 0);
}

/** `0x00000004 (submit_sm)`-style text for logs and error messages. */
export function describeCommandId(commandId: number): string {
  const hex = `0x${(commandId >>> 0).toString(16).padStart(8, '0')}`;
  const name = namesById.get(commandId);
  return name === undefined ? hex : `${hex} (${name})`;
}
