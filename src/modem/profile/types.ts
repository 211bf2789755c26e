/**
 * A modem profile: everything that differs between modem families, as data (`firmware-config/*.yaml`).
 * A new modem is a new file. Units are in the names (`…Ms`); ranges are checked by the loader.
 */

export const gnssParsers = ['simcom-cgnsinf', 'simcom-cgpsinfo', 'simcom-cgnssinfo', 'quectel-qgpsloc', 'ublox-uloc', 'none'] as const;
export type GnssParserName = (typeof gnssParsers)[number];

export const signalParsers = ['none', 'cesq', 'simcom-cpsi', 'quectel-qcsq'] as const;
export type SignalParserName = (typeof signalParsers)[number];

export const registrationKinds = ['CREG', 'CGREG', 'CEREG'] as const;

export interface ModemProfile {
  /** File name without extension, e.g. `simcom-sim7600`. */
  readonly name: string;
  readonly description: string;
  /** Model strings this profile is for (as AT+CGMM prints them). */
  readonly models: readonly string[];
  /** Serial speed, bit/s. Fixed: autobauding is unreliable (SIM800 G1). */
  readonly baudRate: number;
  /** Commands run first on every init, in order (echo off, verbose errors, URC routing…). */
  readonly init: readonly string[];
  /** Lines that mean the modem has (re)started and lost its settings. */
  readonly bootUrcs: readonly string[];
  readonly sms: {
    /** Preferred mode; `text` only for modems whose PDU mode is broken. */
    readonly mode: 'pdu' | 'text';
    /** Fall back to text mode when AT+CMGF=0 is refused. */
    readonly textFallback: boolean;
    /** AT+CPMS memories: read/delete, write/send, receive. */
    readonly storage: readonly [string, string, string];
    /** Every storage `modem read` lists (e.g. SM and ME). */
    readonly readStorages: readonly string[];
    /** AT+CNMI parameters, best first; the first one the modem accepts is used. */
    readonly cnmi: readonly string[];
    /** AT+CSMS service: 1 means every +CMT/+CDS must be acknowledged with AT+CNMA. */
    readonly service: 0 | 1;
    /** Ask for status reports (TP-SRR) on sent messages. */
    readonly statusReports: boolean;
    /** Wait for the family's "SMS ready" URC (or poll) before SMS commands, at most this long. */
    readonly readyTimeoutMs: number;
    /** Keep parts of a concatenated message this long before delivering what arrived. */
    readonly reassemblyTimeoutMs: number;
  };
  readonly registration: {
    /** Which registrations to query; LTE-M/NB-IoT modules register in CEREG only. */
    readonly commands: readonly (typeof registrationKinds)[number][];
    /** URC mode set with AT+CxREG=<n> (0 none, 1 stat, 2 stat + location). */
    readonly urcMode: 0 | 1 | 2;
  };
  readonly signal: {
    readonly command: string;
    /** A richer per-model signal command, and the parser for its answer. */
    readonly extendedCommand?: string;
    readonly extendedParser: SignalParserName;
  };
  readonly identity: {
    readonly imei: string;
    readonly imsi: string;
    readonly iccid: string;
    readonly firmware: string;
    readonly model: string;
  };
  readonly gnss: {
    readonly parser: GnssParserName;
    readonly powerOn: readonly string[];
    readonly query: string;
    readonly powerOff: readonly string[];
    /** +CME codes that mean "no fix yet" (a state, not an error). */
    readonly noFixErrors: readonly number[];
    /** +CME codes that mean "GNSS not running": the driver powers it on and retries once. */
    readonly notRunningErrors: readonly number[];
    readonly queryTimeoutMs: number;
  };
  /** Cell-tower location, where the family has it. */
  readonly cellLocation?: {
    readonly command: string;
    /** Coordinate order of the answer: SIM800/SIM7000 print longitude first. */
    readonly order: 'lat-lon' | 'lon-lat';
    readonly timeoutMs: number;
  };
  readonly reset: {
    readonly command: string;
    /** How long the modem takes to come back after the reset command. */
    readonly bootWaitMs: number;
  };
  readonly timeouts: {
    readonly commandMs: number;
    readonly promptMs: number;
    readonly smsSendMs: number;
  };
  readonly health: {
    readonly pollIntervalMs: number;
    /** Consecutive failed polls before re-initialising. */
    readonly failuresBeforeReinit: number;
    /** Failed re-inits before the reset command. */
    readonly reinitsBeforeReset: number;
    readonly backoffInitialMs: number;
    readonly backoffMaxMs: number;
  };
  readonly quirks: {
    /** An empty storage slot answers bare OK to AT+CMGR (SIMCom/Huawei) instead of +CMS ERROR: 321. */
    readonly emptySlotAnswersOk: boolean;
    /** Status-report storage ("SR") is broken: never use CNMI ds=2 (SIM7600 G10, SIM800 rejects ds=2). */
    readonly noStatusReportStorage: boolean;
    /** The SIM needs this long after PIN entry before SIM commands stop answering "SIM busy". */
    readonly simBusyAfterPinMs: number;
  };
}
