/**
 * The agent's database brought up with every check issue 13 asks for, in order: the integrity
 * check (a damaged file set aside and salvaged before the store opens it), the store opened behind
 * the live facade that survives damage found later (liveStore.ts), and the comparison with the
 * acknowledged high-water mark kept outside the WAL (lossWatch.ts).
 */
import type { Logger } from '../../logger.js';
import { acknowledgedHighWater, findLostReports, markPathOf, resumePendingSalvage, type DamageReport, type LossReport, type Store } from '../../store/index.js';
import { setAsideIfDamaged } from './damagedStore.js';
import { LiveStore, type RuntimeDamage } from './liveStore.js';
import { logLoss, LossWatch } from './lossWatch.js';

export interface OpenedStore {
  readonly live: LiveStore;
  readonly watch: LossWatch;
  /** The start-time check's finding, if the file was damaged. */
  readonly damage: DamageReport | undefined;
  /** Acknowledged reports found missing at start, if any. */
  readonly loss: LossReport | undefined;
}

export function openAgentStore(path: string, open: () => Store, logger: Logger, replaced: (damage: RuntimeDamage) => void): OpenedStore {
  const markPath = markPathOf(path);
  const damage = setAsideIfDamaged(path, logger, acknowledgedHighWater(path));
  let watch: LossWatch | undefined;
  const live = new LiveStore({
    path,
    open,
    idFloor: () => Math.max(watch?.value ?? 0, acknowledgedHighWater(path)),
    logger,
    replaced,
    setAsideAt: damage === undefined ? undefined : Date.now(),
  });
  try {
    const resumed = resumePendingSalvage(path, live.store.db, acknowledgedHighWater(path));
    if (resumed !== undefined) {
      logger.error({ movedTo: resumed.movedTo, salvaged: resumed.salvaged, lost: resumed.lost },
        'a salvage of a damaged database was cut short by the last stop: finished now; its unsent reports are queued again');
    }
    const loss = findLostReports(live.store.db, markPath);
    if (loss !== undefined) logLoss(loss, logger);
    watch = new LossWatch(markPath, live.store.db);
    // With the journal the mark is written only when it restarts; each open starts a new run of the journal,
    // so the ids the old run held (restored at open, or committed) are marked now.
    if (live.store.journaled) watch.update();
    return { live, watch, damage, loss };
  } catch (error) {
    live.close();
    throw error;
  }
}
