/**
 * Whether the database can still do its job. Two sources: errors the agent met using it (SQLite's
 * own codes, found anywhere in an error's cause chain) and a cheap probe of the file system at each
 * health tick (free space from statfs, a read-only mount from access). No write is made to find
 * out: an SD card pays for every byte.
 *
 * A fault found by an error lasts until the next successful write (disk full, read-only, I/O) or,
 * for a full disk, until the probe sees space again; corruption lasts (it is not cured by waiting).
 */
import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';
import type { Condition } from './model.js';

export type StoreFault = 'disk-full' | 'read-only' | 'corrupt' | 'io-error';

/** Below this much free space the disk counts as full: SQLite needs room for its WAL and journal. */
export const minFreeBytes = 1024 * 1024;

const reasons: Readonly<Record<StoreFault, string>> = {
  'disk-full': 'the disk holding the database is full: readings are refused (Store_DiskFull) until space is freed',
  'read-only': 'the database cannot be written (read-only file or file system): readings are refused',
  corrupt: 'the database is damaged (SQLITE_CORRUPT): see the log',
  'io-error': 'the database had an I/O error: check the SD card',
};

/** The store fault an error stands for, if it stands for one. */
export function storeFaultOf(error: unknown): StoreFault | undefined {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 8; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isAgentError(cause)) {
      if (cause.code === ErrorCode.Store_DiskFull) return 'disk-full';
      if (cause.code === ErrorCode.Store_Corrupt) return 'corrupt';
    }
    const code = (cause as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk-full';
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read-only';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
    if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io-error';
  }
  return undefined;
}

/** A store error as readers of the API and MQTT replies should see it: Store_DiskFull for a full disk, Store_Corrupt for a damaged file. */
export function explainStoreError(error: unknown): unknown {
  const fault = storeFaultOf(error);
  if (fault === 'corrupt' && !(isAgentError(error) && error.code === ErrorCode.Store_Corrupt)) {
    return new AgentError('the database is damaged: the reading was not stored; the agent sets the file aside and carries on with a fresh one (see /healthz), try again in a moment',
      ErrorCode.Store_Corrupt, {}, { cause: error });
  }
  if (fault !== 'disk-full' || (isAgentError(error) && error.code === ErrorCode.Store_DiskFull)) return error;
  return new AgentError('the disk holding the database (store.path) is full: the reading was not stored; free some space and the agent carries on by itself',
    ErrorCode.Store_DiskFull, {}, { cause: error });
}

export class StoreHealth {
  private fault: StoreFault | undefined;

  constructor(private readonly dbPath: string) {}

  /** An operation on the store failed; returns the fault it stands for. */
  noteError(error: unknown): StoreFault | undefined {
    const fault = storeFaultOf(error);
    // Corruption is the worst news and is never replaced by a lesser one.
    if (fault !== undefined && this.fault !== 'corrupt') this.fault = fault;
    return fault;
  }

  /** A write went through: faults that space or permissions caused are over. */
  noteWrite(): void {
    if (this.fault !== 'corrupt') this.fault = undefined;
  }

  /** The damaged database was set aside and replaced by a fresh one: its corruption is over. */
  replaced(): void {
    if (this.fault === 'corrupt') this.fault = undefined;
  }

  /** This tick's store conditions. */
  conditions(): Condition[] {
    const probed = this.probe();
    if (this.fault === 'disk-full' && probed !== 'disk-full') this.fault = undefined; // space came back
    const faults = new Set([this.fault, probed].filter((fault): fault is StoreFault => fault !== undefined));
    return [...faults].map((fault) => ({ check: 'store', key: fault, reason: reasons[fault], graceMs: 0 }));
  }

  private probe(): StoreFault | undefined {
    if (this.dbPath === ':memory:') return undefined;
    try {
      const stats = statfsSync(dirname(this.dbPath));
      if (stats.bavail * stats.bsize < minFreeBytes) return 'disk-full';
      accessSync(this.dbPath, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file that is missing is the store's business (it was moved aside, or is being created).
      return code === 'EROFS' || code === 'EACCES' ? 'read-only' : undefined;
    }
  }
}
