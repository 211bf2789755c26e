/**
 * Report ids are never used twice, even when the newest rows are deleted or the database is
 * replaced. `reports.id` has no AUTOINCREMENT (it would write sqlite_sequence at every insert, SD
 * wear), so SQLite alone would hand out max(id)+1 again after the newest row is pruned or purged,
 * or after a salvage into a fresh file. Instead the counter `report_id_floor` holds the highest id
 * known to have been used, and an insert takes max(max(id), floor) + 1:
 *
 * - a trigger raises the floor only when the newest row is deleted (rare: pruning an idle queue, a
 *   purge), so an ordinary enqueue writes nothing more than before;
 * - a salvage or a detected loss raises it to the acknowledged high-water mark (lossMark.ts).
 *
 * `highestReportId` is therefore the store's own answer to "which ids have been handed out", the
 * figure the high-water mark kept outside the WAL is compared with.
 *
 * Set up idempotently at each open rather than as a numbered migration: it changes no table and
 * needs no data moved, and older files simply get it the first time this version opens them.
 */
import type Database from 'better-sqlite3';

const floorName = 'report_id_floor';

/** Installs the floor counter and its trigger when missing (no write when present). */
export function ensureIdFloor(db: Database.Database): void {
  const present = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'reports_id_floor'`).get() !== undefined
    && db.prepare('SELECT 1 FROM counters WHERE name = ?').get(floorName) !== undefined;
  if (present) return;
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)').run(floorName);
    db.exec(`CREATE TRIGGER IF NOT EXISTS reports_id_floor AFTER DELETE ON reports
      WHEN old.id > coalesce((SELECT max(id) FROM reports), 0)
        AND old.id > (SELECT value FROM counters WHERE name = '${floorName}')
      BEGIN UPDATE counters SET value = old.id WHERE name = '${floorName}'; END`);
  }).immediate();
}

/** The id expression an insert uses: one more than any id the store has handed out. */
export const nextReportIdSql = `(max(coalesce((SELECT max(id) FROM reports), 0), coalesce((SELECT value FROM counters WHERE name = '${floorName}'), 0)) + 1)`;

/** The highest report id this database has handed out (0 for a new one). */
export function highestReportId(db: Database.Database): number {
  return Number(db.prepare(`SELECT ${nextReportIdSql} - 1 AS high`).pluck().get());
}

/** Makes ids continue above `id` (never lowers the floor). */
export function raiseIdFloor(db: Database.Database, id: number): void {
  db.prepare('UPDATE counters SET value = max(value, ?) WHERE name = ?').run(id, floorName);
}
