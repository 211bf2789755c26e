/**
 * `npm run bench -- dataplan --busy [readings=3000] [build=no] [--json]`: what the MQTT mirror spends on the
 * cellular link per reading while the agent drains a backlog (issue 14: "the MQTT events a drain publishes stay
 * a small fraction of the SMS bytes they describe").
 *
 * The agent as installed (dist/, the unit's environment), `readings` telemetry readings queued in its database
 * before it starts (as after an outage: past their delay, `maxDelayS: 0`), SMPP to our simulator with delivery
 * receipts, MQTT over TLS to Mosquitto; a counting relay (bench/_countingRelay.ts) in front of each server. The
 * window runs from the agent's start to the last receipt's event (and 3 s more for the state that follows).
 *
 * Figures: the SMS bytes (short_message octets of every submit_sm, UDH included: what the SMSC carries), the
 * MQTT link's bytes on the wire in that window (TLS records; TCP/IP headers as in dataplan.ts), and what a
 * subscriber saw: events and state publishes by count and payload bytes. The ratio asked about is the MQTT
 * link's bytes over the SMS bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { SmscSimulator } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { makeTestPki } from '../test/helpers/testCertificates.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist, getJson, round, sleep, spawnAgent } from './_agentProcess.js';
import { startCountingRelay, type Chunk } from './_countingRelay.js';

const account = { systemId: 'bench', password: 'bench-pw' };
const deviceId = 'bench-busy';
/** IPv4 20 + TCP 20 + timestamps 12 per segment, one segment per chunk read, and a pure ACK per two (as dataplan.ts). */
const onWire = (chunks: readonly Chunk[]): number => chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0) + 52 * chunks.length * 1.5;

export async function runBusy(options: BenchOptions): Promise<BenchFigures> {
  const arg = (name: string): string | undefined => options.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const readings = Number(arg('readings') ?? 3000);
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  if (arg('build') !== 'no') buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-busy-'));
  const pki = makeTestPki();
  const broker = await Mosquitto.start({ tls: { caFile: pki.caCert, certFile: pki.serverCert, keyFile: pki.serverKey, requireClientCert: false } });
  const sim = new SmscSimulator({ accounts: [account], port: 0, receipts: { delayMs: 200, states: ['DELIVRD'] } });
  await sim.start();
  let smsBytes = 0;
  let parts = 0;
  sim.on('pdu', (pdu) => {
    if (pdu.command !== 'submit_sm') return;
    parts++;
    smsBytes += pdu.short_message.length;
  });
  const smppRelay = await startCountingRelay(sim.port);
  const mqttRelay = await startCountingRelay(broker.tlsPort!);
  const seen: Array<{ topic: string; bytes: number; at: number }> = [];
  const probe = await connectAsync(broker.url, { clientId: 'busy-probe' });
  probe.on('message', (topic, payload) => seen.push({ topic, bytes: payload.length, at: Date.now() }));
  await probe.subscribeAsync(`edge-sms/${deviceId}/#`);
  const database = join(dir, 'agent.db');
  const store = openStore({ path: database });
  const time = Math.floor(Date.now() / 1000) - 3600;
  for (let from = 0; from < readings; from += 1000) {
    store.outbox.enqueueMany(Array.from({ length: Math.min(1000, readings - from) }, (_, i) => ({
      kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ time: time + from + i, fields: { n: from + i, T: 21.5, H: 40 } }),
    })));
  }
  store.close();
  const api = join(dir, 'api.sock');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    `device: { id: ${deviceId} }`,
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${smppRelay.port}", destination: "+447700900000" }`,
    'modem: { enabled: false }', 'location: { enabled: false }',
    'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
    `mqtt: { url: "mqtts://127.0.0.1:${mqttRelay.port}" }`,
    `store: { path: "${database}" }`, `api: { listen: "unix:${api}" }`, 'log: { level: warn }',
  ].join('\n'));
  const agent = spawnAgent(config, { NODE_EXTRA_CA_CERTS: pki.caCert });
  try {
    const deadline = Date.now() + 600_000;
    for (;;) {
      await sleep(500);
      const state = await getJson<{ outbox: { byState: Record<string, number> } }>(api, '/state').catch(() => undefined);
      if (state !== undefined && (state.outbox.byState['delivered'] ?? 0) >= readings) break;
      if (agent.child.exitCode !== null || Date.now() > deadline) throw new Error(`the drain did not finish:\n${agent.stderr()}`);
    }
    await sleep(3000); // the last events and the state that follows them
    const events = seen.filter((s) => s.topic.includes('/events/'));
    const byType: Record<string, { count: number; payloadBytes: number }> = {};
    for (const event of events) {
      const type = event.topic.slice(event.topic.lastIndexOf('/') + 1);
      const entry = (byType[type] ??= { count: 0, payloadBytes: 0 });
      entry.count++;
      entry.payloadBytes += event.bytes;
    }
    const states = seen.filter((s) => s.topic.endsWith('/state'));
    const mqttWire = onWire(mqttRelay.chunks);
    const figures = {
      readings,
      smsParts: parts,
      smsBytes,
      smsBytesPerReading: round(smsBytes / readings, 1),
      smppWireBytes: Math.round(onWire(smppRelay.chunks)),
      mqttWireBytes: Math.round(mqttWire),
      mqttWireBytesPerReading: round(mqttWire / readings, 1),
      mqttWireOverSmsBytes: round(mqttWire / smsBytes, 3),
      events: byType,
      eventPayloadBytesPerReading: round(events.reduce((sum, e) => sum + e.bytes, 0) / readings, 1),
      statePublishes: { count: states.length, payloadBytes: states.reduce((sum, s) => sum + s.bytes, 0) },
    };
    log(`${readings} readings in ${parts} SMS parts: ${smsBytes} B of SMS (${figures.smsBytesPerReading} B a reading)`);
    log(`MQTT over TLS in the same window: ${figures.mqttWireBytes} B on the wire (connect included), ${figures.mqttWireBytesPerReading} B a reading: ${figures.mqttWireOverSmsBytes} × the SMS bytes`);
    for (const [type, entry] of Object.entries(byType)) log(`  event ${type}: ${entry.count} × ${round(entry.payloadBytes / entry.count)} B payload`);
    log(`  state: ${states.length} publishes, ${figures.statePublishes.payloadBytes} B payload`);
    return figures;
  } finally {
    await agent.stop();
    await probe.endAsync();
    await smppRelay.stop();
    await mqttRelay.stop();
    await sim.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  }
}
