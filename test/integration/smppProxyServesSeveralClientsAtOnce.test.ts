/**
 * Several ESMEs through one `smpp proxy` at the same time: each gets its own connection to the SMSC
 * (the simulator sees one bind per client), its own connection number in the trace, its own
 * pairing (both start at sequence 1 without mixing) and its own summary, and the final summary
 * over all connections adds them up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmppSession, type PduRecord, type SummaryRecord } from '../../src/smpp/index.js';
import { ProxyProcess } from '../helpers/smppProxyProcess.js';
import { until } from '../helpers/agentProcess.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';

describe('smpp proxy with several clients', () => {
  it('keeps each client on its own upstream connection, trace and summary', async () => {
    const sim = await startSimulator();
    let binds = 0;
    sim.on('pdu', (pdu) => {
      if (pdu.command === 'bind_transceiver') binds++;
    });
    const proxy = new ProxyProcess(['--listen', '0', '--upstream', `smpp://127.0.0.1:${sim.port}`, '--json']);
    const sessions: SmppSession[] = [];
    try {
      const port = await proxy.port;
      for (let i = 0; i < 3; i++) sessions.push(new SmppSession(sessionOptions(port, { window: 4 })));
      await Promise.all(sessions.map((session) => session.connect()));
      assert.equal(binds, 3);
      // Interleaved traffic from all three at once.
      await Promise.all(sessions.flatMap((session, n) => Array.from({ length: 5 }, (_, i) =>
        session.submit({ destination_addr: `44770090000${n}`, short_message: Buffer.from(`client ${n} message ${i}`) }))));
      await Promise.all(sessions.map((session) => session.close()));
      await until(() => proxy.records().filter((record) => record.type === 'summary' && record.conn !== 'all').length === 3, 10_000, 'three closed connections');
      assert.equal(await proxy.stop(), 0);

      const records = proxy.records();
      const pdus = records.filter((record): record is PduRecord => record.type === 'pdu');
      const conns = [...new Set(pdus.map((record) => record.conn))].sort();
      assert.deepEqual(conns, [1, 2, 3]);
      for (const conn of conns) {
        const mine = pdus.filter((record) => record.conn === conn);
        const submits = mine.filter((record) => record.command === 'submit_sm');
        assert.equal(submits.length, 5);
        const client = submits[0]?.fields?.['text']?.toString().split(' ')[1];
        assert.ok(submits.every((record) => record.fields?.['text']?.toString().startsWith(`client ${client} `)), `connection ${conn} carries one client's messages`);
        const responses = mine.filter((record) => record.command === 'submit_sm_resp');
        assert.equal(responses.length, 5);
        assert.ok(responses.every((record) => record.request === 'submit_sm' && record.latencyMs !== undefined));
      }
      const perConnection = records.filter((record): record is SummaryRecord => record.type === 'summary' && record.conn !== 'all');
      assert.ok(perConnection.every((summary) => summary.commands['submit_sm']?.responses === 5));
      const all = records.filter((record): record is SummaryRecord => record.type === 'summary' && record.conn === 'all').at(-1);
      assert.equal(all?.commands['submit_sm']?.responses, 15);
      assert.equal(all?.commands['bind_transceiver']?.requests, 3);
      assert.ok(!records.some((record) => record.type === 'unanswered'));
    } finally {
      for (const session of sessions) session.destroy();
      await proxy.stop();
      await sim.stop();
    }
  });
});
