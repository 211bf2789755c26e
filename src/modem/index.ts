/**
 * The public face of the modem part: AT channel, profiles, driver, SMS PDU codec, error tables.
 * Other parts (agent, CLI, emulator) import only from here.
 */
export { AtFramer, type AtToken } from './at/framer.js';
export { AtChannel, type AtChannelOptions, type AtResponse, type CommandOptions, type UrcListener } from './at/channel.js';
export { parseUrc, parseRegistration, urcKindOf, type Urc, type RegistrationState, type RegistrationKind } from './at/urc.js';
export { parseFinalResult, type FinalResult } from './at/results.js';
export { resolveError, describeCme, describeCms, type ErrorMeaning, type ResolvedError } from './at/error-tables.js';
export { splitFields, splitPrefix } from './at/fields.js';
export { systemClock, sleep, type Clock, type TimerHandle } from '../clock.js';
export { loadProfile, listProfiles, validateProfile, defaultProfileDir, type ModemProfile, type GnssParserName, type SignalParserName } from './profile/index.js';
export { ModemDriver } from './driver/modem-driver.js';
export { smsPduCodec } from './driver/pdu-codec.js';
export { parseGnss, type GnssFix, type GnssReading } from './driver/gnss-parsers.js';
export {
  parseCsq,
  parseCops,
  parseCpin,
  parseCpms,
  parseStoredPdus,
  parseStoredTexts,
  textTimestampToIso,
  rssiToDbm,
  type SignalQuality,
  type ExtendedSignal,
  type OperatorInfo,
  type SimState,
  type StorageUsage,
  type StoredPdu,
} from './driver/parsers.js';
export type { SmsPduCodec, SubmitRequest, SubmitPdu, DecodedPdu, DecodedDeliver, DecodedStatusReport } from './driver/sms-codec.js';
export type { SendRequest } from './driver/sms-send.js';
export type { ModemDriverOptions, ModemPhase, ModemStatus, ModemInfo, ReceivedSms, StatusReportEvent, SendResult, SentPart, StoredLocation } from './driver/types.js';
export * from './sms/index.js';
