/**
 * A typed bridge to node-smpp 0.5 (npm `smpp`) for the interop tests: our PDU → node-smpp
 * options and bytes, node-smpp bytes → its PDU object, and both sides → one comparable form.
 *
 * node-smpp decodes more than it keeps raw: times become Dates, short_message and
 * message_payload become text split from their UDH, structured TLVs (callback_num, broadcast_*,
 * billing_identification) become small objects, dest_port is its name for destination_port.
 * `comparable*` undoes those views so that the fields can be compared one for one.
 */
import smpp from 'smpp';
import type { NodeSmppPdu } from 'smpp';
import { createPdu, encodeText, gsm7Encode, unknownTlvName } from '../../src/smpp/index.js';
import type { Pdu, Tlv } from '../../src/smpp/index.js';

/** Our TLV names that node-smpp spells differently. */
const theirName: Readonly<Record<string, string>> = { destination_port: 'dest_port' };
const ourName: Readonly<Record<string, string>> = { dest_port: 'destination_port', failed_broadcast_area_identifier: 'broadcast_area_identifier' };
/** TLVs node-smpp collects into arrays. */
const repeatable = new Set(['callback_num_pres_ind', 'callback_num_atag', 'callback_num', 'broadcast_area_identifier', 'broadcast_error_status']);
/** Octet TLVs that node-smpp reads as integers (of the given size) or as ASCII text. */
const theirIntegers: Readonly<Record<string, number>> = { alert_on_message_delivery: 1, dest_addr_np_country: 4 };
const theirText = new Set(['broadcast_content_type_info', 'broadcast_service_group', 'dest_addr_np_information']);
const timeFields = new Set(['schedule_delivery_time', 'validity_period', 'final_date', 'broadcast_end_time']);
const headerKeys = new Set(['command', 'command_length', 'command_id', 'command_status', 'sequence_number']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date);
}

/** Whether node-smpp can read the TLV (some octet TLVs it reads as fixed-size integers). */
export function nodeSmppReads(item: Tlv): boolean {
  const size = theirIntegers[item.name];
  return size === undefined || (Buffer.isBuffer(item.value) && item.value.length === size);
}

/** Whether node-smpp can also write the TLV: it reads unknown tags raw but drops them on encode. */
export function nodeSmppCarries(item: Tlv): boolean {
  return nodeSmppReads(item) && !item.name.startsWith('tlv_0x');
}

export function toNodeSmppOptions(pdu: Pdu): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pdu)) if (key !== 'command' && key !== 'tlvs') options[key] = value;
  for (const item of pdu.tlvs) {
    if (!nodeSmppCarries(item)) continue;
    const name = theirName[item.name] ?? item.name;
    let value: unknown = item.value;
    if (theirIntegers[item.name] !== undefined && Buffer.isBuffer(value)) value = value.readUIntBE(0, value.length);
    else if (theirText.has(item.name) && Buffer.isBuffer(value)) value = value.toString('latin1');
    if (repeatable.has(item.name)) {
      const list = (options[name] as unknown[] | undefined) ?? [];
      list.push(value);
      options[name] = list;
    } else {
      options[name] = value;
    }
  }
  return options;
}

export function nodeSmppEncode(pdu: Pdu): Buffer {
  return new smpp.PDU(pdu.command, toNodeSmppOptions(pdu)).toBuffer();
}

export function nodeSmppDecode(bytes: Buffer): NodeSmppPdu {
  const pdu = smpp.PDU.fromBuffer(bytes);
  if (pdu === false) throw new Error(`node-smpp refused ${bytes.toString('hex')}`);
  return pdu;
}

/** What node-smpp can represent of our PDU: known TLVs only, and no body at all when command_status is set. */
export function nodeSmppView(pdu: Pdu): Pdu {
  if (pdu.command_status !== 0) return createPdu(pdu.command, { command_status: pdu.command_status, sequence_number: pdu.sequence_number });
  return { ...pdu, tlvs: pdu.tlvs.filter(nodeSmppCarries) };
}

export interface Comparable {
  command: string;
  command_status: number;
  sequence_number: number;
  fields: Record<string, unknown>;
  /** [name, hex-or-value] sorted, since node-smpp keeps TLVs by name, not in wire order. */
  tlvs: Array<[string, unknown]>;
}

/** An absolute SMPP time as node-smpp reads it (YYMMDDhhmmsstnnp, nn quarter hours from UTC). */
function absoluteTime(value: string): number {
  const n = (at: number, len = 2): number => Number.parseInt(value.slice(at, at + len), 10);
  const utc = Date.UTC(2000 + n(0), n(2) - 1, n(4), n(6), n(8), n(10), n(12, 1) * 100);
  const quarters = n(13);
  return value[15] === '+' ? utc - quarters * 15 * 60_000 : utc + quarters * 15 * 60_000;
}

function ourTime(value: string): unknown {
  if (value === '') return '';
  return value.endsWith('R') ? 'relative' : absoluteTime(value);
}

function theirTime(value: unknown, reference: unknown): unknown {
  if (value === '' || value === undefined) return '';
  if (typeof reference === 'string' && reference.endsWith('R')) return value instanceof Date ? 'relative' : value;
  return value instanceof Date ? value.getTime() : value;
}

function canonicalValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (Array.isArray(value)) return value.map(canonicalValue);
  return value;
}

export function comparableOurs(pdu: Pdu): Comparable {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pdu)) {
    if (headerKeys.has(key) || key === 'tlvs') continue;
    fields[key] = timeFields.has(key) ? ourTime(value as string) : canonicalValue(value);
  }
  const tlvs = pdu.tlvs
    .filter(nodeSmppReads)
    .map((item): [string, unknown] => [item.name, item.name === 'broadcast_end_time' ? ourTime(item.value as string) : canonicalValue(item.value)]);
  return { command: pdu.command, command_status: pdu.command_status, sequence_number: pdu.sequence_number, fields, tlvs: sortTlvs(tlvs) };
}

function sortTlvs(list: Array<[string, unknown]>): Array<[string, unknown]> {
  return list.sort((a, b) => (a[0] + JSON.stringify(a[1])).localeCompare(b[0] + JSON.stringify(b[1])));
}

/** Text node-smpp decoded back to the octets it came from, in the data_coding it used. */
function textBytes(text: string, dataCoding: number): Buffer {
  const low = dataCoding & 0x0f;
  if (low === 0x08) return encodeText(text, 'ucs2');
  if (low === 0x03) return encodeText(text, 'latin1');
  if (low === 0x00 || low === 0x01) return gsm7Encode(text);
  throw new Error(`node-smpp decoded data_coding ${dataCoding} to text`);
}

function messageBytes(value: unknown, dataCoding: number): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (!isRecord(value)) throw new Error(`unexpected node-smpp message ${String(value)}`);
  const body = Buffer.isBuffer(value.message) ? value.message : textBytes(String(value.message), dataCoding);
  if (!Array.isArray(value.udh)) return body;
  const ies = Buffer.concat(value.udh as Buffer[]);
  return Buffer.concat([Buffer.from([ies.length]), ies, body]);
}

/** node-smpp's structured TLV views, back to their octets. */
function structuredBytes(name: string, value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (!isRecord(value)) throw new Error(`unexpected node-smpp ${name} ${String(value)}`);
  const octet = (key: string): Buffer => Buffer.from([Number(value[key])]);
  const u16 = (key: string): Buffer => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(Number(value[key]));
    return b;
  };
  const data = (key: string): Buffer => (Buffer.isBuffer(value[key]) ? value[key] : Buffer.from(String(value[key]), 'latin1'));
  switch (name) {
    case 'billing_identification':
    case 'broadcast_area_identifier':
      return Buffer.concat([octet('format'), data('data')]);
    case 'broadcast_content_type':
      return Buffer.concat([octet('network'), u16('content_type')]);
    case 'broadcast_frequency_interval':
      return Buffer.concat([octet('unit'), u16('interval')]);
    case 'callback_num':
      return Buffer.concat([octet('digit_mode'), octet('ton'), octet('npi'), data('number')]);
    case 'callback_num_atag':
      return Buffer.concat([octet('encoding'), data('display')]);
    default:
      throw new Error(`no structured view for ${name}`);
  }
}

function theirTlvValue(name: string, value: unknown, dataCoding: number): unknown {
  if (name === 'message_payload') return messageBytes(value, dataCoding).toString('hex');
  const size = theirIntegers[name];
  if (size !== undefined) {
    const b = Buffer.alloc(size);
    b.writeUIntBE(Number(value), 0, size);
    return b.toString('hex');
  }
  if (theirText.has(name)) return Buffer.from(String(value), 'latin1').toString('hex');
  if (isRecord(value)) return structuredBytes(name, value).toString('hex');
  return canonicalValue(value);
}

/** node-smpp's PDU in the comparable form; `reference` is the PDU it should equal (for relative times). */
export function comparableTheirs(their: NodeSmppPdu, reference: Pdu): Comparable {
  const referenceRecord = reference as unknown as Record<string, unknown>;
  const dataCoding = typeof their.data_coding === 'number' ? their.data_coding : 0;
  const fields: Record<string, unknown> = {};
  const tlvs: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(their)) {
    if (headerKeys.has(key) || typeof value === 'function') continue;
    if (key in referenceRecord && key !== 'tlvs') {
      if (timeFields.has(key)) fields[key] = theirTime(value, referenceRecord[key]);
      else if (key === 'short_message') fields[key] = messageBytes(value, dataCoding).toString('hex');
      else if (key === 'dest_address') fields[key] = (value as Array<Record<string, unknown>>).map((d) => ('dl_name' in d ? { dest_flag: 2, ...d } : { dest_flag: 1, ...d }));
      else fields[key] = canonicalValue(value);
      continue;
    }
    const numericTag = /^\d+$/.test(key) ? Number(key) : undefined;
    const name = numericTag !== undefined ? unknownTlvName(numericTag) : (ourName[key] ?? key);
    const values = repeatable.has(name) || key === 'failed_broadcast_area_identifier' ? (value as unknown[]) : [value];
    for (const item of values) {
      if (name === 'broadcast_end_time') {
        const ref = reference.tlvs.find((t) => t.name === 'broadcast_end_time')?.value;
        tlvs.push([name, theirTime(item, ref)]);
      } else {
        tlvs.push([name, theirTlvValue(name, item, dataCoding)]);
      }
    }
  }
  return { command: their.command, command_status: their.command_status, sequence_number: their.sequence_number, fields, tlvs: sortTlvs(tlvs) };
}
