/** The SMPP codec's public face: PDUs, TLVs, statuses, framing, receipts and JSON. */
export { CommandId, commandNameOf, commandNames, describeCommandId, isResponse, responseCommandFor } from './commands.js';
export type { AnsweredRequestName, CommandName, RequestName, ResponseCommandOf, ResponseName } from './commands.js';
export {
  CommandStatus,
  commandStatusDescription,
  commandStatusFromName,
  commandStatusName,
  commandStatusTable,
} from './status.js';
export type { CommandStatusName } from './status.js';
export { TlvTag, getTlv, getTlvs, rawTlv, tlv, tlvDefinitionByName, tlvDefinitionByTag, tlvDefinitions, tlvTagFromName, unknownTlvName } from './tlv.js';
export type { Tlv, TlvDefinition, TlvKind, TlvName, TlvValueOf } from './tlv.js';
export type * from './pdu.js';
export { createGenericNack, createPdu, createResponse, defaultInterfaceVersion } from './create.js';
export { encodePdu } from './encode.js';
export { decodePdu } from './decode.js';
export { SmppDecodeError, isSmppDecodeError } from './decodeError.js';
export { PduFramer } from './framer.js';
export type { FramerEvent, PduFramerOptions } from './framer.js';
export {
  MessageState,
  formatReceipt,
  formatReceiptDate,
  messageStateForStat,
  parseReceipt,
  parseReceiptDate,
  receiptFromPdu,
  sameMessageId,
  statForMessageState,
} from './receipt.js';
export type { DeliveryReceipt, ReceiptStat } from './receipt.js';
export { pduFromJson, pduToJson } from './json.js';
export type { JsonObject, JsonValue } from './json.js';
export { carriesPassword, redactPdu, redactPduBytes } from './redact.js';
export type { RedactOptions } from './redact.js';
