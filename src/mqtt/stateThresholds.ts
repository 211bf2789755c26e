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
 *  - age of the oldest waiting message: when it crosses one of AGE_STEPS_S (15 min, 1 h, 6 h,
 *    1 day): readings wait up to their kind's delay (15 min by default) to share an SMS, and that is
 *    the agent working, not news;
 *  - everything else (link state, SIM, registration, operator, GNSS fix quality, failed and
 *    expired counts, queue counts, drops, version, fields other parts add): any change.
 */
import type { AgentStateSnapshot, LocationSnapshot } from './state.js';

export const SIGNAL_STEP_DB = 6;
export const LOCATION_STEP_M = 100;
export const AGE_STEPS_S: readonly number[] = [900, 3600, 21_600, 86_400];

/** True when `next` differs from the state last published in something worth a publish. */
export function operatorRelevantChange(published: AgentStateSnapshot | undefined, next: AgentStateSnapshot): boolean {
  if (published === undefined) return true;
  if (signalMoved(published.modem.signalDbm, next.modem.signalDbm)) return true;
  if (locationMoved(published.lastLocation, next.lastLocation)) return true;
  if (ageStep(published.outbox.oldestQueuedAgeSeconds) !== ageStep(next.outbox.oldestQueuedAgeSeconds)) return true;
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
