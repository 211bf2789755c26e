/**
 * The REPORT SMS command: "send what you have now". `edge-sms-agent run` as a real process against
 * the SMSC simulator; telemetry may wait 10 minutes to share an SMS, so the readings are held.
 * An allowed sender's `PIN 4321 REPORT` (an MO deliver_sm) makes them all go at once — more than
 * the one SMS part a status reading alone would have topped up — together with a status reading,
 * and the reply says what was done.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportReceiver } from '../../src/report/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';

const centre = '447700900000';
const operator = '447700900123';
/** A second field that differs per reading, so the readings take room (ints index the values). */
const i = (T: number): number => Math.round(T * 10);

describe('the REPORT SMS command', () => {
  it('flushes readings held by their kind\'s delay, with a status reading, and replies with what it did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-report-'));
    const sim = await startSimulator();
    const submits = collectSubmits(sim);
    let bound = false;
    sim.on('bound', () => (bound = true));
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-rep, alias: "9" }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+${centre}", source: EDGE9 }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 600 } } }',
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${api}" }`,
      `commands: { allow: ["+${operator}"], pin: "4321" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      await until(() => bound, 5000, 'the bind');
      const values = Array.from({ length: 24 }, (_, i) => 20 + i / 10);
      for (const T of values) assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T, P: 101_325 + i(T) } })).status, 201);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(submits.length, 0, 'telemetry is held back to share an SMS');

      await sim.injectMo({ source_addr: operator, destination_addr: 'EDGE9', text: 'PIN 4321 REPORT' });
      await until(() => submits.some((pdu) => pdu.destination_addr === operator), 5000, 'the reply');
      const reply = submits.find((pdu) => pdu.destination_addr === operator);
      assert.match(reply?.short_message.toString('latin1') ?? '', /^REPORT sending 24 queued readings, status id \d+$/);

      // Every held reading reaches the centre now, not in 10 minutes.
      const receiver = new ReportReceiver();
      const readings: Array<{ kind: string; T: unknown }> = [];
      let parts = 0;
      await until(() => {
        for (const pdu of submits.filter((p) => p.destination_addr === centre).slice(parts)) {
          parts++;
          const received = receiver.accept({ ...pdu, command: 'deliver_sm' });
          if (received.kind === 'report') readings.push(...received.message.readings.map((r) => ({ kind: r.kind, T: r.fields['T'] })));
        }
        return readings.length >= values.length + 1;
      }, 5000, 'the held readings at the centre');
      assert.deepEqual(readings.filter((r) => r.kind === 'telemetry').map((r) => r.T).sort(), [...values].sort());
      assert.equal(readings.filter((r) => r.kind === 'status').length, 1);
      assert.ok(parts > 1, 'more than one SMS part: a status reading alone would not have carried them all');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
      assert.deepEqual(agent.above(40).map((entry) => entry.msg), []);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
