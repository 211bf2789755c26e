/**
 * Acknowledged reports lost with the WAL are counted, never silent. A real agent accepts readings
 * (201, each with its id) while its SMSC is away, is SIGKILLed, and the database's -wal file is
 * truncated to nothing before the restart (an SD card that lost it, a copy made without it): the
 * readings were durable only there. The restarted agent compares the database with the high-water
 * mark it keeps outside the WAL (`agent.db.mark`) and says exactly how many acknowledged reports
 * are gone: at error, on `events/store-lost-reports`, in `/healthz`, `status` and the metrics; new
 * ids continue above the mark, so no id is ever handed out twice. Cut in the middle instead, the WAL
 * keeps its whole commits, and exactly the others are counted. Those two run without the intake
 * journal (`intakeJournal: false`), which would otherwise put the readings back: the third case.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readMark } from '../../src/store/index.js';
import { startSimulator } from '../helpers/simSetup.js';
import { runCli } from '../helpers/cli.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi } from '../helpers/agentProcess.js';
import { storeAgentConfig } from '../helpers/storeAgentConfig.js';

/** Posts `count` telemetry readings; the ids they were acknowledged with. */
async function postReadings(api: string, count: number): Promise<number[]> {
  const acknowledged: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i } });
    assert.equal(reply.status, 201);
    acknowledged.push((JSON.parse(reply.text) as { id: number }).id);
  }
  return acknowledged;
}

/** What happens to the WAL between the kill and the restart: truncated to nothing, or cut in the middle of a frame. */
type WalDamage = 'emptied' | 'cut in half';

async function killLoseWalAndRestart(damage: WalDamage): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-wal-loss-'));
  const sim = await startSimulator();
  const port = sim.port;
  await sim.stop(); // away: the readings stay queued, in the WAL only
  const broker = await Mosquitto.start();
  const probe = await MqttProbe.connect(broker.url);
  const { config, api, db } = storeAgentConfig(dir, 'pi-walloss', port, broker.url, 'intakeJournal: false');
  const agent = new AgentProcess(config);
  try {
    agent.start();
    await waitForApi(api, 60_000);
    const acknowledged = await postReadings(api, 50);
    const highest = Math.max(...acknowledged);
    // The mark follows within its interval (a second): wait for it to cover the last 201.
    await until(() => (readMark(`${db}.mark`) ?? 0) >= highest, 10_000, 'the mark to cover every acknowledged id');

    await agent.kill('SIGKILL');
    assert.ok(existsSync(`${db}-wal`));
    // Cut in the middle: SQLite keeps the commits whose frames are whole and valid, so fewer are lost.
    truncateSync(`${db}-wal`, damage === 'emptied' ? 0 : Math.floor(statSync(`${db}-wal`).size / 2) + 100);

    await probe.subscribe('edge-sms/pi-walloss/events/store-lost-reports');
    agent.start();
    await waitForApi(api, 60_000);
    const event = JSON.parse((await probe.waitForTopic('edge-sms/pi-walloss/events/store-lost-reports', () => true, 20_000)).text) as { lost: number; mark: number; found: number };

    const reader = new Database(db, { readonly: true, fileMustExist: true });
    let missing: number;
    try {
      const present = reader.prepare('SELECT 1 FROM reports WHERE id = ?');
      missing = acknowledged.filter((id) => present.get(id) === undefined).length;
    } finally {
      reader.close();
    }
    assert.ok(missing > 0, 'the truncated WAL took acknowledged readings with it');
    if (damage === 'emptied') assert.equal(missing, acknowledged.length, 'none had been checkpointed');
    else assert.ok(missing < acknowledged.length, `the whole frames before the cut kept some (${missing} missing)`);
    assert.equal(event.lost, missing, 'exactly the acknowledged reports that are gone');
    assert.equal(event.mark, highest);
    assert.equal(event.found, highest - missing);

    await until(() => agent.logs.some((entry) => entry.level === logLevels.error && entry.msg.includes(`${missing} acknowledged report(s) were lost`)), 10_000, 'the loss at error');
    let reason = '';
    await until(() => {
      void callApi(api, 'GET', '/healthz').then((reply) => {
        const problems = (JSON.parse(reply.text) as { problems: Array<{ check: string; reason: string }> }).problems;
        reason = problems.find((problem) => problem.check === 'store')?.reason ?? '';
      }, () => undefined);
      return reason !== '';
    }, 10_000, 'the store problem in /healthz');
    assert.match(reason, new RegExp(`^${missing} acknowledged report\\(s\\) were lost with the database's WAL`));

    const status = await runCli(['status', '--config', config]);
    assert.match(status.stdout, new RegExp(`store: ${missing} acknowledged report\\(s\\) were lost with the database's WAL`), status.stdout);
    assert.match((await callApi(api, 'GET', '/metrics')).text, new RegExp(`^edge_sms_store_lost_reports_total ${missing}$`, 'm'), 'counted');

    const after = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { after: 1 } });
    assert.equal(after.status, 201);
    assert.ok((JSON.parse(after.text) as { id: number }).id > highest, 'a new id is above every id acknowledged before');
    assert.equal((await agent.kill('SIGTERM')).code, 0);
  } finally {
    if (agent.running) await agent.kill('SIGKILL');
    await probe.close();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('acknowledged reports lost with the WAL', () => {
  it('are counted exactly at the next start, said at error, published and shown in health and status; ids continue above them', async () => {
    await killLoseWalAndRestart('emptied');
  });

  it('are counted exactly when only the end of the WAL is lost', async () => {
    await killLoseWalAndRestart('cut in half');
  });

  it('with the intake journal (default), are put back at the next start under their ids, and none is counted lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-wal-journal-'));
    const sim = await startSimulator();
    const port = sim.port;
    await sim.stop(); // away: the readings stay queued
    const { config, api, db } = storeAgentConfig(dir, 'pi-waljournal', port);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      const acknowledged = await postReadings(api, 50);
      await agent.kill('SIGKILL');
      if (existsSync(`${db}-wal`)) truncateSync(`${db}-wal`, 0);
      agent.start();
      await waitForApi(api, 60_000);
      await until(() => agent.logs.some((entry) => entry.msg.includes('restored from the intake journal')), 10_000, 'the restore to be said');
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const present = reader.prepare('SELECT 1 FROM reports WHERE id = ?').pluck();
        assert.deepEqual(acknowledged.filter((id) => present.get(id) === undefined), [], 'every acknowledged id is back');
      } finally {
        reader.close();
      }
      assert.ok(!agent.logs.some((entry) => entry.msg.includes('were lost with the database')), 'nothing counted lost');
      assert.doesNotMatch((await callApi(api, 'GET', '/metrics')).text, /^edge_sms_store_lost_reports_total [1-9]/m);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
