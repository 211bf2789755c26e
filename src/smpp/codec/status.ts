/**
 * The command_status table of SMPP v3.4 (§5.1.3) and v5.0 (§4.7.6), usable both ways.
 * v5.0 renamed the optional-parameter errors 0xC0–0xC4 (ESME_RINVOPTPARSTREAM → ESME_RINVTLVSTREAM, …):
 * both names resolve to the value, and the value names itself by its v5.0 name.
 */
const table = [
  ['ESME_ROK', 0x00000000, 'No error'],
  ['ESME_RINVMSGLEN', 0x00000001, 'Message length is invalid'],
  ['ESME_RINVCMDLEN', 0x00000002, 'Command length is invalid'],
  ['ESME_RINVCMDID', 0x00000003, 'Invalid command ID'],
  ['ESME_RINVBNDSTS', 0x00000004, 'Incorrect bind status for given command'],
  ['ESME_RALYBND', 0x00000005, 'ESME already in bound state'],
  ['ESME_RINVPRTFLG', 0x00000006, 'Invalid priority flag'],
  ['ESME_RINVREGDLVFLG', 0x00000007, 'Invalid registered delivery flag'],
  ['ESME_RSYSERR', 0x00000008, 'System error'],
  ['ESME_RINVSRCADR', 0x0000000a, 'Invalid source address'],
  ['ESME_RINVDSTADR', 0x0000000b, 'Invalid destination address'],
  ['ESME_RINVMSGID', 0x0000000c, 'Message ID is invalid'],
  ['ESME_RBINDFAIL', 0x0000000d, 'Bind failed'],
  ['ESME_RINVPASWD', 0x0000000e, 'Invalid password'],
  ['ESME_RINVSYSID', 0x0000000f, 'Invalid system ID'],
  ['ESME_RCANCELFAIL', 0x00000011, 'Cancel SM failed'],
  ['ESME_RREPLACEFAIL', 0x00000013, 'Replace SM failed'],
  ['ESME_RMSGQFUL', 0x00000014, 'Message queue full'],
  ['ESME_RINVSERTYP', 0x00000015, 'Invalid service type'],
  ['ESME_RINVNUMDESTS', 0x00000033, 'Invalid number of destinations'],
  ['ESME_RINVDLNAME', 0x00000034, 'Invalid distribution list name'],
  ['ESME_RINVDESTFLAG', 0x00000040, 'Destination flag is invalid (submit_multi)'],
  ['ESME_RINVSUBREP', 0x00000042, "Invalid 'submit with replace' request (replace_if_present_flag set)"],
  ['ESME_RINVESMCLASS', 0x00000043, 'Invalid esm_class field data'],
  ['ESME_RCNTSUBDL', 0x00000044, 'Cannot submit to distribution list'],
  ['ESME_RSUBMITFAIL', 0x00000045, 'submit_sm, data_sm or submit_multi failed'],
  ['ESME_RINVSRCTON', 0x00000048, 'Invalid source address TON'],
  ['ESME_RINVSRCNPI', 0x00000049, 'Invalid source address NPI'],
  ['ESME_RINVDSTTON', 0x00000050, 'Invalid destination address TON'],
  ['ESME_RINVDSTNPI', 0x00000051, 'Invalid destination address NPI'],
  ['ESME_RINVSYSTYP', 0x00000053, 'Invalid system_type field'],
  ['ESME_RINVREPFLAG', 0x00000054, 'Invalid replace_if_present flag'],
  ['ESME_RINVNUMMSGS', 0x00000055, 'Invalid number of messages'],
  ['ESME_RTHROTTLED', 0x00000058, 'Throttling error (ESME has exceeded allowed message limits)'],
  ['ESME_RINVSCHED', 0x00000061, 'Invalid scheduled delivery time'],
  ['ESME_RINVEXPIRY', 0x00000062, 'Invalid message validity period (expiry time)'],
  ['ESME_RINVDFTMSGID', 0x00000063, 'Predefined message ID is invalid or specified predefined message was not found'],
  ['ESME_RX_T_APPN', 0x00000064, 'ESME receiver temporary app error code'],
  ['ESME_RX_P_APPN', 0x00000065, 'ESME receiver permanent app error code'],
  ['ESME_RX_R_APPN', 0x00000066, 'ESME receiver reject message error code'],
  ['ESME_RQUERYFAIL', 0x00000067, 'query_sm request failed'],
  ['ESME_RINVTLVSTREAM', 0x000000c0, 'Error in the optional part of the PDU body'],
  ['ESME_RTLVNOTALLWD', 0x000000c1, 'TLV not allowed'],
  ['ESME_RINVTLVLEN', 0x000000c2, 'Invalid parameter length'],
  ['ESME_RMISSINGTLV', 0x000000c3, 'Expected TLV missing'],
  ['ESME_RINVTLVVAL', 0x000000c4, 'Invalid TLV value'],
  ['ESME_RDELIVERYFAILURE', 0x000000fe, 'Transaction delivery failure (used for data_sm_resp)'],
  ['ESME_RUNKNOWNERR', 0x000000ff, 'Unknown error'],
  ['ESME_RSERTYPUNAUTH', 0x00000100, 'ESME not authorised to use specified service_type'],
  ['ESME_RPROHIBITED', 0x00000101, 'ESME prohibited from using specified operation'],
  ['ESME_RSERTYPUNAVAIL', 0x00000102, 'Specified service_type is unavailable'],
  ['ESME_RSERTYPDENIED', 0x00000103, 'Specified service_type is denied'],
  ['ESME_RINVDCS', 0x00000104, 'Invalid data coding scheme'],
  ['ESME_RINVSRCADDRSUBUNIT', 0x00000105, 'Source address sub unit is invalid'],
  ['ESME_RINVDSTADDRSUBUNIT', 0x00000106, 'Destination address sub unit is invalid'],
  ['ESME_RINVBCASTFREQINT', 0x00000107, 'Broadcast frequency interval is invalid'],
  ['ESME_RINVBCASTALIAS_NAME', 0x00000108, 'Broadcast alias name is invalid'],
  ['ESME_RINVBCASTAREAFMT', 0x00000109, 'Broadcast area format is invalid'],
  ['ESME_RINVNUMBCAST_AREAS', 0x0000010a, 'Number of broadcast areas is invalid'],
  ['ESME_RINVBCASTCNTTYPE', 0x0000010b, 'Broadcast content type is invalid'],
  ['ESME_RINVBCASTMSGCLASS', 0x0000010c, 'Broadcast message class is invalid'],
  ['ESME_RBCASTFAIL', 0x0000010d, 'broadcast_sm operation failed'],
  ['ESME_RBCASTQUERYFAIL', 0x0000010e, 'query_broadcast_sm operation failed'],
  ['ESME_RBCASTCANCELFAIL', 0x0000010f, 'cancel_broadcast_sm operation failed'],
  ['ESME_RINVBCAST_REP', 0x00000110, 'Number of repeated broadcasts is invalid'],
  ['ESME_RINVBCASTSRVGRP', 0x00000111, 'Broadcast service group is invalid'],
  ['ESME_RINVBCASTCHANIND', 0x00000112, 'Broadcast channel indicator is invalid'],
] as const;

/** v3.4 names of the statuses that v5.0 renamed. */
const v34Aliases = {
  ESME_RINVOPTPARSTREAM: 0x000000c0,
  ESME_ROPTPARNOTALLWD: 0x000000c1,
  ESME_RINVPARLEN: 0x000000c2,
  ESME_RMISSINGOPTPARAM: 0x000000c3,
  ESME_RINVOPTPARAMVAL: 0x000000c4,
} as const;

type TableName = (typeof table)[number][0];

export const CommandStatus = {
  ...(Object.fromEntries(table.map(([name, value]) => [name, value])) as { readonly [N in TableName]: Extract<(typeof table)[number], readonly [N, number, string]>[1] }),
  ...v34Aliases,
} as const;

export type CommandStatusName = keyof typeof CommandStatus;

const byValue = new Map<number, { name: string; description: string }>(table.map(([name, value, description]) => [value, { name, description }]));

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** `ESME_RTHROTTLED` for 0x58; `0x0000044c` for values the specs leave to vendors or reserve. */
export function commandStatusName(value: number): string {
  return byValue.get(value)?.name ?? hex(value);
}

/** The spec's description, or the range it falls in for reserved and vendor-specific values. */
export function commandStatusDescription(value: number): string {
  const known = byValue.get(value);
  if (known !== undefined) return known.description;
  if (value >= 0x400 && value <= 0x4ff) return `SMSC vendor-specific error ${hex(value)}`;
  return `Reserved error ${hex(value)}`;
}

/** The value for a name of either version (`ESME_RINVPARLEN` and `ESME_RINVTLVLEN` are both 0xC2), or undefined. */
export function commandStatusFromName(name: string): number | undefined {
  return Object.hasOwn(CommandStatus, name) ? CommandStatus[name as CommandStatusName] : undefined;
}

/** Every (name, value, description) of the table, v5.0 names, ascending value. */
export function commandStatusTable(): ReadonlyArray<{ name: string; value: number; description: string }> {
  return table.map(([name, value, description]) => ({ name, value, description }));
}
