/**
 * Bad environments, each with the agent as a real process: a bad config stops it at once with exit
 * code 1 and a message naming the key; a missing serial port, a refused SMPP bind and a broker that
 * refuses the credentials are each a clear error in the log while the agent keeps doing what it
 * still can (reports over SMPP, reports waiting in the outbox, state on MQTT).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pdu } from '../../src/smpp/index.js';
import { account, startSimulator } from '../helpers/simSetup.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { AgentProcess, callApi, logLevels, until, waitForApi } from '../helpers/agentProcess.js';

interface Setup {
  readonly dir: string;
  readonly config: string;
  readonly api: string;
}

function setup(lines: readonly string[]): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'esa-degrade-'));
  const config = join(dir, 'config.yaml');
  const api = join(dir, 'api.sock');
  writeFileSync(config, [...lines, `store: { path: "${join(dir, 'agent.db')}" }`, `api: { listen: "unix:${api}" }`, 'log: { level: warn }'].join('\n'));
  return { dir, config, api };
}

const smppLine = (port: number, password: string = account.password): string =>
  `smpp: { url: "smpp://${account.systemId}:${password}@127.0.0.1:${port}?bind=trx", destination: "+447700900000", responseTimeoutMs: 1000, enquireLinkS: 2 }`;
const kinds = 'reports: { kinds: { telemetry: { maxDelayS: 0 } } }';

interface StateJson {
  readonly smpp: { readonly state: string };
  readonly outbox: { readonly byState: Record<string, number> };
}

describe('the agent in bad environments', () => {
  it('refuses a bad config at start: exit code 1 (the systemd start limit stops the restarts), the key, the value and the fix', async () => {
    for (const [line, expected] of [
      ['smpp: { responseTimeoutMs: 0, destination: "+447700900000" }', /smpp\.responseTimeoutMs: must be an integer 100\.\.300000 \(ms\), got 0/],
      ['smpp: { destination: "+447700900000" }\nmqtt: { usrname: edge }', /mqtt\.usrname: unknown key \(did you mean username\?\)/],
    ] as const) {
      const { dir, config } = setup(['device: { id: pi-bad }', 'location: { enabled: false }', line]);
      const agent = new AgentProcess(config);
      try {
        agent.start();
        const exit = await agent.exited();
        assert.equal(exit.code, 1);
        assert.match(agent.raw.join('\n'), expected);
        assert.match(agent.raw.join('\n'), /The configuration is broken \(exit 1\)\. Fix .*systemctl restart edge-sms-agent/);
        assert.match(agent.raw.join('\n'), /^edge-sms-agent run: /);
        assert.deepEqual(agent.logs, [], 'nothing started, so nothing logged');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('without its serial port, says which port and still sends reports over SMPP', async () => {
    const sim = await startSimulator();
    const submits: Pdu[] = [];
    sim.on('pdu', (pdu) => void (pdu.command === 'submit_sm' && submits.push(pdu)));
    const missing = '/dev/ttyEDGE-missing-42';
    const { dir, config, api } = setup(['device: { id: pi-noport }', 'location: { enabled: false }', smppLine(sim.port), `modem: { port: "${missing}", fallbackAfterS: 1 }`, kinds, 'mqtt: { enabled: false }']);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      await until(() => agent.logs.some((entry) => entry['port'] === missing), 10_000, 'the serial port error');
      const error = agent.logs.find((entry) => entry['port'] === missing);
      assert.equal(error?.level, logLevels.error);
      assert.equal(error?.['mod'], 'modem');
      assert.match(error?.msg ?? '', /cannot open the modem's serial port: .*ttyEDGE-missing-42/);
      const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 21 } });
      assert.equal(posted.status, 201, posted.text);
      await until(() => submits.length > 0, 10_000, 'the report at the SMSC');
      const health = JSON.parse((await callApi(api, 'GET', '/healthz')).text) as { smpp: string; modem: string };
      assert.equal(health.smpp, 'bound');
      assert.notEqual(health.modem, 'ready');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
      assert.deepEqual(agent.above(logLevels.warn).filter((entry) => entry['port'] !== missing).map((entry) => entry.msg), [], 'no other errors');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a refused bind, says so clearly, keeps the reports and still publishes its state', async () => {
    const sim = await startSimulator();
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    const { dir, config, api } = setup(['device: { id: pi-badpass }', 'location: { enabled: false }', smppLine(sim.port, 'Hunter2x'), 'modem: { enabled: false }', kinds, `mqtt: { url: "${broker.url}", stateIntervalMs: 200 }`]);
    const agent = new AgentProcess(config);
    try {
      await probe.subscribe('edge-sms/pi-badpass/#');
      agent.start();
      await waitForApi(api, 15_000);
      await until(() => agent.logs.some((entry) => entry.msg === 'SMSC refused the bind'), 10_000, 'the bind error');
      const refused = agent.logs.find((entry) => entry.msg === 'SMSC refused the bind');
      assert.equal(refused?.level, logLevels.error);
      assert.match(JSON.stringify(refused?.['err']), /ESME_RINVPASWD/);
      // Retried slowly, not hammered: the next try is tens of seconds away.
      assert.ok(Number(refused?.['retryInMs']) >= 10_000, `retry in ${String(refused?.['retryInMs'])} ms`);
      assert.doesNotMatch(agent.logs.map((entry) => JSON.stringify(entry)).join('\n'), /Hunter2x/, 'the password is never logged');

      for (let i = 0; i < 3; i++) assert.equal((await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { i } })).status, 201);
      // Exact counts from GET /state: the retained MQTT state carries counts by threshold (three readings are routine).
      for (const deadline = Date.now() + 5000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
        const live = JSON.parse((await callApi(api, 'GET', '/state')).text) as StateJson;
        if (live.outbox.byState['queued'] === 3) break;
        assert.ok(Date.now() < deadline, `three reports queued: ${JSON.stringify(live.outbox.byState)}`);
      }
      const state = await probe.waitForTopic('edge-sms/pi-badpass/state', (text) => (JSON.parse(text) as StateJson).smpp.state !== 'bound', 5000);
      assert.doesNotMatch(state.text, /Hunter2x/, 'nor published');
      assert.equal(sim.connections.filter((connection) => connection.bindMode !== undefined).length, 0, 'never bound');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
      assert.deepEqual(agent.above(logLevels.warn).filter((entry) => entry.msg !== 'SMSC refused the bind').map((entry) => entry.msg), []);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await broker.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a broker that refuses its credentials, says so and goes on sending reports', async () => {
    const sim = await startSimulator();
    const submits: Pdu[] = [];
    sim.on('pdu', (pdu) => void (pdu.command === 'submit_sm' && submits.push(pdu)));
    const broker = await Mosquitto.start({ users: { edge: 'right-password' } });
    const { dir, config, api } = setup([
      'device: { id: pi-badmqtt }', 'location: { enabled: false }', smppLine(sim.port), 'modem: { enabled: false }', kinds,
      `mqtt: { url: "${broker.url}", username: edge, password: not-the-password }`,
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await waitForApi(api, 15_000);
      await until(() => agent.logs.some((entry) => /refused the credentials/.test(entry.msg) || /refused the credentials/.test(JSON.stringify(entry['err']))), 10_000, 'the broker error');
      const refused = agent.logs.find((entry) => /refused the credentials/.test(entry.msg) || /refused the credentials/.test(JSON.stringify(entry['err'])));
      assert.ok(refused !== undefined && refused.level >= logLevels.warn);
      assert.match(JSON.stringify(refused), /mqtt\.username \/ mqtt\.password/);
      assert.doesNotMatch(agent.logs.map((entry) => JSON.stringify(entry)).join('\n'), /not-the-password/, 'the password is never logged');
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'alarm', data: { door: 'open' } })).status, 201);
      await until(() => submits.length > 0, 10_000, 'the report at the SMSC');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await broker.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
