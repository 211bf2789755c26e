/**
 * Options shared by the `fleet` commands. The broker password comes from the environment
 * (`EDGE_SMS_MQTT_PASSWORD`), never from the command line, where `ps` would show it.
 */
import { AgentError, ErrorCode } from '../errors.js';

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positional: readonly string[];
}

/** `--name value`, `--name=value` and bare `--switch` (for names in `switches`). */
export function parseArgs(args: readonly string[], valued: readonly string[], switches: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (switches.includes(name)) {
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new AgentError(`--${name} needs a value`, ErrorCode.Cli_Usage, { flag: name });
      flags.set(name, value);
    } else {
      throw new AgentError(`unknown option --${name}`, ErrorCode.Cli_Usage, { flag: name });
    }
  }
  return { flags, positional };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function msFlag(parsed: ParsedArgs, name: string, fallback: number): number {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3_600_000) throw new AgentError(`--${name}: must be 1..3600000 ms, got '${raw}'`, ErrorCode.Cli_Usage, { flag: name });
  return value;
}

export interface BrokerFlags {
  readonly url: string;
  readonly prefix?: string;
  readonly username?: string;
  readonly password?: string;
}

export function brokerFlags(parsed: ParsedArgs): BrokerFlags {
  const url = stringFlag(parsed, 'mqtt') ?? process.env['EDGE_SMS_MQTT_URL'];
  if (url === undefined) throw new AgentError('--mqtt URL is required (or set EDGE_SMS_MQTT_URL)', ErrorCode.Cli_Usage);
  const prefix = stringFlag(parsed, 'prefix');
  const username = stringFlag(parsed, 'username') ?? process.env['EDGE_SMS_MQTT_USERNAME'];
  const password = process.env['EDGE_SMS_MQTT_PASSWORD'];
  return { url, ...(prefix === undefined ? {} : { prefix }), ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) };
}

export const brokerUsage = `  --mqtt URL        broker (mqtt://, mqtts://, ws://, wss://); or EDGE_SMS_MQTT_URL
  --prefix P        topic prefix (default edge-sms)
  --username U      broker user (or EDGE_SMS_MQTT_USERNAME); the password comes from EDGE_SMS_MQTT_PASSWORD`;
