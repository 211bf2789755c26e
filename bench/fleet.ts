/**
 * Fleet scale check: N device mirrors (default 1,000) in this process against a real Mosquitto.
 * Measures: all connected and their state retained; `fleet ls` listing all of them; a
 * fleet-wide command reaching all and every reply coming back; all back after a broker restart.
 * `npm run bench -- fleet [devices=N]`; with --json the runner prints one JSON object.
 */
import type { BenchFigures, BenchOptions } from './run.js';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { PassThrough } from 'node:stream';
import { listFleet, MqttMirror, sendFleetCommand, type AgentStateSnapshot, type CommandHandlers, type FleetDevice } from '../src/mqtt/index.js';
import { main } from '../src/cli/main.js';
import { AgentError, ErrorCode } from '../src/errors.js';

function snapshot(index: number): AgentStateSnapshot {
  return {
    version: '0.1.0',
    uptimeSeconds: index,
    smpp: { state: index % 10 === 0 ? 'connecting' : 'bound', boundSince: null, windowInUse: index % 7, windowSize: 10, throttled: false },
    modem: { sim: 'ready', registration: 'home', operator: 'Bench', signalDbm: -60 - (index % 40), gnssFix: '3d' },
    outbox: {
      byState: { queued: index % 13, sending: 0, submitted: 0, delivered: index, failed: 0, expired: 0 },
      queuedByPriority: { critical: 0, high: 0, normal: index % 13, low: 0 },
      oldestQueuedAgeSeconds: null,
      drops: 0,
    },
    lastLocation: null,
  };
}

/** Only get-state is exercised; the rest refuse, as a device without those parts would. */
function handlersFor(index: number): CommandHandlers {
  const refuse = (): Promise<never> => Promise.reject(new AgentError('not in the benchmark', ErrorCode.Cli_Failed));
  return { getState: () => Promise.resolve(snapshot(index)), sendSms: refuse, report: refuse, locate: refuse, queue: refuse, setConfig: refuse, rebootModem: refuse };
}

async function allConnected(mirrors: readonly MqttMirror[], timeoutMs: number): Promise<void> {
  await Promise.all(mirrors.map((mirror) => mirror.whenConnected(timeoutMs)));
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const devicesArg = options.args.find((arg) => arg.startsWith('devices='));
  const count = devicesArg === undefined ? 1000 : Number(devicesArg.slice('devices='.length));
  if (!Number.isInteger(count) || count < 1) throw new AgentError(`devices=N: N must be a positive integer, got '${devicesArg}'`, ErrorCode.Cli_Usage);
  const say = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  const broker = await Mosquitto.start();
  const mirrors: MqttMirror[] = [];
  try {
    const rssBefore = process.memoryUsage().rss;
    let t = performance.now();
    for (let i = 0; i < count; i++) {
      const mirror = new MqttMirror({
        url: broker.url,
        deviceId: `bench-${String(i).padStart(5, '0')}`,
        handlers: handlersFor(i),
        backoff: { initialMs: 500, maxMs: 5000 },
      });
      mirror.updateState(snapshot(i));
      mirrors.push(mirror);
      mirror.start();
    }
    await allConnected(mirrors, 60_000);
    const connectSeconds = seconds(performance.now() - t);
    const rssPerMirrorKiB = Math.round((process.memoryUsage().rss - rssBefore) / count / 1024);
    say(`${count} mirrors connected in ${connectSeconds} s (~${rssPerMirrorKiB} KiB RSS each)`);

    // The CLI's own code path, output captured: `fleet ls --json`.
    t = performance.now();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exitCode = await main(['fleet', 'ls', '--mqtt', broker.url, '--json', '--settle', '300', '--timeout', '30000'], { stdout, stderr: new PassThrough() });
    const listSeconds = seconds(performance.now() - t);
    if (exitCode !== 0) throw new AgentError(`fleet ls exited ${exitCode}`, ErrorCode.Cli_Failed);
    const listed = out.trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as FleetDevice);
    const listedOnline = listed.filter((device) => device.online === true && device.queueDepth !== null).length;
    say(`edge-sms-agent fleet ls --json: ${listed.length} devices (${listedOnline} online with state) in ${listSeconds} s (includes the 0.3 s settle)`);

    t = performance.now();
    const result = await sendFleetCommand({ url: broker.url, target: { kind: 'all' }, name: 'get-state', payload: {}, timeoutMs: 30_000, expect: count });
    const commandSeconds = seconds(performance.now() - t);
    const okReplies = result.replies.filter((reply) => reply.status === 'ok').length;
    say(`fleet-wide get-state: ${result.replies.length} replies (${okReplies} ok) in ${commandSeconds} s`);

    t = performance.now();
    await broker.halt();
    // Every mirror has seen the outage before the broker comes back, so "connected" below means reconnected.
    while (mirrors.some((mirror) => mirror.status().connection === 'connected')) await new Promise((resolve) => setTimeout(resolve, 20));
    await broker.launch();
    const relaunched = performance.now();
    await allConnected(mirrors, 60_000);
    const reconnectSeconds = seconds(performance.now() - relaunched);
    const relisted = await listFleet({ url: broker.url, settleMs: 300, timeoutMs: 30_000 });
    say(`broker restart: all ${count} back in ${reconnectSeconds} s after it came up; ${relisted.length} retained states republished`);

    return {
      devices: count,
      connectAllSeconds: connectSeconds,
      rssPerMirrorKiB,
      fleetLsSeconds: listSeconds,
      fleetLsDevices: listed.length,
      fleetLsOnlineWithState: listedOnline,
      fleetCommandSeconds: commandSeconds,
      fleetCommandReplies: result.replies.length,
      fleetCommandOk: okReplies,
      reconnectAfterBrokerRestartSeconds: reconnectSeconds,
      republishedAfterRestart: relisted.length,
      brokerRestartTotalSeconds: seconds(performance.now() - t),
    };
  } finally {
    const stopping = performance.now();
    await Promise.all(mirrors.map((mirror) => mirror.stop()));
    say(`stopped ${mirrors.length} mirrors in ${seconds(performance.now() - stopping)} s`);
    await broker.stop();
  }
}
