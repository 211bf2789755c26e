/**
 * A full disk, for real: the agent's database lives on a 4 MiB tmpfs this test mounts (and
 * unmounts). Filled up, the agent refuses readings with 507 `Store_DiskFull`, says so once at error
 * (not once per reading), and `/healthz` is degraded with `{check: 'store'}`. When space returns it
 * recovers by itself: healthy again, readings accepted, and every reading it ever acknowledged
 * (201) reaches the SMSC once it is back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { knock } from '../../src/store/index.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, logLevels, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

/** Writes zeros into `path` until the file system refuses (ENOSPC). */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function health(api: string): Promise<{ code: number; problems: Array<{ check: string; reason: string }> }> {
  const reply = await callApi(api, 'GET', '/healthz');
  return { code: reply.status, problems: (JSON.parse(reply.text) as { problems: Array<{ check: string; reason: string }> }).problems };
}

describe('a full disk', () => {
  it('refuses readings with Store_DiskFull, degrades health once, and recovers by itself losing nothing acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-diskfull-'));
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
    // The SMSC is away while the disk fills (nothing drains), and back at the end.
    let sim = await startSimulator();
    const port = sim.port;
    await sim.stop();
    const api = join(dir, 'api.sock');
    const db = join(disk, 'agent.db');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-full }',
      'location: { enabled: false }',
      'modem: { enabled: false }',
      'mqtt: { enabled: false }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx", destination: "+447700900000", reconnectMinS: 0.2, reconnectMaxS: 1 }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
      `store: { path: "${db}" }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: info }',
    ]);
    const agent = new AgentProcess(config);
    const acknowledged: number[] = [];
    const filler = join(disk, 'filler');
    try {
      agent.start();
      await waitForApi(api, 60_000);
      const post = (i: number): ReturnType<typeof callApi> => callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i, T: 20.5, H: 61, P: 1013.2 } });
      let i = 0;
      for (; i < 20; i++) {
        const reply = await post(i);
        assert.equal(reply.status, 201, reply.text);
        acknowledged.push((JSON.parse(reply.text) as { id: number }).id);
      }

      fillUp(filler);
      let refused: { status: number; text: string } | undefined;
      for (; i < 5000 && refused === undefined; i++) {
        const reply = await post(i);
        if (reply.status === 201) acknowledged.push((JSON.parse(reply.text) as { id: number }).id);
        else refused = reply;
      }
      assert.ok(refused !== undefined, 'a reading was refused on the full disk');
      assert.equal(refused.status, 507, refused.text);
      const error = (JSON.parse(refused.text) as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'Store_DiskFull');
      assert.match(error.message, /disk holding the database \(store\.path\) is full/);
      for (let more = 0; more < 20; more++, i++) assert.equal((await post(i)).status, 507);

      let state = await health(api);
      await until(() => {
        void health(api).then((reply) => (state = reply), () => undefined);
        return state.code === 503;
      }, 10_000, '/healthz 503');
      assert.deepEqual(state.problems.map((problem) => problem.check), ['store']);
      assert.match(state.problems[0]?.reason ?? '', /disk holding the database is full/);
      const storeErrors = agent.logs.filter((entry) => entry.level >= logLevels.error && entry['check'] === 'store');
      assert.equal(storeErrors.length, 1, 'said once, not once per refused reading');

      // Space returns: the agent recovers by itself.
      rmSync(filler);
      await until(() => {
        void health(api).then((reply) => (state = reply), () => undefined);
        return state.code === 200;
      }, 15_000, '/healthz 200 again');
      const after = await post(i);
      assert.equal(after.status, 201, after.text);
      acknowledged.push((JSON.parse(after.text) as { id: number }).id);
      assert.ok(agent.logs.some((entry) => entry.msg === 'health: recovered' && entry['check'] === 'store'));

      // The SMSC returns: everything acknowledged leaves.
      sim = await startSimulator({ port });
      const submits = collectSubmits(sim);
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const unsent = reader.prepare(`SELECT count(*) AS n FROM reports WHERE id IN (${acknowledged.join(',')}) AND state NOT IN ('submitted', 'delivered')`);
        // Each poll knocks, so the agent commits its open group (store.groupCommitS) and the next poll sees it.
        await until(() => {
          knock(db);
          return (unsent.get() as { n: number }).n === 0;
        }, 60_000, 'every acknowledged reading submitted');
        assert.equal((reader.prepare(`SELECT count(*) AS n FROM reports WHERE id IN (${acknowledged.join(',')})`).get() as { n: number }).n, acknowledged.length, 'none lost');
      } finally {
        reader.close();
      }
      assert.ok(submits.length > 0);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      execFileSync('umount', ['-l', disk]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
