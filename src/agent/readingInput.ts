/**
 * Validation of a report as sensors and scripts hand it in (HTTP, MQTT, CLI): a kind, an optional
 * priority and TTL, and the reading's fields. Shared by every ingest path so they accept the same.
 */
import { AgentError, ErrorCode } from '../errors.js';

export const ingestPriorities = ['critical', 'high', 'normal', 'low'] as const;
export type IngestPriority = (typeof ingestPriorities)[number];
export type IngestFieldValue = number | string | boolean;

export interface ReadingInput {
  readonly kind: string;
  readonly priority?: IngestPriority;
  /** Seconds the report may wait before it expires (default: the kind's TTL). */
  readonly ttlS?: number;
  /** Unix seconds of the reading (default: now). */
  readonly time?: number;
  readonly data: Readonly<Record<string, IngestFieldValue>>;
  /** Numbers to send it to (default: the configured centre); one outbox entry is made per number. */
  readonly to?: readonly string[];
}

const kindRule = /^[a-z][a-z0-9_]{1,31}$/;
const fieldRule = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const maxFields = 64;
const maxStringLength = 1000;
const maxDestinations = 10;
const numberRule = /^\+?[0-9]{3,20}$/;

function bad(message: string, field: string): AgentError {
  return new AgentError(message, ErrorCode.Store_InvalidInput, { field });
}

/** Checks an untrusted value (parsed JSON) and returns it typed, or throws naming the bad field. */
export function parseReadingInput(value: unknown): ReadingInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('a report must be a JSON object', '(body)');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!['kind', 'priority', 'ttlS', 'time', 'data', 'to'].includes(key)) throw bad(`unknown field ${key} (known: kind, priority, ttlS, time, data, to)`, key);
  }
  const { kind, priority, ttlS, time, data, to } = input;
  if (typeof kind !== 'string' || !kindRule.test(kind)) throw bad('kind must match [a-z][a-z0-9_]{1,31}, e.g. "telemetry"', 'kind');
  if (priority !== undefined && !ingestPriorities.some((p) => p === priority)) throw bad(`priority must be one of ${ingestPriorities.join(', ')}`, 'priority');
  if (ttlS !== undefined && (typeof ttlS !== 'number' || !Number.isInteger(ttlS) || ttlS < 1 || ttlS > 30 * 86400)) throw bad('ttlS must be an integer 1..2592000', 'ttlS');
  if (time !== undefined && (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0)) throw bad('time must be whole unix seconds', 'time');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('data must be an object of fields, e.g. {"T": 21.5}', 'data');
  const fields = Object.entries(data as Record<string, unknown>);
  if (fields.length > maxFields) throw bad(`data may have at most ${maxFields} fields`, 'data');
  for (const [name, field] of fields) {
    if (!fieldRule.test(name) || name === '__proto__') throw bad(`field name ${JSON.stringify(name)} must match [A-Za-z_][A-Za-z0-9_]{0,31}`, `data.${name}`);
    const ok = (typeof field === 'number' && Number.isFinite(field)) || typeof field === 'boolean' || (typeof field === 'string' && field.length <= maxStringLength);
    if (!ok) throw bad(`data.${name} must be a finite number, a boolean or a string of at most ${maxStringLength} characters`, `data.${name}`);
  }
  if (to !== undefined) {
    if (!Array.isArray(to) || to.length < 1 || to.length > maxDestinations) throw bad(`to must be a list of 1..${maxDestinations} numbers, e.g. ["+447700900000"]`, 'to');
    to.forEach((number: unknown, index) => {
      if (typeof number !== 'string' || !numberRule.test(number)) throw bad(`to[${index}] must be a number: + and 3-20 digits`, `to[${index}]`);
    });
  }
  return {
    kind,
    ...(priority === undefined ? {} : { priority: priority as IngestPriority }),
    ...(ttlS === undefined ? {} : { ttlS: ttlS }),
    ...(time === undefined ? {} : { time: time }),
    data: data as Record<string, IngestFieldValue>,
    ...(to === undefined ? {} : { to: to as string[] }),
  };
}
