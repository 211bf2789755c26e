/**
 * node-smpp's client against our SMSC simulator: bind in all three modes, submit, receipts,
 * MO delivery, enquire_link, unbind.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CommandStatus } from '../../src/smpp/index.js';
import type { SmscSimulator } from '../../src/sim/index.js';
import { nodeSmppCall, nodeSmppConnect, nodeSmppText, type NodeSmppNetPdu, type NodeSmppSession } from '../helpers/nodeSmppNet.js';
import { startSimulator } from '../helpers/simSetup.js';

function closed(session: NodeSmppSession): Promise<void> {
  return new Promise((resolve) => session.close(resolve));
}

describe('node-smpp client against our simulator', () => {
  let sim: SmscSimulator;
  before(async () => {
    sim = await startSimulator({ receipts: { delayMs: 10 } });
  });
  after(async () => {
    await sim.stop();
  });

  it('binds in all three modes, enquire_links and unbinds', async () => {
    for (const command of ['bind_transmitter', 'bind_receiver', 'bind_transceiver'] as const) {
      const client = await nodeSmppConnect(sim.port);
      const bound = await nodeSmppCall((cb) => client[command]({ system_id: 'esme1', password: 'secret' }, cb));
      assert.equal(bound.command, `${command}_resp`);
      assert.equal(bound.command_status, CommandStatus.ESME_ROK);
      assert.equal(bound['system_id'], 'edge-sim');
      const link = await nodeSmppCall((cb) => client.enquire_link(cb));
      assert.equal(link.command, 'enquire_link_resp');
      const unbound = await nodeSmppCall((cb) => client.unbind(cb));
      assert.equal(unbound.command, 'unbind_resp');
      await closed(client);
    }
  });

  it('refuses a wrong password with ESME_RINVPASWD', async () => {
    const client = await nodeSmppConnect(sim.port);
    const refused = await nodeSmppCall((cb) => client.bind_transceiver({ system_id: 'esme1', password: 'bad' }, cb));
    assert.equal(refused.command_status, CommandStatus.ESME_RINVPASWD);
    client.destroy();
  });

  it('accepts submits, sends their receipts, and delivers MO messages', async () => {
    const client = await nodeSmppConnect(sim.port);
    await nodeSmppCall((cb) => client.bind_transceiver({ system_id: 'esme1', password: 'secret' }, cb));
    const delivered: NodeSmppNetPdu[] = [];
    const gotTwo = new Promise<void>((resolve) => {
      client.on('deliver_sm', (pdu) => {
        delivered.push(pdu);
        client.send(pdu.response());
        if (delivered.length === 2) resolve();
      });
    });
    const submitted = await nodeSmppCall((cb) => client.submit_sm({ source_addr: 'ACME', destination_addr: '447700900001', short_message: 'temp=21.5', registered_delivery: 1 }, cb));
    assert.equal(submitted.command_status, CommandStatus.ESME_ROK);
    const messageId = submitted['message_id'];
    assert.equal(typeof messageId, 'string');
    assert.equal(await sim.injectMo({ source_addr: '447700900002', destination_addr: 'ACME', text: 'hello agent' }), CommandStatus.ESME_ROK);
    await gotTwo;
    const receipt = delivered.find((pdu) => pdu['esm_class'] === 0x04);
    const mo = delivered.find((pdu) => pdu['esm_class'] !== 0x04);
    assert.ok(receipt !== undefined && mo !== undefined);
    assert.equal(receipt['receipted_message_id'], messageId);
    assert.match(nodeSmppText(receipt['short_message']), new RegExp(`^id:${String(messageId)} .*stat:DELIVRD`));
    assert.equal(nodeSmppText(mo['short_message']), 'hello agent');
    await nodeSmppCall((cb) => client.unbind(cb));
    await closed(client);
  });
});
