/**
 * The errors that stop the agent at start, reworded to name the config key and the fix: the
 * operator reads them once, in the journal, with the process already gone (exit code 1).
 */
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';

/** The database at `store.path` did not open (missing directory, no permission, not a database, …). */
export function storeOpenFailed(error: unknown, path: string): AgentError {
  const detail = isAgentError(error) ? error.message : String(error);
  const code = isAgentError(error) ? error.code : ErrorCode.Store_Open;
  return new AgentError(`store.path: ${detail}; the directory must exist and be writable by the agent's user (systemd: StateDirectory), or set store.path`,
    code, { key: 'store.path', path }, { cause: error });
}

/** The local API could not listen (the port in use, a socket directory that does not exist, …). */
export function apiListenFailed(error: unknown, listen: string): AgentError {
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const hint = errno === 'EADDRINUSE' ? 'another process (another agent?) listens there: stop it or choose another api.listen'
    : errno === 'EACCES' ? 'no permission: choose a port above 1023 or a socket in a directory the agent may write'
      : 'choose another api.listen, or api.enabled: false';
  const detail = error instanceof Error ? error.message : String(error);
  return new AgentError(`api.listen: cannot listen on ${listen} (${detail}); ${hint}`, ErrorCode.Config_Invalid, { key: 'api.listen' }, { cause: error });
}
