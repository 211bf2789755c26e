/**
 * The recovery ladder for a modem that stopped answering (REFERENCE G7): re-initialise; after
 * `reinitsBeforeReset` failed re-inits send the profile's reset command and wait `bootWaitMs` for the boot;
 * back off exponentially (`backoffInitialMs` doubling up to `backoffMaxMs`) between rounds. Ends when init
 * succeeds, when init reports a SIM phase (a state for people, not for retries), or when stopped.
 */
import type { Logger } from '../../logger.js';
import { sleep, type Clock } from '../../clock.js';
import type { ModemProfile } from '../profile/types.js';
import type { ModemPhase } from './types.js';

export interface RecoverySteps {
  readonly profile: ModemProfile;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  initialise(): Promise<ModemPhase>;
  reset(): Promise<void>;
  setPhase(phase: ModemPhase, detail?: string): void;
}

export async function runRecoveryLadder(steps: RecoverySteps): Promise<void> {
  const { health, reset } = steps.profile;
  const { signal, clock } = steps;
  let backoff = health.backoffInitialMs;
  let failedReinits = 0;
  while (!signal.aborted) {
    try {
      steps.setPhase('recovering');
      const phase = await steps.initialise();
      if (phase === 'ready' || phase.startsWith('sim-')) return;
    } catch (error) {
      if (signal.aborted) return;
      failedReinits++;
      const detail = error instanceof Error ? error.message : String(error);
      steps.logger.warn({ err: error, failedReinits }, 'modem re-init failed');
      if (failedReinits > health.reinitsBeforeReset) {
        steps.setPhase('resetting', detail);
        await steps.reset();
        await sleep(clock, reset.bootWaitMs, signal).catch(() => undefined);
        failedReinits = 0;
        continue;
      }
      steps.setPhase('recovering', detail);
    }
    await sleep(clock, backoff, signal).catch(() => undefined);
    backoff = Math.min(backoff * 2, health.backoffMaxMs);
  }
}
