/**
 * `npm run bench -- agent [--quick] [--drain-only] [--json]`: the whole agent as a process (issue 8's targets).
 *  - start-up: spawn → READY=1 on the notify socket (median of 5), compiled (node dist/cli/main.js,
 *    as installed) and through tsx (development);
 *  - idle: RSS and CPU over 60 s (`--quick`: 10 s) while bound to the SMSC simulator, with the modem
 *    emulator on a pty and Mosquitto, default intervals, nothing to send;
 *  - drain: 100,000 reports queued in the database (`--quick`: 20,000), then the agent started
 *    against a simulator that throttles at a set rate: peak RSS while draining, readings/s, and the
 *    submits/s the SMSC accepted against its throttle (the agent should be limited by nothing else).
 * Targets: idle RSS ≤ 80 MB, idle CPU ≤ 1 % of one core, READY ≤ 1.5 s, drain = the SMSC's throttle.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmscSimulator, startModemEmulator } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { startDemoBroker } from '../src/agent/demo/broker.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist, cpuMs, getJson, median, round, rssMiB, sleep, startAgent, type Flavour } from './_agentProcess.js';

const account = { systemId: 'bench', password: 'bench-pw' };

interface StateJson {
  readonly smpp: { readonly state: string };
  readonly outbox: { readonly byState: Record<string, number> };
}

function configFile(dir: string, lines: readonly string[]): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, [...lines, `store: { path: "${join(dir, 'agent.db')}" }`, `api: { listen: "unix:${join(dir, 'api.sock')}" }`, 'log: { level: warn }'].join('\n'));
  return file;
}

const smppUrl = (port: number): string => `smpp://${account.systemId}:${account.password}@127.0.0.1:${port}?bind=trx&window=10`;

async function waitBound(api: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await getJson<StateJson>(api, '/state').catch(() => undefined);
    if (state?.smpp.state === 'bound') return;
    if (Date.now() > deadline) throw new Error('the agent did not bind');
    await sleep(50);
  }
}

async function startup(flavour: Flavour, runs: number, log: (line: string) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'esa-bench-start-'));
    // A fresh database each time: READY includes creating and migrating it.
    const config = configFile(dir, ['device: { id: bench }', 'smpp: { url: "smpp://x:y@127.0.0.1:9", destination: "+447700900000" }', 'modem: { enabled: false }', 'location: { enabled: false }', 'mqtt: { enabled: false }']);
    const agent = await startAgent(config, flavour, join(dir, 'notify.sock'));
    try {
      times.push(await agent.ready);
    } finally {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  log(`start → READY (${flavour}): ${times.map((t) => Math.round(t)).join(', ')} ms`);
  return times;
}

async function idle(durationMs: number, log: (line: string) => void): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-idle-'));
  const sim = new SmscSimulator({ accounts: [account], port: 0 });
  await sim.start();
  const modem = await startModemEmulator({ link: join(dir, 'ttyBENCH0'), profile: 'simcom-sim7600' });
  const broker = await startDemoBroker(dir);
  if (broker === undefined) throw new Error('mosquitto is needed for the idle benchmark');
  const config = configFile(dir, [
    'device: { id: bench-idle }',
    `smpp: { url: "${smppUrl(sim.port)}", destination: "+447700900000" }`,
    `modem: { port: "${modem.path}", profile: simcom-sim7600 }`,
    `mqtt: { url: "${broker.url}" }`,
  ]);
  const agent = await startAgent(config, 'compiled', join(dir, 'notify.sock'));
  try {
    await agent.ready;
    await waitBound(join(dir, 'api.sock'), 10_000);
    await sleep(5000); // modem init, first GNSS poll, first state publish
    const cpuStart = cpuMs(agent.pid);
    const wallStart = performance.now();
    const samples: number[] = [];
    while (performance.now() - wallStart < durationMs) {
      await sleep(1000);
      samples.push(rssMiB(agent.pid).now);
    }
    const cpuPercent = ((cpuMs(agent.pid) - cpuStart) / (performance.now() - wallStart)) * 100;
    const figures = {
      seconds: Math.round(durationMs / 1000),
      cpuPercentOfOneCore: round(cpuPercent, 2),
      rssMiBMean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
      rssMiBMax: round(Math.max(...samples)),
      // The last ten samples: start-up garbage is collected only when V8 gets round to it.
      rssMiBLast10sMedian: round(median(samples.slice(-10))),
    };
    log(`idle ${figures.seconds} s: CPU ${figures.cpuPercentOfOneCore} % of one core, RSS mean ${figures.rssMiBMean} MiB, max ${figures.rssMiBMax} MiB, last 10 s ${figures.rssMiBLast10sMedian} MiB`);
    return figures;
  } finally {
    await agent.stop();
    await broker.stop();
    await modem.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Queues `count` telemetry readings directly in the database, as the API would have (one transaction per 1000). */
function prefill(path: string, count: number): void {
  const store = openStore({ path });
  try {
    const time = Math.floor(Date.now() / 1000);
    for (let from = 0; from < count; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - from) }, (_, i) => ({
        kind: 'telemetry',
        priority: 'normal' as const,
        payload: JSON.stringify({ time, fields: { n: from + i, T: 21.5, H: 40 } }),
      }));
      store.outbox.enqueueMany(batch);
    }
  } finally {
    store.close();
  }
}

async function drain(count: number, throttle: number, log: (line: string) => void): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-drain-'));
  const sim = new SmscSimulator({ accounts: [account], port: 0, throttlePerSecond: throttle });
  await sim.start();
  let accepted = 0;
  let submits = 0;
  sim.on('accepted', () => accepted++);
  sim.on('pdu', (pdu) => {
    if (pdu.command === 'submit_sm') submits++;
  });
  const config = configFile(dir, [
    'device: { id: bench-drain, alias: "B" }',
    // maxRate 0: no pacing of the agent's own; only the SMSC's throttle limits the drain.
    `smpp: { url: "${smppUrl(sim.port)}", destination: "+447700900000", maxRate: 0 }`,
    'modem: { enabled: false }',
    // A backlog after an outage is past every reading's delay: due at once (with the default 900 s,
    // the last few readings would rightly wait to fill an SMS and the drain would never "end").
    'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
    'location: { enabled: false }',
    'mqtt: { enabled: false }',
  ]);
  const filled = performance.now();
  prefill(join(dir, 'agent.db'), count);
  log(`queued ${count} readings in ${Math.round(performance.now() - filled)} ms`);
  const agent = await startAgent(config, 'compiled', join(dir, 'notify.sock'));
  const api = join(dir, 'api.sock');
  try {
    await agent.ready;
    const cpuStart = cpuMs(agent.pid);
    const started = performance.now();
    let peak = 0;
    let atPeak = { anon: 0, file: 0, shmem: 0 };
    let steady: { at: number; accepted: number } | undefined;
    let last: { at: number; accepted: number } = { at: started, accepted: 0 };
    for (;;) {
      await sleep(250);
      const rss = rssMiB(agent.pid);
      if (rss.now > peak) atPeak = { anon: round(rss.anon), file: round(rss.file), shmem: round(rss.shmem) };
      peak = Math.max(peak, rss.now);
      const state = await getJson<StateJson>(api, '/state');
      const now = performance.now();
      // The steady rate leaves out the first 2 s (bind, the bucket's initial burst).
      if (steady === undefined && now - started >= 2000) steady = { at: now, accepted };
      last = { at: now, accepted };
      if (state.outbox.byState['queued'] === 0 && state.outbox.byState['sending'] === 0) break;
      if (now - started > 600_000) throw new Error('the drain did not finish in 10 minutes');
    }
    const seconds = (last.at - started) / 1000;
    const steadyRate = steady === undefined || last.at - steady.at < 1000 ? accepted / seconds : ((last.accepted - steady.accepted) * 1000) / (last.at - steady.at);
    const figures = {
      readings: count,
      smscThrottlePerSecond: throttle,
      seconds: round(seconds),
      readingsPerSecond: Math.round(count / seconds),
      submitsAccepted: accepted,
      submitsThrottled: submits - accepted,
      acceptedPerSecondSteady: round(steadyRate),
      shareOfThrottle: round(steadyRate / throttle, 2),
      peakRssMiB: round(Math.max(peak, rssMiB(agent.pid).peak)),
      /** At the highest sampled RSS: heaps (anon), mapped files, shared memory. */
      peakRssBreakdownMiB: atPeak,
      cpuPercentOfOneCore: round(((cpuMs(agent.pid) - cpuStart) / (last.at - started)) * 100, 1),
    };
    log(`drain of ${count} at a throttle of ${throttle}/s: ${figures.seconds} s, ${figures.readingsPerSecond} readings/s, ${figures.acceptedPerSecondSteady} submits/s accepted (${figures.shareOfThrottle} of the throttle), ${figures.submitsThrottled} throttled, peak RSS ${figures.peakRssMiB} MiB, CPU ${figures.cpuPercentOfOneCore} %`);
    return figures;
  } finally {
    await agent.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const quick = options.args.includes('--quick');
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  buildDist();
  if (options.args.includes('--drain-only')) return { drain: await drain(quick ? 20_000 : 100_000, 200, log) };
  const compiled = await startup('compiled', 5, log);
  const tsx = await startup('tsx', 3, log);
  const idleFigures = await idle(quick ? 10_000 : 60_000, log);
  const drainFigures = await drain(quick ? 20_000 : 100_000, 200, log);
  return {
    quick,
    startupToReadyMs: { compiledMedian: Math.round(median(compiled)), tsxMedian: Math.round(median(tsx)), target: 1500 },
    idle: { ...idleFigures, targets: { rssMiB: 80, cpuPercent: 1 } },
    drain: drainFigures,
  };
}
