/**
 * One hand-assembled PDU of every command of SMPP v3.4 and v5.0, each with the bytes the spec's
 * field layout gives for it. Shared by the golden, interop and fuzz tests.
 */
import { createPdu, rawTlv, tlv } from '../../src/smpp/index.js';
import type { Pdu } from '../../src/smpp/index.js';
import { pduHex, sm, tlvHex, u32, u8, z } from './smppBytes.js';

const receiptText = 'id:0123456789 sub:001 dlvr:001 submit date:2411211530 done date:2411211531 stat:DELIVRD err:000 text:Hello';
const finalDate = '241121153000000+';

export const goldenCases: ReadonlyArray<{ pdu: Pdu; hex: string }> = [
  {
    pdu: createPdu('bind_transmitter', { sequence_number: 1, system_id: 'SMPP3TEST', password: 'secret08', system_type: 'SUBMIT1', interface_version: 0x34, addr_ton: 1, addr_npi: 1 }),
    hex: pduHex(0x00000002, 0, 1, z('SMPP3TEST'), z('secret08'), z('SUBMIT1'), '34 01 01', z('')),
  },
  {
    pdu: createPdu('bind_transmitter_resp', { sequence_number: 1, system_id: 'SMSC', tlvs: [tlv('sc_interface_version', 0x34)] }),
    hex: pduHex(0x80000002, 0, 1, z('SMSC'), tlvHex(0x0210, '34')),
  },
  {
    pdu: createPdu('bind_receiver', { sequence_number: 2, system_id: 'rx', password: 'pw', interface_version: 0x50, address_range: '^49.*' }),
    hex: pduHex(0x00000001, 0, 2, z('rx'), z('pw'), z(''), '50 00 00', z('^49.*')),
  },
  {
    pdu: createPdu('bind_receiver_resp', { sequence_number: 2, system_id: 'SMSC' }),
    hex: pduHex(0x80000001, 0, 2, z('SMSC')),
  },
  {
    pdu: createPdu('bind_transceiver', { sequence_number: 0x7fffffff, system_id: 'trx', password: 'p', system_type: 'VMA', interface_version: 0x34, addr_ton: 2, addr_npi: 8, address_range: '1234' }),
    hex: pduHex(0x00000009, 0, 0x7fffffff, z('trx'), z('p'), z('VMA'), '34 02 08', z('1234')),
  },
  {
    pdu: createPdu('bind_transceiver_resp', { command_status: 0x0e, sequence_number: 3, system_id: 'SMSC' }),
    hex: pduHex(0x80000009, 0x0e, 3, z('SMSC')),
  },
  {
    pdu: createPdu('outbind', { sequence_number: 4, system_id: 'SMSC', password: 'secret' }),
    hex: pduHex(0x0000000b, 0, 4, z('SMSC'), z('secret')),
  },
  { pdu: createPdu('unbind', { sequence_number: 5 }), hex: pduHex(0x00000006, 0, 5) },
  { pdu: createPdu('unbind_resp', { sequence_number: 5 }), hex: pduHex(0x80000006, 0, 5) },
  { pdu: createPdu('enquire_link', { sequence_number: 6 }), hex: pduHex(0x00000015, 0, 6) },
  { pdu: createPdu('enquire_link_resp', { sequence_number: 6 }), hex: pduHex(0x80000015, 0, 6) },
  { pdu: createPdu('generic_nack', { command_status: 0x03, sequence_number: 7 }), hex: pduHex(0x80000000, 3, 7) },
  {
    pdu: createPdu('submit_sm', {
      sequence_number: 8,
      service_type: 'CMT',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'Shop',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '491701234567',
      esm_class: 0x40,
      protocol_id: 0,
      priority_flag: 1,
      validity_period: '000001000000000R',
      registered_delivery: 1,
      data_coding: 0x08,
      short_message: Buffer.from('050003a70201004800690021', 'hex'),
      tlvs: [tlv('user_message_reference', 0x1234), rawTlv(0x1403, Buffer.from('cafe', 'hex'))],
    }),
    hex: pduHex(
      0x00000004, 0, 8,
      z('CMT'), '05 00', z('Shop'), '01 01', z('491701234567'), '40 00 01', z(''), z('000001000000000R'), '01 00 08 00',
      sm(Buffer.from('050003a70201004800690021', 'hex')),
      tlvHex(0x0204, '1234'), tlvHex(0x1403, 'cafe'),
    ),
  },
  {
    pdu: createPdu('submit_sm_resp', { sequence_number: 8, message_id: '5f3a9c0e-1' }),
    hex: pduHex(0x80000004, 0, 8, z('5f3a9c0e-1')),
  },
  {
    pdu: createPdu('deliver_sm', {
      sequence_number: 9,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '491701234567',
      dest_addr_ton: 5,
      destination_addr: 'Shop',
      esm_class: 0x04,
      short_message: Buffer.from(receiptText, 'latin1'),
      tlvs: [tlv('receipted_message_id', '0123456789'), tlv('message_state', 2), tlv('network_error_code', Buffer.from('030000', 'hex'))],
    }),
    hex: pduHex(
      0x00000005, 0, 9,
      z(''), '01 01', z('491701234567'), '05 00', z('Shop'), '04 00 00', z(''), z(''), '00 00 00 00',
      sm(receiptText),
      tlvHex(0x001e, Buffer.from('0123456789\0').toString('hex')), tlvHex(0x0427, '02'), tlvHex(0x0423, '030000'),
    ),
  },
  { pdu: createPdu('deliver_sm_resp', { sequence_number: 9 }), hex: pduHex(0x80000005, 0, 9, z('')) },
  {
    pdu: createPdu('data_sm', {
      sequence_number: 10,
      service_type: 'WAP',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4930123456',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4917000000',
      esm_class: 0,
      registered_delivery: 1,
      data_coding: 0x04,
      tlvs: [tlv('source_port', 9200), tlv('destination_port', 2948), tlv('message_payload', Buffer.from('0102030405', 'hex')), tlv('qos_time_to_live', 86400)],
    }),
    hex: pduHex(
      0x00000103, 0, 10,
      z('WAP'), '01 01', z('4930123456'), '01 01', z('4917000000'), '00 01 04',
      tlvHex(0x020a, '23f0'), tlvHex(0x020b, '0b84'), tlvHex(0x0424, '0102030405'), tlvHex(0x0017, u32(86400)),
    ),
  },
  {
    pdu: createPdu('data_sm_resp', { sequence_number: 10, message_id: 'd1', tlvs: [tlv('delivery_failure_reason', 1), tlv('additional_status_info_text', 'busy')] }),
    hex: pduHex(0x80000103, 0, 10, z('d1'), tlvHex(0x0425, '01'), tlvHex(0x001d, Buffer.from('busy\0').toString('hex'))),
  },
  {
    pdu: createPdu('submit_multi', {
      sequence_number: 11,
      source_addr: '12345',
      dest_address: [
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '491700000001' },
        { dest_flag: 2, dl_name: 'staff' },
        { dest_flag: 1, dest_addr_ton: 2, dest_addr_npi: 9, destination_addr: '0170' },
      ],
      registered_delivery: 1,
      short_message: Buffer.from('Meeting at 10', 'latin1'),
    }),
    hex: pduHex(
      0x00000021, 0, 11,
      z(''), '00 00', z('12345'),
      '03', '01 01 01', z('491700000001'), '02', z('staff'), '01 02 09', z('0170'),
      '00 00 00', z(''), z(''), '01 00 00 00', sm('Meeting at 10'),
    ),
  },
  {
    pdu: createPdu('submit_multi_resp', {
      sequence_number: 11,
      message_id: 'm-77',
      unsuccess_sme: [{ dest_addr_ton: 2, dest_addr_npi: 9, destination_addr: '0170', error_status_code: 0x0b }],
    }),
    hex: pduHex(0x80000021, 0, 11, z('m-77'), '01', '02 09', z('0170'), u32(0x0b)),
  },
  {
    pdu: createPdu('query_sm', { sequence_number: 12, message_id: 'm-77', source_addr_ton: 1, source_addr_npi: 1, source_addr: '4930' }),
    hex: pduHex(0x00000003, 0, 12, z('m-77'), '01 01', z('4930')),
  },
  {
    pdu: createPdu('query_sm_resp', { sequence_number: 12, message_id: 'm-77', final_date: finalDate, message_state: 2, error_code: 0 }),
    hex: pduHex(0x80000003, 0, 12, z('m-77'), z(finalDate), '02 00'),
  },
  {
    pdu: createPdu('cancel_sm', { sequence_number: 13, message_id: 'm-77', source_addr: '4930', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4917' }),
    hex: pduHex(0x00000008, 0, 13, z(''), z('m-77'), '00 00', z('4930'), '01 01', z('4917')),
  },
  { pdu: createPdu('cancel_sm_resp', { sequence_number: 13 }), hex: pduHex(0x80000008, 0, 13) },
  {
    pdu: createPdu('replace_sm', { sequence_number: 14, message_id: 'm-77', source_addr: '4930', schedule_delivery_time: finalDate, registered_delivery: 1, short_message: Buffer.from('new', 'latin1') }),
    hex: pduHex(0x00000007, 0, 14, z('m-77'), '00 00', z('4930'), z(finalDate), z(''), '01 00', sm('new')),
  },
  { pdu: createPdu('replace_sm_resp', { sequence_number: 14 }), hex: pduHex(0x80000007, 0, 14) },
  {
    pdu: createPdu('alert_notification', {
      sequence_number: 15,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '491701234567',
      esme_addr_ton: 0,
      esme_addr_npi: 0,
      esme_addr: 'esme',
      tlvs: [tlv('ms_availability_status', 0)],
    }),
    hex: pduHex(0x00000102, 0, 15, '01 01', z('491701234567'), '00 00', z('esme'), tlvHex(0x0422, '00')),
  },
  {
    pdu: createPdu('broadcast_sm', {
      sequence_number: 16,
      source_addr: 'CBC',
      message_id: 'b-1',
      priority_flag: 2,
      data_coding: 0x0f,
      tlvs: [
        tlv('broadcast_area_identifier', Buffer.from('00416c6c', 'hex')),
        tlv('broadcast_content_type', Buffer.from('010001', 'hex')),
        tlv('broadcast_rep_num', 3),
        tlv('broadcast_frequency_interval', Buffer.from('09000a', 'hex')),
        tlv('message_payload', Buffer.from('Storm warning', 'latin1')),
      ],
    }),
    hex: pduHex(
      0x00000111, 0, 16,
      z(''), '00 00', z('CBC'), z('b-1'), '02', z(''), z(''), '00 0f 00',
      tlvHex(0x0606, '00416c6c'), tlvHex(0x0601, '010001'), tlvHex(0x0604, '0003'), tlvHex(0x0605, '09000a'),
      tlvHex(0x0424, Buffer.from('Storm warning').toString('hex')),
    ),
  },
  {
    pdu: createPdu('broadcast_sm_resp', { command_status: 0x0109, sequence_number: 16, message_id: '', tlvs: [tlv('broadcast_area_identifier', Buffer.from('00416c6c', 'hex')), tlv('broadcast_error_status', 0x0109)] }),
    hex: pduHex(0x80000111, 0x0109, 16, z(''), tlvHex(0x0606, '00416c6c'), tlvHex(0x0607, u32(0x0109))),
  },
  {
    pdu: createPdu('query_broadcast_sm', { sequence_number: 17, message_id: 'b-1', source_addr: 'CBC' }),
    hex: pduHex(0x00000112, 0, 17, z('b-1'), '00 00', z('CBC')),
  },
  {
    pdu: createPdu('query_broadcast_sm_resp', {
      sequence_number: 17,
      message_id: 'b-1',
      tlvs: [tlv('message_state', 1), tlv('broadcast_area_identifier', Buffer.from('00416c6c', 'hex')), tlv('broadcast_area_success', 80), tlv('broadcast_end_time', finalDate)],
    }),
    hex: pduHex(0x80000112, 0, 17, z('b-1'), tlvHex(0x0427, '01'), tlvHex(0x0606, '00416c6c'), tlvHex(0x0608, u8(80)), tlvHex(0x0609, z(finalDate))),
  },
  {
    pdu: createPdu('cancel_broadcast_sm', { sequence_number: 18, service_type: 'CB', message_id: 'b-1', source_addr: 'CBC' }),
    hex: pduHex(0x00000113, 0, 18, z('CB'), z('b-1'), '00 00', z('CBC')),
  },
  { pdu: createPdu('cancel_broadcast_sm_resp', { sequence_number: 18 }), hex: pduHex(0x80000113, 0, 18) },
];

