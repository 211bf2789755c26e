/**
 * Strict reading of one JSON object: every field typed and ranged, unknown fields refused.
 * Errors name the field and say what was expected and what came, e.g.
 * `priority: must be one of critical, high, normal, low; got "urgent"`.
 */
import { badCommand } from './replies.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export class PayloadReader {
  constructor(
    private readonly fields: JsonObject,
    allowed: readonly string[],
    private readonly path = '',
  ) {
    for (const key of Object.keys(fields)) {
      if (!allowed.includes(key)) throw badCommand('invalid_payload', `${this.name(key)}: unknown field (allowed: ${allowed.join(', ') || 'none'})`, this.name(key));
    }
  }

  name(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined;
  }

  private required(key: string): unknown {
    const value = this.fields[key];
    if (value === undefined) throw badCommand('invalid_payload', `${this.name(key)}: required`, this.name(key));
    return value;
  }

  string(key: string, rule: { min: number; max: number; pattern?: RegExp; describe?: string }, fallback?: string): string {
    if (!this.has(key) && fallback !== undefined) return fallback;
    const value = this.required(key);
    if (typeof value !== 'string') throw badCommand('invalid_payload', `${this.name(key)}: must be a string, got ${shown(value)}`, this.name(key));
    const length = [...value].length;
    if (length < rule.min || length > rule.max) {
      throw badCommand('out_of_range', `${this.name(key)}: length must be ${rule.min}..${rule.max}, got ${length}`, this.name(key));
    }
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      throw badCommand('out_of_range', `${this.name(key)}: must be ${rule.describe ?? rule.pattern.source}, got ${shown(value)}`, this.name(key));
    }
    return value;
  }

  number(key: string, rule: { min: number; max: number; integer?: boolean }, fallback?: number): number {
    if (!this.has(key) && fallback !== undefined) return fallback;
    const value = this.required(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badCommand('invalid_payload', `${this.name(key)}: must be a number, got ${shown(value)}`, this.name(key));
    if (rule.integer === true && !Number.isInteger(value)) throw badCommand('invalid_payload', `${this.name(key)}: must be an integer, got ${value}`, this.name(key));
    if (value < rule.min || value > rule.max) throw badCommand('out_of_range', `${this.name(key)}: must be ${rule.min}..${rule.max}, got ${value}`, this.name(key));
    return value;
  }

  boolean(key: string, fallback?: boolean): boolean {
    if (!this.has(key) && fallback !== undefined) return fallback;
    const value = this.required(key);
    if (typeof value !== 'boolean') throw badCommand('invalid_payload', `${this.name(key)}: must be true or false, got ${shown(value)}`, this.name(key));
    return value;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback?: T): T {
    if (!this.has(key) && fallback !== undefined) return fallback;
    const value = this.required(key);
    if (typeof value !== 'string') throw badCommand('invalid_payload', `${this.name(key)}: must be a string, got ${shown(value)}`, this.name(key));
    if (!(choices as readonly string[]).includes(value)) {
      throw badCommand('out_of_range', `${this.name(key)}: must be one of ${choices.join(', ')}; got ${shown(value)}`, this.name(key));
    }
    return value as T;
  }

  object(key: string): JsonObject {
    const value = this.required(key);
    if (!isJsonObject(value)) throw badCommand('invalid_payload', `${this.name(key)}: must be an object, got ${shown(value)}`, this.name(key));
    return value;
  }

  array(key: string, rule: { min: number; max: number }): readonly unknown[] {
    const value = this.required(key);
    if (!Array.isArray(value)) throw badCommand('invalid_payload', `${this.name(key)}: must be an array, got ${shown(value)}`, this.name(key));
    if (value.length < rule.min || value.length > rule.max) {
      throw badCommand('out_of_range', `${this.name(key)}: must hold ${rule.min}..${rule.max} items, got ${value.length}`, this.name(key));
    }
    return value as readonly unknown[];
  }
}
