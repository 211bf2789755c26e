/**
 * A database damaged while the agent runs is set aside, salvaged and replaced without a restart.
 * A real agent queues 300 readings while its SMSC is away; the WAL is checkpointed into the main
 * file and one page of the reports table there is overwritten with garbage. Another process then
 * commits a write that touches no report (so the agent drops its page cache and reads pages from
 * the file again, as after any other writer). When the SMSC comes back the router reads its queue,
 * SQLite answers SQLITE_CORRUPT, and the agent moves the file aside (kept), salvages the readable
 * unsent reports into a fresh database, says so at error once, publishes `events/store-damaged`
 * (`when: running`), shows it in `/healthz`, and goes on sending: the salvaged readings and a new
 * one reach the SMSC from the same process. The fresh file damaged again within the hour is not set
 * aside a second time: health says the agent stopped trying and why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSimulator } from '../helpers/simSetup.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi } from '../helpers/agentProcess.js';
import { storeAgentConfig } from '../helpers/storeAgentConfig.js';
import { damageLeafPageHolding } from '../helpers/sqliteFile.js';


interface Problem {
  readonly check: string;
  readonly reason: string;
}

/** Everything committed so far moved from the WAL into the main file, so a page damaged there is the one read. */
function checkpoint(db: string): void {
  const side = new Database(db, { fileMustExist: true });
  try {
    const [result] = side.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    assert.equal(result?.busy, 0, 'the checkpoint ran to the end');
  } finally {
    side.close();
  }
}

/** A commit by another connection that touches no report: every other connection's page cache is stale after it. */
function touchFromOutside(db: string, n: number): void {
  const side = new Database(db, { fileMustExist: true });
  try {
    side.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run('test_touch', n);
  } finally {
    side.close();
  }
}

async function storeProblems(api: string): Promise<Problem[]> {
  return (JSON.parse((await callApi(api, 'GET', '/healthz')).text) as { problems: Problem[] }).problems;
}

async function waitForProblem(api: string, pattern: RegExp, what: string): Promise<Problem> {
  let found: Problem | undefined;
  const deadline = Date.now() + 15_000;
  while (found === undefined) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; problems: ${JSON.stringify(await storeProblems(api))}`);
    found = (await storeProblems(api)).find((problem) => problem.check === 'store' && pattern.test(problem.reason));
    if (found === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found;
}

interface Running {
  readonly agent: AgentProcess;
  readonly api: string;
  readonly db: string;
  readonly dir: string;
  readonly probe: MqttProbe;
  /** Brings the SMSC back on its port: the router then reads its queue. */
  readonly smscBack: () => Promise<void>;
}

/** A real agent with Mosquitto and `store-damaged` subscribed, its SMSC away so readings queue up; all torn down after. */
async function withAgentWhileSmscAway(deviceId: string, storeExtra: string, body: (running: Running) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `esa-${deviceId}-`));
  let sim = await startSimulator();
  const port = sim.port;
  await sim.stop();
  const broker = await Mosquitto.start();
  const probe = await MqttProbe.connect(broker.url);
  const { config, api, db } = storeAgentConfig(dir, deviceId, port, broker.url, storeExtra);
  const agent = new AgentProcess(config);
  try {
    await probe.subscribe(`edge-sms/${deviceId}/events/store-damaged`);
    agent.start();
    await waitForApi(api, 60_000);
    await body({ agent, api, db, dir, probe, smscBack: async () => { sim = await startSimulator({ port }); } });
  } finally {
    if (agent.running) await agent.kill('SIGKILL');
    await probe.close();
    await broker.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a database damaged while the agent runs', () => {
  it('is set aside, salvaged and replaced without a restart; the agent goes on sending, and stops trying when the fresh one fails too', () =>
    // Without the intake journal: with it, the readings on the damaged page come back from the journal (the next case).
    withAgentWhileSmscAway('pi-corrupt', 'intakeJournal: false', async ({ agent, api, db, dir, probe, smscBack }) => {
      for (let i = 0; i < 300; i++) assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i } })).status, 201);

      checkpoint(db);
      damageLeafPageHolding(db, '"i":20}');
      touchFromOutside(db, 1);

      // The SMSC comes back; the router reads its queue and meets the damaged page.
      await smscBack();
      const message = await probe.waitForTopic('edge-sms/pi-corrupt/events/store-damaged', () => true, 60_000);
      const event = JSON.parse(message.text) as { when: string; reason: string; movedTo: string; salvaged: number; lost: number; count: number };
      assert.equal(event.when, 'running');
      assert.equal(event.count, 1);
      assert.match(event.reason, /SQLITE_CORRUPT/);
      assert.match(event.movedTo, /agent\.db\.damaged-\d{4}-\d\d-\d\dT/);
      assert.ok(event.lost > 0 && event.salvaged >= 250, `salvaged ${event.salvaged}, lost ${event.lost}`);
      assert.equal(event.salvaged + event.lost, 300, 'every unsent reading is either salvaged or counted as lost');
      assert.ok(readdirSync(dir).some((name) => join(dir, name) === event.movedTo), 'the damaged file is kept');
      const saidAtError = (): number => agent.logs.filter((entry) => entry.level === logLevels.error && /damaged while running: moved aside/.test(entry.msg)).length;
      await until(() => saidAtError() > 0, 10_000, 'the error line');
      const problem = await waitForProblem(api, /damaged while running/, 'the store problem in /healthz');
      assert.match(problem.reason, new RegExp(`${event.salvaged} unsent reports salvaged, ${event.lost} lost`));

      assert.match((await callApi(api, 'GET', '/metrics')).text, /^edge_sms_store_damaged_total\{when="running"\} 1$/m, 'counted');

      // It carries on in the same process: the salvaged readings and a new one reach the SMSC.
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { after: 1 } })).status, 201);
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const sent = reader.prepare(`SELECT count(*) AS n FROM reports WHERE state IN ('submitted', 'delivered')`);
        await until(() => (sent.get() as { n: number }).n === event.salvaged + 1, 60_000, 'every salvaged reading and the new one submitted');
        const newest = reader.prepare('SELECT id, CAST(payload AS TEXT) AS payload FROM reports ORDER BY id DESC LIMIT 1').get() as { id: number; payload: string };
        assert.match(newest.payload, /after/);
        assert.ok(newest.id > 300, `the new reading's id ${newest.id} is above every id used before`);
      } finally {
        reader.close();
      }
      assert.equal(agent.running, true, 'never restarted');
      assert.equal(saidAtError(), 1, 'said once, at error');
      assert.equal(agent.logs.filter((entry) => entry.level === logLevels.error && entry['mod'] === 'store').length, 1, 'the only error line of the store');

      // The fresh file damaged again within the hour: the storage is failing; no more set-asides.
      checkpoint(db);
      damageLeafPageHolding(db, '"i":200}');
      touchFromOutside(db, 2);
      await callApi(api, 'GET', '/outbox?limit=500'); // reads every report row, the damaged page too
      const gaveUp = await waitForProblem(api, /stopped setting files aside/, 'the give-up in /healthz');
      assert.match(gaveUp.reason, /replace the SD card/);
      assert.equal(readdirSync(dir).filter((name) => /^agent\.db\.damaged-.*Z$/.test(name)).length, 1, 'no second copy set aside');
      await until(() => agent.logs.some((entry) => entry.level === logLevels.error && /keeps failing/.test(entry.msg)), 10_000, 'the give-up at error');
      assert.equal(agent.running, true);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    }));

  it('with the intake journal (default), loses none of the readings on the damaged page: the journal puts them back into the fresh file', () =>
    withAgentWhileSmscAway('pi-corruptj', '', async ({ agent, api, db, probe, smscBack }) => {
      for (let i = 0; i < 300; i++) assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i } })).status, 201);
      // The readings reach the file with their group's commit (at most 10 s later); then the damage can hit them there.
      const outside = new Database(db, { readonly: true, fileMustExist: true });
      try {
        await until(() => outside.prepare('SELECT count(*) FROM reports').pluck().get() === 300, 20_000, 'the group committed');
      } finally {
        outside.close();
      }
      checkpoint(db);
      damageLeafPageHolding(db, '"i":20}');
      touchFromOutside(db, 1);

      await smscBack();
      const event = JSON.parse((await probe.waitForTopic('edge-sms/pi-corruptj/events/store-damaged', () => true, 60_000)).text) as { salvaged: number; lost: number };
      assert.deepEqual({ salvaged: event.salvaged, lost: event.lost }, { salvaged: 300, lost: 0 }, 'the rows on the damaged page came back from the journal');
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const sent = reader.prepare(`SELECT count(*) AS n FROM reports WHERE id <= 300 AND state IN ('submitted', 'delivered')`);
        await until(() => (sent.get() as { n: number }).n === 300, 60_000, 'every reading submitted from the fresh file');
      } finally {
        reader.close();
      }
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    }));
});
