/**
 * Command-line options: node's own `util.parseArgs` in strict mode, so an unknown option, a missing
 * value or a stray word is never silently ignored. Its ERR_PARSE_ARGS_* errors become Cli_Usage
 * AgentErrors (exit 1) naming the option; value helpers below turn strings into checked numbers and
 * addresses. (`decode-report`, `demo`, `run` and `status` call `parseArgs` directly and let its
 * error reach main, which exits 2 for it; tests pin both exit codes.)
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AgentError, ErrorCode } from '../errors.js';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type ParsedOptions<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export interface ParseSettings {
  /** How many positional words the command takes (default none; Infinity when it checks them itself). */
  readonly positionals?: number;
  /** Appended to every usage error, after a blank line. */
  readonly usage?: string;
  /**
   * `short` (default): our wording, `unknown option --x`, `--x needs a value`. `node`: node's own
   * wording (`Unknown option '--x'`), which the store and modem commands have always printed.
   */
  readonly wording?: 'short' | 'node';
}

export function parseOptions<O extends OptionsConfig>(args: readonly string[], options: O, settings: ParseSettings = {}): ParsedOptions<O> {
  const positionals = settings.positionals ?? 0;
  let parsed: ParsedOptions<O>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // Node quotes the offending word first: 'Unknown option '--x'', 'Option '--x <value>' argument missing'.
    const word = /'([^']*)'/.exec(message)?.[1]?.split(' ')[0];
    const text = settings.wording === 'node' ? message : (shortWording(cause, word) ?? message);
    throw usageError(text, settings.usage, word === undefined ? {} : { argument: word }, cause);
  }
  const stray = parsed.positionals[positionals];
  if (stray !== undefined) throw usageError(`unexpected argument '${stray}'`, settings.usage, { argument: stray });
  return parsed;
}

/** What the old hand-written parsers said, which scripts and tests already match on. */
function shortWording(cause: unknown, word: string | undefined): string | undefined {
  const code = (cause as { code?: unknown } | null)?.code;
  if (word === undefined || typeof code !== 'string') return undefined;
  const message = (cause as Error).message;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${word}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.endsWith('argument missing')) return `${word} needs a value`;
      if (message.includes('does not take an argument')) return `${word} does not take a value`;
      if (message.includes('ambiguous')) return `${word}: a value that starts with '-' must be given as ${word}=VALUE`;
      return undefined;
    default:
      return undefined;
  }
}

function usageError(message: string, usage: string | undefined, context: Record<string, unknown>, cause?: unknown): AgentError {
  const text = usage === undefined ? message : `${message}\n\n${usage}`;
  return new AgentError(text, ErrorCode.Cli_Usage, context, cause === undefined ? {} : { cause });
}

/** A value that must be given and not be empty. */
export function requireValue(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new AgentError(`--${name} is required`, ErrorCode.Cli_Usage);
  return value;
}

/** An optional integer option in `min..max`. */
export function integerValue(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new AgentError(`--${name} must be an integer ${min}..${max}, got '${raw}'`, ErrorCode.Cli_Usage);
  }
  return value;
}

/** TON/NPI for an address as users type it: +digits international, digits unknown/ISDN, letters alphanumeric. */
export function addressFor(address: string): { ton: number; npi: number; addr: string } {
  if (/^\+\d{1,20}$/.test(address)) return { ton: 1, npi: 1, addr: address.slice(1) };
  if (/^\d{1,20}$/.test(address)) return { ton: 0, npi: 1, addr: address };
  if (address.length > 0 && address.length <= 11) return { ton: 5, npi: 0, addr: address };
  throw new AgentError(`'${address}' is not a phone number (+447700900123) or an alphanumeric sender of at most 11 characters`, ErrorCode.Cli_Usage);
}

/**
 * A destination the network can deliver to: + and 3–20 digits, or 3–20 digits (the numeric half of
 * the config's phone-number rule; an alphanumeric address can send but never receive). The one door
 * validator for destinations (issue 13) is meant to replace this check.
 */
export function destinationValue(value: string, option: string): string {
  if (/^\+?[0-9]{3,20}$/.test(value)) return value;
  throw new AgentError(`--${option}: '${value}' is not a phone number (+ and 3-20 digits, e.g. +447700900123)`, ErrorCode.Cli_Usage, { argument: value });
}

/** A SIM PIN as the config takes it: 4–8 digits. */
export function pinValue(value: string | undefined, option = 'pin'): string | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9]{4,8}$/.test(value)) return value;
  throw new AgentError(`--${option}: a SIM PIN is 4-8 digits`, ErrorCode.Cli_Usage);
}
