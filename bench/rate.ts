/**
 * `npm run bench -- rate [count=3000] [perSecond=10] [smsc=own-sliding,own-fixed,sim-sliding,sim-fixed] [agentRoot=DIR] [--json]`:
 * how fast the agent drains a backlog through an SMSC account limited to R submits a second, when
 * it has no limit of its own (`smpp.maxRate: 0`) and must find the SMSC's.
 *
 * The agent runs as installed (`node dist/cli/main.js run`, built first; `agentRoot=DIR` runs
 * another checkout's dist/ instead, for a before/after), with `count` plain SMS rows in its
 * outbox (one submit_sm each: readings would be packed) and a window of 10. The SMSC is either
 * `own-*`: bench/_rateSmsc.ts, an SMSC written for this benchmark apart from our codec and
 * simulator, counting over a sliding second or per wall-clock second; or `sim-*`: our simulator
 * with `--throttle R --throttle-window sliding|fixed`.
 *
 * Figures per SMSC: accepted submits/s after the first 30 s (target ≥ 0.95 R on the sliding
 * SMSC), throttled answers as a share of submits (target ≤ 2 %), the whole drain's time, and the
 * limit the agent said it learned.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmscSimulator } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist, round, sleep, unitProcessEnvironment } from './_agentProcess.js';
import { startRateSmsc, type CountingWindow } from './_rateSmsc.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const account = { systemId: 'bench', password: 'bench-pw' };
type SmscKind = `${'own' | 'sim'}-${CountingWindow}`;

interface Counting {
  readonly port: number;
  /** Arrival time of each accepted submit, and how many were refused. */
  accepted(): readonly number[];
  /** Arrival time of every submit. */
  arrivals(): readonly number[];
  throttled(): number;
  stop(): Promise<void>;
}

async function startSmsc(kind: SmscKind, perSecond: number): Promise<Counting> {
  const window: CountingWindow = kind.endsWith('fixed') ? 'fixed' : 'sliding';
  if (kind.startsWith('own')) {
    const smsc = await startRateSmsc(perSecond, window);
    return {
      port: smsc.port,
      accepted: () => smsc.submits.filter((s) => s.accepted).map((s) => s.at),
      throttled: () => smsc.submits.filter((s) => !s.accepted).length,
      arrivals: () => smsc.submits.map((s) => s.at),
      stop: () => smsc.stop(),
    };
  }
  const sim = new SmscSimulator({ accounts: [account], port: 0, throttlePerSecond: perSecond, throttleWindow: window });
  await sim.start();
  const accepted: number[] = [];
  const arrivals: number[] = [];
  sim.on('accepted', () => accepted.push(performance.now()));
  sim.on('pdu', (pdu) => {
    if (pdu.command === 'submit_sm') arrivals.push(performance.now());
  });
  return { port: sim.port, accepted: () => accepted, arrivals: () => arrivals, throttled: () => arrivals.length - accepted.length, stop: () => sim.stop() };
}

async function drain(kind: SmscKind, count: number, perSecond: number, agentRoot: string, log: (line: string) => void): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-bench-rate-'));
  const smsc = await startSmsc(kind, perSecond);
  const database = join(dir, 'agent.db');
  const store = openStore({ path: database });
  for (let from = 0; from < count; from += 1000) {
    store.outbox.enqueueMany(Array.from({ length: Math.min(1000, count - from) }, (_, i) => ({ kind: 'sms', priority: 'normal' as const, payload: `backlog ${from + i}`, destinations: ['+447700900001'] })));
  }
  store.close();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'device: { id: bench-rate }',
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${smsc.port}?bind=trx&window=10", destination: "+447700900000", maxRate: 0 }`,
    'modem: { enabled: false }', 'location: { enabled: false }', 'mqtt: { enabled: false }',
    `store: { path: "${database}" }`, `api: { listen: "unix:${join(dir, 'api.sock')}" }`, `log: { level: ${process.env['RATE_LOG'] ?? 'info'} }`,
  ].join('\n'));
  const child = spawn(process.execPath, [join(agentRoot, 'dist/cli/main.js'), 'run', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...unitProcessEnvironment(), EDGE_SMS_CONFIG: '' },
  });
  const learned: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    let newline: number;
    while ((newline = stderr.indexOf('\n')) >= 0) {
      const line = stderr.slice(0, newline);
      stderr = stderr.slice(newline + 1);
      if (process.env["RATE_LOG"] !== undefined && line.includes("lesson")) process.stderr.write(`${line}\n`);
      const match = /"learned":(\d+(?:\.\d+)?)/.exec(line);
      if (match !== null) learned.push(Number(match[1]));
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = performance.now() + (count / perSecond) * 3000 + 60_000;
    while (smsc.accepted().length < count) {
      if (child.exitCode !== null) throw new Error(`the agent exited (${String(child.exitCode)})`);
      if (performance.now() > deadline) throw new Error(`the drain did not finish: ${smsc.accepted().length} of ${count} accepted`);
      await sleep(200);
    }
    const accepted = smsc.accepted();
    const first = accepted[0]!;
    const last = accepted.at(-1)!;
    const steadyFrom = first + 30_000;
    const steady = accepted.filter((at) => at >= steadyFrom).length;
    const steadyRate = last > steadyFrom ? steady / ((last - steadyFrom) / 1000) : NaN;
    const throttled = smsc.throttled();
    // How the SMSC saw our pace: the time from each submit back to the R-th before it (the agent keeps ≥ 1000 ms + guard when it sends).
    const arrivals = smsc.arrivals().filter((at) => at >= steadyFrom);
    const gaps = arrivals.slice(perSecond).map((at, i) => at - arrivals[i]!).sort((a, b) => a - b);
    const figures = {
      smsc: kind,
      limitPerSecond: perSecond,
      submitsAccepted: accepted.length,
      submitsThrottled: throttled,
      throttledShare: round((throttled / (throttled + accepted.length)) * 100, 2),
      drainSeconds: round((last - first) / 1000),
      acceptedPerSecondAfter30s: round(steadyRate, 2),
      shareOfLimitAfter30s: round(steadyRate / perSecond, 3),
      learnedLimits: learned,
      /** Arrival gap from a submit to the R-th before it, after 30 s: lowest, 1st percentile, median (ms). */
      gapToRthPreviousMs: { min: round(gaps[0] ?? NaN), p1: round(gaps[Math.floor(gaps.length / 100)] ?? NaN), median: round(gaps[Math.floor(gaps.length / 2)] ?? NaN) },
    };
    log(`${kind.padEnd(11)}: ${figures.acceptedPerSecondAfter30s}/s after 30 s (${figures.shareOfLimitAfter30s} of ${perSecond}), ${throttled} throttled (${figures.throttledShare} % of submits), ${figures.drainSeconds} s, learned ${learned.join(' → ') || '—'}; gap to the ${perSecond}th previous submit at the SMSC: min ${figures.gapToRthPreviousMs.min} ms, p1 ${figures.gapToRthPreviousMs.p1}, median ${figures.gapToRthPreviousMs.median}`);
    return figures;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await smsc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const arg = (name: string): string | undefined => options.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const count = Number(arg('count') ?? 3000);
  const perSecond = Number(arg('perSecond') ?? 10);
  const kinds = (arg('smsc') ?? 'own-sliding,own-fixed,sim-sliding,sim-fixed').split(',') as SmscKind[];
  const agentRoot = arg('agentRoot') ?? root;
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  if (agentRoot === root) buildDist();
  log(`${count} plain SMS queued, smpp.maxRate 0, window 10, SMSC limit ${perSecond}/s; agent ${agentRoot === root ? 'this tree' : agentRoot}`);
  const results: BenchFigures[] = [];
  for (const kind of kinds) results.push(await drain(kind, count, perSecond, agentRoot, log));
  return { count, perSecond, agentRoot: agentRoot === root ? 'this tree' : agentRoot, targets: { shareOfLimitAfter30s: 0.95, throttledSharePercent: 2 }, results };
}
