/**
 * Report outcome events end to end: `edge-sms-agent run` as a real process, the SMSC simulator
 * (delivery receipts after 200 ms, then a permanent refusal), and a real Mosquitto. A report posted
 * to the local API is followed on `events/report-submitted` then `events/report-delivered`; one the
 * SMSC refuses with ESME_RINVDSTADR on `events/report-failed` with final true; one held past its
 * time to live on `events/report-expired`. Each event lists the report ids its message carried.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandStatus } from '../../src/smpp/index.js';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe, type ProbeMessage } from '../helpers/mqttProbe.js';
import { account, startSimulator } from '../helpers/simSetup.js';

interface ReportEvent {
  readonly ids: readonly string[];
  readonly final?: boolean;
  readonly reason?: string;
  readonly link?: string;
  readonly priority?: string;
  readonly refs?: readonly string[];
}

const parse = (message: ProbeMessage): ReportEvent => JSON.parse(message.text) as ReportEvent;

async function post(api: string, body: unknown): Promise<string> {
  const reply = await callApi(api, 'POST', '/reports', body);
  assert.equal(reply.status, 201, reply.text);
  return String((JSON.parse(reply.text) as { id: number }).id);
}

describe('report events on MQTT', () => {
  it('submitted then delivered, failed for good on a permanent refusal, expired past the time to live', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-events-'));
    const broker = await Mosquitto.start();
    const sim = await startSimulator({ receipts: { delayMs: 200 } });
    const probe = await MqttProbe.connect(broker.url);
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-ev }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000", responseTimeoutMs: 1000, enquireLinkS: 2 }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}", sweepS: 1 }`,
      // `slow` readings wait up to 10 min to share an SMS, but may live only 1 s: they expire unsent.
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true }, slow: { maxDelayS: 600, ttlS: 1 } } }',
      // One event per message (the default sums them per 30 s: agentSumsReportEventsOnMqtt).
      `mqtt: { url: "${broker.url}", stateIntervalMs: 200, reportEventsS: 0 }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    const topic = (type: string): string => `edge-sms/pi-ev/events/${type}`;
    try {
      await probe.subscribe('edge-sms/pi-ev/#');
      agent.start();
      await waitForApi(api, 15_000);
      await probe.waitForTopic('edge-sms/pi-ev/state', (text) => (JSON.parse(text) as { smpp: { state: string } }).smpp.state === 'bound', 10_000);

      const delivered = await post(api, { kind: 'telemetry', priority: 'high', data: { T: 21.5 } });
      const submittedEvent = parse(await probe.waitForTopic(topic('report-submitted'), (text) => (JSON.parse(text) as ReportEvent).ids.includes(delivered), 10_000));
      assert.equal(submittedEvent.link, 'smpp');
      assert.equal(submittedEvent.priority, 'high');
      assert.equal(submittedEvent.refs?.length, 1, 'one SMSC message_id per part');
      await probe.waitForTopic(topic('report-delivered'), (text) => (JSON.parse(text) as ReportEvent).ids.includes(delivered), 10_000);
      const order = probe.messages.map((m) => m.topic).filter((t) => t === topic('report-submitted') || t === topic('report-delivered'));
      assert.deepEqual(order.slice(0, 2), [topic('report-submitted'), topic('report-delivered')]);

      sim.setFaults({ answerWith: { status: CommandStatus.ESME_RINVDSTADR } });
      const refused = await post(api, { kind: 'telemetry', data: { T: 99 } });
      const failed = parse(await probe.waitForTopic(topic('report-failed'), (text) => (JSON.parse(text) as ReportEvent).ids.includes(refused), 10_000));
      assert.equal(failed.final, true);
      assert.match(failed.reason ?? '', /ESME_RINVDSTADR/);
      sim.setFaults({});

      const stale = await post(api, { kind: 'slow', data: { n: 1 } });
      const expired = await probe.waitForTopic(topic('report-expired'), (text) => (JSON.parse(text) as ReportEvent).ids.includes(stale), 10_000);
      assert.ok((JSON.parse(expired.text) as { ageSeconds: number }).ageSeconds >= 1);
      assert.ok(!probe.messages.some((m) => m.topic === topic('report-submitted') && parse(m).ids.includes(stale)), 'the expired report was never sent');

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
