/**
 * The agent keeps readings in one open SQLite transaction for `store.groupCommitS` (issue 14: fewer
 * bytes on the SD card), so a CLI write made meanwhile cannot take the lock at once. Seen from
 * outside with a real agent process: `report` and `queue retry` wait for the group's commit, say on
 * stderr why they wait, and then succeed; with no group open they neither wait nor say anything.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { account, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';

const waiting = /waiting: the running agent holds the database until its next group commit \(store\.groupCommitS/;

describe('a CLI write while the agent holds its group open', () => {
  it('waits for the commit, says so, and succeeds; without an open group it is silent', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-cli-wait-'));
    const sim = await startSimulator();
    const api = join(dir, 'api.sock');
    const db = join(dir, 'agent.db');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-cli-wait }',
      'location: { enabled: false }',
      'modem: { enabled: false }',
      'mqtt: { enabled: false }',
      // Telemetry waits to fill an SMS, so nothing but the readings writes while the test looks.
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
      `store: { path: "${db}", groupCommitS: 4 }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 30_000);
      const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 21.5 } });
      assert.equal(posted.status, 201, posted.text);
      // The reading opened a 4 s group: the CLI's write finds the lock held.
      const held = await runCli(['report', '--kind', 'telemetry', '--data', '{"T":22}', '--config', config]);
      assert.equal(held.code, 0, held.stderr);
      assert.match(held.stderr, waiting, 'the CLI said why it waited');
      const cliId = Number(held.stdout.trim());
      assert.ok(Number.isInteger(cliId) && cliId > 0, `the CLI printed the new id: ${held.stdout}`);

      // Nothing posted since: once the agent's group is committed, a write takes the lock at once, silently.
      const file = new Database(db, { readonly: true });
      try {
        const apiId = (JSON.parse(posted.text) as { id: number }).id;
        await until(() => (file.prepare('SELECT count(*) FROM reports WHERE id IN (?, ?)').pluck().get(apiId, cliId) as number) === 2, 20_000, 'both readings committed');
      } finally {
        file.close();
      }
      const idle = await runCli(['queue', 'retry', '--failed', '--config', config]);
      assert.equal(idle.code, 0, idle.stderr);
      assert.doesNotMatch(idle.stderr, waiting, 'no group open: no wait to explain');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
