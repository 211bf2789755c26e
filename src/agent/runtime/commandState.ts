/**
 * The SMS command authority's memory across restarts (lockouts, the last signed counter obeyed),
 * kept in `command-guard.json` beside the database. A small file rather than a table: it is written
 * only when a lockout begins or ends and when a signed command is obeyed, needs no migration, and
 * is replaced whole by rename like settings.json, so a power cut leaves the old or the new.
 * A damaged file is not a reason to stay down, but it must not reopen the door either: the agent
 * then starts with a global lockout of `globalLockoutMs` (logged), as if a guess had just been stopped.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuthorityState } from '../commandAuthority.js';

export function commandStatePath(databasePath: string): string {
  return join(dirname(databasePath), 'command-guard.json');
}

export function loadCommandState(path: string, fallbackGlobalUntil: number, onInvalid: (reason: string) => void): AuthorityState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<AuthorityState>;
    const senders: Record<string, { lockouts: number; until: number; lastFailureAt: number }> = {};
    for (const [sender, record] of Object.entries(value.senders ?? {})) {
      if ([record.lockouts, record.until, record.lastFailureAt].every((n) => Number.isFinite(n))) senders[sender] = record;
    }
    const globalUntil = Number.isFinite(value.globalUntil) ? Number(value.globalUntil) : 0;
    const lastCounter = Number.isSafeInteger(value.lastCounter) ? Number(value.lastCounter) : 0;
    return { senders, globalUntil, lastCounter };
  } catch (error) {
    onInvalid(error instanceof Error ? error.message : String(error));
    return { senders: {}, globalUntil: fallbackGlobalUntil, lastCounter: Math.floor(Date.now() / 1000) };
  }
}

export function saveCommandState(path: string, state: AuthorityState): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
