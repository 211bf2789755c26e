/**
 * A damaged database is found, set aside and salvaged. A real agent queues 300 readings while its
 * SMSC is away and is stopped; one page of the reports table in the real SQLite file is then
 * overwritten with garbage. At the next start the agent finds it (quick_check), moves the file
 * aside with a timestamp (kept), salvages the readable unsent reports into a fresh database, says
 * so at error, publishes `events/store-damaged` and shows it in `/healthz`; then it carries on and
 * the salvaged reports reach the SMSC. A file that is not a database at all is set aside the same way.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSimulator } from '../helpers/simSetup.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi } from '../helpers/agentProcess.js';
import { storeAgentConfig } from '../helpers/storeAgentConfig.js';
import { pageSizeOf } from '../helpers/sqliteFile.js';


function configFor(dir: string, port: number, brokerUrl: string): { config: string; api: string; db: string } {
  return storeAgentConfig(dir, 'pi-damaged', port, brokerUrl);
}

describe('a damaged database', () => {
  it('is found at start, set aside with a timestamp, its unsent reports salvaged, said loudly, and the agent carries on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-damaged-'));
    let sim = await startSimulator();
    const port = sim.port;
    await sim.stop(); // away while the readings queue up
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    const { config, api, db } = configFor(dir, port, broker.url);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      for (let i = 0; i < 300; i++) assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i } })).status, 201);
      assert.equal((await agent.kill('SIGTERM')).code, 0);

      // One leaf page of the reports table, found by a payload it holds, overwritten with garbage.
      const bytes = readFileSync(db);
      const pageSize = pageSizeOf(bytes);
      const at = bytes.indexOf('"i":150');
      assert.ok(at > 0, 'the reading is in the main file after a clean stop');
      const fd = openSync(db, 'r+');
      writeSync(fd, Buffer.alloc(pageSize - 200, 0xa5), 0, pageSize - 200, Math.floor(at / pageSize) * pageSize + 100);
      closeSync(fd);

      await probe.subscribe('edge-sms/pi-damaged/events/store-damaged');
      agent.start();
      await waitForApi(api, 60_000);
      const event = JSON.parse((await probe.waitForTopic('edge-sms/pi-damaged/events/store-damaged', () => true, 20_000)).text) as { reason: string; movedTo: string; salvaged: number; lost: number };
      assert.match(event.movedTo, /agent\.db\.damaged-\d{4}-\d\d-\d\dT/);
      assert.ok(event.salvaged >= 200 && event.salvaged < 300, `salvaged ${event.salvaged} of 300`);
      assert.equal(event.salvaged + event.lost, 300, 'the count of the unreadable is told');
      assert.ok(readdirSync(dir).some((name) => join(dir, name) === event.movedTo), 'the damaged file is kept');

      const logged = agent.logs.filter((entry) => entry.level === logLevels.error && /database was damaged/.test(entry.msg));
      assert.equal(logged.length, 1);
      const health = JSON.parse((await callApi(api, 'GET', '/healthz')).text) as { status: string; problems: Array<{ check: string; reason: string }> };
      let problems = health.problems;
      await until(() => {
        void callApi(api, 'GET', '/healthz').then((reply) => (problems = (JSON.parse(reply.text) as typeof health).problems), () => undefined);
        return problems.some((problem) => problem.check === 'store');
      }, 10_000, 'the store problem in /healthz');
      assert.match(problems.find((problem) => problem.check === 'store')?.reason ?? '', new RegExp(`damaged at start .* ${event.salvaged} unsent reports salvaged, ${event.lost} lost`));

      // It carries on: the SMSC comes back and the salvaged reports leave.
      sim = await startSimulator({ port });
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const sent = reader.prepare(`SELECT count(*) AS n FROM reports WHERE state IN ('submitted', 'delivered')`);
        await until(() => (sent.get() as { n: number }).n === event.salvaged, 60_000, 'every salvaged report submitted');
      } finally {
        reader.close();
      }
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { after: 1 } })).status, 201);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await broker.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that is not a database at all is set aside and the agent starts on a fresh one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-damaged-'));
    const broker = await Mosquitto.start();
    const { config, api, db } = configFor(dir, 9, broker.url);
    writeFileSync(db, Buffer.alloc(3 * 4096, 0x5a));
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      assert.ok(readdirSync(dir).some((name) => /^agent\.db\.damaged-/.test(name)), readdirSync(dir).join(', '));
      assert.ok(agent.logs.some((entry) => entry.level === logLevels.error && /database was damaged/.test(entry.msg)));
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 1 } })).status, 201);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
