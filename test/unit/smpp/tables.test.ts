/** The command, status and TLV tables, checked against values copied from the v3.4 and v5.0 specs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CommandId,
  CommandStatus,
  TlvTag,
  commandNameOf,
  commandStatusDescription,
  commandStatusFromName,
  commandStatusName,
  commandStatusTable,
  createGenericNack,
  createPdu,
  createResponse,
  getTlv,
  getTlvs,
  isResponse,
  rawTlv,
  responseCommandFor,
  tlv,
  tlvDefinitionByTag,
  tlvDefinitions,
  tlvTagFromName,
} from '../../../src/smpp/index.js';

describe('command_status table', () => {
  it('has the v3.4 and v5.0 values the specs give', () => {
    const expected: Array<[string, number]> = [
      ['ESME_ROK', 0x00], ['ESME_RINVMSGLEN', 0x01], ['ESME_RINVCMDLEN', 0x02], ['ESME_RINVCMDID', 0x03], ['ESME_RINVBNDSTS', 0x04],
      ['ESME_RALYBND', 0x05], ['ESME_RSYSERR', 0x08], ['ESME_RINVSRCADR', 0x0a], ['ESME_RINVDSTADR', 0x0b], ['ESME_RBINDFAIL', 0x0d],
      ['ESME_RINVPASWD', 0x0e], ['ESME_RINVSYSID', 0x0f], ['ESME_RMSGQFUL', 0x14], ['ESME_RINVDESTFLAG', 0x40], ['ESME_RSUBMITFAIL', 0x45],
      ['ESME_RTHROTTLED', 0x58], ['ESME_RX_R_APPN', 0x66], ['ESME_RQUERYFAIL', 0x67], ['ESME_RINVTLVSTREAM', 0xc0], ['ESME_RINVTLVLEN', 0xc2],
      ['ESME_RINVTLVVAL', 0xc4], ['ESME_RDELIVERYFAILURE', 0xfe], ['ESME_RUNKNOWNERR', 0xff], ['ESME_RSERTYPUNAUTH', 0x100],
      ['ESME_RINVDCS', 0x104], ['ESME_RBCASTFAIL', 0x10d], ['ESME_RINVBCASTCHANIND', 0x112],
    ];
    for (const [name, value] of expected) {
      assert.equal(commandStatusFromName(name), value, name);
      assert.equal(commandStatusName(value), name);
    }
  });

  it('resolves v3.4 names of renamed statuses to the same values', () => {
    assert.equal(commandStatusFromName('ESME_RINVPARLEN'), 0xc2);
    assert.equal(commandStatusFromName('ESME_RINVOPTPARSTREAM'), 0xc0);
    assert.equal(commandStatusFromName('ESME_RMISSINGOPTPARAM'), CommandStatus.ESME_RMISSINGTLV);
  });

  it('maps every row both ways, values unique, with a description', () => {
    const rows = commandStatusTable();
    assert.equal(rows.length, 67);
    assert.equal(new Set(rows.map((r) => r.value)).size, rows.length);
    for (const row of rows) {
      assert.equal(commandStatusFromName(row.name), row.value);
      assert.equal(commandStatusName(row.value), row.name);
      assert.equal(commandStatusDescription(row.value), row.description);
      assert.ok(row.description.length > 5);
    }
  });

  it('names unknown, reserved and vendor values in hex', () => {
    assert.equal(commandStatusName(0x44c), '0x0000044c');
    assert.match(commandStatusDescription(0x44c), /vendor-specific/);
    assert.match(commandStatusDescription(0x09), /Reserved/);
    assert.equal(commandStatusFromName('ESME_RNOPE'), undefined);
    assert.equal(commandStatusFromName('toString'), undefined);
  });
});

describe('commands', () => {
  it('knows every id and which are responses', () => {
    assert.equal(Object.keys(CommandId).length, 33);
    assert.equal(commandNameOf(0x80000000), 'generic_nack');
    assert.equal(commandNameOf(0x00000111), 'broadcast_sm');
    assert.equal(commandNameOf(0x1234), undefined);
    assert.equal(isResponse(CommandId.submit_sm_resp), true);
    assert.equal(isResponse(CommandId.submit_sm), false);
  });

  it('pairs requests with responses; outbind and alert_notification have none', () => {
    assert.equal(responseCommandFor('submit_sm'), 'submit_sm_resp');
    assert.equal(responseCommandFor('cancel_broadcast_sm'), 'cancel_broadcast_sm_resp');
    assert.equal(responseCommandFor('outbind'), undefined);
    assert.equal(responseCommandFor('alert_notification'), undefined);
    assert.equal(responseCommandFor('submit_sm_resp'), undefined);
  });

  it('creates responses carrying the request sequence number', () => {
    const request = createPdu('submit_sm', { sequence_number: 77 });
    assert.deepEqual(createResponse(request, 0, { message_id: 'abc' }), createPdu('submit_sm_resp', { sequence_number: 77, message_id: 'abc' }));
    assert.deepEqual(createResponse(createPdu('enquire_link', { sequence_number: 3 })), createPdu('enquire_link_resp', { sequence_number: 3 }));
    assert.deepEqual(createGenericNack(CommandStatus.ESME_RINVCMDID, 5), createPdu('generic_nack', { command_status: 3, sequence_number: 5 }));
  });

  it('fills spec defaults: v3.4 interface_version, empty strings, zero integers, fresh buffers and arrays', () => {
    const bind = createPdu('bind_transceiver');
    assert.equal(bind.interface_version, 0x34);
    assert.equal(bind.system_id, '');
    const a = createPdu('submit_multi');
    const b = createPdu('submit_multi');
    assert.notEqual(a.dest_address, b.dest_address);
    assert.notEqual(a.tlvs, b.tlvs);
    assert.equal(a.short_message.length, 0);
  });
});

describe('TLV table', () => {
  it('has every standard tag of v3.4 and v5.0 with its type', () => {
    const expected: Array<[string, number, string]> = [
      ['dest_addr_subunit', 0x0005, 'int1'], ['source_telematics_id', 0x0010, 'int2'], ['qos_time_to_live', 0x0017, 'int4'],
      ['additional_status_info_text', 0x001d, 'cstring'], ['receipted_message_id', 0x001e, 'cstring'], ['ms_msg_wait_facilities', 0x0030, 'int1'],
      ['user_message_reference', 0x0204, 'int2'], ['source_port', 0x020a, 'int2'], ['destination_port', 0x020b, 'int2'],
      ['sar_msg_ref_num', 0x020c, 'int2'], ['sar_total_segments', 0x020e, 'int1'], ['sar_segment_seqnum', 0x020f, 'int1'],
      ['sc_interface_version', 0x0210, 'int1'], ['callback_num', 0x0381, 'octets'], ['network_error_code', 0x0423, 'octets'],
      ['message_payload', 0x0424, 'octets'], ['message_state', 0x0427, 'int1'], ['congestion_state', 0x0428, 'int1'],
      ['ussd_service_op', 0x0501, 'int1'], ['broadcast_channel_indicator', 0x0600, 'int1'], ['broadcast_content_type', 0x0601, 'octets'],
      ['broadcast_rep_num', 0x0604, 'int2'], ['broadcast_area_identifier', 0x0606, 'octets'], ['broadcast_error_status', 0x0607, 'int4'],
      ['broadcast_end_time', 0x0609, 'cstring'], ['billing_identification', 0x060b, 'octets'], ['source_network_id', 0x060d, 'cstring'],
      ['dest_network_id', 0x060e, 'cstring'], ['source_node_id', 0x060f, 'string'], ['dest_addr_np_country', 0x0613, 'octets'],
      ['sms_signal', 0x1203, 'int2'], ['alert_on_message_delivery', 0x130c, 'octets'], ['its_session_info', 0x1383, 'octets'],
    ];
    for (const [name, tag, kind] of expected) {
      assert.deepEqual(tlvDefinitionByTag(tag), { name, tag, kind }, name);
    }
    assert.equal(tlvDefinitions().length, 64);
    assert.equal(TlvTag.congestion_state, 0x0428);
  });

  it('finds values by name and builds TLVs by name or raw tag', () => {
    const pdu = createPdu('deliver_sm', { tlvs: [tlv('callback_num', Buffer.from('01')), tlv('message_state', 2), tlv('callback_num', Buffer.from('02'))] });
    assert.equal(getTlv(pdu, 'message_state'), 2);
    assert.equal(getTlv(pdu, 'congestion_state'), undefined);
    assert.deepEqual(getTlvs(pdu, 'callback_num'), [Buffer.from('01'), Buffer.from('02')]);
    assert.deepEqual(rawTlv(0x1401, Buffer.from([1])), { tag: 0x1401, name: 'tlv_0x1401', value: Buffer.from([1]) });
    assert.equal(tlvTagFromName('tlv_0x1401'), 0x1401);
    assert.equal(tlvTagFromName('message_payload'), 0x0424);
    assert.equal(tlvTagFromName('nope'), undefined);
  });
});
