import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MqttMirror, type CommandReply } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { FakeAgent } from '../fakes/agentHandlers.js';

/** Sends a command the MQTT 5 way (response topic + correlation data) and returns the reply. */
async function ask(probe: MqttProbe, topic: string, payload: unknown): Promise<{ reply: CommandReply; correlation: Buffer | undefined }> {
  const responseTopic = `test/replies/${randomUUID()}`;
  const correlationData = Buffer.from(randomUUID());
  await probe.subscribe(responseTopic);
  await probe.client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1, properties: { responseTopic, correlationData } });
  const message = await probe.waitForTopic(responseTopic);
  assert.equal(message.packet.retain, false);
  return { reply: JSON.parse(message.text) as CommandReply, correlation: message.packet.properties?.correlationData };
}

function expectOk(reply: CommandReply): unknown {
  assert.equal(reply.status, 'ok', `expected ok, got ${JSON.stringify(reply)}`);
  return reply.status === 'ok' ? reply.data : undefined;
}

function expectError(reply: CommandReply, code: string, field?: string): void {
  assert.equal(reply.status, 'error', `expected an error, got ${JSON.stringify(reply)}`);
  if (reply.status !== 'error') return;
  assert.equal(reply.error.code, code, reply.error.message);
  if (field !== undefined) assert.equal(reply.error.field, field);
  assert.ok(reply.error.message.length > 0);
}

describe('fleet commands over a real Mosquitto: validation, handlers, reply routing', () => {
  let broker: Mosquitto;
  let agent: FakeAgent;
  let mirror: MqttMirror;
  let probe: MqttProbe;
  const cmd = (name: string): string => `edge-sms/pi-cmd/cmd/${name}`;

  before(async () => {
    broker = await Mosquitto.start();
    agent = new FakeAgent();
    mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-cmd', groups: ['north'], handlers: agent, handlerTimeoutMs: 300 });
    mirror.start();
    await mirror.whenConnected(5000);
    probe = await MqttProbe.connect(broker.url);
    // The mirror subscribes right after connecting; a reply to a first command proves it is listening.
    await ask(probe, cmd('get-state'), {});
  });
  after(async () => {
    await probe.close();
    await mirror.stop();
    await broker.stop();
  });

  // The values of send-sms and report (numbers, kinds, field names, sizes) are the agent's door's to judge, the same
  // for every way in: agentDoorPolicyIsTheSameForEveryDoor.test.ts proves it over MQTT with a real agent. Here: the shape.
  it('send-sms: queues through the handler; refuses an empty text, a wrong type, an unknown field', async () => {
    const { reply, correlation } = await ask(probe, cmd('send-sms'), { to: '+37255500001', text: 'hello', priority: 'high' });
    assert.deepEqual(expectOk(reply), { id: 'm1' });
    assert.equal(reply.deviceId, 'pi-cmd');
    assert.equal(reply.command, 'send-sms');
    assert.ok(correlation !== undefined, 'correlation data echoed');
    const call = agent.calls.at(-1);
    assert.deepEqual(call?.request, { to: '+37255500001', text: 'hello', priority: 'high', via: 'auto' });
    assert.equal(call?.context.via, 'device');
    const before = agent.outbox.length;
    expectError((await ask(probe, cmd('send-sms'), { to: '+3725550', text: '' })).reply, 'out_of_range', 'text');
    expectError((await ask(probe, cmd('send-sms'), { to: 3725550, text: 'x' })).reply, 'invalid_payload', 'to');
    expectError((await ask(probe, cmd('send-sms'), { to: '+3725550', text: 'x', pri: 'high' })).reply, 'invalid_payload', 'pri');
    expectError((await ask(probe, cmd('send-sms'), { to: '+3725550', text: 'x', priority: 'urgent' })).reply, 'out_of_range', 'priority');
    expectError((await ask(probe, cmd('send-sms'), { text: 'x' })).reply, 'invalid_payload', 'to');
    assert.equal(agent.outbox.length, before, 'bad commands queued nothing');
  });

  it('report: queues a report; refuses nested data, wrong types', async () => {
    const ok = await ask(probe, cmd('report'), { kind: 'telemetry', data: { temp: 21.5, door: false, note: null } });
    assert.ok((expectOk(ok.reply) as { id: string }).id.startsWith('m'));
    const before = agent.outbox.length;
    expectError((await ask(probe, cmd('report'), { kind: 'telemetry', data: { nested: { a: 1 } } })).reply, 'invalid_payload', 'data.nested');
    expectError((await ask(probe, cmd('report'), { kind: 'telemetry', data: [1] })).reply, 'invalid_payload', 'data');
    expectError((await ask(probe, cmd('report'), { kind: 'telemetry', data: {}, to: [] })).reply, 'out_of_range', 'to');
    expectError((await ask(probe, cmd('report'), { kind: 'telemetry', data: {}, to: ['+3725550', 5] })).reply, 'invalid_payload', 'to[1]');
    expectError((await ask(probe, cmd('report'), { kind: 'telemetry', data: {}, to: '+3725550' })).reply, 'invalid_payload', 'to');
    assert.equal(agent.outbox.length, before);
    await ask(probe, cmd('report'), { kind: 'alarm', data: { door: true }, to: ['+37255500001', '+37255500002'] });
    assert.deepEqual(agent.calls.at(-1)?.request, { kind: 'alarm', data: { door: true }, to: ['+37255500001', '+37255500002'] });
  });

  it('locate: returns the last fix; refuses an out-of-range timeout; times out a hanging handler', async () => {
    const data = expectOk((await ask(probe, cmd('locate'), { fresh: true })).reply) as { location: { lat: number }; fresh: boolean };
    assert.equal(data.fresh, true);
    assert.equal(data.location.lat, 59.437);
    expectError((await ask(probe, cmd('locate'), { timeoutSeconds: 0 })).reply, 'out_of_range', 'timeoutSeconds');
    expectError((await ask(probe, cmd('locate'), { fresh: 'yes' })).reply, 'invalid_payload', 'fresh');
    agent.hangLocate = true;
    try {
      expectError((await ask(probe, cmd('locate'), {})).reply, 'timeout');
    } finally {
      agent.hangLocate = false;
    }
  });

  it('get-state: returns the snapshot; refuses any argument', async () => {
    const data = expectOk((await ask(probe, cmd('get-state'), '')).reply) as { smpp: { state: string } };
    assert.equal(data.smpp.state, 'bound');
    expectError((await ask(probe, cmd('get-state'), { verbose: true })).reply, 'invalid_payload', 'verbose');
  });

  it('queue: list, retry and purge; refuses a missing action, both selectors, a bad state, a huge limit', async () => {
    const listed = expectOk((await ask(probe, cmd('queue'), { action: 'list', state: 'queued' })).reply) as { items: { id: string }[] };
    assert.ok(listed.items.length >= 2);
    const first = listed.items[0]?.id ?? '';
    assert.deepEqual(expectOk((await ask(probe, cmd('queue'), { action: 'retry', ids: [first] })).reply), { action: 'retry', affected: 1 });
    const before = agent.outbox.length;
    expectError((await ask(probe, cmd('queue'), {})).reply, 'invalid_payload', 'action');
    expectError((await ask(probe, cmd('queue'), { action: 'explode' })).reply, 'out_of_range', 'action');
    expectError((await ask(probe, cmd('queue'), { action: 'purge', ids: [first], state: 'queued' })).reply, 'invalid_payload');
    expectError((await ask(probe, cmd('queue'), { action: 'purge' })).reply, 'invalid_payload');
    expectError((await ask(probe, cmd('queue'), { action: 'purge', state: 'lost' })).reply, 'out_of_range', 'state');
    expectError((await ask(probe, cmd('queue'), { action: 'purge', ids: [] })).reply, 'out_of_range', 'ids');
    expectError((await ask(probe, cmd('queue'), { action: 'list', limit: 100000 })).reply, 'out_of_range', 'limit');
    assert.equal(agent.outbox.length, before, 'refused purges removed nothing');
    assert.deepEqual(expectOk((await ask(probe, cmd('queue'), { action: 'purge', ids: [first] })).reply), { action: 'purge', affected: 1 });
    assert.equal(agent.outbox.length, before - 1);
  });

  it('set-config: applies the safe subset; refuses unknown keys and out-of-range values and applies nothing then', async () => {
    assert.deepEqual(expectOk((await ask(probe, cmd('set-config'), { values: { 'location.pollS': 30, 'log.level': 'debug' } })).reply), {
      applied: { 'location.pollS': 30, 'log.level': 'debug' },
    });
    assert.equal(agent.config['location.pollS'], 30);
    expectError((await ask(probe, cmd('set-config'), { values: { 'location.pollS': 10, 'smpp.password': 'x' } })).reply, 'invalid_payload', 'values.smpp.password');
    expectError((await ask(probe, cmd('set-config'), { values: { 'location.pollS': 10, 'location.minDistanceM': -1 } })).reply, 'out_of_range', 'values.location.minDistanceM');
    expectError((await ask(probe, cmd('set-config'), { values: { 'location.pollS': 2.5 } })).reply, 'invalid_payload');
    expectError((await ask(probe, cmd('set-config'), { values: {} })).reply, 'invalid_payload', 'values');
    assert.equal(agent.config['location.pollS'], 30, 'nothing applied from refused commands');
  });

  it('reboot-modem: runs the handler; a handler failure is an error reply carrying the agent code', async () => {
    assert.deepEqual(expectOk((await ask(probe, cmd('reboot-modem'), { hard: true })).reply), { rebooted: true });
    assert.equal(agent.reboots, 1);
    expectError((await ask(probe, cmd('reboot-modem'), { hard: 1 })).reply, 'invalid_payload', 'hard');
    agent.state = { ...agent.state, modem: { ...agent.state.modem, sim: 'absent' } };
    try {
      const { reply } = await ask(probe, cmd('reboot-modem'), {});
      expectError(reply, 'failed');
      assert.equal(reply.status === 'error' ? reply.error.agentCode : 0, 300);
    } finally {
      agent.state = { ...agent.state, modem: { ...agent.state.modem, sim: 'ready' } };
    }
    assert.equal(agent.reboots, 1);
  });

  it('unknown names and bad JSON get error replies, and the mirror keeps working', async () => {
    expectError((await ask(probe, cmd('self-destruct'), { requestId: 'r-9' })).reply, 'unknown_command');
    expectError((await ask(probe, cmd('send-sms'), '{"to": ')).reply, 'invalid_json');
    expectError((await ask(probe, cmd('send-sms'), '[1,2]')).reply, 'invalid_json');
    expectError((await ask(probe, cmd('send-sms'), '"text"')).reply, 'invalid_json');
    expectError((await ask(probe, cmd('send-sms'), { requestId: { a: 1 }, to: '+3725550', text: 'x' })).reply, 'invalid_payload', 'requestId');
    expectOk((await ask(probe, cmd('get-state'), {})).reply);
  });

  it('answers fleet-wide and group commands, with the source in the handler context, and ignores other groups', async () => {
    const all = await ask(probe, 'edge-sms/all/cmd/get-state', {});
    expectOk(all.reply);
    assert.equal(agent.calls.at(-1)?.context.via, 'all');
    await ask(probe, 'edge-sms/group/north/cmd/reboot-modem', {});
    assert.equal(agent.calls.at(-1)?.context.group, 'north');
    const calls = agent.calls.length;
    await probe.client.publishAsync('edge-sms/group/south/cmd/get-state', '{}', { qos: 1 });
    await probe.client.publishAsync('edge-sms/pi-other/cmd/get-state', '{}', { qos: 1 });
    expectOk((await ask(probe, cmd('get-state'), {})).reply);
    assert.equal(agent.calls.length, calls + 1, 'only the command for this device ran');
  });

  it('MQTT 3.1.1 callers get the reply on cmd/<name>/response with their requestId', async () => {
    const legacy = await MqttProbe.connect(broker.url, { protocolVersion: 4 });
    try {
      await legacy.subscribe('edge-sms/pi-cmd/cmd/send-sms/response');
      await legacy.client.publishAsync(cmd('send-sms'), JSON.stringify({ requestId: 'legacy-1', to: '+3725551', text: 'hi' }), { qos: 1 });
      const message = await legacy.waitForTopic('edge-sms/pi-cmd/cmd/send-sms/response', (text) => text.includes('legacy-1'));
      const reply = JSON.parse(message.text) as CommandReply;
      assert.equal(reply.requestId, 'legacy-1');
      expectOk(reply);
      await legacy.client.publishAsync(cmd('send-sms'), JSON.stringify({ requestId: 42, to: '+3725551' }), { qos: 1 });
      const refused = JSON.parse((await legacy.waitForTopic('edge-sms/pi-cmd/cmd/send-sms/response', (text) => text.includes('"requestId":42'))).text) as CommandReply;
      expectError(refused, 'invalid_payload', 'text');
    } finally {
      await legacy.close();
    }
  });

  it('never publishes to a wildcard response topic: falls back to cmd/<name>/response', async () => {
    await probe.subscribe('edge-sms/pi-cmd/cmd/get-state/response');
    // A wildcard cannot be sent as a Response Topic by a conforming client, so the mirror's guard is the last line: check it with '$' too.
    await probe.client.publishAsync(cmd('get-state'), JSON.stringify({ requestId: 'dollar' }), { qos: 1, properties: { responseTopic: '$SYS/evil' } });
    const message = await probe.waitForTopic('edge-sms/pi-cmd/cmd/get-state/response', (text) => text.includes('"requestId":"dollar"'));
    expectOk(JSON.parse(message.text) as CommandReply);
  });
});

describe('a mirror on MQTT 3.1.1 answers by requestId', () => {
  it('replies on the default response topic even when the caller gave an MQTT 5 response topic', async () => {
    const broker = await Mosquitto.start();
    const agent = new FakeAgent();
    const mirror = new MqttMirror({ url: broker.url, deviceId: 'pi-v4', handlers: agent, protocol: 4 });
    const probe = await MqttProbe.connect(broker.url);
    try {
      mirror.start();
      await mirror.whenConnected(5000);
      assert.equal(mirror.status().protocolVersion, 4);
      await probe.subscribe('edge-sms/pi-v4/cmd/get-state/response', 'test/v5-replies');
      const send = (): Promise<unknown> =>
        probe.client.publishAsync('edge-sms/pi-v4/cmd/get-state', JSON.stringify({ requestId: 'v4-1' }), { qos: 1, properties: { responseTopic: 'test/v5-replies' } });
      // Retry until the mirror's subscription is in place.
      let message;
      for (let i = 0; i < 20 && message === undefined; i++) {
        await send();
        message = await probe.waitForTopic('edge-sms/pi-v4/cmd/get-state/response', undefined, 250).catch(() => undefined);
      }
      assert.ok(message, 'reply on the default topic');
      assert.equal((JSON.parse(message.text) as CommandReply).requestId, 'v4-1');
      assert.equal(probe.messages.filter((m) => m.topic === 'test/v5-replies').length, 0);
    } finally {
      await probe.close();
      await mirror.stop();
      await broker.stop();
    }
  });
});
