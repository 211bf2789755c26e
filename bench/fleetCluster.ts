/**
 * The fleet on a broker cluster: N devices (real MqttMirrors, ≤ 2,500 per child process) on three
 * bridged Mosquittos (hub + two leaves, test/helpers/mosquittoCluster.ts), next to the same N on a
 * single Mosquitto. Measures: all connected; `fleet ls` complete from the hub and from a leaf;
 * `fleet cmd all get-state` round trip for the whole fleet from the hub and a leaf; recovery after
 * a (leaf) broker restart (reconnect spread, state fresh everywhere); last wills after SIGKILL; and
 * the CLI's own peak RSS, also at 100,000 devices made of messages (bench/_syntheticFleet.ts).
 * `npm run bench -- fleet-cluster [devices=1000,10000|none] [--single] [--no-cluster] [--rss=100000|0]`.
 */
import type { BenchFigures, BenchOptions } from './run.js';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { MosquittoCluster } from '../test/helpers/mosquittoCluster.js';
import { DeviceFarm } from '../test/helpers/deviceFarm.js';
import { MqttProbe } from '../test/helpers/mqttProbe.js';
import { reconnectSpread } from '../test/helpers/reconnectSpread.js';
import { runTool, runToolProcess } from './_fleetTool.js';
import { answerNextFleetCommand, publishRetainedFleet } from './_syntheticFleet.js';
import { AgentError, ErrorCode } from '../src/errors.js';

const perProcess = 2500;
const seconds = (ms: number): number => Math.round(ms) / 1000;
type Say = (line: string) => void;

/** Farms of ≤ 2,500 devices: half the fleet on `urlA`, half on `urlB`. */
function startFarms(count: number, urlA: string, urlB: string): { onA: DeviceFarm[]; onB: DeviceFarm[] } {
  const onA: DeviceFarm[] = [];
  const onB: DeviceFarm[] = [];
  const half = Math.ceil(count / 2);
  for (const [list, url, from, size, group] of [[onA, urlA, 0, half, 'north'], [onB, urlB, half, count - half, 'south']] as const) {
    for (let at = 0; at < size; at += perProcess) list.push(DeviceFarm.start({ url, idPrefix: 'd-', from: from + at, count: Math.min(perProcess, size - at), groups: [group] }));
  }
  return { onA, onB };
}

/** `fleet ls --json` until it lists all N online (retained state may still be crossing a bridge). */
async function listComplete(url: string, count: number): Promise<{ seconds: number; listed: number; attempts: number }> {
  const start = performance.now();
  for (let attempts = 1; ; attempts++) {
    const run = await runTool(['fleet', 'ls', '--mqtt', url, '--json', '--settle', '500', '--timeout', '120000'], '"online":true');
    if ((run.matching === count && run.lines === count) || attempts >= 5) return { seconds: seconds(performance.now() - start), listed: run.matching, attempts };
  }
}

async function commandAll(url: string, count: number): Promise<{ seconds: number; replies: number }> {
  const run = await runTool(['fleet', 'cmd', '--mqtt', url, 'all', 'get-state', '--expect', String(count), '--timeout', '120000'], '"status":"ok"');
  return { seconds: run.seconds, replies: run.matching };
}

interface Layout {
  readonly name: string;
  /** Where the fleet side lists and commands from. */
  readonly views: readonly (readonly [string, Mosquitto])[];
  /** The broker restarted, and the farms on it. */
  readonly restart: Mosquitto;
  readonly farms: { onA: DeviceFarm[]; onB: DeviceFarm[] };
  readonly whenBridged: () => Promise<void>;
  readonly hub: Mosquitto;
}

async function measure(layout: Layout, count: number, say: Say): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  const allFarms = [...layout.farms.onA, ...layout.farms.onB];
  let t = performance.now();
  await Promise.all(allFarms.map((farm) => farm.whenAllConnected(600_000)));
  const connectAllSeconds = seconds(performance.now() - t);
  figures['connectAllSeconds'] = connectAllSeconds;
  say(`${layout.name} N=${count}: all connected in ${connectAllSeconds} s`);
  for (const [view, broker] of layout.views) {
    const list = await listComplete(broker.url, count);
    figures[`fleetLs_${view}`] = list;
    say(`  fleet ls --json from ${view}: ${list.listed}/${count} online in ${list.seconds} s (0.5 s settle, ${list.attempts} run(s))`);
    const cmd = await commandAll(broker.url, count);
    figures[`fleetCmdAll_${view}`] = cmd;
    say(`  fleet cmd all get-state from ${view}: ${cmd.replies}/${count} ok replies in ${cmd.seconds} s`);
  }
  // A device that lost its connection during the runs above (keepalive under load, a refused
  // connection) missed what was sent while it was away: counted, so a short count can be told apart.
  const extraConnects = allFarms.reduce((sum, farm) => sum + farm.connectTimes.length - farm.spec.count, 0);
  figures['reconnectsDuringRuns'] = extraConnects;
  if (extraConnects > 0) say(`  ${extraConnects} reconnections happened during the runs above`);
  // Restart the broker holding the first half of the fleet; "up" is when it accepts connections again.
  const restarted = layout.farms.onA;
  const before = restarted.map((farm) => farm.connectTimes.length);
  const haltedAt = performance.now();
  await layout.restart.halt();
  await Promise.all(restarted.map((farm) => farm.waitFor(() => farm.connected === 0, 60_000, 'outage seen')));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  t = performance.now();
  // The back-off grows while the broker is away, so how long it was away sets how late devices return.
  const downSeconds = seconds(t - haltedAt);
  await layout.restart.launch();
  const upAt = Date.now();
  await Promise.all(restarted.map((farm) => farm.whenAllConnected(600_000)));
  const reconnectSeconds = seconds(performance.now() - t);
  const spread = reconnectSpread(restarted.flatMap((farm, i) => farm.connectTimes.slice(before[i])), upAt);
  await layout.whenBridged();
  const relist = await listComplete(layout.hub.url, count);
  figures['restart'] = { downSeconds, devicesOnRestartedBroker: spread.count, reconnectAllSeconds: reconnectSeconds, spread, hubListedOnlineAfter: relist.listed, hubListCompleteSeconds: seconds(performance.now() - t) };
  say(`  restart (down ${downSeconds} s: until every device saw the outage, + 2 s): ${spread.count} reconnected within ${reconnectSeconds} s of it coming up (first +${spread.firstMs} ms, median +${spread.medianMs} ms, p90 +${spread.p90Ms} ms; busiest 100 ms: ${spread.busiest100Ms}); hub lists ${relist.listed}/${count} online ${seconds(performance.now() - t)} s after`);
  // CLI peak RSS at this N, as its own process.
  const lsProcess = await runToolProcess(['fleet', 'ls', '--mqtt', layout.hub.url, '--json', '--settle', '500', '--timeout', '120000'], '"online":true');
  const cmdProcess = await runToolProcess(['fleet', 'cmd', '--mqtt', layout.hub.url, 'all', 'get-state', '--expect', String(count), '--timeout', '120000'], '"status":"ok"');
  figures['cliMaxRssMiB'] = { fleetLs: lsProcess.maxRssMiB, fleetCmd: cmdProcess.maxRssMiB, listed: lsProcess.matching, replies: cmdProcess.matching };
  say(`  CLI peak RSS: fleet ls ${lsProcess.maxRssMiB} MiB (${lsProcess.matching} listed), fleet cmd ${cmdProcess.maxRssMiB} MiB (${cmdProcess.matching} replies)`);
  // Last wills: SIGKILL the second half; count `offline` statuses reaching the hub.
  const probe = await MqttProbe.connect(layout.hub.url);
  await probe.subscribe('edge-sms/+/status');
  await new Promise((resolve) => setTimeout(resolve, 500));
  probe.clear();
  t = performance.now();
  await Promise.all(layout.farms.onB.map((farm) => farm.kill()));
  const killed = layout.farms.onB.reduce((sum, farm) => sum + farm.spec.count, 0);
  const offline = (): number => new Set(probe.messages.filter((m) => m.text === 'offline').map((m) => m.topic)).size;
  while (offline() < killed && performance.now() - t < 120_000) await new Promise((resolve) => setTimeout(resolve, 50));
  figures['lastWills'] = { killed, offlineOnHub: offline(), seconds: seconds(performance.now() - t) };
  say(`  last wills: ${offline()}/${killed} offline on the hub ${seconds(performance.now() - t)} s after SIGKILL`);
  await probe.close();
  return figures;
}

async function clusterRun(count: number, say: Say): Promise<BenchFigures> {
  const cluster = await MosquittoCluster.start();
  const farms = { onA: [] as DeviceFarm[], onB: [] as DeviceFarm[] };
  try {
    await cluster.whenBridged();
    const [leafA, leafB] = cluster.leaves;
    Object.assign(farms, startFarms(count, leafA.url, leafB.url));
    return await measure({ name: 'cluster', views: [['hub', cluster.hub], ['leaf', leafB]], restart: leafA, farms, whenBridged: () => cluster.whenBridged(), hub: cluster.hub }, count, say);
  } finally {
    await Promise.all([...farms.onA, ...farms.onB].map((farm) => farm.kill()));
    await cluster.stop();
  }
}

async function singleRun(count: number, say: Say): Promise<BenchFigures> {
  const broker = await Mosquitto.start({ extraConfig: ['max_queued_messages 1000000', 'max_inflight_messages 100'] });
  const farms = { onA: [] as DeviceFarm[], onB: [] as DeviceFarm[] };
  try {
    Object.assign(farms, startFarms(count, broker.url, broker.url));
    // One broker: the "restart" drops the whole fleet; only onA's reconnects are timed (onB's are alike).
    return await measure({ name: 'single broker', views: [['single', broker]], restart: broker, farms, whenBridged: () => Promise.resolve(), hub: broker }, count, say);
  } finally {
    await Promise.all([...farms.onA, ...farms.onB].map((farm) => farm.kill()));
    await broker.stop();
  }
}

/** The CLI's peak RSS at `count` devices made of messages on one broker. */
async function toolRss(count: number, say: Say): Promise<BenchFigures> {
  const broker = await Mosquitto.start({ extraConfig: ['max_queued_messages 1000000'] });
  try {
    // The same commands against an empty broker: Node, tsx and the CLI's modules, before any device.
    const empty = await runToolProcess(['fleet', 'ls', '--mqtt', broker.url, '--json', '--settle', '200'], '"online":true');
    say(`fleet ls against an empty broker: peak RSS ${empty.maxRssMiB} MiB (the baseline)`);
    let t = performance.now();
    await publishRetainedFleet(broker.url, count);
    say(`synthetic fleet: ${count} retained status + state published in ${seconds(performance.now() - t)} s`);
    const ls = await runToolProcess(['fleet', 'ls', '--mqtt', broker.url, '--json', '--settle', '1000', '--timeout', '600000'], '"online":true');
    say(`  fleet ls --json: ${ls.matching}/${count} listed in ${ls.seconds} s, peak RSS ${ls.maxRssMiB} MiB`);
    const table = await runToolProcess(['fleet', 'ls', '--mqtt', broker.url, '--settle', '1000', '--timeout', '600000'], 'online');
    say(`  fleet ls (table): ${table.matching} rows in ${table.seconds} s, peak RSS ${table.maxRssMiB} MiB`);
    const replier = await answerNextFleetCommand(broker.url, count);
    await replier.ready;
    t = performance.now();
    const cmd = await runToolProcess(['fleet', 'cmd', '--mqtt', broker.url, 'all', 'get-state', '--expect', String(count), '--timeout', '600000'], '"status":"ok"');
    await replier.done;
    say(`  fleet cmd all: ${cmd.matching}/${count} replies in ${cmd.seconds} s, peak RSS ${cmd.maxRssMiB} MiB`);
    const figures = (run: typeof ls): BenchFigures => ({ seconds: run.seconds, devices: run.matching, maxRssMiB: run.maxRssMiB });
    return { devices: count, baselineMaxRssMiB: empty.maxRssMiB, fleetLsJson: figures(ls), fleetLsTable: figures(table), fleetCmdAll: figures(cmd) };
  } finally {
    await broker.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const say: Say = (line) => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  const devicesArg = options.args.find((arg) => arg.startsWith('devices='));
  const sizesText = devicesArg?.slice('devices='.length) ?? '1000,10000';
  // devices=none: only the CLI's memory at --rss devices.
  const sizes = sizesText === 'none' ? [] : sizesText.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 2)) throw new AgentError(`devices=N[,N…]: integers >= 2, got '${devicesArg}'`, ErrorCode.Cli_Usage);
  const rssArg = options.args.find((arg) => arg.startsWith('--rss='));
  const rssDevices = rssArg === undefined ? 100_000 : Number(rssArg.slice('--rss='.length));
  const figures: BenchFigures = {};
  for (const count of sizes) {
    if (!options.args.includes('--no-cluster')) figures[`cluster_${count}`] = await clusterRun(count, say);
    if (options.args.includes('--single')) figures[`single_${count}`] = await singleRun(count, say);
  }
  if (rssDevices > 0) figures[`cliRss_${rssDevices}`] = await toolRss(rssDevices, say);
  return figures;
}
