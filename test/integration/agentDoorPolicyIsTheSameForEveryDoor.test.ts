/**
 * One door policy: the same readings are refused, with the same error code, whichever way they come in
 * (the local API, the MQTT `report` and `send-sms` commands, the `report` CLI), and nothing is queued for
 * them; the same good reading is taken by each. A real agent process, a real Mosquitto, the real CLI.
 * (The SMS REPORT command and the GNSS poller make their readings inside the agent and queue them through
 * the same Ingest, hence the same door: agentReportCommandSendsHeldReadings.test.ts shows REPORT's reading leave.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodeName, ErrorCode } from '../../src/errors.js';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';

const cliMain = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cliMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGE_SMS_CONFIG: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

interface Reply {
  readonly status: 'ok' | 'error';
  readonly error?: { readonly code: string; readonly agentCode?: number; readonly message: string };
}

async function ask(probe: MqttProbe, topic: string, payload: unknown): Promise<Reply> {
  const responseTopic = `test/replies/${randomUUID()}`;
  await probe.subscribe(responseTopic);
  await probe.client.publishAsync(topic, JSON.stringify(payload), { qos: 1, properties: { responseTopic, correlationData: Buffer.from('x') } });
  return JSON.parse((await probe.waitForTopic(responseTopic, () => true, 15_000)).text) as Reply;
}

/** Readings every door must refuse, with the code each must give. */
const refused: ReadonlyArray<{ readonly what: string; readonly reading: { kind: string; data: Record<string, unknown> }; readonly code: number }> = [
  { what: 'too big for reports.maxParts', reading: { kind: 'telemetry', data: { note: 'n'.repeat(900) } }, code: ErrorCode.Report_TooLarge },
  { what: 'an unconfigured kind', reading: { kind: 'boiler', data: { T: 1 } }, code: ErrorCode.Store_InvalidInput },
  { what: 'a field name the wire format cannot carry', reading: { kind: 'telemetry', data: { 'T.1': 1 } }, code: ErrorCode.Store_InvalidInput },
];

describe('the one door policy', () => {
  it('refuses the same readings with the same code at the API, over MQTT and in the CLI, and takes the same good one', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-door-'));
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-door }',
      'smpp: { enabled: false, destination: "+447700900000" }',
      'modem: { enabled: true, port: /dev/null-no-modem, fallbackAfterS: 0 }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { maxParts: 2 }',
      `mqtt: { url: "${broker.url}" }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: error }',
    ]);
    const agent = new AgentProcess(config);
    const queued = async (): Promise<number> => (JSON.parse((await callApi(api, 'GET', '/state')).text) as { outbox: { byState: { queued: number } } }).outbox.byState.queued;
    try {
      agent.start();
      await waitForApi(api, 20_000);
      const cmd = (name: string): string => `edge-sms/pi-door/cmd/${name}`;
      for (const { what, reading, code } of refused) {
        const viaApi = await callApi(api, 'POST', '/reports', reading);
        assert.equal(viaApi.status, 400, `API, ${what}: ${viaApi.text}`);
        assert.equal((JSON.parse(viaApi.text) as { error: { code: string } }).error.code, errorCodeName(code as ErrorCode), `API, ${what}`);
        const viaMqtt = await ask(probe, cmd('report'), reading);
        assert.equal(viaMqtt.status, 'error', `MQTT, ${what}`);
        assert.equal(viaMqtt.error?.agentCode, code, `MQTT, ${what}: ${JSON.stringify(viaMqtt)}`);
        const viaCli = await cli(['report', '--kind', reading.kind, '--data', JSON.stringify(reading.data), '--config', config]);
        assert.equal(viaCli.code, 1, `CLI, ${what}`);
        assert.match(viaCli.stderr, new RegExp(`${errorCodeName(code as ErrorCode)} \\(${code}\\)`), `CLI, ${what}`);
      }
      // Plain SMS: a number that is not one, a text outside GSM 7-bit, a text too long for maxParts.
      for (const [payload, code] of [
        [{ to: 'not-a-number', text: 'x' }, ErrorCode.Store_InvalidInput],
        [{ to: '+447700900001', text: 'snow \u2603' }, ErrorCode.Store_InvalidInput],
        [{ to: '+447700900001', text: 'a'.repeat(400) }, ErrorCode.Report_TooLarge],
      ] as const) {
        const viaMqtt = await ask(probe, cmd('send-sms'), payload);
        assert.equal(viaMqtt.error?.agentCode, code, JSON.stringify(viaMqtt));
        const viaCli = await cli(['report', '--sms', payload.text, '--to', payload.to, '--config', config]);
        assert.equal(viaCli.code, 1);
        assert.match(viaCli.stderr, new RegExp(errorCodeName(code)));
      }
      assert.equal(await queued(), 0, 'nothing refused was queued');

      const good = { kind: 'alarm', data: { door: true } };
      assert.equal((await callApi(api, 'POST', '/reports', good)).status, 201);
      assert.equal((await ask(probe, cmd('report'), good)).status, 'ok');
      assert.equal((await cli(['report', '--kind', 'alarm', '--data', '{"door":true}', '--config', config])).code, 0);
      assert.equal((await ask(probe, cmd('send-sms'), { to: '+447700900001', text: 'hello' })).status, 'ok');
      assert.equal(await queued(), 4);
      assert.ok(agent.running);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
