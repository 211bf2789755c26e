/**
 * The limits every command payload meets before any validator reads it: its size in bytes (before
 * JSON.parse), then its shape (nesting depth, string lengths, array lengths, keys per object), so a
 * validator, a log line or an error message never walks or copies something huge or deeply nested
 * (JSON.stringify of a 30,000-level array overflows the stack). The limits sit well above what any
 * command needs (the deepest is two levels; the longest string a 1,530-character SMS, 3,060 UTF-16 units in emoji; the longest list
 * 1,000 outbox ids); the per-field rules of the validators and the agent's door policy come after.
 */
import { badCommand } from './replies.js';

export interface ShapeLimits {
  readonly maxDepth: number;
  /** Characters (UTF-16 code units) of any string, keys included. */
  readonly maxStringLength: number;
  readonly maxArrayLength: number;
  readonly maxKeys: number;
}

export const defaultMaxPayloadBytes = 64 * 1024;

export const shapeLimits: ShapeLimits = { maxDepth: 8, maxStringLength: 4096, maxArrayLength: 1000, maxKeys: 128 };

/** Refuses a payload over `maxBytes` before it is decoded or parsed. */
export function checkPayloadSize(payload: Buffer, maxBytes: number): void {
  if (payload.length > maxBytes) {
    throw badCommand('out_of_range', `payload: ${payload.length} bytes, more than mqtt.maxPayloadBytes (${maxBytes})`, '(payload)');
  }
}

/** Walks a parsed payload without recursion; throws out_of_range naming the first place over a limit. */
export function checkJsonShape(value: unknown, limits: ShapeLimits = shapeLimits): void {
  const stack: Array<{ readonly value: unknown; readonly path: string; readonly depth: number }> = [{ value, path: '', depth: 0 }];
  const name = (path: string): string => (path === '' ? '(payload)' : path);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) throw badCommand('out_of_range', `${name(path)}: a string of ${current.length} characters; the most a command takes is ${limits.maxStringLength}`, name(path));
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limits.maxDepth) throw badCommand('out_of_range', `${name(path)}: nested more than ${limits.maxDepth} levels deep`, name(path));
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) throw badCommand('out_of_range', `${name(path)}: a list of ${current.length} items; the most a command takes is ${limits.maxArrayLength}`, name(path));
      current.forEach((element, index) => stack.push({ value: element, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    const entries = Object.entries(current as Record<string, unknown>);
    if (entries.length > limits.maxKeys) throw badCommand('out_of_range', `${name(path)}: an object of ${entries.length} fields; the most a command takes is ${limits.maxKeys}`, name(path));
    for (const [key, element] of entries) {
      const keyPath = path === '' ? key.slice(0, 64) : `${path}.${key.slice(0, 64)}`;
      if (key.length > limits.maxStringLength) throw badCommand('out_of_range', `${keyPath}…: a field name of ${key.length} characters; the most a command takes is ${limits.maxStringLength}`, '(payload)');
      stack.push({ value: element, path: keyPath, depth: depth + 1 });
    }
  }
}
