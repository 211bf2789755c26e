/**
 * `npm run bench -- proxy [--quick]`: what `smpp proxy` costs a link. Our simulator (child
 * process), our ESME client (compiled, child process, as in bench/session.ts) at windows 1 and 100,
 * once straight to the simulator and once through the proxy (compiled, `node dist/cli/main.js smpp
 * proxy --json --log FILE --pcap FILE`: the whole analyser at work, trace lines and capture on
 * disk), in the same run, alternating which goes first.
 *
 * Figures per window: the client's response latency p50/p99 (µs, every 16th submit) direct and
 * through the proxy and their difference (the proxy's added latency), submits/s both ways, and
 * the proxy process's CPU per PDU (user+system from /proc/PID/stat, over the measured run, divided
 * by its PDUs: two per submit).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist } from './_agentProcess.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const compiledClient = `${root}dist/bench/_sessionClient.js`;
const ticksPerSecond = 100; // USER_HZ on Linux

interface ClientRun {
  submits: number;
  elapsedMs: number;
  p50Us: number;
  p99Us: number;
}

function compileClient(): void {
  buildDist();
  const source = readFileSync(`${here}_sessionClient.ts`, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(`${root}dist/bench/`, { recursive: true });
  writeFileSync(compiledClient, outputText);
}

function firstLine(proc: ChildProcessWithoutNullStreams, match: RegExp = /./): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) if (match.test(line)) resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`child exited with ${String(code)}: ${err}`)));
  });
}

async function runClient(port: number, window: number, count: number): Promise<ClientRun> {
  const client = spawn(process.execPath, [compiledClient, 'ours', String(port), String(window), String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  return JSON.parse(await firstLine(client)) as ClientRun;
}

/** utime + stime of a process, in µs. */
function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const scale = options.args.includes('--quick') ? 0.2 : 1;
  const counts: Record<number, number> = { 1: 10_000 * scale, 100: 100_000 * scale };
  compileClient();
  const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
  const server = spawn(process.execPath, ['--import', 'tsx', `${here}_sessionServer.ts`, 'ours'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const serverPort = Number((await firstLine(server)).replace('port ', ''));
  const log = join(dir, 'trace.jsonl');
  const pcap = join(dir, 'link.pcap');
  const proxy = spawn(process.execPath, [`${root}dist/cli/main.js`, 'smpp', 'proxy', '--listen', '0', '--upstream', `smpp://127.0.0.1:${serverPort}`, '--json', '--log', log, '--pcap', pcap],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  const proxyPort = Number(/:(\d+)$/.exec(await firstLine(proxy, /^listening on /))?.[1]);
  const results: Record<string, BenchFigures> = {};
  try {
    for (const window of [1, 100]) {
      const count = counts[window]!;
      // Warm both paths (JIT, the simulator's store), then measure in alternating order.
      await runClient(serverPort, window, Math.min(2000, count));
      await runClient(proxyPort, window, Math.min(2000, count));
      const direct = await runClient(serverPort, window, count);
      const before = cpuUs(proxy.pid ?? 0);
      const proxied = await runClient(proxyPort, window, count);
      const proxyCpuUs = cpuUs(proxy.pid ?? 0) - before;
      // Each submit is two PDUs; bind and unbind add four, negligible against the count.
      const perPdu = Math.round((proxyCpuUs / (2 * proxied.submits)) * 100) / 100;
      const row = {
        submits: count,
        direct: { submitsPerSec: Math.round((direct.submits / direct.elapsedMs) * 1000), p50Us: direct.p50Us, p99Us: direct.p99Us },
        proxied: { submitsPerSec: Math.round((proxied.submits / proxied.elapsedMs) * 1000), p50Us: proxied.p50Us, p99Us: proxied.p99Us },
        addedP50Us: proxied.p50Us - direct.p50Us,
        addedP99Us: proxied.p99Us - direct.p99Us,
        proxyCpuUsPerPdu: perPdu,
      };
      results[`w${window}`] = row;
      if (options.verbose) {
        process.stdout.write(`window ${String(window).padStart(3)}: direct ${row.direct.submitsPerSec}/s p50/p99 ${row.direct.p50Us}/${row.direct.p99Us} µs; `
          + `proxied ${row.proxied.submitsPerSec}/s p50/p99 ${row.proxied.p50Us}/${row.proxied.p99Us} µs; added p50 ${row.addedP50Us} µs p99 ${row.addedP99Us} µs; `
          + `proxy CPU ${perPdu} µs/PDU\n`);
      }
    }
    results['written'] = { traceBytes: statSync(log).size, pcapBytes: statSync(pcap).size };
  } finally {
    const proxyExit = new Promise((resolve) => proxy.once('exit', resolve));
    proxy.kill('SIGTERM');
    await proxyExit;
    const serverExit = new Promise((resolve) => server.once('exit', resolve));
    server.stdin.end();
    await serverExit;
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
