/**
 * The report wire format's data model (format version 1).
 *
 * A message carries one device's readings: who sent it (device id or a short alias), a per-device
 * sequence number that lets the centre drop duplicates and see gaps (delivery is at-least-once),
 * and a time base; each reading carries its kind, its fields and its time as an offset from that base.
 */
import { AgentError, ErrorCode } from '../errors.js';

/** A field's value. Numbers must be finite: NaN and ±Infinity have no meaning on a sensor report. */
export type FieldValue = number | string | boolean;

export interface Reading {
  /** `telemetry`, `location`, `alarm`, `reply`, or a configured kind (`[a-z][a-z0-9_]*`). */
  readonly kind: string;
  /** Unix time in whole seconds: an SMS costs too much to carry milliseconds. */
  readonly time: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export interface ReportMessage {
  readonly version: 1;
  /** Device id or alias: `[A-Za-z0-9._:-]{1,64}`. */
  readonly device: string;
  /** Per-device message sequence number, 0…2^32-1, wrapping. */
  readonly seq: number;
  /** Unix seconds that reading offsets count from (normally the first reading's time). */
  readonly baseTime: number;
  readonly readings: readonly Reading[];
}

export const formatVersion = 1;
export const maxSequence = 0xffff_ffff;

const deviceRule = /^[A-Za-z0-9._:-]{1,64}$/;
const kindRule = /^[a-z][a-z0-9_]{1,31}$/; // two or more letters: one-letter codes are the standard kinds'
const fieldNameRule = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** Checks a message before encoding; throws AgentError(Report_Malformed) naming the bad part. */
export function validateMessage(message: ReportMessage): void {
  validateHeader(message.device, message.seq);
  if (!isUnixSeconds(message.baseTime)) fail('baseTime must be whole unix seconds', message.baseTime);
  if (message.readings.length === 0) fail('a message needs at least one reading', message.readings);
  for (const reading of message.readings) validateReading(reading);
}

/** The device and sequence number, as validateMessage checks them. */
export function validateHeader(device: string, seq: number): void {
  if (!deviceRule.test(device)) fail('device must be 1-64 characters of A-Z a-z 0-9 . _ : -', device);
  if (!Number.isInteger(seq) || seq < 0 || seq > maxSequence) fail('seq must be an integer 0..4294967295', seq);
}

/** One reading, as validateMessage checks it. */
export function validateReading(reading: Reading): void {
  if (!kindRule.test(reading.kind)) fail('kind must match [a-z][a-z0-9_]{1,31}', reading.kind);
  if (!isUnixSeconds(reading.time)) fail('reading time must be whole unix seconds', reading.time);
  for (const [name, value] of Object.entries(reading.fields)) {
    // __proto__ would set an object's prototype instead of a field when decoded.
    if (!fieldNameRule.test(name) || name === '__proto__') fail('field names must match [A-Za-z_][A-Za-z0-9_]{0,31}', name);
    if (typeof value === 'number' && !Number.isFinite(value)) fail(`field ${name} must be a finite number`, value);
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') fail(`field ${name} has an unsupported type`, value);
  }
}

function fail(what: string, value: unknown): never {
  throw new AgentError(`report: ${what}, got ${JSON.stringify(value)}`, ErrorCode.Report_Malformed, { value });
}

function isUnixSeconds(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function malformed(message: string, context: Record<string, unknown> = {}): AgentError {
  return new AgentError(`report: ${message}`, ErrorCode.Report_Malformed, context);
}
