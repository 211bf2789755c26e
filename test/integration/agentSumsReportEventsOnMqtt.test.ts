/**
 * On the data plan, a drain's good news is summed: `edge-sms-agent run` as a real process, the SMSC
 * simulator with delivery receipts, a real Mosquitto. With `mqtt.reportEventsS: 2`, ten readings sent as
 * ten SMS publish no `report-submitted` or `report-delivered` on MQTT; `events/reports` sums them (messages,
 * reports, ids as ranges) while the local API's `/events` still has one event per message. A failure is
 * published alone, after the sum that was pending (a report's submission comes before its failure).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandStatus } from '../../src/smpp/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe, type ProbeMessage } from '../helpers/mqttProbe.js';
import { account, startSimulator } from '../helpers/simSetup.js';

interface OutcomeSum {
  readonly messages: number;
  readonly reports: number;
  readonly ids: string;
  readonly idsComplete: boolean;
}
interface ReportsSummary {
  readonly since: string;
  readonly submitted: OutcomeSum;
  readonly delivered: OutcomeSum;
}

/** "3-5,9" → [3, 4, 5, 9]. */
function expand(ranges: string): number[] {
  if (ranges === '') return [];
  return ranges.split(',').flatMap((piece) => {
    const [from, to] = piece.split('-').map(Number) as [number, number | undefined];
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

async function post(api: string, body: unknown): Promise<number> {
  const reply = await callApi(api, 'POST', '/reports', body);
  assert.equal(reply.status, 201, reply.text);
  return (JSON.parse(reply.text) as { id: number }).id;
}

describe('report events summed on MQTT (mqtt.reportEventsS)', () => {
  it('publishes events/reports instead of one event per message, keeps failures alone and in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-sum-'));
    const broker = await Mosquitto.start();
    const sim = await startSimulator({ receipts: { delayMs: 100 } });
    let submits = 0;
    sim.on('pdu', (pdu) => {
      if (pdu.command === 'submit_sm') submits += 1;
    });
    const probe = await MqttProbe.connect(broker.url);
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-sum }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      `mqtt: { url: "${broker.url}", stateIntervalMs: 200, reportEventsS: 2 }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    const events = (type: string): ProbeMessage[] => probe.messages.filter((m) => m.topic === `edge-sms/pi-sum/events/${type}`);
    const summaries = (): ReportsSummary[] => events('reports').map((m) => JSON.parse(m.text) as ReportsSummary);
    try {
      await probe.subscribe('edge-sms/pi-sum/#');
      agent.start();
      await waitForApi(api, 15_000);
      await probe.waitForTopic('edge-sms/pi-sum/state', (text) => (JSON.parse(text) as { smpp: { state: string } }).smpp.state === 'bound', 10_000);

      const ids: number[] = [];
      for (let n = 0; n < 10; n += 1) {
        ids.push(await post(api, { kind: 'telemetry', data: { n } }));
        // One SMS each: the next reading comes after the previous one left.
        await until(() => submits > n, 10_000, `submit ${n}`);
      }
      const total = (key: 'submitted' | 'delivered'): number[] => summaries().flatMap((s) => expand(s[key].ids));
      await until(() => total('delivered').length >= 10, 20_000, 'every delivery summed');
      assert.deepEqual(total('submitted').sort((a, b) => a - b), ids, 'each submission summed once');
      assert.deepEqual(total('delivered').sort((a, b) => a - b), ids, 'each delivery summed once');
      const sums = summaries();
      assert.equal(sums.reduce((n, s) => n + s.submitted.messages, 0), 10, 'ten messages submitted');
      assert.equal(sums.reduce((n, s) => n + s.delivered.reports, 0), 10);
      assert.ok(sums.length <= 4, `${sums.length} summaries for ten messages in a few seconds`);
      assert.ok(sums.every((s) => s.submitted.idsComplete && s.delivered.idsComplete));
      assert.equal(events('report-submitted').length + events('report-delivered').length, 0, 'no per-message success events on MQTT');

      // The local API still tells each message's story.
      const recent = await runCli(['events', '--config', config, '--last', '100', '--json']);
      assert.equal(recent.code, 0, recent.stderr);
      const delivered = recent.stdout.trimEnd().split('\n').filter((line) => (JSON.parse(line) as { type: string }).type === 'report-delivered').length;
      assert.ok(delivered >= 10, `per-message events on /events (${delivered})`);

      // A failure is published at once, after the sum of the submission before it.
      sim.setFaults({ answerWith: { status: CommandStatus.ESME_RINVDSTADR } });
      const refused = await post(api, { kind: 'telemetry', data: { n: 99 } });
      await probe.waitForTopic('edge-sms/pi-sum/events/report-failed', (text) => (JSON.parse(text) as { ids: string[] }).ids.includes(String(refused)), 10_000);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
      assert.deepEqual(agent.above(40).map((entry) => entry.msg), [], 'nothing above warn');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await sim.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
