/**
 * Acknowledged reports lost with the WAL, found at open: the store's highest handed-out id
 * (idFloor.ts) behind the high-water mark kept outside the WAL (lossMark.ts) by N means N
 * acknowledged reports are gone. The ids then continue above the mark, so none is ever used twice.
 */
import type Database from 'better-sqlite3';
import { highestReportId, raiseIdFloor } from './idFloor.js';
import { readMark } from './lossMark.js';

export interface LossReport {
  /** The highest id acknowledged, as the mark says. */
  readonly mark: number;
  /** The highest id the database still knows. */
  readonly found: number;
  /** Acknowledged reports the database no longer has: mark − found. */
  readonly lost: number;
}

/** Compares the database with its mark; undefined when nothing is missing (or there is no mark yet). */
export function findLostReports(db: Database.Database, markPath: string): LossReport | undefined {
  const mark = readMark(markPath);
  if (mark === undefined) return undefined;
  const found = highestReportId(db);
  if (found >= mark) return undefined;
  raiseIdFloor(db, mark);
  return { mark, found, lost: mark - found };
}
