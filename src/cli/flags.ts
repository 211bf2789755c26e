/**
 * A small `--name value` / `--flag` parser for the commands that take options. Unknown options
 * and missing values are usage errors that name the option, so a typo is never silently ignored.
 */
import { AgentError, ErrorCode } from '../errors.js';

export interface FlagSpec {
  /** Options that take a value. */
  readonly values: readonly string[];
  /** Options that are on or off. */
  readonly switches?: readonly string[];
}

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
}

export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(2, eq) : arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name === undefined) throw new AgentError(`unexpected argument '${arg}'`, ErrorCode.Cli_Usage);
    if (spec.switches?.includes(name) === true && eq < 0) {
      switches.add(name);
    } else if (spec.values.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new AgentError(`--${name} needs a value`, ErrorCode.Cli_Usage);
      values.set(name, value);
    } else {
      throw new AgentError(`unknown option --${name}`, ErrorCode.Cli_Usage);
    }
  }
  return { values, switches };
}

export function requireValue(flags: ParsedFlags, name: string): string {
  const value = flags.values.get(name);
  if (value === undefined || value === '') throw new AgentError(`--${name} is required`, ErrorCode.Cli_Usage);
  return value;
}

export function integerValue(flags: ParsedFlags, name: string, min: number, max: number): number | undefined {
  const raw = flags.values.get(name);
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
