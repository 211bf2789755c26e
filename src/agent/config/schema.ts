/**
 * A small typed schema for the agent's configuration: each node parses a value found at a path and
 * returns the typed result, or throws an AgentError that names the key, the value and the fix
 * (`smpp.window: must be an integer 1..1000, got 0`). Unknown keys are errors, with a suggestion.
 *
 * Hand-written rather than a schema library: the agent needs exactly this much, the messages are
 * ours to word, and every node also knows how to read itself from an environment variable.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { redacted, redactUrlPassword } from './urlPassword.js';

export interface Schema<T> {
  /** Parses `value` found at `path`; `undefined` means the key is absent. */
  parse(value: unknown, path: string): T;
  /** Turns an environment variable's text into the value `parse` expects (scalars only). */
  readonly fromEnv?: (text: string) => unknown;
  /** Object schemas: their fields, for env overrides and unknown-key checks. */
  readonly fields?: Readonly<Record<string, Schema<unknown>>>;
  /** Leaves whose value must never be logged or published. */
  readonly secret?: 'value' | 'url-password';
  readonly description?: string;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

export function invalid(path: string, rule: string, value: unknown): AgentError {
  return new AgentError(`${path}: ${rule}, got ${show(value)}`, ErrorCode.Config_Invalid, { key: path, value: show(value) });
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface Common<T> {
  readonly default?: T;
  readonly secret?: 'value' | 'url-password';
  readonly description?: string;
}

function withDefault<T>(path: string, value: unknown, options: Common<T>, parse: (present: unknown) => T): T {
  if (value === undefined || value === null) {
    if (options.default !== undefined) return options.default;
    throw invalid(path, 'is required', value);
  }
  return parse(value);
}

export function string(options: Common<string> & { pattern?: RegExp; rule?: string; minLength?: number } = {}): Schema<string> {
  return {
    secret: options.secret,
    description: options.description,
    fromEnv: (text) => text,
    parse(value, path) {
      // A secret's value is never echoed, whatever its YAML type (`pin: 1234` is a number).
      const shown = (present: unknown): unknown => (options.secret === 'value' ? redacted : options.secret === 'url-password' && typeof present === 'string' ? redactUrlPassword(present) : present);
      return withDefault(path, value, options, (present) => {
        if (typeof present !== 'string') {
          throw invalid(path, options.secret === 'value' ? 'must be a string (quote it, e.g. "0123"; the value is not shown)' : 'must be a string', options.secret === undefined ? present : redacted);
        }
        if (present.length < (options.minLength ?? 0)) throw invalid(path, `must have at least ${options.minLength ?? 0} characters`, shown(present));
        if (options.pattern !== undefined && !options.pattern.test(present)) {
          throw invalid(path, options.rule ?? `must match ${String(options.pattern)}`, shown(present));
        }
        return present;
      });
    },
  };
}

export function number(options: Common<number> & { min?: number; max?: number; integer?: boolean; unit?: string } = {}): Schema<number> {
  const { min = -Infinity, max = Infinity, integer = true } = options;
  const unit = options.unit === undefined ? '' : ` (${options.unit})`;
  const rule = `must be ${integer ? 'an integer' : 'a number'} ${min}..${max}${unit}`;
  return {
    description: options.description,
    fromEnv: (text) => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text),
    parse(value, path) {
      return withDefault(path, value, options, (present) => {
        if (typeof present !== 'number' || !Number.isFinite(present) || (integer && !Number.isInteger(present)) || present < min || present > max) {
          throw invalid(path, rule, present);
        }
        return present;
      });
    },
  };
}

export function boolean(options: Common<boolean> = {}): Schema<boolean> {
  return {
    description: options.description,
    fromEnv: (text) => ({ true: true, false: false, '1': true, '0': false, yes: true, no: false })[text.trim().toLowerCase()] ?? text,
    parse(value, path) {
      return withDefault(path, value, options, (present) => {
        if (typeof present !== 'boolean') throw invalid(path, 'must be true or false', present);
        return present;
      });
    },
  };
}

export function oneOf<const T extends string>(choices: readonly T[], options: Common<T> = {}): Schema<T> {
  return {
    description: options.description,
    fromEnv: (text) => text,
    parse(value, path) {
      return withDefault(path, value, options, (present) => {
        const match = choices.find((choice) => choice === present);
        if (match === undefined) throw invalid(path, `must be one of ${choices.join(', ')}`, present);
        return match;
      });
    },
  };
}

/** An absent key parses to `undefined` instead of being required. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    ...inner,
    parse: (value, path) => (value === undefined || value === null ? undefined : inner.parse(value, path)),
  };
}

export function array<T>(item: Schema<T>, options: Common<T[]> & { maxItems?: number } = {}): Schema<T[]> {
  return {
    description: options.description,
    fromEnv: (text) => text.split(',').map((part) => part.trim()).filter((part) => part !== '').map((part) => item.fromEnv?.(part) ?? part),
    parse(value, path) {
      return withDefault(path, value, options, (present) => {
        if (!Array.isArray(present)) throw invalid(path, 'must be a list', present);
        if (present.length > (options.maxItems ?? Infinity)) throw invalid(path, `must have at most ${options.maxItems} items`, present.length);
        return present.map((entry, index) => item.parse(entry, `${path}[${index}]`));
      });
    },
  };
}

type ObjectResult<F extends Record<string, Schema<unknown>>> = { readonly [K in keyof F]: Infer<F[K]> };

export function object<F extends Record<string, Schema<unknown>>>(fields: F, options: { description?: string } = {}): Schema<ObjectResult<F>> {
  return {
    fields,
    description: options.description,
    parse(value, path) {
      const present: unknown = value ?? {};
      if (typeof present !== 'object' || present === null || Array.isArray(present)) throw invalid(path || '(top level)', 'must be a mapping of keys to values', present);
      const source = present as Record<string, unknown>;
      for (const key of Object.keys(source)) {
        if (!Object.hasOwn(fields, key)) throw unknownKey(join(path, key), key, Object.keys(fields));
      }
      const result: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(fields)) result[key] = schema.parse(source[key], join(path, key));
      return result as ObjectResult<F>;
    },
  };
}

/** A mapping with free keys (such as report kinds), each value of the same schema. */
export function record<T>(keyPattern: RegExp, value: Schema<T>, options: Common<Record<string, T>> & { keyRule: string }): Schema<Record<string, T>> {
  return {
    description: options.description,
    parse(input, path) {
      return withDefault(path, input, options, (present) => {
        if (typeof present !== 'object' || present === null || Array.isArray(present)) throw invalid(path, 'must be a mapping', present);
        const result: Record<string, T> = {};
        for (const [key, entry] of Object.entries(present as Record<string, unknown>)) {
          if (!keyPattern.test(key)) throw invalid(join(path, key), options.keyRule, key);
          result[key] = value.parse(entry, join(path, key));
        }
        return result;
      });
    },
  };
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function unknownKey(path: string, key: string, known: readonly string[]): AgentError {
  const suggestion = closest(key, known);
  const hint = suggestion === undefined ? `known keys here: ${known.join(', ')}` : `did you mean ${suggestion}?`;
  return new AgentError(`${path}: unknown key (${hint})`, ErrorCode.Config_UnknownKey, { key: path, suggestion });
}

/** The known key within edit distance 2 of a typo, if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
