/**
 * The public face of the SMS PDU codec (3GPP TS 23.040 / 23.038) for the modem driver, the
 * modem emulator and the CLI.
 */
export { decodeSmsPdu, type DecodeSmsOptions } from './decode.js';
export {
  encodeSubmitPdu,
  encodeDeliverPdu,
  encodeStatusReportPdu,
  type EncodedSmsPdu,
  type SubmitFields,
  type DeliverFields,
  type StatusReportFields,
  type UserDataInput,
} from './encode.js';
export { encodeSubmit, type SubmitMessage } from './submit.js';
export { encodeTpAddress, encodeSmscAddress, resolveAddress, type SmsAddress, type AddressInput, type AddressType } from './address.js';
export { decodeTimestamp, encodeTimestamp } from './timestamp.js';
export {
  relativeVpSeconds,
  relativeVpFor,
  type ValidityPeriod,
  type ValidityPeriodFormat,
  type ValidityInput,
} from './validity.js';
export { describeStatus, type TpStatus, type StatusCategory } from './status.js';
export type { SmsPdu, SmsDeliver, SmsSubmit, SmsStatusReport, SmsUserData, SmsDcs, SmsPduType } from './types.js';
