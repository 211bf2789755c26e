/**
 * Outbind: an SMSC connects to the listening ESME and sends outbind; with matching credentials
 * the ESME binds as receiver on that connection and takes deliver_sm; with wrong ones it refuses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createPdu, createResponse, decodePdu, encodePdu, listenForOutbind, PduFramer, type Pdu, type SmppSession } from '../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../src/errors.js';
import { account, nextEvent } from '../helpers/simSetup.js';

/** The SMSC side: connect, send outbind, collect PDUs. */
async function smscOutbinds(port: number, password: string): Promise<{ socket: Socket; next: () => Promise<Pdu>; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const framer = new PduFramer();
  const queue: Pdu[] = [];
  const waiting: Array<(pdu: Pdu) => void> = [];
  socket.on('data', (chunk: Buffer) => {
    for (const event of framer.push(chunk)) {
      if (event.kind !== 'pdu') continue;
      const pdu = decodePdu(event.bytes);
      const waiter = waiting.shift();
      if (waiter !== undefined) waiter(pdu);
      else queue.push(pdu);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(encodePdu(createPdu('outbind', { system_id: account.systemId, password, sequence_number: 1 })));
  return { socket, closed, next: () => new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiting.push(resolve))) };
}

describe('outbind', () => {
  it('binds as receiver on the SMSC’s connection and takes messages', async () => {
    const sessions: SmppSession[] = [];
    const errors: unknown[] = [];
    const listener = await listenForOutbind(
      { endpoint: { host: '127.0.0.1', port: 0, tls: false, rejectUnauthorized: true }, systemId: account.systemId, password: account.password,
        listenHost: '127.0.0.1', listenPort: 0 },
      (session) => sessions.push(session), (error) => errors.push(error));
    try {
      const smsc = await smscOutbinds(listener.port, account.password);
      const bind = await smsc.next();
      assert.equal(bind.command, 'bind_receiver');
      assert.ok(bind.command === 'bind_receiver' && bind.system_id === account.systemId && bind.password === account.password);
      smsc.socket.write(encodePdu(createResponse(bind, 0, { system_id: 'SMSC' })));
      const resp = smsc.next();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(sessions.length, 1);
      const inbound = nextEvent(sessions[0]!, 'inbound');
      smsc.socket.write(encodePdu(createPdu('deliver_sm', { source_addr: '447700900001', short_message: Buffer.from('pushed'), sequence_number: 2 })));
      await inbound;
      const answer = await resp;
      assert.equal(answer.command, 'deliver_sm_resp');
      assert.equal(answer.command_status, 0);

      const refused = await smscOutbinds(listener.port, 'wrong');
      await refused.closed;
      assert.equal(errors.length, 1);
      assert.ok(hasErrorCode(errors[0], ErrorCode.Smpp_BindFailed));
      smsc.socket.destroy();
    } finally {
      await listener.close();
    }
  });
});
