/**
 * Loads the agent's configuration: the YAML file, then `EDGE_SMS_*` environment overrides, then
 * validation. Every failure is an AgentError naming the key, the value and the fix.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { AgentError, ErrorCode } from '../../errors.js';
import { type AgentConfig, agentConfigSchema, defaultKinds } from './agentConfig.js';
import { join, type Schema } from './schema.js';
import { checkSecurityCombinations } from './securityChecks.js';

export const defaultConfigPath = '/etc/edge-sms-agent/config.yaml';
const envPrefix = 'EDGE_SMS_';
/** Variables that are not config keys: the config file's path, and the store path the CLI shares with the agent. */
const envAliases: Readonly<Record<string, string | null>> = { EDGE_SMS_CONFIG: null, EDGE_SMS_DB: 'store.path' };

export interface LoadOptions {
  /** Path of the YAML file; absent: no file, defaults and environment only. */
  readonly file?: string;
  /** YAML text instead of a file (tests, `--config -`). */
  readonly text?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadOptions = {}): AgentConfig {
  const raw = options.text !== undefined ? parseYaml(options.text, '(text)') : options.file !== undefined ? parseYaml(readConfigFile(options.file), options.file) : {};
  applyEnvOverrides(raw, options.env ?? process.env);
  mergeKindDefaults(raw);
  const config = agentConfigSchema.parse(raw, '');
  checkCombinations(config);
  return config;
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AgentError(
      `config file ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}): create it from firmware-config/agent/config.example.yaml or pass --config PATH`,
      ErrorCode.Config_FileNotFound,
      { file },
      { cause },
    );
  }
}

function parseYaml(text: string, source: string): Record<string, unknown> {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const where = error.linePos?.[0];
    const at = where === undefined ? '' : ` at line ${where.line}, column ${where.col}`;
    throw new AgentError(`${source}: YAML error${at}: ${error.message.split('\n')[0] ?? ''}`, ErrorCode.Config_Parse, { file: source });
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AgentError(`${source}: the top level must be a mapping of sections (device:, smpp:, …)`, ErrorCode.Config_Parse, { file: source });
  }
  return value as Record<string, unknown>;
}

/** `smpp.responseTimeoutMs` ↔ `EDGE_SMS_SMPP_RESPONSE_TIMEOUT_MS`. */
export function envName(path: string): string {
  return envPrefix + path.split('.').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function leafPaths(schema: Schema<unknown>, path: string, out: Map<string, Schema<unknown>>): Map<string, Schema<unknown>> {
  if (schema.fields === undefined) {
    if (schema.fromEnv !== undefined) out.set(path, schema);
    return out;
  }
  for (const [key, field] of Object.entries(schema.fields)) leafPaths(field, join(path, key), out);
  return out;
}

const leaves = leafPaths(agentConfigSchema, '', new Map());
const leavesByEnv = new Map([...leaves].map(([path, schema]) => [envName(path), { path, schema }]));

function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || text === undefined) continue;
    const alias = envAliases[name];
    if (alias === null) continue;
    const target = alias !== undefined ? leavesByEnv.get(envName(alias)) : leavesByEnv.get(name);
    if (target === undefined) {
      throw new AgentError(`environment variable ${name} is not a config key (known, e.g.: EDGE_SMS_SMPP_URL, EDGE_SMS_MQTT_URL, EDGE_SMS_DEVICE_ID)`, ErrorCode.Config_UnknownKey, { key: name });
    }
    setPath(raw, target.path, target.schema.fromEnv?.(text) ?? text);
  }
}

function setPath(raw: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = raw;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) ?? ''] = value;
}

/** The standard kinds keep their built-in policy for every key the file does not set. */
function mergeKindDefaults(raw: Record<string, unknown>): void {
  const reports = (raw['reports'] ??= {}) as Record<string, unknown>;
  if (typeof reports !== 'object' || reports === null) return;
  const kinds = (reports['kinds'] ??= {}) as Record<string, unknown>;
  if (typeof kinds !== 'object' || kinds === null || Array.isArray(kinds)) return;
  for (const [kind, policy] of Object.entries(defaultKinds)) {
    const given = kinds[kind];
    if (given === undefined || given === null) kinds[kind] = { ...policy };
    else if (typeof given === 'object' && !Array.isArray(given)) kinds[kind] = { ...policy, ...given };
  }
}

/** Combinations each key allows alone but that cannot work together. */
function checkCombinations(config: AgentConfig): void {
  const fail = (key: string, message: string): never => {
    throw new AgentError(`${key}: ${message}`, ErrorCode.Config_Invalid, { key });
  };
  if (config.smpp.responseTimeoutMs >= config.smpp.enquireLinkS * 1000) {
    fail('smpp.responseTimeoutMs', `must be shorter than smpp.enquireLinkS (${config.smpp.enquireLinkS} s), or a dead link is noticed late; got ${config.smpp.responseTimeoutMs} ms`);
  }
  if (config.smpp.reconnectMaxS < config.smpp.reconnectMinS) {
    fail('smpp.reconnectMaxS', `must be at least smpp.reconnectMinS (${config.smpp.reconnectMinS} s): raise it or lower reconnectMinS; got ${config.smpp.reconnectMaxS}`);
  }
  if (config.location.enabled && !config.modem.enabled) {
    fail('location.enabled', 'location comes from the modem\'s GNSS: set location.enabled: false, or modem.enabled: true');
  }
  if (config.location.maxIntervalS < config.location.pollS) {
    fail('location.maxIntervalS', `must be at least location.pollS (${config.location.pollS} s), got ${config.location.maxIntervalS}`);
  }
  checkSecurityCombinations(config, fail);
  if (!config.smpp.enabled && !config.modem.enabled) {
    fail('smpp.enabled', 'with both smpp and modem disabled nothing can be sent: enable at least one');
  }
}
