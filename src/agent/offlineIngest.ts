/**
 * The `report` CLI's way in: the agent's own Ingest (so the one door policy, the kind's priority and
 * TTL, the outbox caps) on the database file, from a process that is not the agent. Works whether the
 * agent runs or not; a running agent notices the new rows within a second (runtime/externalWrites.ts).
 */
import { silentLogger } from '../logger.js';
import { openStore, type Priority } from '../store/index.js';
import type { AgentConfig } from './config/index.js';
import { Ingest, type ReadingResult } from './runtime/ingest.js';
import { storeOptions } from './runtime/routerSetup.js';

export type OfflineItem =
  | { readonly kind: 'reading'; readonly input: unknown }
  | { readonly kind: 'sms'; readonly to: readonly string[]; readonly text: string; readonly priority?: Priority; readonly ttlMs?: number };

/**
 * Queues a reading (one entry per number of `to`) or a plain SMS (one per number); throws the door's
 * AgentError. `onLockWait`: the running agent's group holds the lock, and the write waits for its commit.
 */
export function queueOffline(config: AgentConfig, item: OfflineItem, onLockWait?: () => void): ReadingResult {
  // A client: it never recovers `sending` rows, which belong to a running agent.
  const store = openStore({ ...storeOptions(config, silentLogger(), {}), recoverSending: false, ...(onLockWait === undefined ? {} : { onLockWait }) });
  try {
    const ingest = new Ingest(store.outbox, config, Date.now, () => undefined);
    if (item.kind === 'reading') return ingest.reading(item.input);
    // Every number is checked before any is queued, so a bad one leaves nothing half done.
    item.to.forEach((to) => ingest.checkSms(to, item.text));
    const results = item.to.map((to) => ({ to, result: ingest.sms(to, item.text, item.priority ?? 'high', item.ttlMs) }));
    const ids = results.flatMap(({ result }) => (result.id === null ? [] : [result.id]));
    return {
      id: ids[0] ?? null,
      ids,
      refusedTo: results.flatMap(({ to, result }) => (result.id === null ? [to] : [])),
      dropped: results.flatMap(({ result }) => result.dropped),
    };
  } finally {
    store.close();
  }
}
