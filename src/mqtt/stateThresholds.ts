/**
 * When the retained state is worth publishing again: only when something an operator would act on
 * changed since the last state that went out. Each publish costs ~1 KB on a cellular data plan
 * (bench/dataplan); an agent that republished on every uptime tick, GNSS fix time or 1 dB of
 * signal wobble would spend most of its plan on saying nothing new.
 *
 * Compared with the state last *published* (not the last update), so a slow drift is caught once
 * it adds up to a threshold:
 *  - uptime, the time of the last GNSS fix, the SMPP window in use and the counters (`figures`): never on their own;
 *  - signal: a move of SIGNAL_STEP_DB or more, or gaining or losing a reading;
 *  - last location: a move of LOCATION_STEP_M or more, or gaining or losing a fix;
 *  - age of the oldest waiting message: when it crosses one of AGE_STEPS_S (30 min, 1 h, 6 h,
 *    1 day): readings wait up to their kind's delay (15 min by default) to share an SMS, and that is
 *    the agent working, not news; the first step is twice the default delay, so a reading sent on
 *    time never crosses it (at 15 min it crossed as the reading left: two publishes per cycle);
 *  - queued and delivered counts (and queued per priority): when one crosses a power of ten (10,
 *    100, 1000, …); queued ones also when they fall to zero from a non-zero count last published: a
 *    reading or two coming and going is routine, a backlog is not, and a retained state that says
 *    "nothing waiting" is then always exact;
 *  - submitted (waiting for a receipt): when it crosses a power of ten from 100 up; sending: never
 *    on its own. Both swing around the SMPP window's size (10 by default) with every message and
 *    receipt during a drain: at 10 a decade rule republished the state every second (bench
 *    dataplan --busy: 43 publishes for 3,000 readings);
 *  - everything else (link state, SIM, registration, operator, GNSS fix quality, failed and
 *    expired counts, drops, version, fields other parts add): any change.
 * `GET /state` (and `edge-sms-agent status`) always show the live counts; the hourly heartbeat
 * (mqtt.stateHeartbeatS) carries them too.
 */
import { reportPriorities, type AgentStateSnapshot, type LocationSnapshot } from './state.js';

export const SIGNAL_STEP_DB = 6;
export const LOCATION_STEP_M = 100;
export const AGE_STEPS_S: readonly number[] = [1800, 3600, 21_600, 86_400];
/** Outbox states whose counts are judged by decade. */
const COUNTED_BY_DECADE = ['queued', 'delivered'] as const;
/** Of those, the ones whose return to zero is published too. */
const EXACT_AT_ZERO: ReadonlySet<string> = new Set(['queued']);

/** True when `next` differs from the state last published in something worth a publish. */
export function operatorRelevantChange(published: AgentStateSnapshot | undefined, next: AgentStateSnapshot): boolean {
  if (published === undefined) return true;
  if (signalMoved(published.modem.signalDbm, next.modem.signalDbm)) return true;
  if (locationMoved(published.lastLocation, next.lastLocation)) return true;
  if (ageStep(published.outbox.oldestQueuedAgeSeconds) !== ageStep(next.outbox.oldestQueuedAgeSeconds)) return true;
  if (COUNTED_BY_DECADE.some((state) => countMoved(published.outbox.byState[state], next.outbox.byState[state], EXACT_AT_ZERO.has(state)))) return true;
  if (countMoved(floor100(published.outbox.byState.submitted), floor100(next.outbox.byState.submitted), false)) return true;
  if (reportPriorities.some((priority) => countMoved(published.outbox.queuedByPriority[priority], next.outbox.queuedByPriority[priority], true))) return true;
  return JSON.stringify(comparable(published)) !== JSON.stringify(comparable(next));
}

/** The snapshot without the fields judged by thresholds above (or not at all). */
function comparable(state: AgentStateSnapshot): unknown {
  return {
    ...state,
    uptimeSeconds: 0,
    // Counters (figures) move with every message and every disk write: they ride along, they never trigger.
    figures: undefined,
    smpp: { ...state.smpp, windowInUse: 0 },
    modem: { ...state.modem, signalDbm: 0 },
    outbox: {
      ...state.outbox,
      oldestQueuedAgeSeconds: 0,
      byState: { ...state.outbox.byState, queued: 0, sending: 0, submitted: 0, delivered: 0 },
      queuedByPriority: {},
    },
    lastLocation: null,
  };
}

function signalMoved(before: number | null, after: number | null): boolean {
  if (before === null || after === null) return before !== after;
  return Math.abs(after - before) >= SIGNAL_STEP_DB;
}

function locationMoved(before: LocationSnapshot | null, after: LocationSnapshot | null): boolean {
  if (before === null || after === null) return before !== after;
  return distanceM(before, after) >= LOCATION_STEP_M;
}

/** A count crossed a power of ten, or (`exactAtZero`) fell to zero from the non-zero count published. */
function countMoved(published: number | undefined, next: number | undefined, exactAtZero: boolean): boolean {
  const before = published ?? 0;
  const after = next ?? 0;
  if (exactAtZero && after === 0 && before !== 0) return true;
  return decade(before) !== decade(after);
}

/** Counts under 100 as 0: a window's worth waiting for receipts is routine. */
function floor100(count: number | undefined): number {
  return count === undefined || count < 100 ? 0 : count;
}

/** 0 below ten, then 1, 2, … per power of ten. */
function decade(count: number): number {
  return count < 10 ? 0 : Math.floor(Math.log10(count));
}

/** How many of AGE_STEPS_S the oldest waiting message's age has passed (0 when nothing waits). */
function ageStep(ageS: number | null): number {
  if (ageS === null) return 0;
  let step = 0;
  while (step < AGE_STEPS_S.length && ageS >= AGE_STEPS_S[step]!) step++;
  return step;
}

/** Great-circle distance (haversine), metres. */
function distanceM(a: LocationSnapshot, b: LocationSnapshot): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
