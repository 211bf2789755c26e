/**
 * A salvage that runs while the agent takes readings (runtime/liveStore.ts) lasts seconds for a
 * large outbox; a power cut or a kill in that time must not leave the owed reports only in the
 * set-aside file. `<db>.salvaging` names the file being salvaged (written with fsync before the
 * first row is copied, removed when the last is); the next start finds it and finishes the job.
 * Copies are by id with INSERT OR IGNORE, so rows copied before the interruption, and sent since,
 * are neither duplicated nor sent again.
 */
import type Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Salvage } from './integrity.js';

export function pendingSalvagePath(dbPath: string): string {
  return `${dbPath}.salvaging`;
}

/** Records that `movedTo` is being salvaged into the database at `dbPath`. */
export function notePendingSalvage(dbPath: string, movedTo: string): void {
  const fd = openSync(pendingSalvagePath(dbPath), 'w', 0o600);
  try {
    writeSync(fd, movedTo);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function clearPendingSalvage(dbPath: string): void {
  rmSync(pendingSalvagePath(dbPath), { force: true });
}

/** Finishes a salvage an earlier run did not; undefined when there was none. */
export function resumePendingSalvage(dbPath: string, db: Database.Database, idFloor: number): { movedTo: string; salvaged: number; lost: number } | undefined {
  const marker = pendingSalvagePath(dbPath);
  if (!existsSync(marker)) return undefined;
  const movedTo = readFileSync(marker, 'utf8').trim();
  if (movedTo === '' || !existsSync(movedTo)) {
    clearPendingSalvage(dbPath);
    return undefined;
  }
  const job = Salvage.begin(db, movedTo, idFloor);
  while (!job.done) job.step(Number.MAX_SAFE_INTEGER);
  const result = job.finish();
  clearPendingSalvage(dbPath);
  return { movedTo, ...result };
}
