/**
 * Opens the agent's one SQLite file: owner-only permissions, WAL, busy timeout, migrations.
 *
 * Durability and SD-card wear (measured by bench/store.ts; figures in bench/RESULTS.md):
 * - WAL: readers (`queue list`, the MQTT stats) never block the writer, and a commit appends
 *   frames to one file instead of writing a rollback journal and the pages in place.
 * - `synchronous = FULL` is the default. In WAL mode FULL fsyncs the WAL at every commit, so a
 *   report whose id was returned survives a power cut. Since issue 14 the settling commits
 *   (`submitted`, receipts, the sweep) and, in `batched` durability, enqueues run with NORMAL and
 *   are fsynced within `batchMs` (durability.ts says what each loss costs). NORMAL fsyncs only at checkpoints:
 *   the file stays consistent after a power cut, but the last commits vanish — a lost report if
 *   it was an enqueue. A Pi in the field loses power; a killed process does not lose data in
 *   either mode (the WAL writes are in the kernel).
 * - Measured (4 KiB pages, before issue 14): FULL and NORMAL write the same bytes per commit (~26 KB vs ~24 KB for one single
 *   enqueue: five 4 KiB WAL frames plus filesystem metadata); NORMAL only skips the fsync. Wear
 *   therefore follows the number of commits, and the store cuts that instead of durability:
 *   bursts in one transaction (~0.5 KB/report), group commit for concurrent single enqueues
 *   (EnqueueBatcher, ~1.9 KB/report), shared transactions to settle a window (inTransaction),
 *   caps and coalescing inside the enqueue transaction, and few indexes. `synchronous: 'normal'`
 *   stays available for deployments on a UPS.
 * - One durable commit at a time is bounded by the disk's fsync rate (300 to 9,000/s on the
 *   benchmark VM, varying run to run); group commit lifts single enqueues past 13,000/s there.
 * - `journal_size_limit` keeps the WAL file from staying large after a burst.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentError, ErrorCode, isAgentError } from '../errors.js';
import { ensureIdFloor } from './idFloor.js';
import type { Logger } from '../logger.js';
import { settlePageSize, walAutocheckpointPages } from './durability.js';
import { migrate, schemaVersion, userVersion } from './migrations.js';

export type Synchronous = 'full' | 'normal';

export interface DatabaseOptions {
  /** File path; its directory is created (mode 0750) when missing. */
  readonly path: string;
  /** See the header: 'full' (default) or 'normal'. */
  readonly synchronous?: Synchronous;
  /** How long a writer waits for another process's write lock before SQLITE_BUSY (ms, default 10000). */
  readonly busyTimeoutMs?: number;
  /** Page cache in KiB (default 4096): bounded, so memory does not grow with the backlog. */
  readonly cacheKiB?: number;
  /** Open without migrating or writing (for read-only inspection). */
  readonly readonly?: boolean;
  /** Convert an older file to the store's page size (durability.ts): only the agent, which owns the file. */
  readonly convertPageSize?: boolean;
  readonly logger?: Logger;
}

export const defaultDatabasePath = '/var/lib/edge-sms-agent/agent.db';

/** `$EDGE_SMS_DB` or the systemd StateDirectory default. */
export function resolveDatabasePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  const fromEnv = env['EDGE_SMS_DB'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : defaultDatabasePath;
}

export function openDatabase(options: DatabaseOptions): Database.Database {
  const { path } = options;
  let db: Database.Database;
  try {
    if (options.readonly !== true && path !== ':memory:') createOwnerOnly(path);
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  } catch (error) {
    throw new AgentError(`cannot open database ${path}: ${describe(error)}`, ErrorCode.Store_Open, { path }, { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    db.pragma(`cache_size = -${options.cacheKiB ?? 4096}`);
    db.pragma('foreign_keys = ON');
    if (options.readonly !== true) {
      settlePageSize(db, path, options.convertPageSize === true, options.logger);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${(options.synchronous ?? 'full').toUpperCase()}`);
      db.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);
      db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
      migrate(db, path);
      ensureIdFloor(db);
    } else {
      checkReadableVersion(db, path);
    }
    return db;
  } catch (error) {
    db.close();
    if (isAgentError(error)) throw error;
    throw new AgentError(`cannot prepare database ${path}: ${describe(error)}`, ErrorCode.Store_Open, { path }, { cause: error });
  }
}

/** A read-only open cannot migrate, so it accepts only a file at exactly this code's schema. */
function checkReadableVersion(db: Database.Database, path: string): void {
  const found = userVersion(db);
  if (found > schemaVersion) {
    throw new AgentError(`database ${path} has schema version ${found}, newer than this agent understands (${schemaVersion}); upgrade edge-sms-agent`,
      ErrorCode.Store_SchemaTooNew, { path, found, known: schemaVersion });
  }
  if (found < schemaVersion) {
    throw new AgentError(`database ${path} has schema version ${found}; open it once read-write (start the agent) to migrate it to ${schemaVersion}`,
      ErrorCode.Store_Open, { path, found, known: schemaVersion });
  }
}

/**
 * Creates the file with mode 0600 before SQLite opens it: SQLite gives the -wal and -shm files
 * the main file's permissions, so all three stay owner-only (payloads may hold phone numbers).
 */
function createOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  closeSync(openSync(path, 'a', 0o600));
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
