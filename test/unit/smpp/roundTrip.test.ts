/**
 * Round trips for every command with random valid contents: PDU → bytes → PDU gives an equal
 * PDU, and bytes → PDU → bytes gives identical bytes. Values span each field's whole range:
 * empty and maximum-length strings, every latin1 character but NUL, 0 and 255, 255-octet short
 * messages, every standard TLV and unknown ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commandNames, createPdu, decodePdu, encodePdu, rawTlv, tlvDefinitions } from '../../../src/smpp/index.js';
import type { CommandName, DestAddress, Pdu, Tlv, UnsuccessSme } from '../../../src/smpp/index.js';
import { FieldKind, layouts } from '../../../src/smpp/codec/layouts.js';
import type { FieldSpec } from '../../../src/smpp/codec/layouts.js';
import { Random } from '../../helpers/random.js';

const rng = new Random(0xc0dec);

function text(maxLength: number, allowNul = false): string {
  const length = rng.below(4) === 0 ? maxLength : rng.below(maxLength + 1);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(allowNul ? rng.below(256) : 1 + rng.below(255));
  return out;
}

function destAddresses(): DestAddress[] {
  return Array.from({ length: rng.below(6) }, (): DestAddress =>
    rng.below(2) === 0 ? { dest_flag: 1, dest_addr_ton: rng.below(256), dest_addr_npi: rng.below(256), destination_addr: text(20) } : { dest_flag: 2, dl_name: text(20) },
  );
}

function unsuccessSmes(): UnsuccessSme[] {
  return Array.from({ length: rng.below(6) }, () => ({ dest_addr_ton: rng.below(256), dest_addr_npi: rng.below(256), destination_addr: text(20), error_status_code: rng.below(0x100000000) }));
}

function fieldValue(field: FieldSpec): unknown {
  switch (field.kind) {
    case FieldKind.cstring:
      return text(field.max - 1);
    case FieldKind.int1:
      return rng.pick([0, 255, rng.below(256)]);
    case FieldKind.shortMessage:
      return rng.bytes(rng.below(4) === 0 ? 255 : rng.below(256));
    case FieldKind.destAddresses:
      return destAddresses();
    case FieldKind.unsuccessSmes:
      return unsuccessSmes();
  }
  throw new Error('unknown field kind');
}

const definitions = tlvDefinitions();

function randomTlv(): Tlv {
  if (rng.below(6) === 0) return rawTlv(0x1400 + rng.below(0x2c00), rng.bytes(rng.below(12)));
  const d = rng.pick(definitions);
  const value = ((): number | string | Buffer => {
    switch (d.kind) {
      case 'int1':
        return rng.below(0x100);
      case 'int2':
        return rng.below(0x10000);
      case 'int4':
        return rng.below(0x100000000);
      case 'cstring':
        return text(rng.below(3) === 0 ? 300 : 20);
      case 'string':
        return text(8, true);
      case 'octets':
        return rng.bytes(rng.below(4) === 0 ? 1000 : rng.below(10));
    }
  })();
  return { tag: d.tag, name: d.name, value };
}

function randomPdu(command: CommandName): Pdu {
  const fields: Record<string, unknown> = { command_status: rng.pick([0, 0, 0x58, rng.below(0x100000000)]), sequence_number: rng.below(0x100000000) };
  for (const field of layouts[command] as readonly FieldSpec[]) fields[field.name] = fieldValue(field);
  fields.tlvs = Array.from({ length: rng.below(5) }, randomTlv);
  return createPdu(command, fields);
}

describe('round trips with random valid contents', () => {
  for (const command of commandNames) {
    it(`${command}: 300 random PDUs survive encode → decode → encode unchanged`, () => {
      for (let i = 0; i < 300; i++) {
        const pdu = randomPdu(command);
        const bytes = encodePdu(pdu);
        const decoded = decodePdu(bytes);
        assert.deepEqual(decoded, pdu);
        assert.ok(encodePdu(decoded).equals(bytes));
      }
    });
  }
});

describe('short strings decode octet for octet', () => {
  it('a message_id of every length 0..64, with every latin1 character but NUL, comes back unchanged', () => {
    for (let length = 0; length <= 64; length++) {
      let id = '';
      for (let i = 0; i < length; i++) id += String.fromCharCode(1 + ((length * 31 + i * 7) % 255));
      const pdu = createPdu('submit_sm_resp', { sequence_number: length + 1, message_id: id });
      const decoded = decodePdu(encodePdu(pdu));
      assert.equal('message_id' in decoded ? decoded.message_id : undefined, id, `length ${length}`);
    }
  });
});
