/**
 * `npm run bench -- dataplan [minutes=20] [build=no] [--json]` (`--busy`: per reading while draining, bench/_dataplanBusy.ts): bytes the agent puts on the cellular link over an
 * idle day at the default settings (issue 14): modem and GNSS on (the modem emulator on a pty, a
 * stationary fix), SMPP bound to our simulator, MQTT connected over TLS to Mosquitto. A counting relay
 * (bench/_countingRelay.ts) sits between the agent and each server and records every chunk each way.
 *
 * The agent runs as installed (dist/, the unit's process environment) with a config that sets only
 * the addresses, the device id and file paths: every interval is the default. The window starts
 * once the agent is bound, connected and has published its first state; connecting (TCP + TLS
 * handshakes, CONNECT, SUBSCRIBE, the first state) is reported apart as a one-off cost.
 *
 * Causes: SMPP by command_id (enquire_link both ways, submit_sm, deliver_sm, and their responses);
 * MQTT over TLS by record size and time (PINGREQ/PINGRESP are 24-octet TLS 1.3 records) and by
 * matching each publish to what a probe subscribed to the device's topics saw (state, events,
 * status). A day is extrapolated per cause (see `perDay()`): periodic causes by their default
 * period and the bytes one occurrence took here, the rest linearly from the window.
 * TCP/IP: 52 octets per segment (IPv4 20 + TCP 20 + timestamps 12), one segment per chunk read,
 * plus one pure ACK for every two segments (a request's ACK rides on its response; the response's
 * ACK is a segment of its own); the cellular radio's own framing (PDCP/RLC, header compression) is
 * not counted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { SmscSimulator, startModemEmulator } from '../src/sim/index.js';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { makeTestPki } from '../test/helpers/testCertificates.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist, getJson, round, sleep, spawnAgent } from './_agentProcess.js';
import { smppPdus, startCountingRelay, type Chunk } from './_countingRelay.js';
import { runBusy } from './_dataplanBusy.js';

const account = { systemId: 'bench', password: 'bench-pw' };
const deviceId = 'bench-dp';
const day = 86_400;
/** The defaults the extrapolation uses (src/agent/config/agentConfig.ts). */
const defaults = { mqttKeepaliveS: 240, enquireLinkS: 120, stateHeartbeatS: 3600, locationMaxIntervalS: 900 };
const IP_TCP_HEADER = 52;
const TLS13_PING_RECORD = 24;

interface Cause {
  count: number;
  payload: number;
  segments: number;
}
type Causes = Record<string, Cause>;

const add = (causes: Causes, name: string, payload: number, segments: number, count = 0): void => {
  const cause = (causes[name] ??= { count: 0, payload: 0, segments: 0 });
  cause.payload += payload;
  cause.segments += segments;
  cause.count += count;
};
const onWire = (cause: Cause): number => cause.payload + IP_TCP_HEADER * (cause.segments * 1.5);

const smppNames: Record<number, string> = {
  0x15: 'enquire_link', 0x80000015: 'enquire_link', 0x04: 'submit_sm', 0x80000004: 'submit_sm', 0x05: 'deliver_sm', 0x80000005: 'deliver_sm',
  0x06: 'unbind', 0x80000006: 'unbind', 0x09: 'bind', 0x80000009: 'bind', 0x80000000: 'generic_nack',
};

/** SMPP chunks by cause: each chunk counts as one segment of the cause of the first PDU it carries. */
function smppCauses(chunks: readonly Chunk[]): Causes {
  const causes: Causes = {};
  for (const dir of ['up', 'down'] as const) {
    const own = chunks.filter((chunk) => chunk.dir === dir);
    for (const chunk of own) {
      const [first] = smppPdus([chunk]);
      const name = first === undefined ? 'other' : (smppNames[first.commandId] ?? 'other');
      add(causes, name, chunk.bytes.length, 1);
    }
    for (const pdu of smppPdus(own)) {
      // One occurrence = one request (its response is counted with it, in bytes).
      if ((pdu.commandId & 0x80000000) === 0) add(causes, smppNames[pdu.commandId] ?? 'other', 0, 0, 1);
    }
  }
  return causes;
}

interface Seen {
  readonly at: number;
  readonly topic: string;
  readonly payload: string;
}

/** Leaf paths whose value differs between two JSON documents. */
function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${path} ${JSON.stringify(before)}→${JSON.stringify(after)}`];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((key) => changedPaths((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`));
}

/** MQTT-over-TLS chunks by cause: pings by their record size, publishes by the probe's view of the topic at that moment. */
function mqttCauses(chunks: readonly Chunk[], seen: readonly Seen[]): Causes {
  const causes: Causes = {};
  let last = 'other';
  for (const chunk of chunks) {
    const size = chunk.bytes.length;
    if (size === TLS13_PING_RECORD) {
      add(causes, 'keepalive', size, 1, chunk.dir === 'up' ? 1 : 0);
      continue;
    }
    if (chunk.dir === 'up') {
      const match = seen.find((s) => s.at >= chunk.at - 50 && s.at <= chunk.at + 1000);
      last = match === undefined ? 'other' : match.topic.endsWith('/state') ? 'state' : match.topic.includes('/events/') ? 'events' : match.topic.endsWith('/status') ? 'status' : 'other';
      add(causes, last, size, 1, 1);
    } else {
      add(causes, last, size, 1); // the broker's PUBACK for the publish before it
    }
  }
  return causes;
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  if (options.args.includes('--busy')) return runBusy(options);
  const arg = (name: string): string | undefined => options.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const minutes = Number(arg('minutes') ?? 20);
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  if (arg('build') !== 'no') buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-dataplan-'));
  const pki = makeTestPki();
  const broker = await Mosquitto.start({ tls: { caFile: pki.caCert, certFile: pki.serverCert, keyFile: pki.serverKey, requireClientCert: false } });
  const sim = new SmscSimulator({ accounts: [account], port: 0, receipts: { delayMs: 1000, states: ['DELIVRD'] } });
  await sim.start();
  // A stationary device with a fix (the fix's own time is fixed too: state shows it, thresholds ignore it).
  const fix = { lat: 51.5072, lon: -0.1276, altM: 35, speedKmh: 0, courseDeg: 0, time: new Date(), satellites: 9 };
  const modem = await startModemEmulator({ link: join(dir, 'ttyDP0'), profile: 'simcom-sim7600', fix });
  const smppRelay = await startCountingRelay(sim.port);
  const mqttRelay = await startCountingRelay(broker.tlsPort!);
  const seen: Seen[] = [];
  const probe = await connectAsync(broker.url, { clientId: 'dataplan-probe' });
  probe.on('message', (topic, payload) => seen.push({ at: Date.now(), topic, payload: payload.toString() }));
  await probe.subscribeAsync(`edge-sms/${deviceId}/#`);
  const api = join(dir, 'api.sock');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    `device: { id: ${deviceId} }`,
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${smppRelay.port}", destination: "+447700900000" }`,
    `modem: { port: "${modem.path}", profile: simcom-sim7600 }`,
    `mqtt: { url: "mqtts://127.0.0.1:${mqttRelay.port}" }`,
    `store: { path: "${join(dir, 'agent.db')}" }`, `api: { listen: "unix:${api}" }`, 'log: { level: warn }',
  ].join('\n'));
  // The test CA: mqtt.caFile is honoured by issue 15's work; this trusts it whatever the agent passes.
  const agent = spawnAgent(config, { NODE_EXTRA_CA_CERTS: pki.caCert });
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const state = await getJson<{ smpp: { state: string }; modem: { gnssFix: string } }>(api, '/state').catch(() => undefined);
      // Bound, state published, and the first GNSS poll done (location.pollS, 60 s by default).
      if (state?.smpp.state === 'bound' && state.modem.gnssFix !== 'unknown' && seen.some((s) => s.topic.endsWith('/state'))) break;
      if (agent.child.exitCode !== null || Date.now() > deadline) throw new Error(`the agent did not bind and publish state:\n${agent.stderr()}`);
      await sleep(200);
    }
    await sleep(10_000); // what follows the first poll: its state publish
    const connectSmpp = smppCauses(smppRelay.chunks);
    const connectMqtt = mqttCauses(mqttRelay.chunks, seen);
    smppRelay.reset();
    mqttRelay.reset();
    let lastState = [...seen].reverse().find((s) => s.topic.endsWith('/state'))?.payload;
    seen.length = 0;
    log(`measuring ${minutes} min of an idle agent at default settings…`);
    const started = Date.now();
    await sleep(minutes * 60_000);
    const windowS = (Date.now() - started) / 1000;
    const smpp = smppCauses(smppRelay.chunks);
    const mqtt = mqttCauses(mqttRelay.chunks, seen);
    // Why each state went out again: the fields that changed (publishedAt always does).
    const republished: string[][] = [];
    for (const message of seen.filter((s) => s.topic.endsWith('/state'))) {
      if (lastState !== undefined) republished.push(changedPaths(JSON.parse(lastState), JSON.parse(message.payload)).filter((p) => !p.startsWith('publishedAt ')));
      lastState = message.payload;
    }
    for (const paths of republished) log(`state republished: ${paths.join(', ') || '(nothing but publishedAt: a heartbeat)'}`);
    const figures = perDay(windowS, smpp, mqtt, connectMqtt['state']);
    const oneOff = { smpp: Math.round(Object.values(connectSmpp).reduce((a, c) => a + onWire(c), 0)), mqtt: Math.round(Object.values(connectMqtt).reduce((a, c) => a + onWire(c), 0)) };
    log(`window ${round(windowS / 60)} min; per cause: count in the window, payload bytes, segments → bytes/day on the wire (how)`);
    for (const [link, causes] of Object.entries(figures.causes)) {
      for (const [name, cause] of Object.entries(causes)) {
        log(`  ${link.padEnd(4)} ${name.padEnd(12)} ${String(cause.countInWindow).padStart(4)} × ${String(cause.payloadInWindow).padStart(6)} B, ${String(cause.segmentsInWindow).padStart(4)} seg → ${String(cause.bytesPerDay).padStart(7)} B/day (${cause.how})`);
      }
    }
    log(`total ${figures.totalBytesPerDay} B/day (target 500,000); connecting once: SMPP ${oneOff.smpp} B, MQTT+TLS ${oneOff.mqtt} B`);
    return { minutes: round(windowS / 60), defaults, ...figures, stateRepublishedFor: republished, connectBytes: oneOff, targetBytesPerDay: 500_000 };
  } finally {
    await agent.stop();
    await probe.endAsync();
    await smppRelay.stop();
    await mqttRelay.stop();
    await modem.stop();
    await sim.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  }
}

interface DayCause {
  countInWindow: number;
  payloadInWindow: number;
  segmentsInWindow: number;
  bytesPerDay: number;
  how: string;
}

/**
 * A day per cause. Keepalives and enquire_links: at most one exchange per default period (each is
 * sent only after that long without other traffic, so this is an upper bound), at the bytes one
 * exchange took here. State: the hourly heartbeat (24 a day) plus the window's republishes scaled
 * to a day. Everything else (location reports every 15 min while stationary and their events,
 * receipts): scaled linearly from the window.
 */
function perDay(windowS: number, smpp: Causes, mqtt: Causes, connectState: Cause | undefined): { causes: Record<'smpp' | 'mqtt', Record<string, DayCause>>; totalBytesPerDay: number } {
  const scale = day / windowS;
  const out: Record<'smpp' | 'mqtt', Record<string, DayCause>> = { smpp: {}, mqtt: {} };
  const each = (cause: Cause): number => (cause.count > 0 ? onWire(cause) / cause.count : 0);
  // No republish in the window (as it should be when idle): the heartbeats still go out, at the size of the state sent on connect.
  if (mqtt['state'] === undefined && connectState !== undefined) mqtt = { ...mqtt, state: { count: 0, payload: 0, segments: 0 } };
  const statePublish = (cause: Cause): number => (cause.count > 0 ? each(cause) : connectState === undefined ? 0 : each(connectState));
  for (const [link, causes] of [['smpp', smpp], ['mqtt', mqtt]] as const) {
    for (const [name, cause] of Object.entries(causes)) {
      let bytesPerDay: number;
      let how: string;
      if (name === 'keepalive' || name === 'enquire_link') {
        const period = name === 'keepalive' ? defaults.mqttKeepaliveS : defaults.enquireLinkS;
        bytesPerDay = each(cause) * (day / period);
        how = `${round(each(cause))} B per exchange × ${day / period} (one per ${period} s, at most)`;
      } else if (name === 'state') {
        const heartbeat = statePublish(cause) * (day / defaults.stateHeartbeatS);
        bytesPerDay = heartbeat + onWire(cause) * scale;
        how = `${round(statePublish(cause))} B per publish × (${day / defaults.stateHeartbeatS} heartbeats + ${round(cause.count * scale)} changes)`;
      } else {
        bytesPerDay = onWire(cause) * scale;
        how = `window × ${round(scale)}`;
      }
      out[link][name] = { countInWindow: cause.count, payloadInWindow: cause.payload, segmentsInWindow: cause.segments, bytesPerDay: Math.round(bytesPerDay), how };
    }
  }
  const totalBytesPerDay = Object.values(out).reduce((sum, causes) => sum + Object.values(causes).reduce((s, c) => s + c.bytesPerDay, 0), 0);
  return { causes: out, totalBytesPerDay };
}
