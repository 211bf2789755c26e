/**
 * Object builders compiled from the layout table, one per command.
 *
 * Adding a PDU's 17 fields to an object one computed key at a time costs V8 a keyed-store
 * transition each (about 2 µs for a submit_sm, measured); an object literal with every key
 * costs about 30 ns and gives every PDU of a command the same hidden class. So for each command
 * we compile, once at load time, a function returning that literal. The source is generated
 * only from our own layout table, whose field names are checked to be plain identifiers.
 */
import type { FieldSpec } from './layouts.js';
import type { Tlv } from './tlv.js';

/** Makes the decoded PDU from header values, the body values in layout order, and the TLVs. */
export type DecodedBuilder = (command: string, status: number, sequence: number, values: readonly unknown[], tlvs: Tlv[]) => Record<string, unknown>;

/** Makes a PDU from caller fields, each missing one taking its default. */
export type DefaultsBuilder = (command: string, fields: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** Reads a PDU's body values in layout order (for the encoder). */
export type ValuesReader = (pdu: Readonly<Record<string, unknown>>) => unknown[];

const identifier = /^[a-z][a-z0-9_]*$/;

function checkNames(fields: readonly FieldSpec[]): void {
  for (const field of fields) if (!identifier.test(field.name)) throw new TypeError(`layout field name '${field.name}' is not a plain identifier`);
}

export function compileDecodedBuilder(fields: readonly FieldSpec[]): DecodedBuilder {
  checkNames(fields);
  const body = fields.map((field, i) => `${field.name}: v[${i}], `).join('');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the checked layout table; see the file comment.
  return new Function('c', 's', 'n', 'v', 't', `return { command: c, command_status: s, sequence_number: n, ${body}tlvs: t };`) as DecodedBuilder;
}

/**
 * The encoder's counterpart of compileDecodedBuilder: `pdu[field.name]` with a different name
 * each time round a loop is a megamorphic keyed load (measured in bench/session at ~9% of the
 * client's CPU per submit); `[p.service_type, p.source_addr_ton, …]` is one monomorphic load per field.
 */
export function compileValuesReader(fields: readonly FieldSpec[]): ValuesReader {
  checkNames(fields);
  const body = fields.map((field) => `p.${field.name}`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the checked layout table; see the file comment.
  return new Function('p', `return [${body}];`) as ValuesReader;
}

/**
 * `defaults[i]` is the default of field i; a function default is called for a fresh value each
 * time (lists, which callers may mutate).
 */
export function compileDefaultsBuilder(fields: readonly FieldSpec[], defaults: readonly unknown[]): DefaultsBuilder {
  checkNames(fields);
  const pick = (name: string, fallback: string): string => `f.${name} !== undefined ? f.${name} : ${fallback}`;
  const body = fields
    .map((field, i) => `${field.name}: ${pick(field.name, typeof defaults[i] === 'function' ? `d[${i}]()` : `d[${i}]`)}, `)
    .join('');
  const source = `return function (c, f) { return { command: c, command_status: ${pick('command_status', '0')}, sequence_number: ${pick('sequence_number', '0')}, ${body}tlvs: ${pick('tlvs', '[]')} }; };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the checked layout table; see the file comment.
  const factory = new Function('d', source) as (defaults: readonly unknown[]) => DefaultsBuilder;
  return factory(defaults);
}
