/**
 * `edge-sms-agent run` as a real process against real peers: the SMSC simulator (TCP), the modem
 * emulator on a pseudo-terminal, and Mosquitto. A report posted to the local API reaches the SMSC
 * as a report message; the state is mirrored to MQTT; with the SMSC gone for longer than the
 * fallback time, an alarm leaves through the modem; SIGTERM stops it cleanly (status offline).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportReceiver } from '../../src/report/index.js';
import { startModemEmulator } from '../../src/sim/modem/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { writeAgentConfig } from '../helpers/agentProcess.js';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';
import { runCli } from '../helpers/cli.js';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function post(socketPath: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request({ socketPath, method: 'POST', path: '/reports', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let out = '';
      res.on('data', (chunk: Buffer) => (out += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the agent end to end', () => {
  it('reports flow over SMPP, fall back to the modem while the SMSC is away, and the state is on MQTT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-agent-'));
    const broker = await Mosquitto.start();
    const sim = await startSimulator();
    const modem = await startModemEmulator({ link: join(dir, 'ttyEDGE0'), profile: 'simcom-sim7600' });
    const probe = await MqttProbe.connect(broker.url);
    const submits = collectSubmits(sim);
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-e2e, alias: "7" }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000", source: EDGE7, responseTimeoutMs: 1000, enquireLinkS: 2 }`,
      `modem: { port: "${modem.path}", profile: simcom-sim7600, fallbackAfterS: 1 }`,
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
      `mqtt: { url: "${broker.url}", stateIntervalMs: 200 }`,
      `api: { listen: "unix:${api}" }`,
      'commands: { allow: ["+447700900123"], pin: "4321" }',
      'log: { level: warn }',
    ]);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'run', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, EDGE_SMS_CONFIG: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await probe.subscribe('edge-sms/pi-e2e/#');
      await until(() => existsSync(api), 10_000, 'the local API');
      await probe.waitForTopic('edge-sms/pi-e2e/status', (text) => text === 'online', 10_000);
      await probe.waitForTopic('edge-sms/pi-e2e/state', (text) => (JSON.parse(text) as { smpp: { state: string } }).smpp.state === 'bound', 10_000);

      const posted = await post(api, { kind: 'telemetry', data: { T: 21.5, H: 40 } });
      assert.equal(posted.status, 201, posted.text);
      await until(() => submits.length > 0, 5000, 'a submit_sm at the SMSC');
      const centre = new ReportReceiver();
      const first = submits[0];
      assert.ok(first?.command === 'submit_sm');
      const received = centre.accept({ ...first, command: 'deliver_sm' });
      assert.equal(received.kind, 'report', JSON.stringify(received));
      if (received.kind === 'report') {
        assert.equal(received.message.device, '7');
        assert.deepEqual(received.message.readings[0]?.fields, { T: 21.5, H: 40 });
      }

      const status = await runCli(['status', '--config', config, '--json']);
      assert.equal(status.code, 0, status.stderr);
      const live = JSON.parse(status.stdout) as { running: boolean; state: { smpp: { state: string } } };
      assert.deepEqual([live.running, live.state.smpp.state], [true, 'bound']);

      // A fleet command: set-config is applied at once, answered, and kept in settings.json.
      await probe.client.publishAsync('edge-sms/pi-e2e/cmd/set-config', JSON.stringify({ values: { 'modem.fallbackAfterS': 1 }, requestId: 'r1' }));
      const reply = await probe.waitForTopic('edge-sms/pi-e2e/cmd/set-config/response', (text) => text.includes('"r1"'), 5000);
      assert.equal((JSON.parse(reply.text) as { status: string }).status, 'ok', reply.text);
      assert.ok(existsSync(join(dir, 'settings.json')));

      // An SMS command from an allowed sender, with the PIN: the reply goes out through the outbox.
      const before = submits.length;
      await sim.injectMo({ source_addr: '447700900123', destination_addr: 'EDGE7', text: 'PIN 4321 PING' });
      await until(() => submits.slice(before).some((pdu) => pdu.command === 'submit_sm' && pdu.destination_addr === '447700900123'), 5000, 'the PING reply');
      const pong = submits.slice(before).find((pdu) => pdu.command === 'submit_sm' && pdu.destination_addr === '447700900123');
      assert.ok(pong?.command === 'submit_sm');
      assert.match(pong.short_message.toString('latin1'), /^PONG /);
      await probe.waitForTopic('edge-sms/pi-e2e/events/sms-received', (text) => text.includes('PIN [redacted] PING') && !text.includes('4321'), 5000);
      // Cut the SMSC only once the reply is acknowledged (cut earlier, it would rightly be re-queued).
      await probe.waitForTopic('edge-sms/pi-e2e/state', (text) => {
        const { byState } = (JSON.parse(text) as { outbox: { byState: { queued: number; sending: number; submitted: number } } }).outbox;
        return byState.queued === 0 && byState.sending === 0 && byState.submitted === 2;
      }, 5000);

      await sim.stop();
      await probe.waitForTopic('edge-sms/pi-e2e/events/link-down', () => true, 10_000);
      assert.equal((await post(api, { kind: 'telemetry', data: { T: 22 } })).status, 201);
      assert.equal((await post(api, { kind: 'alarm', data: { door: 'open' } })).status, 201);
      await until(() => modem.emulator.commands.some((command) => /^AT\+CMGS=\d+$/.test(command)), 15_000, 'the alarm through the modem');
      const state = await probe.waitForTopic('edge-sms/pi-e2e/state', (text) => (JSON.parse(text) as { outbox: { byState: { queued: number } } }).outbox.byState.queued === 1, 10_000);
      assert.ok(state.text.includes('"modem"'));
      assert.equal(modem.emulator.commands.filter((command) => /^AT\+CMGS=/.test(command)).length, 1, 'telemetry does not use the modem');

      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      await probe.waitForTopic('edge-sms/pi-e2e/status', (text) => text === 'offline', 5000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await probe.close();
      await modem.stop();
      await sim.stop().catch(() => undefined);
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
