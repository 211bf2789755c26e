/**
 * What an oversize MQTT command costs the agent (issue 13): a 30 MB `report` command published to a real
 * agent (compiled, as installed, in the systemd unit's process environment) through a real Mosquitto, once
 * over MQTT 5 (the agent's CONNECT carries Maximum Packet Size: the broker drops it) and once over MQTT 3.1.1
 * (test/helpers/v311OnlyBroker.ts in front: the agent hangs up at the packet's header and reconnects).
 * Figures: the agent's peak RSS (VmHWM) before and after, and how long until the next command is answered.
 * `npm run bench -- mqttOversize [mb=30]`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { MqttProbe } from '../test/helpers/mqttProbe.js';
import { V311OnlyBroker } from '../test/helpers/v311OnlyBroker.js';
import { buildDist, round, rssMiB, sleep, startAgent } from './_agentProcess.js';
import type { BenchFigures, BenchOptions } from './run.js';

const device = 'pi-oversize';
const cmd = (name: string): string => `edge-sms/${device}/cmd/${name}`;

/** get-state until a reply comes on the default response topic (works on 5 and 3.1.1); ms it took. */
async function answered(probe: MqttProbe, limitMs: number): Promise<number> {
  const started = performance.now();
  await probe.subscribe(`${cmd('get-state')}/response`);
  while (performance.now() - started < limitMs) {
    const requestId = randomUUID();
    await probe.client.publishAsync(cmd('get-state'), JSON.stringify({ requestId }), { qos: 1 });
    const reply = await probe.waitFor((m) => m.topic === `${cmd('get-state')}/response` && m.text.includes(requestId), 1000).catch(() => undefined);
    if (reply !== undefined) return performance.now() - started;
  }
  throw new Error(`no get-state reply within ${limitMs} ms`);
}

async function measure(protocol: 5 | 4, megabytes: number, log: (line: string) => void): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-oversize-'));
  const broker = await Mosquitto.start({ extraConfig: ['log_type all'] });
  const old = protocol === 4 ? await V311OnlyBroker.start(broker.port) : undefined;
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    `device: { id: ${device} }`,
    'smpp: { enabled: false, destination: "+447700900000" }',
    'modem: { enabled: true, port: /dev/null-no-modem, fallbackAfterS: 0 }',
    'location: { enabled: false }',
    `store: { path: "${join(dir, 'agent.db')}" }`,
    'reports: { kinds: { telemetry: {} } }',
    `mqtt: { url: "${old?.url ?? broker.url}" }`,
    'api: { enabled: false }',
    'log: { level: error }',
  ].join('\n'));
  const agent = await startAgent(config, 'compiled', join(dir, 'notify.sock'));
  const probe = await MqttProbe.connect(broker.url);
  try {
    await agent.ready;
    await answered(probe, 30_000);
    await sleep(2000);
    const before = rssMiB(agent.pid);
    await probe.client.publishAsync(cmd('report'), `{"kind":"telemetry","data":{"s":"${'x'.repeat(megabytes * 1_000_000)}"}}`, { qos: 1 });
    const published = performance.now();
    await answered(probe, 60_000);
    const nextAnswerMs = performance.now() - published;
    const after = rssMiB(agent.pid);
    const dropped = broker.log.includes(`Dropping too large outgoing PUBLISH for edge-sms-${device}`);
    log(`MQTT ${protocol === 5 ? '5' : '3.1.1'}: peak RSS ${round(before.peak)} → ${round(after.peak)} MiB for a ${megabytes} MB command; next command answered ${Math.round(nextAnswerMs)} ms after it; broker dropped it: ${dropped}`);
    return { peakBeforeMiB: round(before.peak), peakAfterMiB: round(after.peak), peakGrowthMiB: round(after.peak - before.peak), nextAnswerMs: Math.round(nextAnswerMs), brokerDropped: dropped };
  } finally {
    await probe.close();
    await agent.stop();
    await old?.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  const megabytes = Number(options.args.find((arg) => arg.startsWith('mb='))?.slice(3) ?? 30);
  buildDist();
  return { megabytes, mqtt5: await measure(5, megabytes, log), mqtt311: await measure(4, megabytes, log) };
}
