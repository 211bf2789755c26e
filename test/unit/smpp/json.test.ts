import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { createPdu, encodePdu, pduFromJson, pduToJson, tlv } from '../../../src/smpp/index.js';
import { goldenCases } from '../../helpers/goldenPdus.js';

describe('PDU JSON', () => {
  for (const { pdu } of goldenCases) {
    it(`${pdu.command}: pduFromJson(pduToJson(p)) equals p, through JSON text too`, () => {
      const json = pduToJson(pdu);
      assert.deepEqual(pduFromJson(json), pdu);
      assert.deepEqual(pduFromJson(JSON.parse(JSON.stringify(json))), pdu);
    });
  }

  it('writes Buffers as hex and TLVs by name', () => {
    const pdu = createPdu('submit_sm', { short_message: Buffer.from('Hi'), tlvs: [tlv('message_payload', Buffer.from([1, 2])), tlv('sar_msg_ref_num', 7), { tag: 0x1401, name: 'tlv_0x1401', value: Buffer.from([0xff]) }] });
    const json = pduToJson(pdu);
    assert.deepEqual(json.short_message, { hex: '4869' });
    assert.deepEqual(json.tlvs, [
      { name: 'message_payload', value: { hex: '0102' } },
      { name: 'sar_msg_ref_num', value: 7 },
      { name: 'tlv_0x1401', value: { hex: 'ff' } },
    ]);
  });

  it('fills defaults, takes status names, plain-text octets and ignores command_length/command_id', () => {
    const pdu = pduFromJson({ command: 'submit_sm_resp', command_length: 99, command_id: 5, command_status: 'ESME_RTHROTTLED', sequence_number: 4 });
    assert.deepEqual(pdu, createPdu('submit_sm_resp', { command_status: 0x58, sequence_number: 4 }));
    const text = pduFromJson({ command: 'deliver_sm', short_message: 'Hello', tlvs: [{ name: 'receipted_message_id', value: 'x' }, { tag: 0x1402, value: { hex: 'aa bb' } }] });
    assert.ok(text.command === 'deliver_sm');
    assert.deepEqual(text.short_message, Buffer.from('Hello'));
    assert.deepEqual(text.tlvs[1], { tag: 0x1402, name: 'tlv_0x1402', value: Buffer.from([0xaa, 0xbb]) });
    const multi = pduFromJson({ command: 'submit_multi', dest_address: [{ destination_addr: '1' }, { dl_name: 'team' }] });
    assert.ok(multi.command === 'submit_multi');
    assert.deepEqual(multi.dest_address, [{ dest_flag: 1, dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: '1' }, { dest_flag: 2, dl_name: 'team' }]);
    assert.equal(encodePdu(multi).length > 16, true);
  });

  const bad: Array<[string, unknown]> = [
    ['not an object', 'submit_sm'],
    ['an unknown command', { command: 'submit_everything' }],
    ['an unknown field', { command: 'enquire_link', colour: 'blue' }],
    ['a string for an integer', { command: 'submit_sm', esm_class: '4' }],
    ['odd hex', { command: 'submit_sm', short_message: { hex: 'abc' } }],
    ['an unknown TLV name', { command: 'submit_sm', tlvs: [{ name: 'magic', value: 1 }] }],
    ['a TLV value of the wrong type', { command: 'submit_sm', tlvs: [{ name: 'sar_msg_ref_num', value: 'one' }] }],
    ['an unknown status name', { command: 'generic_nack', command_status: 'ESME_RWHATEVER' }],
    ['a bad dest_flag', { command: 'submit_multi', dest_address: [{ dest_flag: 3 }] }],
  ];
  for (const [what, value] of bad) {
    it(`refuses ${what} with Codec_InvalidJson`, () => {
      assert.throws(() => pduFromJson(value), (error: unknown) => hasErrorCode(error, ErrorCode.Codec_InvalidJson));
    });
  }
});
