/**
 * The agent's pino logger. Parts take a child logger (`{ mod: 'smpp' }`) through their
 * constructors; nothing reaches for a global. Secrets are redacted at the root so no
 * part can forget to.
 *
 * Two formats: JSON lines (journald, log shippers) and pino-pretty's one line per entry with
 * colours (a terminal). `auto`, the default, is pretty when standard error is a terminal and JSON
 * otherwise, so `edge-sms-agent run` in a shell reads well and the same agent under systemd
 * writes JSON to the journal.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

export type { Logger };
export { childLogger } from './logBindings.js';

/** Paths pino blanks out wherever they appear in a log object. */
export const redactedPaths: readonly string[] = [
  'password',
  '*.password',
  '*.*.password',
  'pin',
  '*.pin',
  'url',
  '*.url',
  'secret',
  '*.secret',
];

export type LogFormat = 'json' | 'pretty' | 'auto';
export const logFormats: readonly LogFormat[] = ['json', 'pretty', 'auto'];

export interface LoggerOptions {
  /** pino level; default `info`, or `LOG_LEVEL` from the environment. */
  readonly level?: LevelWithSilent;
  /** Where to write; default standard error, so standard output stays clean for CLI results. */
  readonly destination?: NodeJS.WritableStream;
  /** default `json`; `auto`: pretty when standard error is a terminal. */
  readonly format?: LogFormat;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? parseLevel(process.env['LOG_LEVEL']) ?? 'info';
  const settings = { level, redact: { paths: [...redactedPaths], censor: '[redacted]' }, base: { pid: process.pid } };
  if (prettyWanted(options.format ?? 'json', options.destination)) return pino(settings, prettyStream(options.destination));
  return pino(settings, options.destination ?? pino.destination(2));
}

/** A logger that drops everything: the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function prettyWanted(format: LogFormat, destination: NodeJS.WritableStream | undefined): boolean {
  if (format !== 'auto') return format === 'pretty';
  return destination === undefined && process.stderr.isTTY;
}

/** pino-pretty, loaded only when asked for: a JSON-logging agent does not pay for it. */
function prettyStream(destination: NodeJS.WritableStream | undefined): PrettyStream {
  const build = createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => PrettyStream;
  return build({
    destination: destination ?? 2,
    sync: true,
    colorize: destination === undefined && process.stderr.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}

const levels: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseLevel(value: string | undefined): LevelWithSilent | undefined {
  return levels.find((level) => level === value);
}
