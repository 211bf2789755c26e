/**
 * Object builders compiled from the layout table, one per command.
 *
 * Adding a PDU's 17 fields to an object one computed key at a time costs V8 a keyed-store
 * transition each (about 2 µs for a submit_sm, measured); an object literal with every key
 * costs about 30 ns and gives every PDU of a command the same hidden class. So for each command
 * we compile, once at load time, a function returning that literal. The source is generated
 * only from our own layout table, whose field names are checked to be plain identifiers.
 */
import { FieldKind, type FieldSpec } from './fieldKinds.js';
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

/** Encodes a PDU without TLVs whose values are all well-formed; undefined means "use the general encoder". */
export type FastEncoder = (pdu: Readonly<Record<string, unknown>>) => Buffer | undefined;

/**
 * A straight-line encoder for one command, for the common case: no TLVs and every value valid.
 * It checks each value as the general encoder does and gives up (undefined) on anything it would
 * refuse or that needs more than this (TLVs, lists), so the general encoder still produces every
 * error and every unusual PDU; the output bytes are the same. The generic loop over the layout
 * cost ~250 ns for a submit_sm, most of it switching on field kinds and re-checking per field.
 * Commands with list fields (submit_multi, submit_multi_resp) get none.
 */
export function compileFastEncoder(id: number, fields: readonly FieldSpec[]): FastEncoder | undefined {
  checkNames(fields);
  const checks: string[] = [];
  const sizes: string[] = ['16'];
  const writes: string[] = [];
  for (const [i, field] of fields.entries()) {
    const v = `v${i}`;
    checks.push(`const ${v} = p.${field.name};`);
    switch (field.kind) {
      case FieldKind.cstring:
        checks.push(`if (typeof ${v} !== 'string' || ${v}.length >= ${field.max}) return undefined;`);
        sizes.push(`${v}.length + 1`);
        writes.push(`for (let i = 0; i < ${v}.length; i++) { const c = ${v}.charCodeAt(i); if (c === 0 || c > 255) return undefined; o[at++] = c; } o[at++] = 0;`);
        break;
      case FieldKind.int1:
        checks.push(`if (typeof ${v} !== 'number' || (${v} & 255) !== ${v}) return undefined;`);
        sizes.push('1');
        writes.push(`o[at++] = ${v};`);
        break;
      case FieldKind.shortMessage:
        checks.push(`if (!isBuffer(${v}) || ${v}.length > 255) return undefined;`);
        sizes.push(`1 + ${v}.length`);
        writes.push(`o[at++] = ${v}.length; for (let i = 0; i < ${v}.length; i++) o[at++] = ${v}[i];`);
        break;
      case FieldKind.destAddresses:
      case FieldKind.unsuccessSmes:
        return undefined; // lists: the general encoder only
    }
  }
  const source = `return function (p) {
    const t = p.tlvs; if (!Array.isArray(t) || t.length !== 0) return undefined;
    const s = p.command_status; if (typeof s !== 'number' || s >>> 0 !== s) return undefined;
    const n = p.sequence_number; if (typeof n !== 'number' || n >>> 0 !== n) return undefined;
    ${checks.join('\n    ')}
    const size = ${sizes.join(' + ')};
    const o = alloc(size);
    o[0] = size >>> 24; o[1] = size >>> 16; o[2] = size >>> 8; o[3] = size;
    o[4] = ${id >>> 24}; o[5] = ${(id >>> 16) & 255}; o[6] = ${(id >>> 8) & 255}; o[7] = ${id & 255};
    o[8] = s >>> 24; o[9] = s >>> 16; o[10] = s >>> 8; o[11] = s;
    o[12] = n >>> 24; o[13] = n >>> 16; o[14] = n >>> 8; o[15] = n;
    let at = 16;
    ${writes.join('\n    ')}
    return o;
  };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the checked layout table; see the file comment.
  const factory = new Function('isBuffer', 'alloc', source) as (isBuffer: (value: unknown) => boolean, alloc: (size: number) => Buffer) => FastEncoder;
  return factory((value) => Buffer.isBuffer(value), (size) => Buffer.allocUnsafe(size));
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
