/**
 * The agent's health loop made from its config and parts: which links to watch, the grace times
 * (`health.linkDownS`, `health.stallS`), how long readings may rightly wait (the largest
 * `maxDelayS`), and the outbox figures that show reports moving.
 */
import type { Logger } from '../../logger.js';
import type { QueueStats } from '../../store/index.js';
import type { AgentConfig } from '../config/index.js';
import type { Condition } from './model.js';
import { HealthMonitor, type HealthFacts, type WatchdogHooks } from './monitor.js';
import { StoreHealth } from './storeHealth.js';

export interface HealthSources {
  readonly smppBound: () => boolean;
  /** The modem driver's phase, undefined before it exists. */
  readonly modemPhase: () => string | undefined;
  readonly outbox: () => QueueStats;
  readonly extra?: (now: number) => Condition[];
}

export interface AgentHealth {
  readonly monitor: HealthMonitor;
  readonly store: StoreHealth;
}

export function createHealth(config: AgentConfig, sources: HealthSources, logger: Logger, watchdog?: WatchdogHooks): AgentHealth {
  const store = new StoreHealth(config.store.path);
  const maxHoldS = Math.max(0, ...Object.values(config.reports.kinds).map((kind) => kind.maxDelayS));
  const facts = (): HealthFacts => {
    let outbox: HealthFacts['outbox'] = { queued: 0, oldestQueuedAgeMs: null, progress: 0 };
    try {
      const stats = sources.outbox();
      // Every report that left `queued` shows in another state's count: while they stand still, nothing moves.
      const progress = Object.entries(stats.byState).reduce((sum, [state, { rows }]) => (state === 'queued' ? sum : sum + rows), stats.drops.total);
      outbox = { queued: stats.byState.queued.rows, oldestQueuedAgeMs: stats.oldestQueuedAgeMs, progress };
    } catch (error) {
      // The store could not even be read: that is the store check's news (corrupt, I/O), not a crash.
      store.noteError(error);
    }
    const phase = sources.modemPhase();
    return {
      ...(config.smpp.enabled ? { smpp: { bound: sources.smppBound() } } : {}),
      ...(config.modem.enabled ? { modem: { ready: phase === 'ready', phase: phase ?? 'starting' } } : {}),
      outbox,
    };
  };
  const monitor = new HealthMonitor({
    store,
    facts,
    linkDownMs: config.health.linkDownS * 1000,
    stallMs: config.health.stallS * 1000,
    maxHoldMs: maxHoldS * 1000,
    logger,
    watchdog,
    ...(sources.extra === undefined ? {} : { extra: sources.extra }),
  });
  return { monitor, store };
}
