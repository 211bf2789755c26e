/**
 * Time as a dependency, shared by every part: whatever waits (AT command timeouts, health polls,
 * back-off, outbox TTLs, the router's wake-ups, the MQTT mirror's rate limit) asks a Clock, so
 * tests advance a manual clock instead of sleeping (MQTT.js does the same for its keepalive).
 *
 * The SMPP session uses this interface with a monotonic real clock of its own
 * (`src/smpp/session/clock.ts`), so one manual test clock serves every part.
 */
export interface TimerHandle {
  /** Opaque: only the clock that made it knows what it is. */
  readonly __timer: true;
}

export interface Clock {
  /** Milliseconds: since the epoch for `systemClock`, monotonic for the SMPP session's clock. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The part of a Clock that code reading the time but never waiting needs (the store's TTLs). */
export type TimeSource = Pick<Clock, 'now'>;

function nodeClock(unref: boolean): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      if (unref) timer.unref();
      return timer as unknown as TimerHandle;
    },
    clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
  };
}

/** The real clock: Date.now() and Node's timers, which keep the process alive while pending. */
export const systemClock: Clock = nodeClock(false);

/**
 * The real clock with unref'd timers, for background work (a pending state publish or reconnect)
 * that must never keep a stopping process alive.
 */
export const backgroundClock: Clock = nodeClock(true);

/** Resolves after `ms` on `clock`; rejects early when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason as Error);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
