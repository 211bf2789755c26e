import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPdu, splitBinary, splitText, tlv, type SplitPart } from '../../../src/smpp/index.js';
import { encodeBinaryReport, encodeTextReport, ReportReceiver, type ReportMessage } from '../../../src/report/index.js';
import { Random } from '../../helpers/random.js';

const long: ReportMessage = {
  version: 1,
  device: '42',
  seq: 9,
  baseTime: 1732212345,
  readings: Array.from({ length: 30 }, (_, i) => ({ kind: 'telemetry', time: 1732212345 + i * 60, fields: { T: 20 + i / 10, H: 40 + i, B: 3.9 } })),
};

function deliver(part: SplitPart, dataCoding: number, source = '447700900123') {
  return createPdu('deliver_sm', {
    source_addr: source,
    destination_addr: '7700',
    esm_class: part.esmClassUdhi ? 0x40 : 0,
    data_coding: dataCoding,
    short_message: part.shortMessage,
    tlvs: part.tlvs,
  });
}

describe('ReportReceiver (the centre)', () => {
  it('reassembles a long text report from parts in any order, then drops its re-send', () => {
    const receiver = new ReportReceiver();
    const split = splitText(encodeTextReport(long), { method: 'udh8', reference: 77, encoding: 'gsm7' });
    assert.ok(split.parts.length >= 3, `${split.parts.length} parts`);
    const shuffled = [...split.parts].reverse();
    const results = shuffled.map((part) => receiver.accept(deliver(part, split.dataCoding)));
    assert.deepEqual(results.slice(0, -1).map((r) => r.kind), shuffled.slice(0, -1).map(() => 'partial'));
    assert.deepEqual(results.at(-1), { kind: 'report', source: '447700900123', message: long, missing: [] });
    // A re-send after a lost acknowledgement is a new submission: same seq, new concatenation reference.
    const resend = splitText(encodeTextReport(long), { method: 'udh8', reference: 78, encoding: 'gsm7' });
    const again = resend.parts.map((part) => receiver.accept(deliver(part, resend.dataCoding))).at(-1);
    assert.deepEqual(again, { kind: 'duplicate', source: '447700900123', device: '42', seq: 9 });
  });

  it('decodes binary reports split with sar_* TLVs and port TLVs', () => {
    const receiver = new ReportReceiver();
    const split = splitBinary(encodeBinaryReport({ ...long, seq: 10 }), { method: 'sar', reference: 300, maxParts: 4, ports: { sourcePort: 49152, destinationPort: 49152 } });
    const rng = new Random(3);
    const order = [...split.parts].sort(() => rng.next() - 0.5);
    const last = order.map((part) => receiver.accept(deliver(part, split.dataCoding))).at(-1);
    assert.equal(last?.kind, 'report');
    if (last?.kind === 'report') assert.deepEqual(last.message, { ...long, seq: 10 });
  });

  it('reads a report carried whole in message_payload, and names gaps in the sequence', () => {
    const receiver = new ReportReceiver();
    const text = (seq: number) => encodeTextReport({ ...long, seq, readings: long.readings.slice(0, 2) });
    const viaPayload = (seq: number) => createPdu('deliver_sm', { source_addr: '1', data_coding: 0, tlvs: [tlv('message_payload', Buffer.from(text(seq), 'latin1'))] });
    assert.equal(receiver.accept(viaPayload(1)).kind, 'report');
    const gap = receiver.accept(viaPayload(4));
    assert.equal(gap.kind, 'report');
    if (gap.kind === 'report') assert.deepEqual(gap.missing, [2, 3]);
  });

  it('passes other traffic through, flags broken reports, recognises receipts', () => {
    const receiver = new ReportReceiver();
    const plain = receiver.accept(createPdu('deliver_sm', { source_addr: '5', short_message: Buffer.from('Hello there', 'latin1') }));
    assert.equal(plain.kind, 'other');
    if (plain.kind === 'other') assert.equal(plain.text, 'Hello there');
    const broken = receiver.accept(createPdu('deliver_sm', { source_addr: '5', short_message: Buffer.from('ESA1 d=1 s=x', 'latin1') }));
    assert.equal(broken.kind, 'malformed');
    const receipt = receiver.accept(
      createPdu('deliver_sm', { source_addr: '5', esm_class: 0x04, short_message: Buffer.from('id:1 sub:001 dlvrd:001 submit date:2411211805 done date:2411211806 stat:DELIVRD err:000 text:', 'latin1') }),
    );
    assert.equal(receipt.kind, 'receipt');
  });
});
