import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressType, submitParts } from '../../../src/agent/submitParts.js';
import { decodePdu, encodePdu, getTlv } from '../../../src/smpp/index.js';
import { encodeBinaryReport, encodeTextReport, ReportReceiver, type ReportMessage } from '../../../src/report/index.js';

const message: ReportMessage = {
  version: 1,
  device: '42',
  seq: 5,
  baseTime: 1732212345,
  readings: Array.from({ length: 25 }, (_, i) => ({ kind: 'telemetry', time: 1732212345 + 60 * i, fields: { T: 20 + i / 10, H: 40 } })),
};
const addressing = { source: 'EDGE42', destination: '+447700900000', split: 'udh8' as const, reference: 300, port: 49152, receipt: true, maxParts: 4 };

describe('submitParts', () => {
  it('splits a text report into GSM-7 submit_sm parts the centre reassembles', () => {
    const parts = submitParts(encodeTextReport(message), addressing);
    assert.ok(parts.length > 1);
    const receiver = new ReportReceiver();
    let last;
    for (const pdu of parts) {
      assert.equal(pdu.esm_class, 0x40);
      assert.equal(pdu.registered_delivery, 1);
      assert.deepEqual([pdu.source_addr_ton, pdu.source_addr], [5, 'EDGE42']);
      assert.deepEqual([pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr], [1, 1, '447700900000']);
      const wire = decodePdu(encodePdu(pdu));
      if (wire.command !== 'submit_sm') throw new Error('not a submit_sm');
      last = receiver.accept({ ...wire, command: 'deliver_sm', tlvs: wire.tlvs });
    }
    assert.deepEqual(last, { kind: 'report', source: 'EDGE42', message, missing: [] });
  });

  it('sends binary reports as 8-bit data with ports, here in TLVs with sar splitting', () => {
    const parts = submitParts(encodeBinaryReport(message), { ...addressing, split: 'sar', receipt: false });
    for (const pdu of parts) {
      assert.equal(pdu.data_coding, 0x04);
      assert.equal(pdu.registered_delivery, 0);
      assert.equal(getTlv(pdu, 'destination_port'), 49152);
    }
  });

  it('chooses TON/NPI from the form of the address', () => {
    assert.deepEqual(addressType('+447700900000'), { ton: 1, npi: 1, addr: '447700900000' });
    assert.deepEqual(addressType('7700'), { ton: 0, npi: 1, addr: '7700' });
    assert.deepEqual(addressType('ACME'), { ton: 5, npi: 0, addr: 'ACME' });
  });
});
