/**
 * Our ESME session against node-smpp's server: bind in all three modes, submit, MO deliver_sm,
 * delivery receipts, enquire_link both ways, unbind.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CommandStatus, SmppSession, type DeliveryReceipt, type InboundMessage } from '../../src/smpp/index.js';
import { nodeSmppCall, nodeSmppServer, nodeSmppText, type NodeSmppNetPdu, type NodeSmppSession } from '../helpers/nodeSmppNet.js';
import { nextEvent, sessionOptions } from '../helpers/simSetup.js';

describe('our session against node-smpp server', () => {
  let server: Awaited<ReturnType<typeof nodeSmppServer>>;
  const serverSessions: NodeSmppSession[] = [];
  const seen: NodeSmppNetPdu[] = [];
  let nextId = 1;

  before(async () => {
    server = await nodeSmppServer((session) => {
      serverSessions.push(session);
      session.on('pdu', (pdu) => seen.push(pdu));
      for (const bind of ['bind_transmitter', 'bind_receiver', 'bind_transceiver']) {
        session.on(bind, (pdu) => {
          const ok = pdu['system_id'] === 'esme1' && pdu['password'] === 'secret';
          session.send(pdu.response(ok ? { system_id: 'NODE' } : { command_status: CommandStatus.ESME_RINVPASWD }));
        });
      }
      session.on('submit_sm', (pdu) => session.send(pdu.response({ message_id: `N${nextId++}` })));
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => {
        session.send(pdu.response());
        session.close();
      });
    });
  });
  after(async () => {
    await server.close();
  });

  it('binds as transmitter, receiver and transceiver, and unbinds cleanly', async () => {
    for (const bindMode of ['transmitter', 'receiver', 'transceiver'] as const) {
      const session = new SmppSession(sessionOptions(server.port, { bindMode }));
      const info = await session.connect();
      assert.equal(info.smscSystemId, 'NODE');
      assert.equal(info.interfaceVersion, 0x34);
      await session.close();
      assert.ok(seen.some((pdu) => pdu.command === `bind_${bindMode}`));
    }
    assert.ok(seen.filter((pdu) => pdu.command === 'unbind').length >= 3);
  });

  it('submits and reads the message ids node-smpp gives', async () => {
    const session = new SmppSession(sessionOptions(server.port, { window: 5 }));
    await session.connect();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      session.submit({ source_addr: 'ACME', destination_addr: `4477009${String(i).padStart(5, '0')}`, short_message: Buffer.from(`reading ${i}`) })));
    const ids = results.map((r) => r.message_id);
    assert.equal(new Set(ids).size, 20);
    const texts = seen.filter((pdu) => pdu.command === 'submit_sm').map((pdu) => nodeSmppText(pdu['short_message']));
    for (let i = 0; i < 20; i++) assert.ok(texts.includes(`reading ${i}`));
    await session.close();
  });

  it('takes MO messages and receipts from node-smpp and answers with the application status', async () => {
    const inbound: InboundMessage[] = [];
    const receipts: DeliveryReceipt[] = [];
    const session = new SmppSession(sessionOptions(server.port, {
      bindMode: 'transceiver',
      onInbound: (message, receipt) => (receipt === undefined && message.source_addr === 'busy' ? CommandStatus.ESME_RX_T_APPN : CommandStatus.ESME_ROK),
    }));
    session.on('inbound', (m) => inbound.push(m));
    session.on('receipt', (r) => receipts.push(r));
    await session.connect();
    const peer = serverSessions.at(-1)!;
    const mo = await nodeSmppCall((cb) => peer.deliver_sm({ source_addr: '447700900123', destination_addr: 'ACME', short_message: 'REPORT NOW' }, cb));
    assert.equal(mo.command, 'deliver_sm_resp');
    assert.equal(mo.command_status, CommandStatus.ESME_ROK);
    const busy = await nodeSmppCall((cb) => peer.deliver_sm({ source_addr: 'busy', destination_addr: 'ACME', short_message: 'x' }, cb));
    assert.equal(busy.command_status, CommandStatus.ESME_RX_T_APPN);
    const dlr = await nodeSmppCall((cb) => peer.deliver_sm({
      source_addr: '447700900123', destination_addr: 'ACME', esm_class: 0x04,
      short_message: 'id:N1 sub:001 dlvr:001 submit date:2611211200 done date:2611211201 stat:DELIVRD err:000 text:reading 0',
      receipted_message_id: 'N1', message_state: 2,
    }, cb));
    assert.equal(dlr.command_status, CommandStatus.ESME_ROK);
    const first = inbound[0];
    assert.ok(first !== undefined && first.command === 'deliver_sm');
    assert.equal(first.short_message.toString('latin1'), 'REPORT NOW');
    assert.equal(receipts.length, 1);
    assert.equal(receipts[0]?.messageId, 'N1');
    assert.equal(receipts[0]?.stat, 'DELIVRD');
    await session.close();
  });

  it('answers node-smpp enquire_link and sends its own after idle time', async () => {
    const session = new SmppSession(sessionOptions(server.port, { enquireLinkMs: 150, responseTimeoutMs: 200 }));
    await session.connect();
    const peer = serverSessions.at(-1)!;
    const answer = await nodeSmppCall((cb) => peer.enquire_link(cb));
    assert.equal(answer.command, 'enquire_link_resp');
    const before = seen.filter((pdu) => pdu.command === 'enquire_link').length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(seen.filter((pdu) => pdu.command === 'enquire_link').length > before, 'our enquire_link reached node-smpp');
    assert.equal(session.state, 'bound', 'answered enquire_links keep the link up');
    await session.close();
  });

  it('reports a refused bind with the status node-smpp gave', async () => {
    const session = new SmppSession(sessionOptions(server.port, { password: 'wrong' }));
    await assert.rejects(session.connect(), /ESME_RINVPASWD/);
    await nextEvent(session, 'closed').catch(() => undefined);
    assert.equal(session.state, 'closed');
  });
});
