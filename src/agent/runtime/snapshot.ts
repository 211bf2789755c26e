/**
 * The agent's state as the MQTT mirror and the local API show it, assembled from the parts.
 * Pure mapping functions; the agent calls `snapshot()` on change and on a timer.
 */
import type { AgentStateSnapshot, StateFigures, GnssFix as FixQuality, LocationSnapshot, ModemSnapshot, OutboxSnapshot, RegistrationStatus, SimStatus, SmppLinkSnapshot } from '../../mqtt/index.js';
import type { GnssReading, ModemStatus, SignalQuality, OperatorInfo } from '../../modem/index.js';
import type { QueueStats } from '../../store/index.js';
import type { SessionState } from '../../smpp/index.js';

export interface SmppFacts {
  readonly state: SessionState;
  readonly boundSince: number | null;
  readonly inFlight: number;
  readonly window: number;
  readonly throttled: boolean;
}

export interface ModemFacts {
  readonly status: ModemStatus | undefined;
  readonly operator: OperatorInfo | undefined;
  readonly signal: SignalQuality | undefined;
  readonly gnss: GnssReading | undefined;
}

export function smppSnapshot(facts: SmppFacts): SmppLinkSnapshot {
  return {
    state: facts.state,
    boundSince: facts.boundSince === null ? null : new Date(facts.boundSince).toISOString(),
    windowInUse: facts.inFlight,
    windowSize: facts.window,
    throttled: facts.throttled,
  };
}

const simStates: Readonly<Record<string, SimStatus>> = { ready: 'ready', 'pin-required': 'pin-required', 'puk-required': 'puk-required', 'not-inserted': 'absent' };

/** 27.007 registration <stat>: 1 home, 5 roaming (6/7 SMS-only and 9/10 CSFB count too), 2 searching, 3 denied, 0 not registered. */
function registrationOf(status: ModemStatus | undefined): RegistrationStatus {
  const stats = Object.values(status?.registration ?? {}).map((state) => state.stat);
  if (stats.length === 0) return 'unknown';
  if (stats.some((stat) => stat === 1 || stat === 6 || stat === 9)) return 'home';
  if (stats.some((stat) => stat === 5 || stat === 7 || stat === 10)) return 'roaming';
  if (stats.some((stat) => stat === 2)) return 'searching';
  if (stats.some((stat) => stat === 3)) return 'denied';
  if (stats.every((stat) => stat === 0)) return 'not-registered';
  return 'unknown';
}

function fixQuality(gnss: GnssReading | undefined): FixQuality {
  if (gnss === undefined || gnss.state === 'unsupported' || gnss.state === 'off') return 'unknown';
  if (gnss.state === 'no-fix') return 'none';
  return gnss.fix.altM === null ? '2d' : '3d';
}

export function modemSnapshot(facts: ModemFacts): ModemSnapshot {
  const phase = facts.status?.phase;
  const sim: SimStatus =
    phase === 'sim-missing' ? 'absent' : phase === 'sim-failure' ? 'error' : facts.status === undefined ? 'unknown' : (simStates[facts.status.sim] ?? 'unknown');
  return {
    sim,
    registration: registrationOf(facts.status),
    operator: facts.operator?.name ?? null,
    signalDbm: facts.signal?.rssiDbm ?? null,
    gnssFix: fixQuality(facts.gnss),
  };
}

export function outboxSnapshot(stats: QueueStats): OutboxSnapshot {
  const rows = (state: keyof QueueStats['byState']): number => stats.byState[state].rows;
  return {
    byState: { queued: rows('queued'), sending: rows('sending'), submitted: rows('submitted'), delivered: rows('delivered'), failed: rows('failed'), expired: rows('expired') },
    queuedByPriority: { ...stats.queuedByPriority },
    oldestQueuedAgeSeconds: stats.oldestQueuedAgeMs === null ? null : Math.round(stats.oldestQueuedAgeMs / 1000),
    drops: stats.drops.total,
  };
}

export function stateSnapshot(parts: {
  readonly version: string;
  readonly startedAt: number;
  readonly now: number;
  readonly smpp: SmppFacts;
  readonly modem: ModemFacts;
  readonly outbox: QueueStats;
  readonly lastLocation: LocationSnapshot | null;
  readonly figures?: StateFigures | undefined;
}): AgentStateSnapshot {
  return {
    version: parts.version,
    uptimeSeconds: Math.floor((parts.now - parts.startedAt) / 1000),
    smpp: smppSnapshot(parts.smpp),
    modem: modemSnapshot(parts.modem),
    outbox: outboxSnapshot(parts.outbox),
    lastLocation: parts.lastLocation,
    ...(parts.figures === undefined ? {} : { figures: parts.figures }),
  };
}
