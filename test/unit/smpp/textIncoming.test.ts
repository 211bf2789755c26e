import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readShortMessage, joinParts, splitText, splitBinary, Reassembler, packSeptets, gsm7Encode, type SplitMethod } from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

describe('readShortMessage', () => {
  it('reads a concatenated GSM part with its UDH (esm_class UDHI)', () => {
    const shortMessage = Buffer.concat([Buffer.from('0500034c0201', 'hex'), gsm7Encode('Hi €')]);
    const read = readShortMessage({ shortMessage, esmClass: 0x40, dataCoding: 0x00 });
    assert.equal(read.text, 'Hi €');
    assert.equal(read.encoding, 'gsm7');
    assert.deepEqual(read.concat, { reference: 0x4c, total: 2, sequence: 1, via: 'udh8' });
    // Without UDHI the same octets are text, header included.
    assert.equal(readShortMessage({ shortMessage: gsm7Encode('plain'), esmClass: 0x00, dataCoding: 0x00 }).udh, undefined);
  });

  it('reads sar_* TLVs (numbers, or raw octets from an unknown-TLV path) and port TLVs', () => {
    const read = readShortMessage({
      shortMessage: Buffer.from('0041', 'hex'),
      dataCoding: 0x08,
      tlvs: [
        { tag: 0x020c, name: 'sar_msg_ref_num', value: Buffer.from('1234', 'hex') },
        { tag: 0x020e, name: 'sar_total_segments', value: 3 },
        { tag: 0x020f, name: 'sar_segment_seqnum', value: 2 },
        { tag: 0x020a, name: 'source_port', value: 9200 },
        { tag: 0x020b, name: 'destination_port', value: 2948 },
      ],
    });
    assert.equal(read.text, 'A');
    assert.deepEqual(read.concat, { reference: 0x1234, total: 3, sequence: 2, via: 'sar' });
    assert.deepEqual(read.ports, { destinationPort: 2948, sourcePort: 9200 });
  });

  it('takes the text from message_payload when short_message is empty', () => {
    const read = readShortMessage({ shortMessage: Buffer.alloc(0), dataCoding: 0x03, tlvs: [{ tag: 0x0424, name: 'message_payload', value: Buffer.from('Grüße', 'latin1') }] });
    assert.equal(read.text, 'Grüße');
  });

  it('unpacks packed GSM 7-bit, dropping zero or <CR> padding', () => {
    assert.equal(readShortMessage({ shortMessage: packSeptets(gsm7Encode('hellohe')), dataCoding: 0, gsm7Packing: 'packed' }).text, 'hellohe');
    assert.equal(readShortMessage({ shortMessage: packSeptets(gsm7Encode('hellohe'), 0, { padWithCr: true }), dataCoding: 0, gsm7Packing: 'packed' }).text, 'hellohe');
    assert.equal(readShortMessage({ shortMessage: packSeptets(gsm7Encode('hellohello')), dataCoding: 0, gsm7Packing: 'packed' }).text, 'hellohello');
    const split = splitText('x'.repeat(200), { method: 'udh8', reference: 5, gsm7Packing: 'packed' });
    const texts = split.parts.map((p) => readShortMessage({ shortMessage: p.shortMessage, esmClass: 0x40, dataCoding: 0, gsm7Packing: 'packed' }).text);
    assert.deepEqual(texts.map((t) => t.length), [153, 47]);
  });

  it('decodes through the national tables the UDH names (Turkish locking shift, IEI 0x25)', () => {
    const shortMessage = Buffer.concat([Buffer.from('03250101', 'hex'), Buffer.of(0x49, 0x1d, 0x07, 0x6b)]);
    assert.equal(readShortMessage({ shortMessage, esmClass: 0x40, dataCoding: 0 }).text, 'Işık');
  });

  it('refuses a malformed UDH with Codec_InvalidUdh', () => {
    assert.throws(() => readShortMessage({ shortMessage: Buffer.from('0900', 'hex'), esmClass: 0x40, dataCoding: 0 }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidUdh));
  });

  it('joins part bodies before decoding, repairing an escape or surrogate pair split by the sender', () => {
    assert.equal(joinParts([Buffer.of(0x61, 0x1b), Buffer.of(0x65)], 'gsm7'), 'a€');
    assert.equal(joinParts([Buffer.from('0041d83d', 'hex'), Buffer.from('de00', 'hex')], 'ucs2'), 'A😀');
  });

  for (const method of ['udh8', 'udh16', 'sar'] as SplitMethod[]) {
    it(`round-trips splitText(${method}) → readShortMessage → Reassembler, parts shuffled`, () => {
      const text = 'Ω€😀 Zählerstand 4711 {ok} '.repeat(12);
      const split = splitText(text, { method, reference: 300 });
      const reassembler = new Reassembler({ timeoutMs: 1000 });
      let done: string | undefined;
      const order = split.parts.map((_, i) => i).reverse();
      for (const i of order) {
        const part = split.parts[i];
        assert.ok(part);
        const read = readShortMessage({ shortMessage: part.shortMessage, esmClass: part.esmClassUdhi ? 0x40 : 0, dataCoding: split.dataCoding, tlvs: part.tlvs });
        assert.ok(read.concat);
        const whole = reassembler.add({ source: '+4917012345', reference: read.concat.reference, total: read.concat.total, sequence: read.concat.sequence, payload: read.body });
        if (whole) done = joinParts(whole.parts, read.encoding);
      }
      assert.equal(done, text);
    });
  }

  it('round-trips binary data with ports', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    const split = splitBinary(data, { method: 'udh16', reference: 9, ports: { destinationPort: 5000, sourcePort: 5001 } });
    const bodies = split.parts.map((p) => readShortMessage({ shortMessage: p.shortMessage, esmClass: 0x40, dataCoding: split.dataCoding }));
    assert.deepEqual(bodies[0]?.ports, { destinationPort: 5000, sourcePort: 5001 });
    assert.deepEqual(Buffer.concat(bodies.map((b) => b.body)), data);
  });
});
