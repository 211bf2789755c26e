/**
 * Read-only commands (`status`, `queue list`) open the agent's database only when it exists, so a
 * typo in `--db` or a first `status` before the agent ever ran does not leave an empty database (or
 * its folder) behind; and a permission error says what to do instead of "file not found".
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentError, ErrorCode } from '../errors.js';

/** Throws Cli_Failed with the fix when `path` is missing or not readable (and, for `write`, not writable). */
export function checkDatabase(path: string, access: 'read' | 'write' = 'read'): void {
  if (!existsSync(path)) {
    const folder = dirname(path);
    const hint = existsSync(folder) && !canRead(folder)
      ? `${folder} is not readable by you: ${permissionHint}`
      : 'the agent has not run with this store.path yet, or --config / --db point elsewhere';
    throw new AgentError(`no database at ${path} (${hint})`, ErrorCode.Cli_Failed, { path });
  }
  const mode = access === 'read' ? constants.R_OK : constants.R_OK | constants.W_OK;
  try {
    accessSync(path, mode);
    // SQLite in WAL mode writes its -shm/-wal files beside the database even to read it.
    accessSync(dirname(path), access === 'read' ? constants.R_OK | constants.X_OK : constants.W_OK | constants.X_OK);
  } catch {
    throw new AgentError(`permission denied: ${path} belongs to the agent's service user. ${permissionHint}`, ErrorCode.Cli_Failed, { path });
  }
}

/** The service's state directory is 0700 edge-sms (systemd StateDirectoryMode): only root and the service user get in. */
export const permissionHint = 'Run the command with sudo, or as the service user: sudo -u edge-sms edge-sms-agent ...';

function canRead(folder: string): boolean {
  try {
    accessSync(folder, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
