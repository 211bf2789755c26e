/**
 * The mirror's options, with units, ranges and defaults, checked once at construction so that
 * an impossible setting is refused at load with the key, the value and what is allowed.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { AgentError, ErrorCode } from '../errors.js';
import { childLogger, silentLogger } from '../logger.js';
import { defaultBackoff, type BackoffOptions } from './backoff.js';
import { defaultMaxPayloadBytes } from './payloadLimits.js';
import { backgroundClock, type Clock } from '../clock.js';
import type { CommandHandlers } from './commands.js';
import { defaultPrefix, validateDeviceId, validateGroup, validatePrefix } from './topics.js';

export interface MirrorTlsOptions {
  /** PEM file of the CA that signed the broker's certificate (default: the system store). */
  readonly caFile?: string;
  /** PEM client certificate and key, for brokers that authenticate devices by certificate. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Default true; false only for lab brokers with self-signed certificates. */
  readonly rejectUnauthorized?: boolean;
}

export interface HomeAssistantOptions {
  /** Publish Home Assistant MQTT discovery configs on each connect. Default false. */
  readonly enabled: boolean;
  /** Default `homeassistant`. */
  readonly discoveryPrefix?: string;
}

export interface MirrorOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` broker URL. */
  readonly url: string;
  /** Names the device in every topic; also the MQTT client id (`edge-sms-<deviceId>`). */
  readonly deviceId: string;
  /** Topic prefix, default `edge-sms`. */
  readonly prefix?: string;
  /** Groups this device answers `<prefix>/group/<group>/cmd/+` for. */
  readonly groups?: readonly string[];
  readonly username?: string;
  readonly password?: string;
  readonly tls?: MirrorTlsOptions;
  /** `auto` (default): MQTT 5, and 3.1.1 when the broker refuses 5. */
  readonly protocol?: 'auto' | 5 | 4;
  /** Keepalive, 5..1200 s; default 30. The broker publishes the last will after 1.5× this of silence. */
  readonly keepaliveSeconds?: number;
  /** Longest wait for CONNACK, 1000..120000 ms; default 10000. */
  readonly connectTimeoutMs?: number;
  /** Minimum time between state publications, 100..3600000 ms; default 1000. */
  readonly stateMinIntervalMs?: number;
  /** Republish unchanged state this often so "last seen" stays fresh, ms; 0 = never; default 300000. */
  readonly stateHeartbeatMs?: number;
  /** Reconnect back-off; defaults 1 s doubling to 60 s, half jittered. */
  readonly backoff?: Partial<BackoffOptions>;
  /** Events kept while the broker is away, 0..100000; the oldest are dropped beyond it. Default 1000. */
  readonly maxQueuedEvents?: number;
  /** Longest a command handler may run, 100..600000 ms; default 30000. */
  readonly handlerTimeoutMs?: number;
  /** Commands running at once, 1..256; default 8. */
  readonly maxInFlightCommands?: number;
  /** Bytes of one command payload, 1024..16777216; default 65536. Also bounds every packet the broker may send (see `maxPacketBytes`). */
  readonly maxPayloadBytes?: number;
  /** `report-submitted` / `report-delivered` summed into one `events/reports` per this long, 0..3600000 ms; 0 = one event per message (the default; the agent sets mqtt.reportEventsS). */
  readonly reportEventsMs?: number;
  readonly homeAssistant?: HomeAssistantOptions;
  /** The agent's command handlers; without them the mirror only publishes. */
  readonly handlers?: CommandHandlers;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export interface ResolvedTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
}

export interface ResolvedMirrorOptions {
  readonly url: string;
  readonly deviceId: string;
  readonly clientId: string;
  readonly prefix: string;
  readonly groups: readonly string[];
  readonly username?: string;
  readonly password?: string;
  readonly tls: ResolvedTls;
  readonly protocol: 'auto' | 5 | 4;
  readonly keepaliveSeconds: number;
  readonly connectTimeoutMs: number;
  readonly stateMinIntervalMs: number;
  readonly stateHeartbeatMs: number;
  readonly backoff: BackoffOptions;
  readonly maxQueuedEvents: number;
  readonly handlerTimeoutMs: number;
  readonly maxInFlightCommands: number;
  readonly maxPayloadBytes: number;
  /** The largest packet taken from the broker: the payload limit plus room for the topic and MQTT 5 properties. */
  readonly maxPacketBytes: number;
  readonly reportEventsMs: number;
  readonly homeAssistant: Required<HomeAssistantOptions>;
  readonly handlers?: CommandHandlers;
  readonly clock: Clock;
  readonly log: Logger;
}

function invalid(key: string, value: unknown, rule: string): AgentError {
  return new AgentError(`mqtt.${key}: ${rule}, got ${JSON.stringify(value)}`, ErrorCode.Config_Invalid, { key: `mqtt.${key}`, value });
}

function ranged(key: string, value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(key, value, `must be an integer ${min}..${max}`);
  return value;
}

/** A URL the mirror can use; credentials belong in username/password, not in the URL (they would reach logs). */
export function validateBrokerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AgentError(`mqtt.url: not a URL, got ${JSON.stringify(url)}; use e.g. mqtt://broker:1883`, ErrorCode.Config_Invalid, { key: 'mqtt.url' }, { cause });
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(parsed.protocol)) {
    throw new AgentError(`mqtt.url: scheme must be mqtt, mqtts, ws or wss, got '${parsed.protocol.slice(0, -1)}'`, ErrorCode.Config_Invalid, { key: 'mqtt.url' });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new AgentError('mqtt.url: put credentials in mqtt.username / mqtt.password, not in the URL', ErrorCode.Config_Invalid, { key: 'mqtt.url' });
  }
  return parsed;
}

function readPem(key: string, path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new AgentError(`mqtt.tls.${key}: cannot read '${path}'`, ErrorCode.Config_Invalid, { key: `mqtt.tls.${key}`, value: path }, { cause });
  }
}

/** Room in a packet beyond its payload: fixed header, topic (ours ≤ ~230 bytes), packet id, MQTT 5 properties (response topic, correlation data). */
export const packetOverheadBytes = 4096;

export function resolveMirrorOptions(options: MirrorOptions): ResolvedMirrorOptions {
  validateBrokerUrl(options.url);
  const deviceId = validateDeviceId(options.deviceId);
  const tls = options.tls ?? {};
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) throw invalid('tls', tls, 'certFile and keyFile go together');
  const ca = readPem('caFile', tls.caFile);
  const cert = readPem('certFile', tls.certFile);
  const key = readPem('keyFile', tls.keyFile);
  const backoff = { ...defaultBackoff, ...options.backoff };
  ranged('backoff.initialMs', backoff.initialMs, 10, 3_600_000, 0);
  ranged('backoff.maxMs', backoff.maxMs, backoff.initialMs, 3_600_000, 0);
  if (!(backoff.jitter >= 0 && backoff.jitter <= 1)) throw invalid('backoff.jitter', backoff.jitter, 'must be 0..1');
  const protocol = options.protocol ?? 'auto';
  if (protocol !== 'auto' && protocol !== 5 && protocol !== 4) throw invalid('protocol', protocol, "must be 'auto', 5 or 4");
  if (options.password !== undefined && options.username === undefined) throw invalid('password', '[redacted]', 'needs mqtt.username');
  const heartbeat = options.stateHeartbeatMs ?? 300_000;
  if (heartbeat !== 0) ranged('stateHeartbeatMs', heartbeat, 1000, 86_400_000, 0);
  const discoveryPrefix = options.homeAssistant?.discoveryPrefix ?? 'homeassistant';
  validatePrefix(discoveryPrefix);
  const maxPayloadBytes = ranged('maxPayloadBytes', options.maxPayloadBytes, 1024, 16 * 1024 * 1024, defaultMaxPayloadBytes);
  return {
    url: options.url,
    deviceId,
    clientId: `edge-sms-${deviceId}`,
    prefix: validatePrefix(options.prefix ?? defaultPrefix),
    groups: (options.groups ?? []).map(validateGroup),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    tls: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }), rejectUnauthorized: tls.rejectUnauthorized ?? true },
    protocol,
    keepaliveSeconds: ranged('keepaliveSeconds', options.keepaliveSeconds, 5, 1200, 30),
    connectTimeoutMs: ranged('connectTimeoutMs', options.connectTimeoutMs, 1000, 120_000, 10_000),
    stateMinIntervalMs: ranged('stateMinIntervalMs', options.stateMinIntervalMs, 100, 3_600_000, 1000),
    stateHeartbeatMs: heartbeat,
    backoff,
    maxQueuedEvents: ranged('maxQueuedEvents', options.maxQueuedEvents, 0, 100_000, 1000),
    handlerTimeoutMs: ranged('handlerTimeoutMs', options.handlerTimeoutMs, 100, 600_000, 30_000),
    maxInFlightCommands: ranged('maxInFlightCommands', options.maxInFlightCommands, 1, 256, 8),
    maxPayloadBytes,
    maxPacketBytes: maxPayloadBytes + packetOverheadBytes,
    reportEventsMs: ranged('reportEventsMs', options.reportEventsMs, 0, 3_600_000, 0),
    homeAssistant: { enabled: options.homeAssistant?.enabled ?? false, discoveryPrefix },
    ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
    clock: options.clock ?? backgroundClock,
    log: childLogger(options.log ?? silentLogger(), { mod: 'mqtt', deviceId }),
  };
}
