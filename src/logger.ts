/**
 * The agent's pino logger. Parts take a child logger (`{ mod: 'smpp' }`) through their
 * constructors; nothing reaches for a global. Secrets are redacted at the root so no
 * part can forget to.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

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

export interface LoggerOptions {
  /** pino level; default `info`, or `LOG_LEVEL` from the environment. */
  readonly level?: LevelWithSilent;
  /** Where to write; default standard error, so standard output stays clean for CLI results. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? parseLevel(process.env['LOG_LEVEL']) ?? 'info';
  return pino(
    { level, redact: { paths: [...redactedPaths], censor: '[redacted]' }, base: { pid: process.pid } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const levels: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseLevel(value: string | undefined): LevelWithSilent | undefined {
  return levels.find((level) => level === value);
}
