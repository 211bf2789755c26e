/**
 * What the mirror publishes as `<prefix>/<deviceId>/state`: the agent's state as plain JSON.
 * The agent builds this snapshot from its parts (the mirror imports none of them) and hands it
 * to `MqttMirror.updateState()`; secrets never belong here.
 */

/** SMPP session states, as the session's own state machine names them. */
export type SmppLinkState = 'closed' | 'connecting' | 'binding' | 'bound' | 'unbinding';

export type SimStatus = 'ready' | 'pin-required' | 'puk-required' | 'absent' | 'error' | 'unknown';

/** 3GPP TS 27.007 +CREG/+CEREG <stat>, named. */
export type RegistrationStatus = 'home' | 'roaming' | 'searching' | 'denied' | 'not-registered' | 'unknown';

export type GnssFix = 'none' | '2d' | '3d' | 'unknown';

export type ReportPriority = 'critical' | 'high' | 'normal' | 'low';
export const reportPriorities: readonly ReportPriority[] = ['critical', 'high', 'normal', 'low'];

/** Outbox message states; `queued` and `sending` are the queue depth. */
export type OutboxState = 'queued' | 'sending' | 'submitted' | 'delivered' | 'failed' | 'expired';
export const outboxStates: readonly OutboxState[] = ['queued', 'sending', 'submitted', 'delivered', 'failed', 'expired'];

export interface SmppLinkSnapshot {
  readonly state: SmppLinkState;
  /** ISO 8601 time the current bind succeeded, null when not bound. */
  readonly boundSince: string | null;
  /** Submits awaiting their response. */
  readonly windowInUse: number;
  readonly windowSize: number;
  /** True while the SMSC answers ESME_RTHROTTLED and the session holds back. */
  readonly throttled: boolean;
  /** The last connect or bind failure, cleared by the next bind; absent when there was none. */
  readonly lastError?: LinkError;
}

export interface ModemSnapshot {
  readonly sim: SimStatus;
  readonly registration: RegistrationStatus;
  readonly operator: string | null;
  /** Received signal strength in dBm (from +CSQ/+CESQ), null when unknown. */
  readonly signalDbm: number | null;
  readonly gnssFix: GnssFix;
}

export interface OutboxSnapshot {
  readonly byState: Readonly<Record<OutboxState, number>>;
  /** Messages waiting to be sent (queued + sending), by priority. */
  readonly queuedByPriority: Readonly<Record<ReportPriority, number>>;
  /** Age in seconds of the oldest message still waiting, null when none waits. */
  readonly oldestQueuedAgeSeconds: number | null;
  /** Messages dropped because the outbox was full, since the agent started. */
  readonly drops: number;
}

export interface LocationSnapshot {
  readonly lat: number;
  readonly lon: number;
  readonly altitudeM: number | null;
  readonly accuracyM: number | null;
  /** ISO 8601 time of the fix. */
  readonly at: string;
}

export interface AgentStateSnapshot {
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly smpp: SmppLinkSnapshot;
  readonly modem: ModemSnapshot;
  readonly outbox: OutboxSnapshot;
  readonly lastLocation: LocationSnapshot | null;
  /** SMS command lockouts in force (absent when there is none to show). */
  readonly commands?: CommandsSnapshot;
  /** The broker link's last failure (seen through the local API while the broker is unreachable). */
  readonly mqtt?: { readonly lastError?: LinkError };
  /** Whether the agent can do its job: `degraded` with one `{check, reason, since}` per problem (README "Health"). */
  readonly health?: HealthSnapshot;
  /** Running counts for fleets without Prometheus (the same figures as GET /metrics); not a reason to republish. */
  readonly figures?: StateFigures;
}

export interface CommandsSnapshot {
  /** Senders locked out, and until when (ISO 8601). */
  readonly lockouts: ReadonlyArray<{ readonly sender: string; readonly until: string }>;
  /** Every PIN command refused until then (a distributed guess was stopped); null when not. */
  readonly globalUntil: string | null;
}

/** A link's last failure, for `status`: TLS failures name their reason (unknown CA, expired, wrong host). */
export interface LinkError {
  readonly message: string;
  /** The AgentError code name, e.g. `Smpp_Tls`. */
  readonly code?: string;
  /** TLS failures: `unknown-ca`, `expired`, `wrong-host`, `not-yet-valid`, `client-certificate-refused`, `tls`. */
  readonly reason?: string;
  /** ISO 8601. */
  readonly at: string;
}

export interface HealthSnapshot {
  readonly status: 'ok' | 'degraded';
  readonly problems: ReadonlyArray<{ readonly check: string; readonly reason: string; readonly since: string }>;
}

/** Counters since the agent started (`bytesWritten`: the process's /proc/self/io write_bytes, null off Linux). */
export interface StateFigures {
  readonly smppSubmits: number;
  readonly smppThrottles: number;
  readonly smppErrors: number;
  readonly smppBinds: number;
  readonly smppLinkDrops: number;
  readonly smsParts: { readonly smpp: number; readonly modem: number };
  readonly bytesWritten: number | null;
  /** The inbox: entries and payload bytes held, concatenated messages waiting for parts, and what its caps removed or gave up (since the database was created). */
  readonly inbox?: InboxFigures;
}

export interface InboxFigures {
  readonly rows: number;
  readonly bytes: number;
  readonly partialMessages: number;
  readonly dropped: number;
  readonly incomplete: number;
}

/** The retained `state` payload: the snapshot plus when it was published (the fleet's "last seen"). */
export interface PublishedState extends AgentStateSnapshot {
  readonly deviceId: string;
  readonly publishedAt: string;
}

/** Queue depth as the fleet view shows it: everything not yet handed to a link for good. */
export function queueDepth(outbox: OutboxSnapshot): number {
  return outbox.byState.queued + outbox.byState.sending;
}

/** `next` differs from the state last published in something an operator cares about (thresholds: stateThresholds.ts). */
export { operatorRelevantChange as stateChanged } from './stateThresholds.js';
