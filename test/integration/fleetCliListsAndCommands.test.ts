import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { MqttMirror, type CommandReply, type FleetDevice } from '../../src/mqtt/index.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { FakeAgent, sampleSnapshot } from '../fakes/agentHandlers.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const result = await runCli(argv);
  return { code: result.code, out: result.stdout, err: result.stderr };
}

describe('edge-sms-agent fleet ls / fleet cmd against a real Mosquitto', () => {
  let broker: Mosquitto;
  const mirrors: MqttMirror[] = [];
  const agents = new Map<string, FakeAgent>();

  before(async () => {
    broker = await Mosquitto.start();
    for (const [id, groups, signal] of [['pi-a', ['north'], -65], ['pi-b', [], -99], ['pi-c', ['north'], -80]] as const) {
      const agent = new FakeAgent();
      agents.set(id, agent);
      const mirror = new MqttMirror({ url: broker.url, deviceId: id, groups: [...groups], handlers: agent });
      mirror.updateState(sampleSnapshot({ modem: { ...sampleSnapshot().modem, signalDbm: signal } }));
      mirror.start();
      await mirror.whenConnected(5000);
      mirrors.push(mirror);
    }
    // pi-b goes away cleanly: it stays listed, offline, with its last state.
    await mirrors[1]?.stop();
    // Wait until every running mirror answers, so its command subscriptions are in place.
    for (const id of ['pi-a', 'pi-c']) {
      let answered = false;
      for (let i = 0; i < 20 && !answered; i++) answered = (await cli('fleet', 'cmd', '--mqtt', broker.url, id, 'get-state', '--timeout', '250')).code === 0;
      assert.ok(answered, `${id} answers`);
    }
  });
  after(async () => {
    for (const mirror of mirrors) await mirror.stop();
    await broker.stop();
  });

  it('fleet ls --sort prints one line per device from the retained status and state, and a count on stderr', async () => {
    const { code, out, err } = await cli('fleet', 'ls', '--mqtt', broker.url, '--settle', '200', '--sort');
    assert.equal(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID\s+ONLINE\s+LINK\s+SIGNAL\s+QUEUE\s+LAST SEEN$/);
    assert.match(lines[1] ?? '', /^pi-a\s+online\s+bound\s+-65 dBm\s+4\s+\d+s ago$/);
    assert.match(lines[2] ?? '', /^pi-b\s+offline\s+bound\s+-99 dBm\s+4\s+\d+s ago$/);
    assert.match(lines[3] ?? '', /^pi-c\s+online/);
    assert.equal(lines.length, 4);
    assert.equal(err, '3 devices (2 online, 1 offline, 0 unknown)\n');
  });

  it('fleet ls streams in the broker\'s order: the same devices, one line each', async () => {
    const { code, out } = await cli('fleet', 'ls', '--mqtt', broker.url, '--settle', '200');
    assert.equal(code, 0);
    const ids = out.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual([...ids].sort(), ['pi-a', 'pi-b', 'pi-c']);
  });

  it('fleet ls --json prints one JSON object per line per device', async () => {
    const { code, out } = await cli('fleet', 'ls', '--mqtt', broker.url, '--settle', '200', '--json', '--sort');
    assert.equal(code, 0);
    const devices = out.trimEnd().split('\n').map((line) => JSON.parse(line) as FleetDevice);
    assert.deepEqual(devices.map((d) => [d.id, d.online, d.signalDbm, d.queueDepth]), [['pi-a', true, -65, 4], ['pi-b', false, -99, 4], ['pi-c', true, -80, 4]]);
    assert.equal(devices[0]?.state?.smpp.windowSize, 10);
  });

  it('fleet cmd to one device prints its reply and the command ran there only', async () => {
    const before = agents.get('pi-c')?.outbox.length ?? 0;
    const { code, out } = await cli('fleet', 'cmd', '--mqtt', broker.url, 'pi-a', 'send-sms', '{"to":"+3725550001","text":"from the fleet"}');
    assert.equal(code, 0);
    const reply = JSON.parse(out) as CommandReply;
    assert.equal(reply.deviceId, 'pi-a');
    assert.equal(reply.status, 'ok');
    assert.equal(agents.get('pi-a')?.outbox.at(-1)?.state, 'queued');
    assert.equal(agents.get('pi-c')?.outbox.length, before);
  });

  it('fleet cmd all and group:NAME collect every running device’s reply', async () => {
    const all = await cli('fleet', 'cmd', '--mqtt', broker.url, 'all', 'get-state', '--timeout', '3000', '--expect', '2');
    assert.equal(all.code, 0);
    assert.deepEqual(all.out.trim().split('\n').map((line) => (JSON.parse(line) as CommandReply).deviceId).sort(), ['pi-a', 'pi-c']);
    assert.match(all.err, /^2 replies \(2 ok, 0 error\)$/m);
    const group = await cli('fleet', 'cmd', '--mqtt', broker.url, 'group:north', 'locate', '{"fresh":false}', '--timeout', '1000');
    assert.equal(group.out.trim().split('\n').length, 2);
  });

  it('fleet cmd exits 1 on an error reply, a silent device, or bad input', async () => {
    const refused = await cli('fleet', 'cmd', '--mqtt', broker.url, 'pi-a', 'send-sms', '{"text":"no number"}');
    assert.equal(refused.code, 1);
    assert.equal((JSON.parse(refused.out) as CommandReply).status, 'error');
    const silent = await cli('fleet', 'cmd', '--mqtt', broker.url, 'pi-b', 'get-state', '--timeout', '300');
    assert.equal(silent.code, 1);
    assert.match(silent.err, /Mqtt_Timeout \(503\): no reply from edge-sms\/pi-b\/cmd\/get-state within 300 ms/);
    const badJson = await cli('fleet', 'cmd', '--mqtt', broker.url, 'pi-a', 'get-state', '{oops');
    assert.equal(badJson.code, 2, 'a usage error');
    assert.match(badJson.err, /Cli_Usage/);
    const noUrl = await cli('fleet', 'ls', '--bogus');
    assert.equal(noUrl.code, 2, 'a usage error');
    assert.match(noUrl.err, /unknown option --bogus/);
  });
});
