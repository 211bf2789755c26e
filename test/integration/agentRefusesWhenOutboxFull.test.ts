/**
 * A full outbox, through the local API of a real `edge-sms-agent run` process: once every slot holds
 * a more urgent report, a reading is refused with 507 — to one number or to several alike — and
 * nothing queued is lost. (A reading to one number used to come back as 500 "internal": the outbox
 * threw for one entry and answered `id: null` for several.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { freePort } from '../helpers/mosquitto.js';

describe('the agent with a full outbox', () => {
  it('answers 507 for one number and for several, and keeps every queued report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-full-'));
    const api = join(dir, 'api.sock');
    const closedPort = await freePort(); // nothing listens: the SMSC stays away and reports stay queued
    const config = writeAgentConfig(dir, [
      'device: { id: pi-full }',
      `smpp: { url: "smpp://edge:secret@127.0.0.1:${closedPort}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}", maxQueuedRows: 100 }`,
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: error }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      for (let i = 0; i < 100; i++) {
        const posted = await callApi(api, 'POST', '/reports', { kind: 'alarm', priority: 'critical', data: { i } });
        assert.equal(posted.status, 201, posted.text);
      }

      const one = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 1 } });
      assert.equal(one.status, 507, one.text);
      assert.deepEqual(JSON.parse(one.text), { error: { code: 'full', message: 'the outbox is full of more urgent reports' } });
      const several = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 2 }, to: ['+447700900101', '+447700900102'] });
      assert.equal(several.status, 507, several.text);

      const state = JSON.parse((await callApi(api, 'GET', '/state')).text) as { outbox: { byState: { queued: number } } };
      assert.equal(state.outbox.byState.queued, 100, 'the critical reports are all still queued');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
