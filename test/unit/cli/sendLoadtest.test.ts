import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import type { SmscSimulator } from '../../../src/sim/index.js';
import type { PduOf } from '../../../src/smpp/index.js';
import { startSimulator } from '../../helpers/simSetup.js';
import { captureIo } from '../../helpers/cli.js';

interface SendOutput {
  encoding: string;
  parts: number;
  outcomes: Array<{ part: number; status: string; messageId?: string; receipt?: { stat: string } }>;
}

describe('cli send and loadtest against the simulator', () => {
  let sim: SmscSimulator;
  const submits: Array<PduOf<'submit_sm'>> = [];
  before(async () => {
    sim = await startSimulator({ receipts: { delayMs: 10 } });
    sim.on('pdu', (pdu) => {
      if (pdu.command === 'submit_sm') submits.push(pdu);
    });
  });
  after(async () => {
    await sim.stop();
  });
  const url = (password = 'secret'): string => `smpp://esme1:${password}@127.0.0.1:${sim.port}`;

  it('send splits a long UCS-2 text with UDH, waits for receipts and prints the ids', async () => {
    submits.length = 0;
    const c = captureIo();
    const text = `Température ${'ж'.repeat(100)}`;
    const code = await main(['send', '--smsc', url(), '--to', '+447700900123', '--from', 'ACME', '--text', text, '--dlr'], c.io);
    assert.equal(code, 0, c.err());
    const output = JSON.parse(c.out()) as SendOutput;
    assert.equal(output.encoding, 'ucs2');
    assert.equal(output.parts, 2);
    assert.deepEqual(output.outcomes.map((o) => [o.status, o.receipt?.stat]), [['ESME_ROK', 'DELIVRD'], ['ESME_ROK', 'DELIVRD']]);
    assert.equal(submits.length, 2);
    for (const submit of submits) {
      assert.equal(submit.esm_class & 0x40, 0x40, 'UDHI set');
      assert.equal(submit.data_coding, 0x08);
      assert.equal(submit.dest_addr_ton, 1);
      assert.equal(submit.destination_addr, '447700900123');
      assert.equal(submit.source_addr_ton, 5);
    }
  });

  it('send with --long payload uses one message_payload', async () => {
    submits.length = 0;
    const c = captureIo();
    const code = await main(['send', '--smsc', url(), '--to', '447700900123', '--from', '12345', '--text', 'x'.repeat(300), '--long', 'payload'], c.io);
    assert.equal(code, 0, c.err());
    assert.equal(submits.length, 1);
    assert.equal(submits[0]!.short_message.length, 0);
    assert.equal(submits[0]!.tlvs[0]?.name, 'message_payload');
  });

  it('send explains a refused bind and a refused message, exiting 1', async () => {
    const c = captureIo();
    assert.equal(await main(['send', '--smsc', url('wrong'), '--to', '+447700900123', '--from', 'ACME', '--text', 'x'], c.io), 1);
    assert.match(c.err(), /the SMSC refused the bind: ESME_RINVPASWD \(wrong password\)/);
    sim.setFaults({ answerWith: { status: 0x0b } });
    const d = captureIo();
    try {
      assert.equal(await main(['send', '--smsc', url(), '--to', '+447700900123', '--from', 'ACME', '--text', 'x'], d.io), 1);
    } finally {
      sim.setFaults({});
    }
    assert.match(d.err(), /did not accept the message: ESME_RINVDSTADR/);
    const e = captureIo();
    assert.equal(await main(['send', '--smsc', 'smpp://esme1:secret@127.0.0.1:1', '--to', '+447700900123', '--from', 'ACME', '--text', 'x'], e.io), 1);
    assert.match(e.err(), /cannot connect to 127\.0\.0\.1:1/);
    const f = captureIo();
    assert.equal(await main(['send', '--smsc', url(), '--to', '+447700900123', '--text', 'x'], f.io), 2, 'a usage error');
    assert.match(f.err(), /--from is required/);
  });

  it('send explains an SMSC that does not answer, and sends binary as hex', async () => {
    sim.setFaults({ stopAnswering: true });
    const c = captureIo();
    try {
      assert.equal(await main(['send', '--smsc', url(), '--to', '+447700900123', '--from', 'ACME', '--text', 'x', '--timeout', '200'], c.io), 1);
    } finally {
      sim.setFaults({});
    }
    assert.match(c.err(), /did not answer the bind in time/);
    submits.length = 0;
    const d = captureIo();
    assert.equal(await main(['send', '--smsc', url(), '--to', '+447700900123', '--from', 'ACME', '--text', 'cafe0102', '--encoding', 'binary'], d.io), 0, d.err());
    assert.deepEqual([...submits[0]!.short_message], [0xca, 0xfe, 0x01, 0x02]);
    assert.equal(submits[0]!.data_coding, 0x04);
  });

  it('loadtest --json prints one object with rate, latency percentiles and statuses', async () => {
    const c = captureIo();
    const code = await main(['loadtest', '--smsc', url(), '--count', '500', '--window', '20', '--to', '447700900000-447700900009', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const lines = c.out().trim().split('\n');
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]!) as { count: number; window: number; submitsPerSec: number; latencyMs: Record<string, number>; statuses: Record<string, number>; smsc: string };
    assert.equal(result.count, 500);
    assert.equal(result.window, 20);
    assert.ok(result.submitsPerSec > 0);
    assert.ok(result.latencyMs['p50']! <= result.latencyMs['p95']! && result.latencyMs['p95']! <= result.latencyMs['p99']!);
    assert.deepEqual(result.statuses, { ESME_ROK: 500 });
    assert.ok(!result.smsc.includes('secret'), 'password not printed');
  });

  it('loadtest counts refused submits by status and exits 1', async () => {
    const c = captureIo();
    sim.setFaults({ answerWith: { status: 0x45 } });
    try {
      const code = await main(['loadtest', '--smsc', url(), '--count', '5', '--window', '5'], c.io);
      assert.equal(code, 1);
    } finally {
      sim.setFaults({});
    }
    assert.match(c.out(), /statuses: ESME_RSUBMITFAIL 5/);
  });
});
