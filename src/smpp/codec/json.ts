/**
 * PDUs as JSON, for the CLI and for logs: the same keys as the PDU object, Buffers as
 * `{ "hex": "…" }`, TLVs as `[{ "name": "message_payload", "value": … }]` (unknown tags by their
 * `tlv_0x1234` name). `pduFromJson(pduToJson(p))` deep-equals `p`.
 *
 * pduFromJson is also what people type by hand, so it is forgiving where that is unambiguous:
 * missing fields take createPdu's defaults, command_status may be a status name, octet fields
 * may be a plain string (taken as latin1 text), and command_length / command_id are ignored
 * (they follow from the command and the body). Anything else unexpected is an
 * AgentError(Codec_InvalidJson) naming the key.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { createPdu } from './create.js';
import { FieldKind, specsByName } from './layouts.js';
import type { DestAddress, Pdu, UnsuccessSme } from './pdu.js';
import { commandStatusFromName } from './status.js';
import { tlvDefinitionByTag, tlvTagFromName, unknownTlvName } from './tlv.js';
import type { Tlv } from './tlv.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

function toJsonValue(value: unknown): JsonValue {
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJsonValue(item);
    return out;
  }
  return value as JsonValue;
}

export function pduToJson(pdu: Pdu): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(pdu)) {
    out[key] = key === 'tlvs' ? (value as Tlv[]).map((item) => ({ name: item.name, value: toJsonValue(item.value) })) : toJsonValue(value);
  }
  return out;
}

function bad(message: string, context: Record<string, unknown> = {}): AgentError {
  return new AgentError(message, ErrorCode.Codec_InvalidJson, context);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`${where}: expected an integer, got ${JSON.stringify(value)}`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw bad(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** `{ "hex": "…" }` or, for hand-written input, a latin1 string. */
function octets(value: unknown, where: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  if (isObject(value) && typeof value.hex === 'string' && Object.keys(value).length === 1) {
    const hex = value.hex.replace(/[\s:]/g, '');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw bad(`${where}: '${value.hex}' is not an even number of hex digits`);
    return Buffer.from(hex, 'hex');
  }
  throw bad(`${where}: expected { "hex": "…" } or a string, got ${JSON.stringify(value)}`);
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw bad(`${where}: unknown field '${key}'`, { field: key });
}

function destAddress(value: unknown, where: string): DestAddress {
  if (!isObject(value)) throw bad(`${where}: expected an object`);
  if (value.dest_flag === 2 || (value.dest_flag === undefined && 'dl_name' in value)) {
    checkKeys(value, ['dest_flag', 'dl_name'], where);
    return { dest_flag: 2, dl_name: string(value.dl_name ?? '', `${where}.dl_name`) };
  }
  if (value.dest_flag !== undefined && value.dest_flag !== 1) throw bad(`${where}.dest_flag: must be 1 (SME address) or 2 (distribution list)`);
  checkKeys(value, ['dest_flag', 'dest_addr_ton', 'dest_addr_npi', 'destination_addr'], where);
  return {
    dest_flag: 1,
    dest_addr_ton: number(value.dest_addr_ton ?? 0, `${where}.dest_addr_ton`),
    dest_addr_npi: number(value.dest_addr_npi ?? 0, `${where}.dest_addr_npi`),
    destination_addr: string(value.destination_addr ?? '', `${where}.destination_addr`),
  };
}

function unsuccessSme(value: unknown, where: string): UnsuccessSme {
  if (!isObject(value)) throw bad(`${where}: expected an object`);
  checkKeys(value, ['dest_addr_ton', 'dest_addr_npi', 'destination_addr', 'error_status_code'], where);
  return {
    dest_addr_ton: number(value.dest_addr_ton ?? 0, `${where}.dest_addr_ton`),
    dest_addr_npi: number(value.dest_addr_npi ?? 0, `${where}.dest_addr_npi`),
    destination_addr: string(value.destination_addr ?? '', `${where}.destination_addr`),
    error_status_code: number(value.error_status_code ?? 0, `${where}.error_status_code`),
  };
}

function tlvFromJson(value: unknown, where: string): Tlv {
  if (!isObject(value)) throw bad(`${where}: expected { "name": …, "value": … }`);
  checkKeys(value, ['name', 'tag', 'value'], where);
  const tag = value.tag !== undefined ? number(value.tag, `${where}.tag`) : tlvTagFromName(string(value.name, `${where}.name`));
  if (tag === undefined || tag < 0 || tag > 0xffff) throw bad(`${where}: '${String(value.name)}' is neither a standard TLV name nor tlv_0xHHHH`);
  const definition = tlvDefinitionByTag(tag);
  const name = definition?.name ?? unknownTlvName(tag);
  const inner = `${where} (${name})`;
  switch (definition?.kind ?? 'octets') {
    case 'int1':
    case 'int2':
    case 'int4':
      return { tag, name, value: number(value.value, inner) };
    case 'cstring':
    case 'string':
      return { tag, name, value: string(value.value, inner) };
    case 'octets':
      return { tag, name, value: octets(value.value, inner) };
  }
}

export function pduFromJson(value: unknown): Pdu {
  if (!isObject(value)) throw bad('a PDU must be a JSON object');
  const command = value.command;
  const spec = typeof command === 'string' ? specsByName.get(command) : undefined;
  if (spec === undefined) throw bad(`'command' must name an SMPP command, got ${JSON.stringify(command)}`);
  const pdu = createPdu(spec.name) as unknown as Record<string, unknown>;
  const fields = new Map(spec.fields.map((field) => [field.name, field]));
  for (const [key, item] of Object.entries(value)) {
    switch (key) {
      case 'command':
      case 'command_length':
      case 'command_id':
        continue;
      case 'command_status': {
        const status = typeof item === 'string' ? commandStatusFromName(item) : number(item, key);
        if (status === undefined) throw bad(`command_status: '${String(item)}' is not a status name`);
        pdu.command_status = status;
        continue;
      }
      case 'sequence_number':
        pdu.sequence_number = number(item, key);
        continue;
      case 'tlvs':
        if (!Array.isArray(item)) throw bad('tlvs: expected an array');
        pdu.tlvs = item.map((entry, i) => tlvFromJson(entry, `tlvs[${i}]`));
        continue;
    }
    const field = fields.get(key);
    if (field === undefined) throw bad(`${spec.name} has no field '${key}'`, { field: key });
    switch (field.kind) {
      case FieldKind.cstring:
        pdu[key] = string(item, key);
        break;
      case FieldKind.int1:
        pdu[key] = number(item, key);
        break;
      case FieldKind.shortMessage:
        pdu[key] = octets(item, key);
        break;
      case FieldKind.destAddresses:
        if (!Array.isArray(item)) throw bad(`${key}: expected an array`);
        pdu[key] = item.map((entry, i) => destAddress(entry, `${key}[${i}]`));
        break;
      case FieldKind.unsuccessSmes:
        if (!Array.isArray(item)) throw bad(`${key}: expected an array`);
        pdu[key] = item.map((entry, i) => unsuccessSme(entry, `${key}[${i}]`));
        break;
    }
  }
  return pdu as unknown as Pdu;
}
