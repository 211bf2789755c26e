/**
 * Shared by the store's CLI commands (`report`, `queue …`): argument parsing, durations, the
 * database path option, and the confirmation for destructive actions.
 */
import type { ParseArgsConfig } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { AgentError, ErrorCode } from '../errors.js';
import { existsSync } from 'node:fs';
import { defaultConfigPath, loadConfig } from '../agent/index.js';
import { openStore, resolveDatabasePath, type Store } from '../store/index.js';
import { checkDatabase } from './databaseAccess.js';
import { parseOptions, type OptionsConfig, type ParsedOptions } from './options.js';

export const dbOption = { config: { type: 'string' }, db: { type: 'string' } } as const satisfies ParseArgsConfig['options'];

export const dbUsage = `  --config PATH         the agent's YAML config: its store.path is the database (default
                        $EDGE_SMS_CONFIG, or ${defaultConfigPath} when it exists)
  --db PATH             this database file instead (default: the config's store.path, else
                        $EDGE_SMS_DB or /var/lib/edge-sms-agent/agent.db)`;

/**
 * The database a store command works on, as every command that touches the agent's data finds it:
 * `--db`, else the config's `store.path` (`--config`, $EDGE_SMS_CONFIG, or the default config file
 * when it exists; EDGE_SMS_* overrides apply as for the agent), else $EDGE_SMS_DB or the default.
 */
export function databasePath(values: { readonly config?: string | undefined; readonly db?: string | undefined }): string {
  if (values.db !== undefined && values.db !== '') return values.db;
  const file = values.config ?? (process.env['EDGE_SMS_CONFIG'] || undefined) ?? (existsSync(defaultConfigPath) ? defaultConfigPath : undefined);
  if (file !== undefined) return loadConfig({ file }).store.path;
  return resolveDatabasePath(undefined);
}

/** The store commands' parsing: node's wording for option errors, as they have always printed. */
export function parseStoreOptions<O extends OptionsConfig>(args: readonly string[], options: O, positionals = 0): ParsedOptions<O> {
  return parseOptions(args, options, { positionals, wording: 'node' });
}

export function usageError(message: string): AgentError {
  return new AgentError(message, ErrorCode.Cli_Usage);
}

/**
 * Opens the store as a client: never recovers `sending` rows, which belong to a running agent.
 * `create` (report: it queues even before the agent ever ran) may create the database; `read` and
 * `write` need it to exist and be accessible, and say what to do when it is not.
 */
export function openClientStore(values: { readonly config?: string | undefined; readonly db?: string | undefined }, access: 'create' | 'read' | 'write', stderr?: TextSink): Store {
  const path = databasePath(values);
  if (access !== 'create') checkDatabase(path, access);
  return openStore({ path, recoverSending: false, ...(stderr === undefined ? {} : { onLockWait: lockWaitNotice(stderr) }) });
}

interface TextSink {
  write(text: string): unknown;
}

/**
 * The running agent holds its open group up to `store.groupCommitS` (300 s with batched durability):
 * a CLI write that has to wait for it says why, instead of hanging silently.
 */
export function lockWaitNotice(stderr: TextSink): () => void {
  return () => stderr.write('waiting: the running agent holds the database until its next group commit (store.groupCommitS, at most 300 s)...\n');
}

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90`, `90s`, `15m`, `12h`, `7d`, `2w`, `500ms`, or combined (`1h30m`) → ms. A bare number is seconds. */
export function parseDuration(text: string, option: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const pattern = /(\d+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = pattern.exec(trimmed); match !== null; match = pattern.exec(trimmed)) {
    total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    consumed = pattern.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw usageError(`${option}: expected a duration such as 3600, 90s, 15m, 12h or 7d, got '${text}'`);
  }
  return total;
}

/**
 * Asks before a destructive action. `--yes` skips the question; without a terminal to ask on,
 * the action is refused rather than assumed.
 */
export async function confirm(question: string, yes: boolean, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  if (yes) return true;
  if (input.isTTY !== true) {
    throw new AgentError('refusing without confirmation: standard input is not a terminal; pass --yes to confirm', ErrorCode.Cli_Failed);
  }
  const rl = createInterface({ input, output });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
