/**
 * Secrets never leave the agent. At every log level a real agent binds to the SMSC simulator (SMPP
 * password with an `@`, percent-encoded in the URL), logs in to a real Mosquitto with a password, and
 * takes SMS commands with the PIN and signed with the key, plus remote set-config attempts on
 * secrets and trace; then it fails TLS to an SMSC and a broker it cannot trust, and is started with
 * config errors holding secrets of every YAML type. Every output — log lines (standard error), every
 * MQTT message (retained state included), `status --json` and `/state` — is searched for each secret,
 * as text, percent-encoded and as the hex a trace would show.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCommand } from '../../src/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { startSimulator } from '../helpers/simSetup.js';
import { makeTestPki } from '../helpers/testCertificates.js';

const smppPassword = 'Zq7@wX9p';
const mqttPassword = 'mq-Secret-5531';
const pin = '60718293';
const key = 'cmd-key-Secret-0123456789';
const secrets = [smppPassword, mqttPassword, pin, key];
const operator = '447700900123';
const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Each secret as it could appear: itself, percent-encoded, as hex (a PDU dump), as base64. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'latin1');
  return [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('base64')];
}

function assertClean(what: string, text: string, extra: readonly string[] = []): void {
  for (const secret of [...secrets, ...extra]) {
    for (const form of forms(secret)) assert.ok(!text.includes(form), `${what} shows a secret (${form})`);
  }
}

describe('secrets never leave', () => {
  it('at every log level, through bind, commands, set-config, TLS failures and config errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-secrets-'));
    const pki = makeTestPki();
    const broker = await Mosquitto.start({
      users: { 'pi-secret': mqttPassword, observer: 'observer-pw' },
      tls: { caFile: pki.caCert, certFile: pki.serverCert, keyFile: pki.serverKey, requireClientCert: false },
    });
    const sim = await startSimulator({ accounts: [{ systemId: 'esme1', password: smppPassword }] });
    const untrusted = await startSimulator({ accounts: [{ systemId: 'esme1', password: smppPassword }], tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) } });
    const probe = await MqttProbe.connect(broker.url, { username: 'observer', password: 'observer-pw' });
    const keyFile = join(dir, 'command.key');
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    const macs: string[] = [];
    const encoded = encodeURIComponent(smppPassword);
    const config = (home: string, level: string, smpp: string, mqtt: string): string => writeAgentConfig(home, [
      'device: { id: pi-secret }',
      smpp,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(home, 'agent.db')}" }`,
      mqtt,
      `api: { listen: "unix:${join(home, 'api.sock')}" }`,
      `commands: { allow: ["+${operator}"], pin: "${pin}", keyFile: "${keyFile}", maxFailures: 100 }`,
      `log: { level: ${level} }`,
    ]);
    try {
      await probe.subscribe('#');
      let counter = Math.floor(Date.now() / 1000) - 600;
      for (const level of levels) {
        const home = join(dir, level);
        mkdirSync(home);
        const agent = new AgentProcess(config(home, level,
          `smpp: { url: "smpp://esme1:${encoded}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
          `mqtt: { url: "${broker.url}", username: pi-secret, password: "${mqttPassword}", stateIntervalMs: 200 }`));
        const api = join(home, 'api.sock');
        agent.start();
        try {
          await waitForApi(api, 20_000);
          await until(() => sim.connections.some((connection) => connection.receives && !connection.link.closed), 20_000, `the bind at ${level}`);
          await probe.waitForTopic('edge-sms/pi-secret/status', (text) => text === 'online', 20_000);
          const inject = (text: string): Promise<number> => sim.injectMo({ source_addr: operator, destination_addr: 'EDGE', text });
          await inject(`PIN ${pin} PING`);
          await inject(`PIN ${pin.slice(0, 7)}0 STATUS`); // a wrong PIN: logged as refused, never shown
          const signed = signCommand({ key, deviceId: 'pi-secret', text: 'PING', counter: (counter += 1) });
          macs.push(signed.split(' ')[2] ?? '');
          await inject(signed);
          await until(() => sim.connections.length > 0 && probe.messages.filter((m) => m.topic === 'edge-sms/pi-secret/events/sms-received').length >= 3 * (levels.indexOf(level) + 1), 10_000, 'the SMS events');
          for (const values of [{ 'mqtt.password': 'x' }, { 'commands.pin': '1234' }, { 'log.level': 'trace' }, { 'smpp.url': 'smpp://a:b@evil:1' }]) {
            const requestId = `${level}-${Object.keys(values)[0] ?? ''}`;
            await probe.client.publishAsync('edge-sms/pi-secret/cmd/set-config', JSON.stringify({ values, requestId }));
            const reply = await probe.waitForTopic('edge-sms/pi-secret/cmd/set-config/response', (text) => text.includes(requestId), 10_000);
            assert.equal((JSON.parse(reply.text) as { status: string }).status, 'error', reply.text);
          }
          const state = await callApi(api, 'GET', '/state');
          assertClean(`/state at ${level}`, state.text, macs);
          const status = await runCli(['status', '--config', agent.configFile, '--json']);
          assert.equal(status.code, 0, status.stderr);
          assertClean(`status at ${level}`, status.stdout + status.stderr, macs);
        } finally {
          await agent.kill('SIGTERM');
        }
        assertClean(`the log at ${level}`, [...agent.raw, ...agent.logs.map((entry) => JSON.stringify(entry))].join('\n'), macs);
        if (level === 'trace') assert.ok(agent.logs.some((entry) => entry.msg === 'pdu' && entry['command'] === 'bind_transceiver'), 'the bind PDU is traced (redacted)');
      }

      // TLS failures, at trace: an SMSC and a broker whose certificates we do not trust.
      const home = join(dir, 'tls');
      mkdirSync(home);
      const tlsAgent = new AgentProcess(config(home, 'trace',
        `smpp: { url: "smpps://esme1:${encoded}@127.0.0.1:${untrusted.port}", destination: "+447700900000", reconnectMinS: 0.2, reconnectMaxS: 1 }`,
        `mqtt: { url: "${broker.tlsUrl}", username: pi-secret, password: "${mqttPassword}" }`));
      tlsAgent.start();
      try {
        const api = join(home, 'api.sock');
        await waitForApi(api, 20_000);
        await until(() => tlsAgent.logs.some((entry) => entry.msg.startsWith('SMPP TLS failure')), 20_000, 'the SMPP TLS failure');
        await until(() => tlsAgent.logs.some((entry) => entry['mod'] === 'mqtt' && entry.level === 40), 20_000, 'the MQTT TLS failure');
        assertClean('/state after TLS failures', (await callApi(api, 'GET', '/state')).text);
      } finally {
        await tlsAgent.kill('SIGTERM');
      }
      assertClean('the log of TLS failures', [...tlsAgent.raw, ...tlsAgent.logs.map((entry) => JSON.stringify(entry))].join('\n'));

      // Config errors holding the secrets, as YAML numbers, lists and strings that break a rule.
      const broken = [
        `commands: { pin: ${pin} }`,
        `commands: { pin: [${pin}] }`,
        'commands: { key: "cmd-key" }',
        `mqtt: { username: pi-secret, password: [${mqttPassword}] }`,
        `smpp: { url: "http://esme1:${smppPassword}@127.0.0.1:1", destination: "+447700900000" }`,
      ];
      for (const [index, line] of broken.entries()) {
        const bad = join(dir, `bad-${index}`);
        mkdirSync(bad);
        const lines = ['device: { id: pi-secret }', 'smpp: { destination: "+447700900000" }', 'log: { level: trace }'].filter((entry) => !line.startsWith(entry.split(':')[0] ?? '-'));
        const agent = new AgentProcess(writeAgentConfig(bad, [...lines, line]));
        agent.start();
        assert.equal((await agent.exited()).code, 1, line);
        const said = [...agent.raw, ...agent.logs.map((entry) => JSON.stringify(entry))].join('\n');
        assert.match(said, /must be|must have/, line);
        assertClean(`the config error for ${line}`, said);
      }

      // Everything published on the broker, retained state included.
      const published = probe.messages.map((message) => `${message.topic} ${message.text}`).join('\n');
      assert.ok(published.includes('PIN [redacted] PING'));
      assertClean('the MQTT traffic', published, macs);
    } finally {
      await probe.close();
      await sim.stop();
      await untrusted.stop();
      await broker.stop();
      rmSync(pki.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
