/**
 * A reading addressed to two numbers reaches both: `edge-sms-agent run` as a real process against the
 * SMSC simulator (delivery receipts on). The local API makes one outbox entry per number; each goes out
 * as its own report message to its own number and is settled by its own receipt.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportReceiver } from '../../src/report/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';

describe('a reading with several destinations', () => {
  it('reaches the SMSC once for each number, each copy delivered on its own receipt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-dest-'));
    const sim = await startSimulator({ receipts: { delayMs: 100 } });
    const submits = collectSubmits(sim);
    let bound = false;
    sim.on('bound', () => (bound = true));
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-dest, alias: "5" }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      await until(() => bound, 5000, 'the bind');
      const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 7.5 }, to: ['+447700900101', '+447700900102'] });
      assert.equal(posted.status, 201, posted.text);
      const { id, ids } = JSON.parse(posted.text) as { id: number; ids: number[] };
      assert.equal(ids.length, 2);
      assert.equal(id, ids[0]);

      await until(() => submits.length >= 2, 5000, 'a submit_sm for each number');
      assert.deepEqual(submits.map((pdu) => pdu.destination_addr).sort(), ['447700900101', '447700900102']);
      for (const pdu of submits) {
        const received = new ReportReceiver().accept({ ...pdu, command: 'deliver_sm' });
        assert.equal(received.kind, 'report', JSON.stringify(received));
        if (received.kind === 'report') assert.deepEqual(received.message.readings.map((r) => r.fields), [{ T: 7.5 }]);
      }
      assert.equal(submits.filter((pdu) => pdu.destination_addr === '447700900000').length, 0, 'not the default centre');

      // Each copy is settled by its own receipt.
      const deadline = Date.now() + 5000;
      for (;;) {
        const state = JSON.parse((await callApi(api, 'GET', '/state')).text) as { outbox: { byState: { delivered: number } } };
        if (state.outbox.byState.delivered === 2) break;
        assert.ok(Date.now() < deadline, `both copies delivered by now: ${JSON.stringify(state.outbox.byState)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal((await agent.kill('SIGTERM')).code, 0);
      assert.deepEqual(agent.above(40).map((entry) => entry.msg), []);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
