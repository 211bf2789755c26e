/** Public types of the modem driver: options, status, and the events it emits. */
import type { Logger } from '../../logger.js';
import type { AtChannel } from '../at/channel.js';
import type { RegistrationKind, RegistrationState } from '../at/urc.js';
import type { Clock } from '../../clock.js';
import type { ModemProfile } from '../profile/types.js';
import type { ExtendedSignal, OperatorInfo, SignalQuality, SimState, StorageUsage } from './parsers.js';
import type { GnssReading } from './gnssParsers.js';
import type { SmsPduCodec } from './smsCodec.js';

export interface ModemDriverOptions {
  readonly channel: AtChannel;
  readonly profile: ModemProfile;
  readonly codec: SmsPduCodec;
  /** SIM PIN, sent only when the SIM asks for it (never when READY: some firmwares count that as a wrong try). */
  readonly pin?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Receives every complete (or expired partial) message. The stored copies are deleted only after it resolves. */
  readonly onMessage?: (sms: ReceivedSms) => Promise<void> | void;
  readonly onStatusReport?: (report: StatusReportEvent) => Promise<void> | void;
  /**
   * Receives every PDU that cannot be decoded (bad UDH, concatenation numbers out of range, a truncated PDU):
   * its hex and why. The stored copy is deleted only after it resolves, so garbage never fills the SIM and
   * never vanishes unseen. Without it such a PDU is logged and deleted.
   */
  readonly onUndecodable?: (sms: UndecodableSms) => Promise<void> | void;
  /** Caps on messages waiting in memory for their parts (default: 1,000 in total, 32 per sender, 4 MiB). */
  readonly reassembly?: { readonly maxMessages: number; readonly maxPerSender: number; readonly maxBytes: number; readonly timeoutMs?: number };
  /** Read and remove messages already stored on the modem when starting (default true). */
  readonly sweepOnStart?: boolean;
  /** Follow +CMTI/+CDSI by reading (and then deleting) the stored message (default true; false for one-shot tools). */
  readonly followStored?: boolean;
}

/** Where the driver stands. `sim-*` states are terminal until the SIM changes: no crash loop. */
export type ModemPhase =
  | 'stopped'
  | 'initialising'
  | 'ready'
  | 'sim-missing'
  | 'sim-pin-required'
  | 'sim-puk-required'
  | 'sim-failure'
  | 'recovering'
  | 'resetting'
  | 'unresponsive';

export interface ModemStatus {
  readonly phase: ModemPhase;
  readonly sim: SimState;
  readonly registration: Partial<Record<RegistrationKind, RegistrationState>>;
  readonly smsMode: 'pdu' | 'text';
  readonly storage: readonly StorageUsage[];
  readonly lastError?: string;
}

export interface ModemInfo {
  readonly sim: SimState;
  readonly registration: Partial<Record<RegistrationKind, RegistrationState>>;
  readonly registered: boolean;
  readonly operator: OperatorInfo | undefined;
  readonly signal: SignalQuality | undefined;
  readonly extendedSignal: ExtendedSignal | undefined;
  readonly imei: string | undefined;
  readonly imsi: string | undefined;
  readonly iccid: string | undefined;
  readonly model: string | undefined;
  readonly firmware: string | undefined;
  readonly gnss: GnssReading | undefined;
}

export interface StoredLocation {
  readonly memory: string;
  readonly index: number;
}

export interface ReceivedSms {
  readonly sender: string;
  readonly smsc: string | undefined;
  /** ISO 8601 with the sender's offset. */
  readonly timestamp: string;
  readonly text: string | undefined;
  readonly dataHex: string | undefined;
  readonly parts: number;
  /** Parts that arrived (less than `parts` when incomplete). */
  readonly received: number;
  /** False when the reassembly buffer expired (or a cap pushed it out) before every part arrived. */
  readonly complete: boolean;
  readonly messageClass: number | undefined;
  /** Where the parts were stored (empty for +CMT direct delivery). */
  readonly stored: readonly StoredLocation[];
}

export interface UndecodableSms {
  /** The PDU as the modem gave it (hex, SMSC field included when it was there). */
  readonly pduHex: string;
  readonly reason: string;
  /** The originator when the PDU got that far, else ''. */
  readonly sender: string;
}

export interface StatusReportEvent {
  readonly reference: number;
  readonly recipient: string;
  readonly status: number;
  readonly state: 'delivered' | 'pending' | 'failed';
  readonly dischargeTime: string;
  /** The message this report is for, when it was sent through this driver. */
  readonly matched: SentPart | undefined;
}

export interface SentPart {
  readonly messageId: string;
  readonly to: string;
  readonly part: number;
  readonly parts: number;
  readonly reference: number;
}

export interface SendResult {
  readonly messageId: string;
  /** TP-MR of each part, in order. */
  readonly references: readonly number[];
  readonly mode: 'pdu' | 'text';
}
