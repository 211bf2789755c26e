/**
 * The embedded default: an SMSC simulator, the modem emulator on a pseudo-terminal, a private
 * Mosquitto (when installed) and the agent, all on this machine. A sensor posts readings to the
 * agent's local API; the SMSC goes away for a while (the backlog grows, an alarm leaves through
 * the modem), comes back, and the backlog drains. A live line a second, events as they happen,
 * and a summary at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../logger.js';
import { SmscSimulator, startModemEmulator, type RunningModemEmulator } from '../../sim/index.js';
import { loadConfig } from '../config/index.js';
import { Agent } from '../runtime/agent.js';
import { startDemoBroker, type DemoBroker } from './broker.js';
import { DemoTally, liveLine, reportLine } from './view.js';
import { ReportReceiver } from '../../report/index.js';
import { connectAsync, type MqttClient } from 'mqtt';

export interface DemoOptions {
  /** Timeline scale: 1 is the one-minute demo, smaller runs faster (tests). */
  readonly scale: number;
  readonly write: (line: string) => void;
  /** false: the in-process broker even when Mosquitto is installed (tests of the fallback). */
  readonly preferMosquitto?: boolean;
}

const account = { systemId: 'demo', password: 'demo-pw' };

export async function runDemo(options: DemoOptions): Promise<DemoTally> {
  const say = options.write;
  const at = (seconds: number): number => Math.round(seconds * 1000 * options.scale);
  const dir = mkdtempSync(join(tmpdir(), 'edge-sms-demo-'));
  const tally = new DemoTally();
  let sim: SmscSimulator | undefined;
  let modem: RunningModemEmulator | undefined;
  let broker: DemoBroker | undefined;
  let agent: Agent | undefined;
  let watcher: MqttClient | undefined;
  const timers: NodeJS.Timeout[] = [];
  const centre = new ReportReceiver();
  let started = Date.now();
  const onReport = (text: string): void => say(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s  ${text}`);
  try {
    sim = await startSmsc(0, tally, centre, onReport);
    const port = sim.port;
    modem = await startModemEmulator({ link: join(dir, 'ttyEDGE0'), profile: 'simcom-sim7600', fix: fixAt(0) });
    modem.emulator.fix = fixAt(0);
    broker = await startDemoBroker(dir, options.preferMosquitto === false ? { preferMosquitto: false } : {});
    // What a fleet dashboard would see: the device's retained state and its events.
    watcher = await connectAsync(broker.url, { clientId: 'demo-watcher', reconnectPeriod: 1000 });
    watcher.on('message', (topic) => tally.mqtt(topic));
    await watcher.subscribeAsync('edge-sms/demo-pi/#');
    const api = join(dir, 'api.sock');
    const config = loadConfig({
      env: {},
      text: [
        'device: { id: demo-pi, alias: "42" }',
        `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx&window=10", destination: "+447700900000", source: EDGE42, responseTimeoutMs: 2000, enquireLinkS: 3 }`,
        `modem: { port: "${modem.path}", profile: simcom-sim7600, fallbackAfterS: ${Math.max(1, Math.round(4 * options.scale))} }`,
        `location: { pollS: 5, minDistanceM: 20, maxIntervalS: 60 }`,
        `store: { path: "${join(dir, 'agent.db')}" }`,
        `reports: { kinds: { telemetry: { maxDelayS: ${Math.max(1, Math.round(8 * options.scale))} }, location: { maxDelayS: ${Math.max(1, Math.round(8 * options.scale))} } } }`,
        `mqtt: { url: "${broker.url}" }`,
        `api: { listen: "unix:${api}" }`,
      ].join('\n'),
    });
    say('edge-sms-agent demo: everything runs on this machine.');
    say(`  SMSC simulator   smpp://127.0.0.1:${port} (delivery receipts after 1 s)`);
    say(`  modem emulator   ${modem.path} (SIMCom SIM7600, GNSS fix)`);
    say(`  MQTT broker      ${broker.url} (${broker.kind}): edge-sms/demo-pi/{status,state,events}`);
    say(`  the agent        outbox ${join(dir, 'agent.db')}, local API ${api}`);
    say('');
    agent = new Agent({ config, logger: silentLogger() });
    await agent.start();
    started = Date.now();
    const elapsed = (): number => (Date.now() - started) / 1000;
    const note = (text: string): void => say(`${elapsed().toFixed(0).padStart(4)}s  ${text}`);

    // A sensor: a reading a second into the local API, as a script on the Pi would send it.
    let reading = 0;
    const sensor = setInterval(() => {
      reading++;
      const T = Math.round((21 + Math.sin(reading / 8) * 2) * 10) / 10;
      void post(api, { kind: 'telemetry', data: { T, H: 45 + (reading % 5), B: Math.round((4.1 - reading * 0.001) * 100) / 100 } }).then((ok) => ok && tally.readings++);
    }, at(1));
    timers.push(sensor);
    // The device moves: the emulated GNSS fix walks north-east.
    timers.push(setInterval(() => {
      if (modem !== undefined) modem.emulator.fix = fixAt(elapsed());
    }, at(2)));
    const live = setInterval(() => say(liveLine(elapsed(), agent?.snapshot(), tally)), Math.max(250, at(2)));
    timers.push(live);

    await sleep(at(12));
    note('✂ the SMSC goes away: reports wait in the outbox');
    await sim.stop();
    sim = undefined;
    await sleep(at(3));
    note('! an alarm (door open): alarms may use the modem once SMPP has been down a while');
    if (await post(api, { kind: 'alarm', data: { door: 'open' } })) tally.readings++;
    const modemSends = (): number => modem?.emulator.commands.filter((command) => /^AT\+CMGS=/.test(command)).length ?? 0;
    await sleep(at(10));
    tally.modemParts = modemSends();
    note(`the modem sent ${tally.modemParts} SMS for the alarm; telemetry kept waiting for the SMSC`);
    sim = await startSmsc(port, tally, centre, onReport);
    note('✔ the SMSC is back: the agent rebinds and drains the backlog');
    await sleep(at(10));
    clearInterval(sensor);
    agent.applySettings({ 'location.pollS': 86_400 }, false); // no more location reports either
    note('the sensor stops; what is still waiting goes out within its maximum delay');
    const deadline = Date.now() + at(30);
    while (Date.now() < deadline) {
      await sleep(250);
      const { smpp, outbox } = agent.snapshot();
      if (smpp.state === 'bound' && outbox.byState.queued + outbox.byState.sending === 0) break;
    }
    // The simulator's receipts come a second after each submit.
    for (let waited = 0; waited < 4000 && agent.snapshot().outbox.byState.submitted > 0; waited += 250) await sleep(250);
    clearInterval(live);
    say(liveLine(elapsed(), agent.snapshot(), tally));
    tally.modemParts = modemSends();
    const final = agent.snapshot();
    tally.summary(final).forEach((line) => say(line));
    return tally;
  } finally {
    for (const timer of timers) clearInterval(timer);
    await agent?.stop();
    await watcher?.endAsync();
    await sim?.stop();
    await modem?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SMSC simulator; each report message it receives is decoded as the centre would and shown. */
async function startSmsc(port: number, tally: DemoTally, centre: ReportReceiver, show: (line: string) => void): Promise<SmscSimulator> {
  const sim = new SmscSimulator({ accounts: [account], port, receipts: { delayMs: 1000 } });
  sim.on('pdu', (pdu) => {
    if (pdu.command !== 'submit_sm') return;
    tally.smppParts++;
    const received = centre.accept(pdu);
    if (received.kind === 'report') show(reportLine(received.message));
  });
  await sim.start();
  return sim;
}

function fixAt(seconds: number): { lat: number; lon: number; altM: number; speedKmh: number; courseDeg: number; time: Date; satellites: number } {
  return { lat: 51.50722 + seconds * 0.00004, lon: -0.12762 + seconds * 0.00005, altM: 35, speedKmh: 16, courseDeg: 45, time: new Date(), satellites: 9 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function post(socketPath: string, body: unknown): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method: 'POST', path: '/reports', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 201));
    });
    req.on('error', () => resolve(false));
    req.end(JSON.stringify(body));
  });
}
