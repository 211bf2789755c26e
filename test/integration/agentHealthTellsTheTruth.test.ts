/**
 * Health tells the truth, from outside a real agent process: while the SMPP link is bound,
 * `/healthz` answers 200 `ok`; once the SMSC has been gone longer than `health.linkDownS`, `/healthz`
 * answers 503 `degraded` with `{check: 'smpp', reason, since}`, the retained MQTT state carries the
 * same problem, `status --json` shows it, and sd_notify's STATUS= says it; the problem is logged
 * once at error. When the SMSC returns, all of it goes back to ok. The health loop pets the
 * systemd watchdog (a stand-in notify socket) all along: a degraded agent is not a hung one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { account, startSimulator } from '../helpers/simSetup.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';

interface Health {
  readonly ok: boolean;
  readonly status: 'ok' | 'degraded';
  readonly problems: ReadonlyArray<{ check: string; reason: string; since: string }>;
}

async function healthz(api: string): Promise<{ code: number; body: Health }> {
  const reply = await callApi(api, 'GET', '/healthz');
  return { code: reply.status, body: JSON.parse(reply.text) as Health };
}

describe('health tells the truth', () => {
  it('a link down past health.linkDownS is degraded with a reason everywhere, and ok again when it is back; the watchdog is petted throughout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-health-'));
    const notifySocket = join(dir, 'notify.sock');
    const receiver = spawn('python3', [new URL('../fakes/notify-socket.py', import.meta.url).pathname, notifySocket], { stdio: ['ignore', 'pipe', 'inherit'] });
    let notified = '';
    receiver.stdout.on('data', (chunk: Buffer) => (notified += chunk.toString()));
    let sim = await startSimulator();
    const port = sim.port;
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-health }',
      'location: { enabled: false }',
      'modem: { enabled: false }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx", destination: "+447700900000", responseTimeoutMs: 1000, enquireLinkS: 2, reconnectMinS: 0.2, reconnectMaxS: 1 }`,
      `mqtt: { url: "${broker.url}", stateIntervalMs: 200 }`,
      'health: { linkDownS: 2 }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: info }',
    ]);
    // WatchdogSec=2: a pet is due every second.
    const agent = new AgentProcess(config, { NOTIFY_SOCKET: notifySocket, WATCHDOG_USEC: '2000000' });
    const pets = (): number => notified.split('\n').filter((line) => line.includes('WATCHDOG=1')).length;
    try {
      await until(() => notified.includes('LISTENING'), 10_000, 'the notify socket');
      await probe.subscribe('edge-sms/pi-health/state');
      agent.start();
      await waitForApi(api, 60_000);
      await until(() => agent.logs.some((entry) => entry.msg === 'agent started'), 15_000, 'the agent to start');
      let health = await healthz(api);
      for (let i = 0; i < 200 && !(health.code === 200 && (await callApi(api, 'GET', '/state')).text.includes('"state":"bound"')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        health = await healthz(api);
      }
      assert.equal(health.code, 200, JSON.stringify(health.body));
      assert.deepEqual({ ok: health.body.ok, status: health.body.status, problems: health.body.problems }, { ok: true, status: 'ok', problems: [] });
      await until(() => pets() >= 2, 10_000, 'the watchdog petted by the health loop');

      // The SMSC goes away: within linkDownS (2 s) plus a few ticks, health is degraded.
      const stoppedAt = Date.now();
      await sim.stop();
      let degraded: { code: number; body: Health } | undefined;
      await until(() => {
        void healthz(api).then((reply) => (degraded = reply), () => undefined);
        return degraded?.code === 503;
      }, 20_000, '/healthz 503');
      const problems = degraded?.body.problems ?? [];
      assert.equal(degraded?.body.status, 'degraded');
      assert.deepEqual(problems.map((problem) => problem.check), ['smpp']);
      assert.match(problems[0]?.reason ?? '', /SMPP link has not been bound for over 2 s \(health\.linkDownS\)/);
      const since = Date.parse(problems[0]?.since ?? '');
      assert.ok(since >= stoppedAt - 1000 && since <= Date.now(), `since ${problems[0]?.since} is when the link went down`);

      const state = await probe.waitForTopic('edge-sms/pi-health/state', (text) => (JSON.parse(text) as { health?: Health }).health?.status === 'degraded', 10_000);
      assert.deepEqual((JSON.parse(state.text) as { health: Health }).health.problems, problems);
      const status = await runCli(['status', '--config', config, '--json']);
      assert.equal(status.code, 0, status.stderr);
      assert.deepEqual((JSON.parse(status.stdout) as { state: { health: Health } }).state.health.problems, problems);
      await until(() => /STATUS=degraded: smpp: the SMPP link has not been bound/.test(notified), 10_000, 'STATUS= on the notify socket');
      const petsWhileDegraded = pets();

      // The SMSC comes back on the same port: ok again, everywhere.
      sim = await startSimulator({ port });
      await until(() => {
        void healthz(api).then((reply) => (degraded = reply), () => undefined);
        return degraded?.code === 200;
      }, 20_000, '/healthz 200 again');
      assert.deepEqual(degraded?.body.problems, []);
      await probe.waitForTopic('edge-sms/pi-health/state', (text) => (JSON.parse(text) as { health?: Health }).health?.status === 'ok', 10_000);
      await until(() => /STATUS=running/.test(notified.split('STATUS=degraded').at(-1) ?? ''), 10_000, 'STATUS=running after the recovery');
      await until(() => pets() > petsWhileDegraded, 10_000, 'pets go on');

      const healthLogs = agent.logs.filter((entry) => entry['mod'] === 'health');
      assert.deepEqual(healthLogs.map((entry) => `${entry.level} ${entry.msg} ${String(entry['check'])}`), [`${logLevels.error} health: degraded smpp`, `${logLevels.info} health: recovered smpp`], 'logged once each way');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      receiver.kill();
      await probe.close();
      await broker.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
