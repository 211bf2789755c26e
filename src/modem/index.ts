/**
 * The public face of the modem part: AT channel, profiles, driver, SMS PDU codec, error tables.
 * Other parts (agent, CLI, emulator) import only from here.
 */
export { AtFramer, type AtToken } from './at/framer.js';
export { AtChannel, type AtChannelOptions, type AtResponse, type CommandOptions, type UrcListener } from './at/channel.js';
export { parseUrc, parseRegistration, urcKindOf, type Urc, type RegistrationState, type RegistrationKind } from './at/urc.js';
export { parseFinalResult, type FinalResult } from './at/results.js';
export { resolveError, describeCme, describeCms, type ErrorMeaning, type ResolvedError } from './at/errorTables.js';
export { splitFields, splitPrefix } from './at/fields.js';
export { systemClock, sleep, type Clock, type TimerHandle } from '../clock.js';
export { loadProfile, listProfiles, validateProfile, defaultProfileDir, type ModemProfile, type GnssParserName, type SignalParserName } from './profile/index.js';
export { ModemDriver } from './driver/modemDriver.js';
export { smsPduCodec } from './driver/pduCodec.js';
export { parseGnss, type GnssFix, type GnssReading } from './driver/gnssParsers.js';
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
export type { SmsPduCodec, SubmitRequest, SubmitPdu, DecodedPdu, DecodedDeliver, DecodedStatusReport } from './driver/smsCodec.js';
export type { SendRequest } from './driver/smsSend.js';
export type { ModemDriverOptions, ModemPhase, ModemStatus, ModemInfo, ReceivedSms, StatusReportEvent, SendResult, SentPart, StoredLocation, UndecodableSms } from './driver/types.js';
export * from './sms/index.js';
