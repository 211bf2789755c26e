/**
 * PDU → bytes. The size is computed first (validating every value on the way), then the PDU is
 * written into one Buffer.allocUnsafe of exactly that size: no intermediate buffers, no concat.
 * Values that cannot be encoded (a string longer than its field, a character outside latin1 or a
 * NUL inside a C-Octet String, an integer out of range, a Buffer where a number belongs) throw
 * AgentError(Codec_InvalidField) naming the field.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { FieldKind, Size, specsByName } from './layouts.js';
import type { DestAddress, Pdu, UnsuccessSme } from './pdu.js';
import { tlvDefinitionByTag } from './tlv.js';
import type { Tlv } from './tlv.js';

function invalid(command: string, field: string, problem: string): AgentError {
  return new AgentError(`${command}.${field}: ${problem}`, ErrorCode.Codec_InvalidField, { command, field });
}

export function encodePdu(pdu: Pdu): Buffer {
  if (!isObject(pdu)) throw invalid('(none)', 'command', 'a PDU must be an object');
  const spec = specsByName.get(pdu.command);
  if (spec === undefined) throw invalid(String(pdu.command), 'command', 'not an SMPP command');
  const fast = spec.encode?.(pdu as unknown as Record<string, unknown>);
  if (fast !== undefined) return fast;
  // One monomorphic read per field (see builders.ts compileValuesReader), not pdu[field.name] in the loop.
  const values = spec.values(pdu as unknown as Record<string, unknown>);
  const fields = spec.fields;
  const command = spec.name;

  let size = 16;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = values[i];
    switch (field.kind) {
      case FieldKind.cstring:
        size += cStringSize(value, field.max, command, field.name);
        break;
      case FieldKind.int1:
        size += 1;
        break;
      case FieldKind.shortMessage:
        if (!Buffer.isBuffer(value)) throw invalid(command, field.name, 'must be a Buffer');
        if (value.length > 255) throw invalid(command, field.name, `${value.length} octets do not fit sm_length (at most 255); use message_payload`);
        size += 1 + value.length;
        break;
      case FieldKind.destAddresses:
        size += destAddressesSize(value, command);
        break;
      case FieldKind.unsuccessSmes:
        size += unsuccessSmesSize(value, command);
        break;
    }
  }
  const tlvs = pdu.tlvs;
  if (!Array.isArray(tlvs)) throw invalid(command, 'tlvs', 'must be an array');
  for (let i = 0; i < tlvs.length; i++) size += 4 + tlvValueSize(tlvs[i]!, command);

  const out = Buffer.allocUnsafe(size);
  writeU32(out, 0, size);
  writeU32(out, 4, spec.id);
  writeU32(out, 8, checkU32(pdu.command_status, command, 'command_status'));
  writeU32(out, 12, checkU32(pdu.sequence_number, command, 'sequence_number'));
  let pos = 16;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = values[i];
    switch (field.kind) {
      case FieldKind.cstring:
        pos = writeCString(out, pos, value as string, command, field.name);
        break;
      case FieldKind.int1:
        out[pos++] = checkU8(value, command, field.name);
        break;
      case FieldKind.shortMessage: {
        const bytes = value as Buffer;
        out[pos++] = bytes.length;
        pos += bytes.copy(out, pos);
        break;
      }
      case FieldKind.destAddresses:
        pos = writeDestAddresses(out, pos, value as DestAddress[], command);
        break;
      case FieldKind.unsuccessSmes:
        pos = writeUnsuccessSmes(out, pos, value as UnsuccessSme[], command);
        break;
    }
  }
  for (let i = 0; i < tlvs.length; i++) pos = writeTlv(out, pos, tlvs[i]!, command);
  return out;
}

/** encodePdu is also called from plain JavaScript and with JSON-built objects, so shapes are checked. */
function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function writeU32(out: Buffer, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}

function checkU32(value: unknown, command: string, field: string): number {
  if (typeof value !== 'number' || value >>> 0 !== value) throw invalid(command, field, `${String(value)} is not an integer 0..0xFFFFFFFF`);
  return value;
}

function checkU8(value: unknown, command: string, field: string): number {
  if (typeof value !== 'number' || (value & 0xff) !== value) throw invalid(command, field, `${String(value)} is not an integer 0..255`);
  return value;
}

function checkU16(value: unknown, command: string, field: string): number {
  if (typeof value !== 'number' || (value & 0xffff) !== value) throw invalid(command, field, `${String(value)} is not an integer 0..65535`);
  return value;
}

function cStringSize(value: unknown, max: number, command: string, field: string): number {
  if (typeof value !== 'string') throw invalid(command, field, 'must be a string');
  if (value.length >= max) throw invalid(command, field, `'${value}' is longer than ${max - 1} characters`);
  return value.length + 1;
}

/** Writes the characters and the NUL; refuses characters a C-Octet String cannot carry. */
function writeCString(out: Buffer, pos: number, value: string, command: string, field: string): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code > 0xff) throw invalid(command, field, `character U+${code.toString(16).padStart(4, '0')} at ${i} cannot be sent in a C-Octet String`);
    out[pos++] = code;
  }
  out[pos++] = 0;
  return pos;
}

function destAddressesSize(value: unknown, command: string): number {
  if (!Array.isArray(value)) throw invalid(command, 'dest_address', 'must be an array');
  if (value.length > 255) throw invalid(command, 'dest_address', `${value.length} destinations do not fit number_of_dests`);
  let size = 1;
  for (const dest of value as DestAddress[]) {
    if (!isObject(dest)) throw invalid(command, 'dest_address', 'entries must be objects');
    if (dest.dest_flag === 1) size += 3 + cStringSize(dest.destination_addr, Size.address, command, 'dest_address.destination_addr');
    else if (dest.dest_flag === 2) size += 1 + cStringSize(dest.dl_name, Size.dlName, command, 'dest_address.dl_name');
    else throw invalid(command, 'dest_address.dest_flag', 'must be 1 (SME address) or 2 (distribution list)');
  }
  return size;
}

function writeDestAddresses(out: Buffer, pos: number, list: DestAddress[], command: string): number {
  out[pos++] = list.length;
  for (const dest of list) {
    out[pos++] = dest.dest_flag;
    if (dest.dest_flag === 1) {
      out[pos++] = checkU8(dest.dest_addr_ton, command, 'dest_address.dest_addr_ton');
      out[pos++] = checkU8(dest.dest_addr_npi, command, 'dest_address.dest_addr_npi');
      pos = writeCString(out, pos, dest.destination_addr, command, 'dest_address.destination_addr');
    } else {
      pos = writeCString(out, pos, dest.dl_name, command, 'dest_address.dl_name');
    }
  }
  return pos;
}

function unsuccessSmesSize(value: unknown, command: string): number {
  if (!Array.isArray(value)) throw invalid(command, 'unsuccess_sme', 'must be an array');
  if (value.length > 255) throw invalid(command, 'unsuccess_sme', `${value.length} entries do not fit no_unsuccess`);
  let size = 1;
  for (const sme of value as UnsuccessSme[]) {
    if (!isObject(sme)) throw invalid(command, 'unsuccess_sme', 'entries must be objects');
    size += 6 + cStringSize(sme.destination_addr, Size.address, command, 'unsuccess_sme.destination_addr');
  }
  return size;
}

function writeUnsuccessSmes(out: Buffer, pos: number, list: UnsuccessSme[], command: string): number {
  out[pos++] = list.length;
  for (const sme of list) {
    out[pos++] = checkU8(sme.dest_addr_ton, command, 'unsuccess_sme.dest_addr_ton');
    out[pos++] = checkU8(sme.dest_addr_npi, command, 'unsuccess_sme.dest_addr_npi');
    pos = writeCString(out, pos, sme.destination_addr, command, 'unsuccess_sme.destination_addr');
    writeU32(out, pos, checkU32(sme.error_status_code, command, 'unsuccess_sme.error_status_code'));
    pos += 4;
  }
  return pos;
}

/** Size of a TLV's value, checking that it has the type its tag calls for. */
function tlvValueSize(item: Tlv, command: string): number {
  if (!isObject(item)) throw invalid(command, 'tlvs', 'entries must be { tag, name, value } objects');
  checkU16(item.tag, command, 'tlvs.tag');
  const definition = tlvDefinitionByTag(item.tag);
  const name = definition?.name ?? item.name;
  const value = item.value;
  let size: number;
  switch (definition?.kind ?? 'octets') {
    case 'int1':
      checkU8(value, command, name);
      return 1;
    case 'int2':
      checkU16(value, command, name);
      return 2;
    case 'int4':
      checkU32(value, command, name);
      return 4;
    case 'cstring':
      if (typeof value !== 'string') throw invalid(command, name, 'must be a string');
      size = value.length + 1;
      break;
    case 'string':
      if (typeof value !== 'string') throw invalid(command, name, 'must be a string');
      size = value.length;
      break;
    case 'octets':
      if (!Buffer.isBuffer(value)) throw invalid(command, name, 'must be a Buffer');
      size = value.length;
      break;
  }
  if (size > 0xffff) throw invalid(command, name, `${size} octets do not fit a TLV`);
  return size;
}

function writeTlv(out: Buffer, pos: number, item: Tlv, command: string): number {
  const definition = tlvDefinitionByTag(item.tag);
  const value = item.value;
  out[pos] = item.tag >>> 8;
  out[pos + 1] = item.tag;
  const start = pos + 4;
  let end: number;
  switch (definition?.kind ?? 'octets') {
    case 'int1':
      out[start] = value as number;
      end = start + 1;
      break;
    case 'int2':
      out[start] = (value as number) >>> 8;
      out[start + 1] = value as number;
      end = start + 2;
      break;
    case 'int4':
      writeU32(out, start, value as number);
      end = start + 4;
      break;
    case 'cstring':
      end = writeCString(out, start, value as string, command, definition?.name ?? item.name);
      break;
    case 'string': {
      const text = value as string;
      end = start;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) throw invalid(command, definition?.name ?? item.name, `character U+${code.toString(16).padStart(4, '0')} is not latin1`);
        out[end++] = code;
      }
      break;
    }
    case 'octets':
      end = start + (value as Buffer).copy(out, start);
      break;
  }
  const length = end - start;
  out[pos + 2] = length >>> 8;
  out[pos + 3] = length;
  return end;
}
