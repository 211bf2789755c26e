/**
 * Session options: units in the names, ranges checked once at construction, defaults in one
 * place. Impossible combinations are refused here (gosmpp's "ReadTimeout > EnquireLink" rule),
 * not discovered at 3 a.m.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { systemClock, type Clock } from './clock.js';
import { silentSessionLogger, type SessionLogger } from './logging.js';
import { parseSmppUrl, type BindMode, type SmppEndpoint } from './url.js';

export interface SessionOptions {
  readonly endpoint: SmppEndpoint;
  readonly systemId: string;
  readonly password: string;
  /** default 'transceiver' */
  readonly bindMode?: BindMode;
  /** 0x34 (v3.4, default) or 0x50 (v5.0) */
  readonly interfaceVersion?: 0x34 | 0x50;
  readonly systemType?: string;
  readonly addrTon?: number;
  readonly addrNpi?: number;
  readonly addressRange?: string;
  /** Requests in flight, 1..1000; default 10. */
  readonly window?: number;
  /**
   * Once the window is full, the free slots it waits for before sending again, 1..window;
   * default ⌈window/8⌉ (of the window in force, which congestion_state may shrink). 1 refills
   * each slot as its response arrives. Batches cut the client's wake-ups and syscalls per submit
   * several-fold against an SMSC that answers each request in its own write; they cost only a
   * saturated link a little queueing. See refill.ts.
   */
  readonly refillBatch?: number;
  /** Response timeout per request, ms; default 10 000. */
  readonly responseTimeoutMs?: number;
  /** Idle time before an enquire_link, ms; default 30 000; must exceed the response timeout. */
  readonly enquireLinkMs?: number;
  /** TCP/TLS connect timeout, ms; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Maximum submits per second; default unlimited. */
  readonly maxPerSecond?: number;
  /** Times a request answered ESME_RTHROTTLED / ESME_RMSGQFUL is sent again before that answer is returned; default 10. */
  readonly throttleRetries?: number;
  /** Largest PDU accepted, octets; default 65 536. */
  readonly maxPduSize?: number;
  /** Longest wait for the window to drain on close, ms; default 5 000. */
  readonly drainTimeoutMs?: number;
  readonly clock?: Clock;
  /** pino's Logger fits; default silent (and pino is not loaded). */
  readonly logger?: SessionLogger;
  /** A short name for logs and events (default `systemId@host:port`). */
  readonly name?: string;
}

export type ResolvedSessionOptions = Required<Omit<SessionOptions, 'maxPerSecond' | 'systemType' | 'addressRange' | 'refillBatch'>> & {
  readonly maxPerSecond: number | undefined;
  /** undefined: ⌈window in force / 8⌉. */
  readonly refillBatch: number | undefined;
  readonly systemType: string;
  readonly addressRange: string;
};

function refuse(key: string, rule: string, got: unknown): AgentError {
  return new AgentError(`smpp.${key}: ${rule}, got ${String(got)}`, ErrorCode.Config_Invalid, { key });
}

function checkRange(key: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw refuse(key, `must be ${min}..${max}`, value);
  return value;
}

export function resolveSessionOptions(options: SessionOptions): ResolvedSessionOptions {
  const responseTimeoutMs = checkRange('responseTimeoutMs', options.responseTimeoutMs ?? 10_000, 1, 3_600_000);
  const enquireLinkMs = checkRange('enquireLinkMs', options.enquireLinkMs ?? 30_000, 1, 3_600_000);
  if (enquireLinkMs <= responseTimeoutMs / 2) {
    throw refuse('enquireLinkMs', `must be more than half the response timeout (${responseTimeoutMs} ms) so a slow answer is not taken for a dead link`, enquireLinkMs);
  }
  const max = options.maxPerSecond;
  if (max !== undefined && !(max > 0 && max <= 1_000_000)) throw refuse('maxPerSecond', 'must be > 0 and <= 1000000', max);
  const window = checkRange('window', options.window ?? 10, 1, 1000);
  const refillBatch = options.refillBatch === undefined ? undefined : checkRange('refillBatch', options.refillBatch, 1, window);
  return {
    endpoint: options.endpoint,
    systemId: options.systemId,
    password: options.password,
    bindMode: options.bindMode ?? 'transceiver',
    interfaceVersion: options.interfaceVersion ?? 0x34,
    systemType: options.systemType ?? '',
    addrTon: checkRange('addrTon', options.addrTon ?? 0, 0, 255),
    addrNpi: checkRange('addrNpi', options.addrNpi ?? 0, 0, 255),
    addressRange: options.addressRange ?? '',
    window,
    refillBatch,
    responseTimeoutMs,
    enquireLinkMs,
    connectTimeoutMs: checkRange('connectTimeoutMs', options.connectTimeoutMs ?? 10_000, 1, 600_000),
    maxPerSecond: max,
    throttleRetries: checkRange('throttleRetries', options.throttleRetries ?? 10, 0, 1000),
    maxPduSize: checkRange('maxPduSize', options.maxPduSize ?? 65_536, 64, 16 * 1024 * 1024),
    drainTimeoutMs: checkRange('drainTimeoutMs', options.drainTimeoutMs ?? 5000, 0, 600_000),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentSessionLogger,
    name: options.name ?? `${options.systemId}@${options.endpoint.host}:${options.endpoint.port}`,
  };
}

/** Session options from a connection URL, with anything else (clock, logger, timeouts) on top. */
export function sessionOptionsFromUrl(url: string, extra: Partial<SessionOptions> = {}): SessionOptions {
  const s = parseSmppUrl(url);
  const fromUrl: SessionOptions = {
    endpoint: s.endpoint,
    systemId: s.systemId,
    password: s.password,
    bindMode: s.bindMode,
    interfaceVersion: s.interfaceVersion,
    ...(s.systemType === undefined ? {} : { systemType: s.systemType }),
    ...(s.window === undefined ? {} : { window: s.window }),
    ...(s.responseTimeoutMs === undefined ? {} : { responseTimeoutMs: s.responseTimeoutMs }),
    ...(s.enquireLinkMs === undefined ? {} : { enquireLinkMs: s.enquireLinkMs }),
    ...(s.maxPerSecond === undefined ? {} : { maxPerSecond: s.maxPerSecond }),
    ...(s.addrTon === undefined ? {} : { addrTon: s.addrTon }),
    ...(s.addrNpi === undefined ? {} : { addrNpi: s.addrNpi }),
    ...(s.addressRange === undefined ? {} : { addressRange: s.addressRange }),
  };
  return { ...fromUrl, ...extra };
}
