/**
 * Notices rows written into the database by other processes (the `report` CLI while the agent runs,
 * or anything else with the file open), so the router looks at them within a poll interval instead of
 * at the next unrelated event. SQLite's `PRAGMA data_version` changes when another connection commits
 * and never for our own writes; reading it is a few microseconds and touches no page of the file.
 */
import type Database from 'better-sqlite3';

/** How often the agent asks; a reading written by the CLI is picked up within this (plus the router's turn). */
export const externalWritePollMs = 250;

export class ExternalWrites {
  private last: number;

  constructor(private readonly db: Database.Database) {
    this.last = this.version();
  }

  /** True when another connection committed since the last call. */
  changed(): boolean {
    const now = this.version();
    if (now === this.last) return false;
    this.last = now;
    return true;
  }

  private version(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }
}
