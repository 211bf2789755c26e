/**
 * The fleet on a broker cluster: three Debian Mosquittos bridged (a hub and two leaves), 2,000
 * devices (real MqttMirrors, 1,000 per leaf, one child process per leaf), and the real CLI against
 * the hub and against a leaf. The 10,000-device figures come from `npm run bench -- fleet-cluster`;
 * this test stays at 2,000 so it runs in about a minute on two shared cores.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { captureIo, runCli } from '../helpers/cli.js';
import { main } from '../../src/cli/main.js';
import type { CommandReply, FleetDevice } from '../../src/mqtt/index.js';
import { MosquittoCluster } from '../helpers/mosquittoCluster.js';
import { DeviceFarm } from '../helpers/deviceFarm.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { reconnectSpread } from '../helpers/reconnectSpread.js';

const perLeaf = 1000;
const total = 2 * perLeaf;

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

async function fleetLs(url: string): Promise<FleetDevice[]> {
  const result = await runCli(['fleet', 'ls', '--mqtt', url, '--json', '--settle', '1000', '--timeout', '60000']);
  assert.equal(result.code, 0, result.stderr);
  return jsonLines<FleetDevice>(result.stdout);
}

/** Lists until `complete` holds (retained state may still be crossing a bridge), at most `timeoutMs`. */
async function fleetLsUntil(url: string, complete: (devices: FleetDevice[]) => boolean, timeoutMs: number): Promise<{ devices: FleetDevice[]; seconds: number }> {
  const start = performance.now();
  for (;;) {
    const devices = await fleetLs(url);
    if (complete(devices)) return { devices, seconds: Math.round(performance.now() - start) / 1000 };
    if (performance.now() - start > timeoutMs) return { devices, seconds: Math.round(performance.now() - start) / 1000 };
  }
}

const everyoneOnline = (devices: FleetDevice[]): boolean => devices.length === total && devices.every((d) => d.online === true && d.state !== null);

describe('the fleet on three bridged Mosquittos (hub + two leaves), 2,000 devices', () => {
  let cluster: MosquittoCluster;
  let farmA: DeviceFarm;
  let farmB: DeviceFarm;
  let hubProbe: MqttProbe;

  before(async () => {
    cluster = await MosquittoCluster.start();
    await cluster.whenBridged();
    const [leafA, leafB] = cluster.leaves;
    farmA = DeviceFarm.start({ url: leafA.url, idPrefix: 'a-', from: 0, count: perLeaf, groups: ['north'] });
    farmB = DeviceFarm.start({ url: leafB.url, idPrefix: 'b-', from: 0, count: perLeaf, groups: ['south'] });
    await Promise.all([farmA.whenAllConnected(120_000), farmB.whenAllConnected(120_000)]);
    hubProbe = await MqttProbe.connect(cluster.hub.url);
    await hubProbe.subscribe('edge-sms/+/status', 'edge-sms/+/events/#');
  });
  after(async () => {
    await hubProbe?.close();
    await Promise.all([farmA?.kill(), farmB?.kill()]);
    await cluster?.stop();
  });

  it('fleet ls lists every device, online with its state, from the hub and from each leaf', async (t: TestContext) => {
    for (const [name, broker] of [['hub', cluster.hub], ['leaf-a', cluster.leaves[0]], ['leaf-b', cluster.leaves[1]]] as const) {
      const { devices, seconds } = await fleetLsUntil(broker.url, everyoneOnline, 60_000);
      assert.equal(new Set(devices.map((d) => d.id)).size, total, `${name}: every device once`);
      assert.ok(everyoneOnline(devices), `${name}: ${devices.filter((d) => d.online === true && d.state !== null).length}/${total} online with state`);
      t.diagnostic(`fleet ls on ${name}: ${devices.length} devices in ${seconds} s (1 s settle included)`);
    }
  });

  it('fleet cmd all gets every device’s reply, from the hub and from a leaf; group and device targets cross the bridges', async (t: TestContext) => {
    for (const [name, url] of [['hub', cluster.hub.url], ['leaf-a', cluster.leaves[0].url]] as const) {
      const start = performance.now();
      const all = await runCli(['fleet', 'cmd', '--mqtt', url, 'all', 'get-state', '--expect', String(total), '--timeout', '60000']);
      const replies = jsonLines<CommandReply>(all.stdout);
      assert.equal(all.code, 0, all.stderr);
      assert.equal(new Set(replies.map((r) => r.deviceId)).size, total, `${name}: a reply from every device`);
      assert.ok(replies.every((r) => r.status === 'ok'));
      assert.match(all.stderr, new RegExp(`^${total} replies \\(${total} ok, 0 error\\)$`, 'm'));
      t.diagnostic(`fleet cmd all get-state from ${name}: ${replies.length} replies in ${Math.round(performance.now() - start) / 1000} s`);
    }
    // From leaf B, the north group lives on leaf A: the command goes up to the hub and down again.
    const north = await runCli(['fleet', 'cmd', '--mqtt', cluster.leaves[1].url, 'group:north', 'get-state', '--expect', String(perLeaf), '--timeout', '60000']);
    const northIds = jsonLines<CommandReply>(north.stdout).map((r) => r.deviceId);
    assert.equal(northIds.length, perLeaf);
    assert.ok(northIds.every((id) => id.startsWith('a-')));
    const one = await runCli(['fleet', 'cmd', '--mqtt', cluster.leaves[0].url, 'b-000007', 'get-state', '--timeout', '20000']);
    assert.equal(one.code, 0, one.stderr);
    const reply = JSON.parse(one.stdout) as CommandReply<{ uptimeSeconds: number }>;
    assert.equal(reply.deviceId, 'b-000007');
    assert.equal(reply.status === 'ok' ? reply.data.uptimeSeconds : undefined, 7);
  });

  it('fleet cmd --share and fleet collect split the replies between consumers, each reply once', async () => {
    const consumers = [captureIo(), captureIo()];
    const running = consumers.map((c) => main(['fleet', 'collect', '--mqtt', cluster.hub.url, '--share', 'ops', '--idle', '3000', '--timeout', '60000'], c.io));
    const deadline = Date.now() + 20_000;
    while (!consumers.every((c) => c.err().includes('collecting replies for share group ops'))) {
      assert.ok(Date.now() < deadline, 'collectors subscribed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sender = await runCli(['fleet', 'cmd', '--mqtt', cluster.hub.url, 'all', 'get-state', '--share', 'ops', '--idle', '3000', '--timeout', '60000']);
    const codes = await Promise.all(running);
    const parts = [sender.stdout, ...consumers.map((c) => c.out())].map((text) => jsonLines<CommandReply>(text).map((r) => r.deviceId));
    const ids = parts.flat();
    assert.equal(ids.length, total, `replies per consumer: ${parts.map((p) => p.length).join(' + ')}`);
    assert.equal(new Set(ids).size, total, 'no reply delivered twice');
    assert.ok(parts.every((part) => part.length > 0), `every consumer got a share: ${parts.map((p) => p.length).join(' + ')}`);
    assert.deepEqual(codes, [0, 0]);
  });

  it('a leaf restart: its devices reconnect spread out, republish their state, and the events they queued arrive', async (t: TestContext) => {
    const [leafA] = cluster.leaves;
    hubProbe.clear();
    const before = farmA.connectTimes.length;
    await leafA.halt();
    await farmA.waitFor(() => farmA.connected === 0, 30_000, 'every device on leaf-a sees the outage');
    // Published while the broker is away: each mirror keeps it in its bounded queue.
    farmA.publishEvent('leaf-restart');
    const downFor = 2000;
    await new Promise((resolve) => setTimeout(resolve, downFor));
    await leafA.launch();
    const upAt = Date.now();
    await farmA.whenAllConnected(120_000);
    const spread = reconnectSpread(farmA.connectTimes.slice(before), upAt);
    t.diagnostic(`leaf-a down ${downFor} ms; ${spread.count} reconnects: first +${spread.firstMs} ms, median +${spread.medianMs} ms, last +${spread.lastMs} ms after it came up; busiest 100 ms held ${spread.busiest100Ms} (${Math.round((100 * spread.busiest100Ms) / spread.count)}%)`);
    assert.equal(spread.count, perLeaf);
    // Jittered back-off: not one burst. Uniform over >= 500 ms would put ~20% in a 100 ms window.
    assert.ok(spread.lastMs - spread.firstMs >= 400, `reconnects spread over ${spread.lastMs - spread.firstMs} ms`);
    assert.ok(spread.busiest100Ms <= 0.4 * perLeaf, `busiest 100 ms: ${spread.busiest100Ms}`);

    await cluster.whenBridged();
    // Every queued event crossed the restarted leaf and its bridge to the hub.
    const deadline = Date.now() + 60_000;
    const eventsFrom = (): Set<string> => new Set(hubProbe.messages.filter((m) => m.topic.endsWith('/events/link-down') && m.text.includes('"reason":"leaf-restart"')).map((m) => m.topic.split('/')[1] ?? ''));
    while (eventsFrom().size < perLeaf && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(eventsFrom().size, perLeaf, 'one queued event from every device of the restarted leaf');
    // State republished after the reconnect reaches the hub and the other leaf.
    const fresh = (devices: FleetDevice[]): boolean => everyoneOnline(devices) && devices.filter((d) => d.id.startsWith('a-')).every((d) => Date.parse(d.lastSeen ?? '') >= upAt - 1000);
    for (const [name, broker] of [['hub', cluster.hub], ['leaf-b', cluster.leaves[1]]] as const) {
      const { devices, seconds } = await fleetLsUntil(broker.url, fresh, 60_000);
      assert.ok(fresh(devices), `${name}: all ${total} online, leaf-a's republished after the restart`);
      t.diagnostic(`after the restart, fleet ls on ${name}: ${devices.length} devices, leaf-a's state fresh (${seconds} s)`);
    }
    // The restarted leaf (no persistence) refills its retained store from the hub when its bridge
    // subscribes again. Every device is there; but when the bridge comes back after a device has
    // already republished, the hub's older copy (its state from before, its `offline` will from the
    // leaf's shutdown) lands on top of it until the device publishes again (docs/fleet.md).
    const onLeafA = await fleetLs(leafA.url);
    assert.equal(new Set(onLeafA.map((d) => d.id)).size, total, 'the restarted leaf lists every device');
    assert.ok(onLeafA.every((d) => d.state !== null), 'with a state');
    const own = onLeafA.filter((d) => d.id.startsWith('a-'));
    t.diagnostic(`restarted leaf-a: ${own.filter((d) => d.online !== true).length} of its ${perLeaf} devices shown offline, ${own.filter((d) => Date.parse(d.lastSeen ?? '') < upAt - 1000).length} with their state from before the restart (the hub's copies)`);
  });

  it('last wills: devices killed with SIGKILL show offline on the hub and on the other leaf', async (t: TestContext) => {
    hubProbe.clear();
    const killedAt = performance.now();
    await farmB.kill();
    const offline = (): number => new Set(hubProbe.messages.filter((m) => m.topic.startsWith('edge-sms/b-') && m.text === 'offline').map((m) => m.topic)).size;
    const deadline = Date.now() + 60_000;
    while (offline() < perLeaf && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(offline(), perLeaf, 'a last will from every killed device reached the hub');
    t.diagnostic(`${perLeaf} last wills on the hub ${Math.round(performance.now() - killedAt)} ms after SIGKILL`);
    const killedOffline = (devices: FleetDevice[]): boolean => devices.filter((d) => d.id.startsWith('b-') && d.online === false).length === perLeaf;
    const fromLeafA = await fleetLsUntil(cluster.leaves[0].url, killedOffline, 60_000);
    assert.ok(fromLeafA.devices.filter((d) => d.id.startsWith('b-')).every((d) => d.online === false && d.state !== null), 'leaf-a lists b-* offline with their last state');
    // leaf-a's own devices are judged on the hub: a leaf restarted without persistence may show some of its own
    // devices with the hub's older copies (counted in the restart test above; docs/fleet.md), which is not about wills.
    const fromHub = await fleetLsUntil(cluster.hub.url, (devices) => killedOffline(devices) && devices.filter((d) => d.id.startsWith('a-') && d.online === true).length === perLeaf, 60_000);
    assert.equal(fromHub.devices.filter((d) => d.id.startsWith('a-') && d.online === true).length, perLeaf, 'the hub lists every living device online');
  });
});
