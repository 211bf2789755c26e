/**
 * The local API's Unix socket path, made safe to listen on. At start a socket may be left from a
 * crash; it is removed only when it is a socket, ours (same owner), and nobody answers on it. Any
 * other file is refused with an error that says what it is: `api.listen` pointing at a database or
 * a config file by mistake must not delete it, and a socket another agent answers on is in use.
 * The socket is created with mode 0660 (umask set around the bind, so it is never wider even for an
 * instant), owned by the service user and its group: local users in that group may post reports.
 */
import { chmodSync, lstatSync, unlinkSync, type Stats } from 'node:fs';
import { connect } from 'node:net';
import { AgentError, ErrorCode } from '../../errors.js';

export const socketMode = 0o660;

export async function clearStaleSocket(path: string, uid: number | undefined = process.getuid?.()): Promise<void> {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new AgentError(`api.listen: cannot inspect ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, ErrorCode.Security_NotASocket, { path }, { cause: error });
  }
  if (!stats.isSocket()) {
    throw new AgentError(`api.listen: ${path} exists and is ${kindOf(stats)}, not a socket; it is left alone: move it or set api.listen to another path`,
      ErrorCode.Security_NotASocket, { path, kind: kindOf(stats) });
  }
  if (uid !== undefined && stats.uid !== uid) {
    throw new AgentError(`api.listen: ${path} is a socket of another user (uid ${stats.uid}); it is left alone: remove it or set api.listen to another path`,
      ErrorCode.Security_SocketInUse, { path, owner: stats.uid });
  }
  if (await answers(path)) {
    throw new AgentError(`api.listen: another process answers on ${path} (is another agent running?)`, ErrorCode.Security_SocketInUse, { path });
  }
  unlinkSync(path);
}

/** Runs `listen` with a umask that leaves the new socket at most 0660, then sets exactly 0660. */
export async function listenWithMode(path: string, listen: () => Promise<void>): Promise<void> {
  const previous = process.umask(0o117);
  let listening: Promise<void>;
  try {
    listening = listen(); // the bind happens synchronously inside listen()
  } finally {
    process.umask(previous);
  }
  await listening;
  chmodSync(path, socketMode);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const timer = setTimeout(() => done(true), 1000); // a socket that accepts but is slow is still in use
    const done = (live: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(live);
    };
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  return 'a device or other special file';
}
