/**
 * An oversize MQTT command is refused without being held in memory, and what is inside the limits but
 * over a shape limit is refused with a reply that names the limit. A real agent process, real Mosquitto.
 *  - MQTT 5: the agent's CONNECT carries Maximum Packet Size (mqtt.maxPayloadBytes + 4 KiB), so Mosquitto
 *    drops a 30 MB command for this client ("Dropping too large outgoing PUBLISH") and the agent stays
 *    connected; a payload over mqtt.maxPayloadBytes but within the packet size, deep nesting and a long
 *    list each get an out_of_range reply on the response topic.
 *  - MQTT 3.1.1 (a broker that cannot be told the limit): the agent hangs up on the 30 MB packet from its
 *    header (Mqtt_PacketTooLarge, logged), reconnects, and answers the next command.
 * In both, the agent's peak RSS (VmHWM) grows by far less than the 30 MB it was sent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../../src/errors.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { MiB, peakRss } from '../helpers/procStatus.js';
import { V311OnlyBroker } from '../helpers/v311OnlyBroker.js';

interface Reply {
  readonly status: 'ok' | 'error';
  readonly requestId?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly field?: string };
}

const device = 'pi-big';
const cmd = (name: string): string => `edge-sms/${device}/cmd/${name}`;
const thirtyMegabytes = `{"kind":"telemetry","data":{"s":"${'x'.repeat(30_000_000)}"}}`;

async function ask(probe: MqttProbe, topic: string, payload: string | Buffer, timeoutMs = 15_000): Promise<Reply> {
  const responseTopic = `test/replies/${randomUUID()}`;
  await probe.subscribe(responseTopic);
  await probe.client.publishAsync(topic, payload, { qos: 1, properties: { responseTopic } });
  return JSON.parse((await probe.waitForTopic(responseTopic, () => true, timeoutMs)).text) as Reply;
}

/**
 * MQTT 3.1.1 has no response topic: the reply comes on cmd/<name>/response, matched by requestId. Asked
 * again every 2 s (up to 30 s): right after a (re)connection the agent's SUBSCRIBE may not be in yet.
 */
async function askV311(probe: MqttProbe, name: string): Promise<Reply> {
  await probe.subscribe(`${cmd(name)}/response`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const requestId = randomUUID();
    await probe.client.publishAsync(cmd(name), JSON.stringify({ requestId }), { qos: 1 });
    try {
      const reply = await probe.waitFor((m) => m.topic === `${cmd(name)}/response` && (JSON.parse(m.text) as Reply).requestId === requestId, 2000, `the ${name} reply`);
      return JSON.parse(reply.text) as Reply;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

function agentConfig(dir: string, url: string): string {
  return writeAgentConfig(dir, [
    `device: { id: ${device} }`,
    'smpp: { enabled: false, destination: "+447700900000" }',
    'modem: { enabled: true, port: /dev/null-no-modem, fallbackAfterS: 0 }',
    'location: { enabled: false }',
    `store: { path: "${join(dir, 'agent.db')}" }`,
    'reports: { kinds: { telemetry: {} } }',
    `mqtt: { url: "${url}" }`,
    'api: { enabled: false }',
    'log: { level: info }',
  ]);
}

describe('an oversize MQTT command', () => {
  it('over MQTT 5 is never sent to the agent (Maximum Packet Size); over-limit payloads and shapes get a reply naming the limit', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-oversize5-'));
    const broker = await Mosquitto.start({ extraConfig: ['log_type all'] });
    const probe = await MqttProbe.connect(broker.url);
    const agent = new AgentProcess(agentConfig(dir, broker.url));
    try {
      await probe.subscribe(`edge-sms/${device}/status`);
      agent.start();
      await probe.waitForTopic(`edge-sms/${device}/status`, (text) => text === 'online', 30_000);
      // `online` goes out before the agent's SUBSCRIBE is in: ask until the first answer (bounded).
      const deadline = Date.now() + 30_000;
      for (let answered = false; !answered; ) answered = await ask(probe, cmd('get-state'), '{}', 2000).then((reply) => reply.status === 'ok', (error: unknown) => { if (Date.now() > deadline) throw error; return false; });
      const pid = agent.pid ?? 0;
      const before = peakRss(pid);

      await probe.client.publishAsync(cmd('report'), thirtyMegabytes, { qos: 1 });
      await until(() => broker.log.includes(`Dropping too large outgoing PUBLISH for edge-sms-${device}`), 30_000, 'Mosquitto to drop the 30 MB command for the agent');
      const after = await ask(probe, cmd('get-state'), '{"requestId":"after"}');
      assert.equal(after.status, 'ok', 'the agent still answers on the same connection');

      const overPayload = await ask(probe, cmd('report'), `{"kind":"telemetry","data":{"s":"${'x'.repeat(66_000)}"}}`);
      assert.equal(overPayload.error?.code, 'out_of_range');
      assert.equal(overPayload.error?.field, '(payload)');
      assert.match(overPayload.error?.message ?? '', /more than mqtt\.maxPayloadBytes \(65536\)/);
      const deep = await ask(probe, cmd('report'), `{"requestId":"deep","kind":"telemetry","data":{"s":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`);
      assert.equal(deep.requestId, 'deep');
      assert.equal(deep.error?.code, 'out_of_range');
      assert.match(deep.error?.message ?? '', /nested more than 8 levels/);
      const longList = await ask(probe, cmd('queue'), JSON.stringify({ action: 'purge', ids: Array.from({ length: 5000 }, (_, i) => String(i)) }));
      assert.match(longList.error?.message ?? '', /ids: a list of 5000 items; the most a command takes is 1000/);

      const grown = peakRss(pid) - before;
      assert.ok(grown < 16 * MiB, `peak RSS grew by ${(grown / MiB).toFixed(1)} MiB for a 30 MB command`);
      assert.equal(agent.logs.filter((entry) => entry.msg === 'mqtt connection lost').length, 0, 'the connection was never lost');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('over MQTT 3.1.1 is dropped from its header: the agent hangs up, says why, reconnects and answers the next command', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-oversize4-'));
    const broker = await Mosquitto.start();
    const old = await V311OnlyBroker.start(broker.port);
    const probe = await MqttProbe.connect(broker.url);
    const agent = new AgentProcess(agentConfig(dir, old.url));
    try {
      await probe.subscribe(`edge-sms/${device}/status`);
      agent.start();
      await until(() => agent.logs.some((entry) => entry.msg === 'mqtt connected' && entry['protocolVersion'] === 4), 30_000, 'the agent on MQTT 3.1.1');
      assert.equal((await askV311(probe, 'get-state')).status, 'ok');
      const pid = agent.pid ?? 0;
      const before = peakRss(pid);

      await probe.client.publishAsync(cmd('report'), thirtyMegabytes, { qos: 1 });
      await until(() => agent.logs.some((entry) => (entry['err'] as { code?: number } | undefined)?.code === ErrorCode.Mqtt_PacketTooLarge), 30_000, 'the agent to refuse the packet');
      const refusal = agent.logs.find((entry) => (entry['err'] as { code?: number } | undefined)?.code === ErrorCode.Mqtt_PacketTooLarge);
      assert.match(refusal?.msg ?? '', /broker sent a packet of 300000\d\d bytes \(type 3\), over the 69632 allowed/);
      await until(() => agent.logs.filter((entry) => entry.msg === 'mqtt connected').length >= 2, 30_000, 'the reconnection');
      assert.equal((await askV311(probe, 'get-state')).status, 'ok', 'the next command is answered');

      const grown = peakRss(pid) - before;
      assert.ok(grown < 16 * MiB, `peak RSS grew by ${(grown / MiB).toFixed(1)} MiB for a 30 MB command`);
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await old.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
