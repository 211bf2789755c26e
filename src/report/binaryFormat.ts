/**
 * The binary encoding of report messages (format 1): sent as 8-bit data with application port
 * addressing. A documented byte layout (docs/wire-format.md) rather than CBOR: decimals become
 * scaled integers, times and repeated fields become deltas, and field names are sent once per message.
 */
import { type FieldValue, type Reading, type ReportMessage, formatVersion, malformed, validateMessage } from './model.js';
import { ByteReader, ByteWriter } from './varint.js';

/** First octet: 0xE0 | version. Lets the centre tell our messages apart from other 8-bit traffic on the port. */
export const binaryMagic = 0xe0 | formatVersion;

const standardKinds = ['telemetry', 'location', 'alarm', 'reply'];
/** Kind byte: bit 7 = same keys as the last reading of this kind; low 7 bits: 0–3 standard, 0x7F new custom (name follows), 4–0x7E custom by number. */
const repeatFlag = 0x80;
const newCustomKind = 0x7f;

const ValueType = { Int: 0, Decimal: 1, Float: 2, String: 3, False: 4, True: 5, Delta: 6 } as const;
const maxScale = 15;

export function encodeBinaryReport(message: ReportMessage): Buffer {
  validateMessage(message);
  const out = new ByteWriter();
  out.byte(binaryMagic);
  out.string(message.device);
  out.uvarint(message.seq);
  out.uvarint(message.baseTime);
  out.uvarint(message.readings.length);
  const keys = new Map<string, number>();
  const kinds = [...standardKinds];
  const previous = new Map<string, number>();
  const lastKeys = new Map<string, string>();
  let lastTime = message.baseTime;
  for (const reading of message.readings) {
    const entries = Object.entries(reading.fields);
    const keyList = entries.map(([name]) => name).join('\u0000');
    const repeat = entries.length > 0 && lastKeys.get(reading.kind) === keyList;
    lastKeys.set(reading.kind, keyList);
    const kindCode = kinds.indexOf(reading.kind);
    if (kindCode < 0 && kinds.length < newCustomKind) {
      out.byte(newCustomKind);
      out.string(reading.kind);
      kinds.push(reading.kind);
    } else if (kindCode < 0) {
      throw malformed('more than 123 custom kinds in one message');
    } else out.byte(kindCode | (repeat ? repeatFlag : 0));
    out.svarint(reading.time - lastTime);
    lastTime = reading.time;
    if (repeat) {
      for (const [name, value] of entries) writeValue(out, value, previous, `${reading.kind}\u0000${name}`);
      continue;
    }
    out.uvarint(entries.length);
    for (const [name, value] of entries) {
      const keyIndex = keys.get(name);
      if (keyIndex === undefined) {
        out.uvarint(0);
        out.string(name);
        keys.set(name, keys.size + 1);
      } else out.uvarint(keyIndex);
      writeValue(out, value, previous, `${reading.kind}\u0000${name}`);
    }
  }
  return out.finish();
}

function writeValue(out: ByteWriter, value: FieldValue, previous: Map<string, number>, slot: string): void {
  if (typeof value === 'boolean') return out.byte(value ? ValueType.True : ValueType.False);
  if (typeof value === 'string') {
    out.byte(ValueType.String);
    return out.string(value);
  }
  const number = Object.is(value, -0) ? 0 : value;
  const form = numberForm(number, decimalScale(number), previous.get(slot));
  previous.set(slot, number);
  out.byte(form.tag);
  if (form.tag === ValueType.Float) out.float64(number);
  else out.svarint(form.int);
}

/** How a number is written: its tag octet, then (unless the tag says float) `int` as a zigzag varint. */
export interface NumberForm {
  readonly tag: number;
  readonly int: number;
}

/**
 * The form of `number` (never -0) after `before`, this slot's previous number in the message: a delta
 * when that is shorter and exact, else its own decimal or float. `scale` is `decimalScale(number)`;
 * the batch planner passes `beforeScale` from its cache, the encoder lets it be computed.
 */
export function numberForm(number: number, scale: number | undefined, before: number | undefined, beforeScale = before === undefined ? undefined : decimalScale(before)): NumberForm {
  if (scale === undefined) return { tag: ValueType.Float, int: 0 };
  const mantissa = Math.round(number * 10 ** scale);
  if (before !== undefined) {
    const common = Math.max(scale, beforeScale ?? maxScale + 1);
    if (common <= maxScale) {
      const diff = Math.round(number * 10 ** common) - Math.round(before * 10 ** common);
      if (fitsZigzag(diff) && zigzagSize(diff) < zigzagSize(mantissa) && exactDelta(before, diff, common, number)) {
        return { tag: ValueType.Delta | (common << 4), int: diff };
      }
    }
  }
  return { tag: (scale === 0 ? ValueType.Int : ValueType.Decimal) | (scale << 4), int: mantissa };
}

/** Octets a number takes in this form, tag included. */
export function numberFormSize(form: NumberForm): number {
  return 1 + (form.tag === ValueType.Float ? 8 : zigzagSize(form.int));
}

/** Octets of a boolean or string value, tag included (numbers: numberFormSize). */
export function plainValueSize(value: boolean | string): number {
  return typeof value === 'boolean' ? 1 : 1 + stringSize(value);
}

/** Octets of a length-prefixed UTF-8 string. */
export function stringSize(value: string): number {
  const length = Buffer.byteLength(value, 'utf8');
  return uvarintSize(length) + length;
}

export function uvarintSize(value: number): number {
  let rest = value;
  let size = 1;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    size++;
  }
  return size;
}

/** Octets of a zigzag varint (time deltas, mantissas). */
export function svarintSize(value: number): number {
  return zigzagSize(value);
}

/** Custom kinds a message may introduce (kind numbers 4…0x7E). */
export const maxCustomKinds = newCustomKind - standardKinds.length;

export function isStandardKind(kind: string): boolean {
  return standardKinds.includes(kind);
}

/** The decoder computes `(round(before·10^s) + diff) / 10^s`; use a delta only when that gives back the exact double. */
function exactDelta(before: number, diff: number, scale: number, value: number): boolean {
  return (Math.round(before * 10 ** scale) + diff) / 10 ** scale === value;
}

/** Smallest s ≤ 15 such that value = m / 10^s exactly for an integer |m| ≤ 2^52; undefined for values that need a float. */
export function decimalScale(value: number): number | undefined {
  for (let scale = 0; scale <= maxScale; scale++) {
    const mantissa = Math.round(value * 10 ** scale);
    if (!fitsZigzag(mantissa)) return undefined;
    if (mantissa / 10 ** scale === value) return scale;
  }
  return undefined;
}

/** Zigzag doubles a number: keep |n| ≤ 2^52 so the varint stays a safe integer. */
function fitsZigzag(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= 2 ** 52;
}

function zigzagSize(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    size++;
  }
  return size;
}

export function decodeBinaryReport(bytes: Uint8Array): ReportMessage {
  const input = new ByteReader(bytes);
  const magic = input.byte();
  if (magic >> 4 !== 0xe) throw malformed(`not a binary report (first octet 0x${magic.toString(16)})`);
  if (magic !== binaryMagic) throw malformed(`unsupported binary report version ${magic & 0x0f}`);
  const device = input.string();
  const seq = input.uvarint();
  const baseTime = input.uvarint();
  const count = input.uvarint();
  // Each reading takes at least 3 octets: a count larger than what is left is a lie, not an allocation.
  if (count * 3 > input.remaining) throw malformed('reading count exceeds the message length', { count });
  const keys: string[] = [];
  const kinds = [...standardKinds];
  const previous = new Map<string, number>();
  const lastKeys = new Map<string, readonly string[]>();
  const readings: Reading[] = [];
  let time = baseTime;
  for (let r = 0; r < count; r++) {
    const kindByte = input.byte();
    const kindCode = kindByte & ~repeatFlag;
    let kind: string | undefined;
    if (kindByte === newCustomKind) {
      kind = input.string();
      kinds.push(kind);
    } else kind = kinds[kindCode];
    if (kind === undefined) throw malformed(`unknown kind code ${kindCode}`);
    time += input.svarint();
    if ((kindByte & repeatFlag) !== 0) {
      const names = lastKeys.get(kind);
      if (names === undefined) throw malformed(`repeated reading of kind ${kind} with nothing before it`);
      const fields: Record<string, FieldValue> = {};
      for (const name of names) fields[name] = readValue(input, previous, `${kind}\u0000${name}`);
      readings.push({ kind, time, fields });
      continue;
    }
    const fieldCount = input.uvarint();
    if (fieldCount * 2 > input.remaining) throw malformed('field count exceeds the message length', { fieldCount });
    const fields: Record<string, FieldValue> = {};
    for (let f = 0; f < fieldCount; f++) {
      const keyRef = input.uvarint();
      let name: string | undefined;
      if (keyRef === 0) {
        name = input.string();
        keys.push(name);
      } else name = keys[keyRef - 1];
      if (name === undefined) throw malformed(`field key #${keyRef} was never defined`);
      if (Object.hasOwn(fields, name)) throw malformed(`field ${name} repeated in one reading`);
      fields[name] = readValue(input, previous, `${kind}\u0000${name}`);
    }
    lastKeys.set(kind, Object.keys(fields));
    readings.push({ kind, time, fields });
  }
  if (input.remaining !== 0) throw malformed(`${input.remaining} octets left after the last reading`);
  const message: ReportMessage = { version: 1, device, seq, baseTime, readings };
  validateMessage(message);
  return message;
}

function readValue(input: ByteReader, previous: Map<string, number>, slot: string): FieldValue {
  const tag = input.byte();
  const type = tag & 0x0f;
  const scale = tag >> 4;
  let value: number;
  switch (type) {
    case ValueType.True:
      return true;
    case ValueType.False:
      return false;
    case ValueType.String:
      return input.string();
    case ValueType.Float:
      value = input.float64();
      break;
    case ValueType.Int:
    case ValueType.Decimal:
      value = input.svarint() / 10 ** scale;
      break;
    case ValueType.Delta: {
      const before = previous.get(slot);
      if (before === undefined) throw malformed('delta value with nothing before it');
      value = (Math.round(before * 10 ** scale) + input.svarint()) / 10 ** scale;
      break;
    }
    default:
      throw malformed(`unknown value type ${type}`);
  }
  if (!Number.isFinite(value)) throw malformed('non-finite number');
  previous.set(slot, value);
  return value;
}
