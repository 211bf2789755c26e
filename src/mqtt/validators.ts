/**
 * One validator per command: raw JSON object in, typed request out, or an AgentError that
 * becomes an error reply. Nothing reaches a handler unvalidated, so a bad command changes nothing.
 */
import type { CommandMap, CommandName, QueueSelector, SafeConfig } from './commands.js';
import { PayloadReader, type JsonObject } from './payloadReader.js';
import { checkJsonShape } from './payloadLimits.js';
import { badCommand } from './replies.js';
import { outboxStates, reportPriorities } from './state.js';

type Validator<N extends CommandName> = (payload: JsonObject) => CommandMap[N]['request'];

/** A plain SMS text: 10 parts of 153 GSM characters; the agent's door checks what really fits. */
const maxTextLength = 1530;
const outboxId = { min: 1, max: 64 };

function validateSelector(reader: PayloadReader): QueueSelector {
  if (reader.has('ids') === reader.has('state')) throw badCommand('invalid_payload', 'give exactly one of ids or state', 'ids');
  if (reader.has('state')) return { state: reader.oneOf('state', outboxStates) };
  const ids = reader.array('ids', { min: 1, max: 1000 }).map((id, index) => {
    if (typeof id !== 'string' || id.length < outboxId.min || id.length > outboxId.max) {
      throw badCommand('invalid_payload', `ids[${index}]: must be a string of 1..64 characters`, `ids[${index}]`);
    }
    return id;
  });
  return { ids };
}

/** Remotely, logging stops at debug: trace is for someone at the device (see SafeConfig). */
const remoteLogLevels = ['fatal', 'error', 'warn', 'info', 'debug'] as const;

/** Each key of the safe config subset with its rule; anything else is refused. */
const safeConfigRules: { readonly [K in keyof SafeConfig]: (reader: PayloadReader, key: K) => SafeConfig[K] } = {
  'location.pollS': (reader, key) => reader.number(key, { min: 5, max: 86_400, integer: true }),
  'location.minDistanceM': (reader, key) => reader.number(key, { min: 0, max: 100_000 }),
  'location.maxIntervalS': (reader, key) => reader.number(key, { min: 60, max: 604_800, integer: true }),
  'modem.fallbackAfterS': (reader, key) => reader.number(key, { min: 0, max: 86_400, integer: true }),
  'mqtt.stateIntervalMs': (reader, key) => reader.number(key, { min: 100, max: 3_600_000, integer: true }),
  'log.level': (reader, key) => reader.oneOf(key, remoteLogLevels),
};

export const safeConfigKeys = Object.keys(safeConfigRules) as (keyof SafeConfig)[];

/** The names of version 0.1 (deprecated; accepted, and migrated in a saved settings.json, for one version). */
export const deprecatedConfigKeys: Readonly<Record<string, keyof SafeConfig>> = {
  'gnss.intervalSeconds': 'location.pollS',
  'location.minDistanceMeters': 'location.minDistanceM',
  'location.maxIntervalSeconds': 'location.maxIntervalS',
  'router.modemFallbackAfterSeconds': 'modem.fallbackAfterS',
  'mqtt.stateMinIntervalMs': 'mqtt.stateIntervalMs',
};

/** Config sections set-config refuses by name, with the reason (an unknown key only gets the list). */
const refusedSections: ReadonlyArray<[RegExp, string]> = [
  [/^(smpp|mqtt)\.(url|password|username|caFile|certFile|keyFile)$|^modem\.pin$/, 'credentials, URLs and certificates are set in the config file on the device only'],
  [/^commands\./, 'the SMS command policy (allow-list, PIN, key, lockouts) is set in the config file on the device only'],
  [/^api\.|^store\.|^device\./, 'local doors, storage and identity are set in the config file on the device only'],
];

function readSafeConfigKey<K extends keyof SafeConfig>(reader: PayloadReader, key: K, into: Partial<Record<keyof SafeConfig, unknown>>): void {
  into[key] = safeConfigRules[key](reader, key);
}

/** Old names → new names; the same key under both names is refused as ambiguous. */
function renameDeprecated(values: JsonObject): { values: JsonObject; deprecated: Record<string, keyof SafeConfig> } {
  const renamed: Record<string, unknown> = {};
  const deprecated: Record<string, keyof SafeConfig> = {};
  for (const [key, value] of Object.entries(values)) {
    const current = deprecatedConfigKeys[key];
    if (current === undefined) {
      renamed[key] = value;
      continue;
    }
    if (Object.hasOwn(values, current)) throw badCommand('invalid_payload', `values.${key}: give ${current} only (${key} is its old name)`, `values.${key}`);
    renamed[current] = value;
    deprecated[key] = current;
  }
  return { values: renamed, deprecated };
}

function refuseUnsafe(values: JsonObject): void {
  for (const key of Object.keys(values)) {
    if ((safeConfigKeys as readonly string[]).includes(key)) continue;
    for (const [pattern, reason] of refusedSections) {
      if (pattern.test(key)) throw badCommand('invalid_payload', `values.${key}: cannot be changed remotely: ${reason}`, `values.${key}`);
    }
  }
  if (values['log.level'] === 'trace') {
    throw badCommand('out_of_range', 'values.log.level: trace cannot be set remotely (it shows message contents and numbers); the most is debug', 'values.log.level');
  }
}

export const commandValidators: { readonly [N in CommandName]: Validator<N> } = {
  // send-sms and report: the shape only (types, known fields). The values (kind, field names, numbers,
  // sizes) are the agent's one door policy's to judge, the same for every way in (src/agent/door.ts).
  'send-sms': (payload) => {
    const reader = new PayloadReader(payload, ['to', 'text', 'priority', 'via']);
    return {
      to: reader.string('to', { min: 1, max: 64 }),
      text: reader.string('text', { min: 1, max: maxTextLength }),
      priority: reader.oneOf('priority', reportPriorities, 'normal'),
      via: reader.oneOf('via', ['auto', 'smpp', 'modem'] as const, 'auto'),
    };
  },

  report: (payload) => {
    const reader = new PayloadReader(payload, ['kind', 'data', 'priority', 'to']);
    const kind = reader.string('kind', { min: 1, max: 64 });
    const raw = reader.object('data');
    const data: Record<string, string | number | boolean | null> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') data[key] = value;
      else throw badCommand('invalid_payload', `data.${key}: must be a string, number, boolean or null`, `data.${key}`);
    }
    const priority = reader.has('priority') ? reader.oneOf('priority', reportPriorities) : undefined;
    const to = reader.has('to') ? reader.array('to', { min: 1, max: 10 }) : undefined;
    to?.forEach((number, index) => {
      if (typeof number !== 'string') throw badCommand('invalid_payload', `to[${index}]: must be a string`, `to[${index}]`);
    });
    return { kind, data, ...(priority === undefined ? {} : { priority }), ...(to === undefined ? {} : { to: to as string[] }) };
  },

  locate: (payload) => {
    const reader = new PayloadReader(payload, ['fresh', 'timeoutSeconds']);
    return { fresh: reader.boolean('fresh', false), timeoutSeconds: reader.number('timeoutSeconds', { min: 1, max: 300, integer: true }, 60) };
  },

  'get-state': (payload) => {
    new PayloadReader(payload, []);
    return {};
  },

  queue: (payload) => {
    const action = new PayloadReader(payload, Object.keys(payload)).oneOf('action', ['list', 'retry', 'purge'] as const);
    if (action === 'list') {
      const reader = new PayloadReader(payload, ['action', 'state', 'priority', 'limit']);
      return {
        action,
        ...(reader.has('state') ? { state: reader.oneOf('state', outboxStates) } : {}),
        ...(reader.has('priority') ? { priority: reader.oneOf('priority', reportPriorities) } : {}),
        limit: reader.number('limit', { min: 1, max: 500, integer: true }, 50),
      };
    }
    return { action, selector: validateSelector(new PayloadReader(payload, ['action', 'ids', 'state'])) };
  },

  'set-config': (payload) => {
    const given = new PayloadReader(payload, ['values']).object('values');
    const { values, deprecated } = renameDeprecated(given);
    refuseUnsafe(values);
    const reader = new PayloadReader(values, safeConfigKeys, 'values');
    const keys = Object.keys(values) as (keyof SafeConfig)[];
    if (keys.length === 0) throw badCommand('invalid_payload', `values: give at least one of ${safeConfigKeys.join(', ')}`, 'values');
    const checked: Partial<Record<keyof SafeConfig, unknown>> = {};
    for (const key of keys) readSafeConfigKey(reader, key, checked);
    return { values: checked as Partial<SafeConfig>, ...(Object.keys(deprecated).length > 0 ? { deprecated } : {}) };
  },

  'reboot-modem': (payload) => {
    const reader = new PayloadReader(payload, ['hard']);
    return { hard: reader.boolean('hard', false) };
  },
};

/**
 * Validates a command's payload by name; throws AgentError(Mqtt_BadCommand) with a reply code. Every
 * door that takes commands (MQTT, the local API's POST /cmd/<name>) comes here, so the shape limits
 * (payloadLimits.ts) are checked once, the same way, before any field rule reads the payload.
 */
export function validateCommand<N extends CommandName>(name: N, payload: JsonObject): CommandMap[N]['request'] {
  checkJsonShape(payload);
  return commandValidators[name](payload);
}
