export type { ModemProfile, GnssParserName, SignalParserName } from './types.js';
export { loadProfile, listProfiles, validateProfile, defaultProfileDir } from './loader.js';
