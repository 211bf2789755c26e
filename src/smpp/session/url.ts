/**
 * A connection described by one URL, so a config file, an environment variable and the CLI all
 * say the same thing:
 *
 *   smpp://system_id:password@host:port?bind=trx&window=10&version=3.4
 *   smpps://system_id:password@host:port?ca=/etc/ssl/smsc-ca.pem
 *
 * Query keys: bind (tx|rx|trx), window (1..1000), version (3.4|5.0), system_type, timeout (ms,
 * response timeout), enquire_link (ms), rate (messages/s), addr_ton, addr_npi, address_range,
 * ca (PEM file), rejectUnauthorized (true|false, default true), servername.
 * Every problem is an AgentError(Smpp_InvalidUrl) that names the part at fault; the password
 * never appears in a message.
 */
import { AgentError, ErrorCode } from '../../errors.js';

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

export interface SmppEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** PEM file with the CA that signed the SMSC's certificate (smpps only). */
  readonly ca?: string | undefined;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string | undefined;
}

export interface SmppUrlSettings {
  readonly endpoint: SmppEndpoint;
  readonly systemId: string;
  readonly password: string;
  readonly bindMode: BindMode;
  readonly interfaceVersion: 0x34 | 0x50;
  readonly systemType?: string | undefined;
  readonly window?: number | undefined;
  readonly responseTimeoutMs?: number | undefined;
  readonly enquireLinkMs?: number | undefined;
  readonly maxPerSecond?: number | undefined;
  readonly addrTon?: number | undefined;
  readonly addrNpi?: number | undefined;
  readonly addressRange?: string | undefined;
}

const bindModes: Readonly<Record<string, BindMode>> = {
  tx: 'transmitter', transmitter: 'transmitter',
  rx: 'receiver', receiver: 'receiver',
  trx: 'transceiver', transceiver: 'transceiver',
};

const knownKeys = new Set(['bind', 'window', 'version', 'system_type', 'timeout', 'enquire_link', 'rate', 'addr_ton', 'addr_npi',
  'address_range', 'ca', 'rejectUnauthorized', 'servername']);

function invalid(problem: string, url: string): AgentError {
  return new AgentError(`invalid SMPP URL: ${problem}`, ErrorCode.Smpp_InvalidUrl, { url: redactUrl(url) });
}

/** The URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  // To the last `@` before the query: a password with a raw `@` is hidden whole, not cut at its first `@`.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^?#]*@/i, '$1***@');
}

export function parseSmppUrl(text: string): SmppUrlSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    // The text is not echoed: where a password sits in a string that is not a URL is anyone's guess.
    throw new AgentError('invalid SMPP URL: not a URL (expected smpp://system_id:password@host:port)', ErrorCode.Smpp_InvalidUrl, {}, { cause });
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'smpp' && scheme !== 'smpps') throw invalid(`scheme must be smpp:// or smpps://, got ${scheme}://`, text);
  const tls = scheme === 'smpps';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw invalid('host is missing', text);
  const port = url.port === '' ? (tls ? 3550 : 2775) : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`port must be 1..65535, got ${url.port}`, text);
  if (url.pathname !== '' && url.pathname !== '/') throw invalid(`a path is not allowed, got ${url.pathname}`, text);

  const systemId = decode(url.username, 'system_id', text);
  const password = decode(url.password, 'password', text);
  if (systemId === '') throw invalid('system_id is missing (smpp://system_id:password@host)', text);
  // v3.4 §4.1.1: system_id is a C-Octet String of at most 16 octets, password at most 9, NUL included.
  if (Buffer.byteLength(systemId, 'latin1') > 15) throw invalid(`system_id is longer than 15 characters (${systemId.length})`, text);
  if (Buffer.byteLength(password, 'latin1') > 8) throw invalid(`password is longer than 8 characters (${password.length})`, text);

  const params = url.searchParams;
  for (const key of params.keys()) {
    if (!knownKeys.has(key)) throw invalid(`unknown parameter '${key}' (known: ${[...knownKeys].join(', ')})`, text);
  }
  const bindText = params.get('bind') ?? 'trx';
  const bindMode = bindModes[bindText];
  if (bindMode === undefined) throw invalid(`bind must be tx, rx or trx, got '${bindText}'`, text);
  const versionText = params.get('version') ?? '3.4';
  let interfaceVersion: 0x34 | 0x50;
  if (versionText === '3.4' || versionText === '34') interfaceVersion = 0x34;
  else if (versionText === '5.0' || versionText === '5' || versionText === '50') interfaceVersion = 0x50;
  else throw invalid(`version must be 3.4 or 5.0, got '${versionText}'`, text);
  const rejectText = params.get('rejectUnauthorized') ?? 'true';
  if (rejectText !== 'true' && rejectText !== 'false') throw invalid(`rejectUnauthorized must be true or false, got '${rejectText}'`, text);
  const ca = params.get('ca') ?? undefined;
  if (!tls && (ca !== undefined || params.has('rejectUnauthorized') || params.has('servername'))) {
    throw invalid('ca, rejectUnauthorized and servername need smpps://', text);
  }
  const addressRange = params.get('address_range') ?? undefined;
  if (addressRange !== undefined && addressRange.length > 40) throw invalid('address_range is longer than 40 characters', text);
  const systemType = params.get('system_type') ?? undefined;
  if (systemType !== undefined && systemType.length > 12) throw invalid('system_type is longer than 12 characters', text);

  return {
    endpoint: { host, port, tls, ca, rejectUnauthorized: rejectText === 'true', servername: params.get('servername') ?? undefined },
    systemId,
    password,
    bindMode,
    interfaceVersion,
    systemType,
    window: integer(params, 'window', 1, 1000, text),
    responseTimeoutMs: integer(params, 'timeout', 1, 3_600_000, text),
    enquireLinkMs: integer(params, 'enquire_link', 1, 3_600_000, text),
    maxPerSecond: integer(params, 'rate', 1, 1_000_000, text),
    addrTon: integer(params, 'addr_ton', 0, 255, text),
    addrNpi: integer(params, 'addr_npi', 0, 255, text),
    addressRange,
  };
}

function decode(value: string, what: string, text: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid(`${what} has a bad percent-encoding`, text);
  }
}

function integer(params: URLSearchParams, key: string, min: number, max: number, text: string): number | undefined {
  const raw = params.get(key);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${key} must be an integer ${min}..${max}, got '${raw}'`, text);
  }
  return value;
}
