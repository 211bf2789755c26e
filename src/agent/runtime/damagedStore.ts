/**
 * The start-time integrity check, as the agent runs it: a damaged database is set aside and
 * salvaged (store/integrity.ts), said loudly at error, published as a `store-damaged` event and
 * kept in health (check `store`) for a day so `status` and the fleet see it after the fact.
 */
import type { Logger } from '../../logger.js';
import { damageError, findDamage, setAsideAndSalvage, type DamageReport } from '../../store/index.js';
import type { Condition } from '../health/model.js';

/** How long health keeps saying the database was found damaged. */
const reportForMs = 24 * 3600_000;

export function setAsideIfDamaged(path: string, logger: Logger, idFloor = 0): DamageReport | undefined {
  const reason = findDamage(path);
  if (reason === undefined) return undefined;
  const report = setAsideAndSalvage(path, reason, new Date(), idFloor);
  logger.error({ err: damageError(report), movedTo: report.movedTo, salvaged: report.salvaged, lost: report.lost },
    'the database was damaged: moved aside (kept for forensics) and its unsent reports salvaged into a fresh one');
  return report;
}

/** The health condition a salvage leaves behind for a while. */
export function damageCondition(report: DamageReport | undefined, foundAt: number, now: number): Condition[] {
  if (report === undefined || now - foundAt > reportForMs) return [];
  const lost = report.lost > 0 ? `, ${report.lost} lost` : report.lost < 0 ? ', an unknown number lost' : '';
  return [{ check: 'store', key: 'salvaged', reason: `the database was damaged at start and set aside as ${report.movedTo}: ${report.salvaged} unsent reports salvaged${lost}`, graceMs: 0 }];
}
