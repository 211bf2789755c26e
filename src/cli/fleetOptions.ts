/**
 * Options shared by the `fleet` commands. The broker password comes from the environment
 * (`EDGE_SMS_MQTT_PASSWORD`), never from the command line, where `ps` would show it.
 */
import { AgentError, ErrorCode } from '../errors.js';

/** The broker options every fleet command takes, for `parseOptions`. */
export const brokerOptions = {
  mqtt: { type: 'string' },
  prefix: { type: 'string' },
  username: { type: 'string' },
} as const;

/** An optional duration option in ms, 1..3600000. */
export function msFlag(raw: string | undefined, name: string, fallback: number): number {
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

export function brokerFlags(values: { readonly mqtt?: string | undefined; readonly prefix?: string | undefined; readonly username?: string | undefined }): BrokerFlags {
  const url = values.mqtt ?? process.env['EDGE_SMS_MQTT_URL'];
  if (url === undefined) throw new AgentError('--mqtt URL is required (or set EDGE_SMS_MQTT_URL)', ErrorCode.Cli_Usage);
  const prefix = values.prefix;
  const username = values.username ?? process.env['EDGE_SMS_MQTT_USERNAME'];
  const password = process.env['EDGE_SMS_MQTT_PASSWORD'];
  return { url, ...(prefix === undefined ? {} : { prefix }), ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) };
}

export const brokerUsage = `  --mqtt URL        broker (mqtt://, mqtts://, ws://, wss://); or EDGE_SMS_MQTT_URL
  --prefix P        topic prefix (default edge-sms)
  --username U      broker user (or EDGE_SMS_MQTT_USERNAME); the password comes from EDGE_SMS_MQTT_PASSWORD`;
