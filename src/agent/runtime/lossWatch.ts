/**
 * Keeps the acknowledged high-water mark (store/lossMark.ts) up with the outbox, and says at start
 * what the mark found missing. The mark is written when the highest report id has moved, at most
 * once per `markIntervalMs` and once more at a clean stop: under load that is one 4 KiB fdatasync
 * a second shared by every reading of that second; a reading arriving alone costs one more page
 * write. Reports acknowledged in the last interval before the WAL is lost are not counted (see
 * README "Troubleshooting: a damaged database").
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../../logger.js';
import { highestReportId, LossMark, type LossReport } from '../../store/index.js';
import type { Condition } from '../health/model.js';

export const markIntervalMs = 1_000;
/** How long health keeps saying reports were lost. */
const reportForMs = 24 * 3_600_000;

export class LossWatch {
  private readonly mark: LossMark;

  constructor(
    markPath: string,
    private readonly db: Database.Database,
  ) {
    this.mark = new LossMark(markPath);
  }

  /** The highest acknowledged id the mark holds. */
  get value(): number {
    return this.mark.value;
  }

  /** Writes the mark when the outbox handed out new ids since the last write. */
  update(): void {
    this.mark.update(highestReportId(this.db));
  }

  /** A last write and the file closed (a clean stop leaves nothing uncounted). */
  close(): void {
    try {
      this.update();
    } finally {
      this.mark.close();
    }
  }
}

/** Said once, at error, when the start found acknowledged reports missing. */
export function logLoss(loss: LossReport, logger: Logger): void {
  logger.error({ lost: loss.lost, mark: loss.mark, found: loss.found },
    `${loss.lost} acknowledged report(s) were lost with the database's WAL (ids ${loss.found + 1}–${loss.mark}); new ids continue above them`);
}

/** The health condition the loss leaves for a day. */
export function lossCondition(loss: LossReport | undefined, foundAt: number, now: number): Condition[] {
  if (loss === undefined || now - foundAt > reportForMs) return [];
  return [{ check: 'store', key: 'lost-reports', reason: `${loss.lost} acknowledged report(s) were lost with the database's WAL at start (ids ${loss.found + 1}–${loss.mark})`, graceMs: 0 }];
}
