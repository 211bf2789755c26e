/**
 * PDUs captured from real SMSCs and ESMEs, as published in bug reports: each decodes to the
 * fields below and re-encodes to exactly the captured bytes. Sources: jasmin-sms-gateway issues
 * #117, #120, #124, #128, #322, #325, #563, #577, #937 and #938 (collected in the smpp.pdu
 * library's decoder tests) and cloudhopper-smpp's ParserMain sample.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodePdu, encodePdu, getTlv, receiptFromPdu } from '../../../src/smpp/index.js';
import type { Pdu } from '../../../src/smpp/index.js';
import { fromHex } from '../../helpers/smppBytes.js';

interface Captured {
  what: string;
  hex: string;
  check: (pdu: Pdu) => void;
  /** What we send back when the capture is a form we accept but do not produce. */
  canonical?: string;
}

const captured: Captured[] = [
  {
    what: 'submit_sm with UDHI and destination_port (cloudhopper ParserMain)',
    hex: '000000420000000400000000000000030001003633393238383032000101343439353133363139323035004000000000000000000774657374323232020B00020D05',
    check: (pdu) => {
      assert.ok(pdu.command === 'submit_sm');
      assert.deepEqual([pdu.sequence_number, pdu.source_addr, pdu.destination_addr, pdu.esm_class], [3, '63928802', '449513619205', 0x40]);
      assert.equal(pdu.short_message.toString('latin1'), 'test222');
      assert.equal(getTlv(pdu, 'destination_port'), 0x0d05);
    },
  },
  {
    what: 'deliver_sm receipt with network_error_code 030000 and a UUID receipted_message_id (#117)',
    hex: '000000f3000000050000000000000001000101343931353235363739343838370001013034303531333036393939000400000000000000008569643a62633539623861612d326664322d343033352d383131332d313933303165303530303739207375623a30303120646c7672643a303031207375626d697420646174653a31353035303831343430353820646f6e6520646174653a31353035303831343430353820737461743a44454c49565244206572723a30303020746578743a2d042300030300000427000102001e002562633539623861612d326664322d343033352d383131332d31393330316530353030373900',
    check: (pdu) => {
      const receipt = receiptFromPdu(pdu);
      assert.equal(receipt?.messageId, 'bc59b8aa-2fd2-4035-8113-19301e050079');
      assert.equal(receipt?.stat, 'DELIVRD');
      assert.equal(receipt?.delivered, 1);
      assert.deepEqual(receipt?.submitDate, new Date(Date.UTC(2015, 4, 8, 14, 40, 58)));
      assert.deepEqual(receipt?.networkErrorCode, Buffer.from('030000', 'hex'));
    },
  },
  {
    what: 'deliver_sm receipt whose network_error_code is ASCII "000" (a real SMSC quirk)',
    hex: '000000e40000000500000000542e0f21312e303030000101323434393335353535300005005a4150000400000000000000008069643a3661336564393861363634343465386162616333616364396262613836353666207375623a30303120646c7672643a303030207375626d697420646174653a31343130313630303336353020646f6e6520646174653a31343130313630303338303020737461743a554e44454c4956206572723a30303020746578743a042300033030300427000105001e0021366133656439386136363434346538616261633361636439626261383635366600',
    check: (pdu) => {
      assert.ok(pdu.command === 'deliver_sm');
      assert.equal(pdu.service_type, '1.000');
      assert.deepEqual(getTlv(pdu, 'network_error_code'), Buffer.from('000', 'latin1'));
      assert.equal(receiptFromPdu(pdu)?.stat, 'UNDELIV');
    },
  },
  {
    what: 'deliver_sm with GSM network types and a message_payload (#120)',
    hex: '0000004500000005000000000000000100020135393232393631383600040933373435320000000000000000000000000e00010100060001010424000848692066696b7279',
    check: (pdu) => {
      assert.deepEqual(pdu.tlvs.map((t) => [t.name, t.value]), [
        ['source_network_type', 1],
        ['dest_network_type', 1],
        ['message_payload', Buffer.from('Hi fikry', 'latin1')],
      ]);
    },
  },
  {
    what: 'deliver_sm receipt carried in message_payload, the body ending in a NUL',
    hex: '0000009200000005000000000001693c00000032313635333532303730330000003737383800040000000001000000000424004f69643a30303030343336393439207375626d697420646174653a3135303432313135303820646f6e6520646174653a3135303432313135303820737461743a44454c49565244206572723a30303000001e00063661616435000427000102',
    check: (pdu) => {
      const receipt = receiptFromPdu(pdu);
      assert.equal(receipt?.messageId, '6aad5');
      assert.equal(receipt?.stat, 'DELIVRD');
      assert.equal(receipt?.err, '000');
    },
  },
  {
    what: 'bind_transceiver_resp with ESME_RINVSYSTYP and an empty system_id (#124)',
    hex: '0000001180000009000000530000000100',
    check: (pdu) => {
      assert.deepEqual([pdu.command, pdu.command_status, pdu.sequence_number], ['bind_transceiver_resp', 0x53, 1]);
    },
  },
  {
    what: 'submit_sm_resp with ESME_RINVSRCADR and a message_id (#128)',
    hex: '00000019800000040000000a00000002303030303030303000',
    check: (pdu) => {
      assert.ok(pdu.command === 'submit_sm_resp');
      assert.deepEqual([pdu.command_status, pdu.message_id], [0x0a, '00000000']);
    },
  },
  {
    what: 'deliver_sm with vendor TLVs 0x1454 and 0x1418 (#322)',
    hex: '000000c9000000050000000003088101000101393731353634313034303934000500534b5954454c45434f4d000400000000000000007b69643a313435313030333135333230323234393537207375623a30303120646c7672643a303031207375626d697420646174653a3135313030333137333220646f6e6520646174653a3135313030333137333220737461743a44454c49565244206572723a3030303020746578743a5465737420286d65686469290423000303000014540004000000011418000400000030',
    check: (pdu) => {
      assert.deepEqual(pdu.tlvs.map((t) => t.name), ['network_error_code', 'tlv_0x1454', 'tlv_0x1418']);
      assert.equal(receiptFromPdu(pdu)?.text, 'Test (mehdi)');
    },
  },
  {
    what: 'deliver_sm with v5 source_network_id and source_node_id (#325)',
    hex: '000000de0000000500000000569d3e3600000033353236393136303034303300000030000400000000000000008569643a3444313943383343207375623a30303120646c7672643a303031207375626d697420646174653a3135313030393031303520646f6e6520646174653a3135313030393031303520737461743a44454c49565244206572723a3030303020746578743a4757323530204d43433d323730204d4e433d312042696c6c696e674d4e433d31001e0009344431394338334300000e000101060d000731323730303100060f000532373030310427000102',
    check: (pdu) => {
      assert.equal(getTlv(pdu, 'source_network_id'), '127001');
      assert.equal(getTlv(pdu, 'source_node_id'), '27001');
      assert.equal(receiptFromPdu(pdu)?.messageId, '4D19C83C');
    },
  },
  {
    what: 'deliver_sm with source_subaddress (#325)',
    hex: '0000004600000005000000001f368007000101393839333437363930383738000201363937300080000000000000010004546573740202000d2b393839333437363930303030',
    check: (pdu) => {
      assert.deepEqual(getTlv(pdu, 'source_subaddress'), Buffer.from('+989347690000', 'latin1'));
    },
  },
  {
    what: 'submit_sm with an absolute validity period and vendor TLV 0x1403 (#325)',
    hex: '000000650000000400000000000005860005004a6f6a6f7300010135373331383833303831323900030000003135313131303134353630373030302b000100f1001a504c454153452049474e4f52452054484953204d455353414745140300053338363336',
    check: (pdu) => {
      assert.ok(pdu.command === 'submit_sm');
      assert.deepEqual([pdu.source_addr, pdu.validity_period, pdu.data_coding], ['Jojos', '151110145607000+', 0xf1]);
      assert.equal(pdu.short_message.toString('latin1'), 'PLEASE IGNORE THIS MESSAGE');
    },
  },
  {
    what: 'submit_sm_resp with the reserved status 0x22 and no body (#563)',
    hex: '00000010800000040000002200000002',
    check: (pdu) => {
      assert.ok(pdu.command === 'submit_sm_resp');
      assert.deepEqual([pdu.command_status, pdu.message_id], [0x22, '']);
    },
    // We always write the body (an empty message_id) since every decoder accepts that.
    canonical: '0000001180000004000000220000000200',
  },
  {
    what: 'deliver_sm receipt with dlvrd, non-ASCII text and more_messages_to_send (#937, #938)',
    hex: '000000cb00000005000000000000000b000201363930373137373035380005003532303030000400000000000000007a69643a30343136333432303734207375623a30303120646c7672643a303031207375626d697420646174653a3231303130343135323220646f6e6520646174653a3231303130343135323220737461743a44454c49565244206572723a30303020746578743a8441894f8820454e544f84482e208c4150414b41000e0001010006000101001e000931386430653033610004270001020426000101',
    check: (pdu) => {
      const receipt = receiptFromPdu(pdu);
      assert.equal(receipt?.messageId, '18d0e03a');
      assert.equal(receipt?.delivered, 1);
      assert.equal(receipt?.text, '\u0084A\u0089O\u0088 ENTO\u0084H. \u008cAPAKA');
      assert.equal(getTlv(pdu, 'more_messages_to_send'), 1);
    },
  },
  {
    what: 'bind_transceiver_resp with a vendor TLV 0x1002 (#577)',
    hex: '0000001c80000009000000000000000159656e746131001002000134',
    check: (pdu) => {
      assert.ok(pdu.command === 'bind_transceiver_resp');
      assert.equal(pdu.system_id, 'Yenta1');
      assert.deepEqual(pdu.tlvs, [{ tag: 0x1002, name: 'tlv_0x1002', value: Buffer.from([0x34]) }]);
    },
  },
];

describe('captured PDUs from real SMSCs', () => {
  for (const { what, hex, check, canonical } of captured) {
    it(`${what}: decodes and re-encodes ${canonical === undefined ? 'byte for byte' : 'to the canonical form'}`, () => {
      const pdu = decodePdu(fromHex(hex));
      check(pdu);
      assert.equal(encodePdu(pdu).toString('hex'), (canonical ?? hex).toLowerCase());
    });
  }
});
