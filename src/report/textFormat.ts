/**
 * The text encoding of report messages (format 1): GSM-7-safe, compact, readable on a phone.
 *
 *   ESA1 d=42 s=1071 t=1732212345;t T21.5 H40 B3.91;t+60 T21.6;l+120 lat51.5072 lon-0.1276;a+130 door="open"
 *
 * Every character it writes is in the GSM 03.38 basic table (one septet each): strings are
 * percent-encoded outside a safe ASCII subset. Grammar and rationale: docs/wire-format.md.
 */
import { type FieldValue, type Reading, type ReportMessage, malformed, validateMessage } from './model.js';

export const textMagic = 'ESA1';

/**
 * One-letter codes of the standard kinds; configured kinds (two or more letters) are written in full.
 * A Map, not an object literal: a configured kind named `constructor` must not find Object's.
 */
const kindCodes: ReadonlyMap<string, string> = new Map([
  ['telemetry', 't'],
  ['location', 'l'],
  ['alarm', 'a'],
  ['reply', 'r'],
]);
const kindsByCode: ReadonlyMap<string, string> = new Map([...kindCodes].map(([kind, code]) => [code, kind]));

export function encodeTextReport(message: ReportMessage): string {
  validateMessage(message);
  let out = textHeader(message.device, message.seq, message.baseTime);
  for (const reading of message.readings) out += `;${textKindCode(reading.kind)}${textOffset(reading.time - message.baseTime)}${textFields(reading.fields)}`;
  return out;
}

/*
 * The pieces below are what the encoder writes; the batch planner sizes candidate messages with the
 * same functions so that its arithmetic cannot drift from the encoding.
 */

export function textHeader(device: string, seq: number, baseTime: number): string {
  return `${textMagic} d=${device} s=${seq} t=${baseTime}`;
}

export function textKindCode(kind: string): string {
  return kindCodes.get(kind) ?? kind;
}

/** A reading's time as an offset from the base time: nothing when it is 0. */
export function textOffset(offset: number): string {
  return offset === 0 ? '' : offset > 0 ? `+${offset}` : `${offset}`;
}

/** A reading's fields, each with the space before it. */
export function textFields(fields: Reading['fields']): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) out += ` ${encodeField(name, value)}`;
  return out;
}

const compactName = /^[A-Za-z_]+$/;

function encodeField(name: string, value: FieldValue): string {
  if (typeof value === 'number') {
    const text = formatNumber(value);
    return compactName.test(name) ? `${name}${text}` : `${name}=${text}`;
  }
  if (typeof value === 'boolean') return `${name}=${value ? 'true' : 'false'}`;
  return `${name}="${percentEncode(value)}"`;
}

/** Shortest decimal that reads back to the same double; -0 is written as 0. */
function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** ASCII that is also in the GSM 03.38 basic table, less the format's own delimiters `"` and `%`. */
function isSafe(code: number): boolean {
  return code >= 0x20 && code <= 0x7e && !unsafeAscii.has(code);
}
const unsafeAscii = new Set([...'"%`[]{}\\^~|'].map((c) => c.charCodeAt(0)));

function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (isSafe(code)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeTextReport(text: string): ReportMessage {
  const sections = splitOutsideQuotes(text.trim(), ';');
  const header = (sections[0] ?? '').trim().split(/ +/);
  if (header[0] !== textMagic) {
    throw malformed(header[0]?.startsWith('ESA') === true ? `unsupported format ${header[0]}` : 'not a report (no ESA1 header)', { text: text.slice(0, 40) });
  }
  const device = headerValue(header, 1, 'd');
  const seq = parseUnsigned(headerValue(header, 2, 's'), 's');
  const baseTime = parseUnsigned(headerValue(header, 3, 't'), 't');
  if (header.length > 4) throw malformed(`unexpected header item ${JSON.stringify(header[4])}`);
  const readings = sections.slice(1).map((section) => decodeReading(section.trim(), baseTime));
  const message: ReportMessage = { version: 1, device, seq, baseTime, readings };
  validateMessage(message);
  return message;
}

function headerValue(items: readonly string[], index: number, key: string): string {
  const item = items[index];
  if (item === undefined || !item.startsWith(`${key}=`)) throw malformed(`header item ${index} must be ${key}=…, got ${JSON.stringify(item ?? '')}`);
  return item.slice(key.length + 1);
}

function parseUnsigned(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) throw malformed(`${what} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

const readingHead = /^([a-z][a-z0-9_]*)([+-]\d{1,10})?$/;

function decodeReading(section: string, baseTime: number): Reading {
  const tokens = splitOutsideQuotes(section, ' ').filter((token) => token !== '');
  const head = readingHead.exec(tokens[0] ?? '');
  if (head === null) throw malformed(`bad reading head ${JSON.stringify(tokens[0] ?? '')}`);
  const code = head[1] ?? '';
  const kind = code.length === 1 ? kindsByCode.get(code) : code;
  if (kind === undefined) throw malformed(`unknown kind code ${JSON.stringify(code)}`);
  const fields: Record<string, FieldValue> = {};
  for (const token of tokens.slice(1)) {
    const [name, value] = decodeField(token);
    if (Object.hasOwn(fields, name)) throw malformed(`field ${name} repeated in one reading`);
    fields[name] = value;
  }
  return { kind, time: baseTime + Number(head[2] ?? 0), fields };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const numberRule = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const compactField = /^([A-Za-z_]+)(-?[\d.].*)$/;

function decodeField(token: string): [string, FieldValue] {
  const equals = token.indexOf('=');
  if (equals < 0) {
    const match = compactField.exec(token);
    if (match === null) throw malformed(`bad field ${JSON.stringify(token)}`);
    return [match[1] ?? '', parseNumber(match[2] ?? '', token)];
  }
  const name = token.slice(0, equals);
  const raw = token.slice(equals + 1);
  if (raw === 'true' || raw === 'false') return [name, raw === 'true'];
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return [name, percentDecode(raw.slice(1, -1), token)];
  return [name, parseNumber(raw, token)];
}

function parseNumber(text: string, token: string): number {
  const value = Number(text);
  if (!numberRule.test(text) || !Number.isFinite(value)) throw malformed(`bad number in field ${JSON.stringify(token)}`);
  return value;
}

function percentDecode(text: string, token: string): string {
  if (text.includes('"')) throw malformed(`unescaped quote in ${JSON.stringify(token)}`);
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw malformed(`bad escape in ${JSON.stringify(token)}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (code > 0x7f) {
      throw malformed(`non-ASCII character in ${JSON.stringify(token)}`);
    } else bytes.push(code);
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch (cause) {
    throw malformed(`invalid UTF-8 escape in ${JSON.stringify(token)}`, { cause: String(cause) });
  }
}

/** Splits on `separator` except inside double quotes; an unterminated quote is malformed. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw malformed('unterminated quoted string');
  parts.push(text.slice(start));
  return parts;
}
