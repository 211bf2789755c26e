/**
 * MQTT least privilege with the documented ACL (docs/mosquitto/edge-sms.acl): a real agent logs in to
 * a real Mosquitto with a password file and that ACL, publishes its status and state, and answers
 * commands sent to itself, to the fleet and to its group. Another device, logged in as itself,
 * receives none of the first one's commands (subscribed by name or by wildcard) and cannot command it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';

const acl = readFileSync(new URL('../../docs/mosquitto/edge-sms.acl', import.meta.url), 'utf8');
const users = { 'pi-a': 'pw-device-a', 'pi-b': 'pw-device-b', 'fleet-operator': 'pw-operator' };

describe('the documented Mosquitto ACL', () => {
  it('lets a device publish its own topics and take its commands, and keeps other devices out of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-acl-'));
    const broker = await Mosquitto.start({ users, acl });
    const api = join(dir, 'api.sock');
    const agent = new AgentProcess(writeAgentConfig(dir, [
      'device: { id: pi-a, groups: [north] }',
      // No SMSC needed: the link retries in the background while MQTT is what is tested.
      'smpp: { url: "smpp://esme:pw@127.0.0.1:1", destination: "+447700900000" }',
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      `mqtt: { url: "${broker.url}", username: pi-a, password: ${users['pi-a']}, stateIntervalMs: 200 }`,
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]));
    const operator = await MqttProbe.connect(broker.url, { username: 'fleet-operator', password: users['fleet-operator'] });
    const deviceB = await MqttProbe.connect(broker.url, { username: 'pi-b', password: users['pi-b'] });
    try {
      await operator.subscribe('edge-sms/#');
      agent.start();
      await waitForApi(api, 20_000);
      // The device may publish its status and state (and its last will, on status).
      await operator.waitForTopic('edge-sms/pi-a/status', (text) => text === 'online', 20_000);
      await operator.waitForTopic('edge-sms/pi-a/state', () => true, 10_000);

      // It takes commands to itself, to the fleet and to its group, and may reply.
      const ask = async (topic: string, requestId: string): Promise<void> => {
        await operator.client.publishAsync(topic, JSON.stringify({ requestId }), { qos: 1 });
        const reply = await operator.waitForTopic('edge-sms/pi-a/cmd/get-state/response', (text) => text.includes(`"${requestId}"`), 10_000);
        assert.equal((JSON.parse(reply.text) as { status: string }).status, 'ok', reply.text);
      };
      await ask('edge-sms/pi-a/cmd/get-state', 'own');
      await ask('edge-sms/all/cmd/get-state', 'fleet');
      await ask('edge-sms/group/north/cmd/get-state', 'group');

      // Another device, subscribed to pi-a's commands by name and by wildcard, receives none of them
      // (Mosquitto grants the subscription and filters what it delivers by the read rules), only its own.
      await deviceB.subscribe('edge-sms/pi-a/cmd/+', 'edge-sms/#');
      await operator.client.publishAsync('edge-sms/pi-a/cmd/get-state', JSON.stringify({ requestId: 'secret-for-a' }), { qos: 1 });
      await operator.client.publishAsync('edge-sms/pi-b/cmd/get-state', JSON.stringify({ requestId: 'for-b' }), { qos: 1 });
      await deviceB.waitForTopic('edge-sms/pi-b/cmd/get-state', (text) => text.includes('for-b'), 10_000);
      assert.deepEqual(deviceB.messages.filter((message) => message.topic.startsWith('edge-sms/pi-a/')).map((message) => message.topic), []);

      // It cannot command pi-a either: the broker refuses the forged command (PUBACK 0x87, not authorised).
      // B's marker on its own topic, published after the forgery, shows the broker has handled it; pi-a's
      // reply to the next genuine command shows pi-a has taken everything before it.
      await assert.rejects(deviceB.client.publishAsync('edge-sms/pi-a/cmd/get-state', JSON.stringify({ requestId: 'forged' }), { qos: 1 }),
        (error: { code?: unknown }) => error.code === 0x87);
      await deviceB.client.publishAsync('edge-sms/pi-b/events/marker', 'after the forgery', { qos: 1 });
      await operator.waitForTopic('edge-sms/pi-b/events/marker', () => true, 10_000);
      await ask('edge-sms/pi-a/cmd/get-state', 'after');
      assert.equal(operator.messages.some((message) => message.text.includes('"forged"')), false, 'pi-a never saw the forged command');
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await operator.close();
      await deviceB.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
