/**
 * Garbage from the SMSC: an unknown command_id and a PDU whose body does not decode each get a
 * generic_nack with the right command_status and sequence number, and the link lives on
 * (enquire_link answered, submits still work). A message too large to encode is refused locally,
 * also without harming the link. A PDU larger than the maximum gets its generic_nack and then the
 * link is closed: a peer announcing such a length is not to be trusted with the next PDU boundary.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandStatus, SmppSession, decodePdu, isSmppDecodeError, type SmppDecodeError } from '../../src/smpp/index.js';
import { isErrorInRange } from '../../src/errors.js';
import { sessionOptions } from '../helpers/simSetup.js';
import { rawPdu, startRawSmsc } from '../helpers/rawSmsc.js';

describe('garbage bytes from the server', () => {
  it('answers generic_nack with the right status and keeps the link', async () => {
    const smsc = await startRawSmsc();
    const session = new SmppSession(sessionOptions(smsc.port, { maxPduSize: 1024 }));
    const undecodable: SmppDecodeError[] = [];
    session.on('undecodable', (e) => undecodable.push(e));
    try {
      await session.connect();
      const nack = (seq: number): Promise<unknown> => smsc.next((pdu) => pdu.command === 'generic_nack' && pdu.sequence_number === seq);

      // 1. unknown command_id
      let answered = nack(77);
      smsc.socket().write(rawPdu(0x00000999, 77));
      let pdu = await answered;
      assert.deepEqual(pdu, { command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID, sequence_number: 77, tlvs: [] });

      // 2. a deliver_sm whose body stops in the middle of its first field
      const broken = rawPdu(0x00000005, 78, Buffer.from('abcd'));
      let expected = 0;
      try {
        decodePdu(broken);
      } catch (error) {
        assert.ok(isSmppDecodeError(error));
        expected = error.commandStatus;
      }
      assert.notEqual(expected, 0);
      answered = nack(78);
      smsc.socket().write(broken);
      pdu = await answered;
      assert.deepEqual(pdu, { command: 'generic_nack', command_status: expected, sequence_number: 78, tlvs: [] });

      // the link survived both
      const pong = smsc.next((p) => p.command === 'enquire_link_resp' && p.sequence_number === 80);
      smsc.socket().write(rawPdu(0x00000015, 80));
      await pong;
      assert.equal(session.state, 'bound');
      const ok = await session.submit({ destination_addr: '447700900001', short_message: Buffer.from('still here') });
      assert.match(ok.message_id, /^R\d+$/);
      assert.equal(undecodable.length, 2);

      // 4. our own oversize message is refused before it reaches the wire
      await assert.rejects(session.submit({ destination_addr: '447700900001', short_message: Buffer.alloc(300, 0x41) }), (error: unknown) => isErrorInRange(error, 100));
      const after = await session.submit({ destination_addr: '447700900001', short_message: Buffer.from('after') });
      assert.match(after.message_id, /^R\d+$/);
    } finally {
      await session.close();
      await smsc.close();
    }
  });

  it('answers a PDU larger than the maximum with generic_nack, then closes the link', async () => {
    const smsc = await startRawSmsc();
    const session = new SmppSession(sessionOptions(smsc.port, { maxPduSize: 1024 }));
    try {
      await session.connect();
      const closed = session.whenClosed();
      const answered = smsc.next((pdu) => pdu.command === 'generic_nack' && pdu.sequence_number === 79);
      const huge = rawPdu(0x00000005, 79, Buffer.alloc(4984, 0x41));
      smsc.socket().write(huge.subarray(0, 1000));
      const pdu = await answered;
      assert.deepEqual(pdu, { command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDLEN, sequence_number: 79, tlvs: [] });
      await closed;
      assert.equal(session.state, 'closed');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });

  it('closes a stream that cannot be framed (command_length < 16)', async () => {
    const smsc = await startRawSmsc();
    const session = new SmppSession(sessionOptions(smsc.port));
    try {
      await session.connect();
      const closed = session.whenClosed();
      smsc.socket().write(rawPdu(0x00000015, 81, Buffer.alloc(0), 8));
      await closed;
      assert.equal(session.state, 'closed');
    } finally {
      session.destroy();
      await smsc.close();
    }
  });
});
