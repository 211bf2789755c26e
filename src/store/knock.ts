/**
 * A CLI write asks the running agent to commit its open group now instead of waiting up to
 * `store.groupCommitS` for it (clientWait.ts, intakeGroup.ts). The agent keeps an empty file beside
 * the database, `<db>.knock`, and watches it (inotify: no polling, nothing written by the agent); a
 * client that finds the lock held writes its pid into it. A knock costs the card nothing the commit
 * would not write anyway, and needs no socket, port or API configuration.
 */
import { existsSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import type { Logger } from '../logger.js';

/** What the agent writes once: room for a knocker's pid. */
const placeholder = `${' '.repeat(15)}\n`;

export function knockPathOf(dbPath: string): string {
  return `${dbPath}.knock`;
}

/** Asks the agent that owns `dbPath` to commit; false when no agent listens there (no file, or not writable). */
export function knock(dbPath: string): boolean {
  try {
    // r+: never creates the file, so a CLI run without an agent leaves nothing behind. The pid overwrites
    // the agent's placeholder in place: no block to allocate, so a knock works on a full disk too.
    writeFileSync(knockPathOf(dbPath), `${String(process.pid).padEnd(placeholder.length - 1)}\n`, { flag: 'r+' });
    return true;
  } catch {
    return false;
  }
}

/** The agent's side: calls `onKnock` on each knock until the returned function is called. */
export function listenForKnocks(dbPath: string, onKnock: () => void, logger?: Logger): () => void {
  const path = knockPathOf(dbPath);
  let watcher: FSWatcher;
  try {
    if (!existsSync(path)) writeFileSync(path, placeholder, { mode: 0o600 });
    watcher = watch(path, { persistent: false }, () => onKnock());
  } catch (error) {
    // CLI writes still work: they wait for the group's own commit.
    logger?.info({ err: error, path }, 'store: cannot watch for CLI knocks; a CLI write waits for the next group commit');
    return () => undefined;
  }
  watcher.on('error', (error) => logger?.info({ err: error, path }, 'store: stopped watching for CLI knocks'));
  return () => watcher.close();
}
