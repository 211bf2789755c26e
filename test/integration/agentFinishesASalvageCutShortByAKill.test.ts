/**
 * A salvage cut short is finished at the next start. The agent runs on a database of 40,000 queued
 * readings; one page of it is damaged while it runs, so the agent sets the file aside and copies the
 * owed readings into a fresh one a chunk at a time (seconds, for this many). It is SIGKILLed in the
 * middle of that copy. The next start finds `agent.db.salvaging`, finishes the copy by id (nothing
 * twice), says so at error, and every readable reading is in the fresh database.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, logLevels, until, waitForApi } from '../helpers/agentProcess.js';
import { storeAgentConfig } from '../helpers/storeAgentConfig.js';
import { damageLeafPageHolding } from '../helpers/sqliteFile.js';

const readings = 40_000;

/** Checkpoints, damages the table leaf page holding `marker` in the main file, then commits from outside (the agent's cache is dropped). */
function damageWhileRunning(db: string, marker: string): void {
  const side = new Database(db, { fileMustExist: true });
  try {
    const [result] = side.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    assert.equal(result?.busy, 0);
    damageLeafPageHolding(db, marker);
    side.prepare('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1').run('test_touch');
  } finally {
    side.close();
  }
}

describe('a run-time salvage cut short by a kill', () => {
  it('is finished at the next start, by id, so every readable reading is queued once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-salvage-kill-'));
    const db = join(dir, 'agent.db');
    const store = openStore({ path: db });
    for (let done = 0; done < readings; done += 1000) {
      store.outbox.enqueueMany(Array.from({ length: 1000 }, (_, i) => ({ kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ i: done + i }) })));
    }
    store.close();
    let sim = await startSimulator();
    const port = sim.port;
    await sim.stop();
    const { config, api } = storeAgentConfig(dir, 'pi-salvage-kill', port);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      damageWhileRunning(db, '"i":20}');
      sim = await startSimulator({ port }); // the router reads its queue and meets the damage
      await until(() => agent.logs.some((entry) => /found while running/.test(entry.msg)), 60_000, 'the damage found');
      await until(() => existsSync(`${db}.salvaging`), 10_000, 'the salvage under way');
      await agent.kill('SIGKILL');
      assert.ok(existsSync(`${db}.salvaging`), 'killed in the middle of the copy');
      assert.ok(!agent.logs.some((entry) => /damaged while running: moved aside/.test(entry.msg)), 'the copy had not finished');

      agent.start();
      await waitForApi(api, 60_000);
      await until(() => agent.logs.some((entry) => entry.level === logLevels.error && /cut short by the last stop: finished now/.test(entry.msg)), 10_000, 'the resumed salvage');
      const resumed = agent.logs.find((entry) => /cut short by the last stop/.test(entry.msg)) as { salvaged: number; lost: number } | undefined;
      assert.ok(resumed !== undefined && resumed.salvaged > 0, JSON.stringify(resumed));
      assert.ok(!existsSync(`${db}.salvaging`));
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const present = (reader.prepare('SELECT count(*) AS n FROM reports WHERE id <= ?').get(readings) as { n: number }).n;
        assert.equal(present, readings - resumed.lost, 'every readable reading is there, once');
        assert.ok(resumed.lost > 0 && resumed.lost < 200, `the damaged page's rows only (${resumed.lost})`);
      } finally {
        reader.close();
      }
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
