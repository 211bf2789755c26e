/**
 * interface_version: a v5.0 ESME bound to a v3.4 SMSC speaks 3.4 (no v5-only TLVs leave it);
 * bound to a v5.0 SMSC it keeps them, and the SMSC's congestion_state shrinks the window.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmppSession, tlv, type Pdu } from '../../src/smpp/index.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

async function submitWithBilling(interfaceVersion: 0x34 | 0x50, congestionState?: number): Promise<{ received: Pdu[]; session: SmppSession; version: number; windows: number[] }> {
  const sim = await startSimulator({ interfaceVersion, ...(congestionState === undefined ? {} : { congestionState }) });
  const received: Pdu[] = [];
  sim.on('pdu', (pdu) => received.push(pdu));
  const session = new SmppSession(sessionOptions(sim.port, { interfaceVersion: 0x50, window: 8 }));
  const windows: number[] = [];
  session.on('throttle', ({ window }) => windows.push(window));
  const info = await session.connect();
  await Promise.all(Array.from({ length: 4 }, () => session.submit({
    destination_addr: '447700900001', short_message: Buffer.from('x'),
    tlvs: [tlv('billing_identification', Buffer.from([1, 2])), tlv('user_message_reference', 7)],
  })));
  await session.close();
  await sim.stop();
  return { received, session, version: info.interfaceVersion, windows };
}

describe('interface version', () => {
  it('sends no v5-only TLVs to a v3.4 SMSC', async () => {
    const { received, version } = await submitWithBilling(0x34);
    assert.equal(version, 0x34);
    const bind = received.find((p) => p.command === 'bind_transceiver');
    assert.ok(bind?.command === 'bind_transceiver' && bind.interface_version === 0x50, 'we offered 5.0');
    const submit = received.find((p) => p.command === 'submit_sm')!;
    assert.deepEqual(submit.tlvs.map((t) => t.name), ['user_message_reference']);
  });

  it('keeps them with a v5.0 SMSC and follows its congestion_state', async () => {
    const { received, version, windows } = await submitWithBilling(0x50, 95);
    assert.equal(version, 0x50);
    const submit = received.find((p) => p.command === 'submit_sm')!;
    assert.deepEqual(submit.tlvs.map((t) => t.name), ['billing_identification', 'user_message_reference']);
    assert.ok(windows.length > 0 && windows[0]! < 8, `window shrank: ${windows.join(',')}`);
  });
});
