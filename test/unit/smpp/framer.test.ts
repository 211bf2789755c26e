import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { CommandStatus, PduFramer, createPdu, encodePdu, isSmppDecodeError } from '../../../src/smpp/index.js';
import type { FramerEvent } from '../../../src/smpp/index.js';

const enquire = encodePdu(createPdu('enquire_link', { sequence_number: 1 }));
const submit = encodePdu(createPdu('submit_sm', { sequence_number: 2, destination_addr: '4917', short_message: Buffer.from('hi') }));

function pdus(events: FramerEvent[]): string[] {
  return events.map((event) => (event.kind === 'pdu' ? event.bytes.toString('hex') : event.kind));
}

describe('PduFramer', () => {
  it('splits several PDUs arriving in one chunk', () => {
    const framer = new PduFramer({ maxPduSize: 1024 });
    assert.deepEqual(pdus(framer.push(Buffer.concat([enquire, submit, enquire]))), [enquire, submit, enquire].map((b) => b.toString('hex')));
    assert.equal(framer.buffered, 0);
  });

  it('reassembles a PDU delivered one octet at a time', () => {
    const framer = new PduFramer({ maxPduSize: 1024 });
    const events: FramerEvent[] = [];
    for (const octet of submit) events.push(...framer.push(Buffer.from([octet])));
    assert.deepEqual(pdus(events), [submit.toString('hex')]);
  });

  it('skips an oversize PDU as it streams past, reports its header, and frames the next one', () => {
    const framer = new PduFramer({ maxPduSize: 32 });
    const big = encodePdu(createPdu('submit_sm', { sequence_number: 9, short_message: Buffer.alloc(100, 0x41) }));
    const stream = Buffer.concat([big, enquire]);
    const events = [...framer.push(stream.subarray(0, 20)), ...framer.push(stream.subarray(20, 70)), ...framer.push(stream.subarray(70))];
    assert.deepEqual(events[0], { kind: 'oversize', commandLength: big.length, commandId: 4, sequenceNumber: 9 });
    assert.deepEqual(pdus(events.slice(1)), [enquire.toString('hex')]);
  });

  it('reports command_length < 16 once as invalid and then ignores the dead stream', () => {
    const framer = new PduFramer({ maxPduSize: 1024 });
    const bad = Buffer.from('0000000800000015000000000000000a', 'hex');
    const events = framer.push(Buffer.concat([enquire, bad, enquire]));
    assert.equal(events.length, 2);
    const invalid = events[1];
    assert.ok(invalid?.kind === 'invalid');
    assert.ok(isSmppDecodeError(invalid.error));
    assert.equal(invalid.error.commandStatus, CommandStatus.ESME_RINVCMDLEN);
    assert.equal(invalid.error.sequenceNumber, 10);
    assert.deepEqual(framer.push(enquire), []);
  });

  it('refuses a maxPduSize that could not hold a header, and defaults to 64 KiB', () => {
    for (const maxPduSize of [0, 15, 16.5, Number.NaN]) {
      assert.throws(() => new PduFramer({ maxPduSize }), (error: unknown) => hasErrorCode(error, ErrorCode.Codec_InvalidField));
    }
    assert.equal(new PduFramer().maxPduSize, 65_536);
    assert.equal(new PduFramer({ maxPduSize: 16 }).push(enquire).length, 1);
  });
});
