import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CommandStatus, MessageState, createPdu, type DeliveryReceipt, type Pdu, type PduOf,
} from '../../../src/smpp/index.js';
import type { SmscSimulator } from '../../../src/sim/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { boundSession, nextEvent, sessionOptions, startSimulator } from '../../helpers/simSetup.js';
import { SmppSession } from '../../../src/smpp/index.js';

function responseOf<C extends Pdu['command']>(pdu: Pdu, command: C): PduOf<C> {
  assert.equal(pdu.command, command);
  return pdu as PduOf<C>;
}

describe('SMSC simulator answers an ESME session', () => {
  let sim: SmscSimulator;
  before(async () => {
    sim = await startSimulator({ receipts: { delayMs: 20, states: ['DELIVRD', 'UNDELIV'] } });
  });
  after(async () => {
    await sim.stop();
  });

  it('binds in all three modes and refuses wrong credentials by name', async () => {
    for (const bindMode of ['transmitter', 'receiver', 'transceiver'] as const) {
      const session = await boundSession(sim.port, { bindMode });
      assert.equal(session.state, 'bound');
      await session.close();
      assert.equal(session.state, 'closed');
    }
    const wrong = new SmppSession(sessionOptions(sim.port, { password: 'nope' }));
    await assert.rejects(wrong.connect(), (error: unknown) => {
      assert.ok(hasErrorCode(error, ErrorCode.Smpp_BindFailed));
      assert.equal(error.context['commandStatus'], CommandStatus.ESME_RINVPASWD);
      assert.match(error.message, /ESME_RINVPASWD \(wrong password\)/);
      return true;
    });
    const unknown = new SmppSession(sessionOptions(sim.port, { systemId: 'who' }));
    await assert.rejects(unknown.connect(), (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_BindFailed) && error.context['commandStatus'] === CommandStatus.ESME_RINVSYSID);
  });

  it('gives message ids, answers query/cancel/replace on them, and sends receipts with the configured states', async () => {
    const session = await boundSession(sim.port);
    const receipts: DeliveryReceipt[] = [];
    session.on('receipt', (r) => receipts.push(r));
    const first = await session.submit({ source_addr: '100', destination_addr: '447700900001', short_message: Buffer.from('hello'), registered_delivery: 1 });
    const second = await session.submit({ source_addr: '100', destination_addr: '447700900002', short_message: Buffer.from('world'), registered_delivery: 1 });
    assert.match(first.message_id, /^[0-9a-f]{8}$/);
    assert.notEqual(first.message_id, second.message_id);

    const third = await session.submit({ source_addr: '100', destination_addr: '447700900003', short_message: Buffer.from('later'), schedule_delivery_time: '' });
    const query = responseOf(await session.request(createPdu('query_sm', { message_id: third.message_id, source_addr: '100' })), 'query_sm_resp');
    assert.equal(query.message_state, MessageState.ENROUTE);
    const replace = await session.request(createPdu('replace_sm', { message_id: third.message_id, source_addr: '100', short_message: Buffer.from('new') }));
    assert.equal(replace.command_status, CommandStatus.ESME_ROK);
    const cancel = await session.request(createPdu('cancel_sm', { message_id: third.message_id, source_addr: '100', destination_addr: '447700900003' }));
    assert.equal(cancel.command_status, CommandStatus.ESME_ROK);
    const again = await session.request(createPdu('cancel_sm', { message_id: third.message_id, source_addr: '100', destination_addr: '447700900003' }));
    assert.equal(again.command_status, CommandStatus.ESME_RCANCELFAIL);
    const missing = await session.request(createPdu('query_sm', { message_id: 'ffffffff', source_addr: '100' }));
    assert.equal(missing.command_status, CommandStatus.ESME_RQUERYFAIL);

    while (receipts.length < 2) await nextEvent(session, 'receipt');
    const byId = new Map(receipts.map((r) => [r.messageId, r.stat]));
    assert.deepEqual([...byId.values()].sort(), ['DELIVRD', 'UNDELIV']);
    assert.ok(byId.has(first.message_id) && byId.has(second.message_id));
    const done = responseOf(await session.request(createPdu('query_sm', { message_id: first.message_id, source_addr: '100' })), 'query_sm_resp');
    assert.ok(done.message_state === MessageState.DELIVERED || done.message_state === MessageState.UNDELIVERABLE);
    assert.equal(done.final_date.length, 16);
    await session.close();
  });

  it('answers submit_multi with the unsuccessful destinations and data_sm with an id', async () => {
    const session = await boundSession(sim.port);
    const multi = responseOf(await session.request(createPdu('submit_multi', {
      source_addr: '100',
      dest_address: [
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900001' },
        { dest_flag: 2, dl_name: 'friends' },
      ],
      short_message: Buffer.from('hi all'),
    })), 'submit_multi_resp');
    assert.equal(multi.command_status, CommandStatus.ESME_ROK);
    assert.notEqual(multi.message_id, '');
    assert.deepEqual(multi.unsuccess_sme.map((u) => [u.destination_addr, u.error_status_code]), [['friends', CommandStatus.ESME_RINVDLNAME]]);
    const data = responseOf(await session.request(createPdu('data_sm', { source_addr: '100', destination_addr: '447700900009' })), 'data_sm_resp');
    assert.equal(data.command_status, CommandStatus.ESME_ROK);
    assert.notEqual(data.message_id, '');
    await session.close();
  });

  it('injects MO messages and returns the status the application chose', async () => {
    let answer: number = CommandStatus.ESME_RX_T_APPN;
    const session = await boundSession(sim.port, { bindMode: 'receiver', onInbound: () => answer });
    const inbound = nextEvent<[PduOf<'deliver_sm'>]>(session, 'inbound');
    assert.equal(await sim.injectMo({ source_addr: '447700900123', destination_addr: '100', text: 'STATUS 1234' }), CommandStatus.ESME_RX_T_APPN);
    const [mo] = await inbound;
    assert.equal(mo.short_message.toString('latin1'), 'STATUS 1234');
    answer = CommandStatus.ESME_ROK;
    assert.equal(await sim.injectMo({ source_addr: '447700900123', destination_addr: '100', text: 'again' }), CommandStatus.ESME_ROK);
    await session.close();
  });

  it('refuses submits from a receiver bind and requests before bind', async () => {
    const session = await boundSession(sim.port, { bindMode: 'receiver' });
    const refused = await session.request(createPdu('submit_sm', { destination_addr: '1' }));
    assert.equal(refused.command_status, CommandStatus.ESME_RINVBNDSTS);
    await session.close();
  });
});
