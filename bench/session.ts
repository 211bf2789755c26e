/**
 * `npm run bench -- session [--quick] [--refill-batch=N]`: ESME submits/s over loopback at
 * windows 1, 10 and 100. Every client and server runs in its own child process so CPU time and
 * peak RSS are per client; both clients meet the same server in the same run, and each client
 * also meets its own kind of server (ours+our simulator vs node-smpp client+node-smpp server).
 * The clients run compiled, with plain node, each loading only its own library (see
 * _sessionClient.ts); the servers run under tsx (they are not measured).
 *
 * Figures per (server, client, window): submits/s, client CPU µs per submit, client peak RSS,
 * response latency p50/p99 (µs, every 16th submit). `--quick` runs a fifth of the submits;
 * `--refill-batch=N` sets our session's refillBatch (an A/B knob; default: the session's own).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist } from './_agentProcess.js';
import { ratio } from './_timing.js';

type Kind = 'ours' | 'node';

interface ClientFigures {
  submitsPerSec: number;
  cpuUsPerSubmit: number;
  /** The user and system (kernel) parts of cpuUsPerSubmit. */
  userUsPerSubmit: number;
  systemUsPerSubmit: number;
  peakRssMiB: number;
  p50Us: number;
  p99Us: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const compiledClient = fileURLToPath(new URL('../dist/bench/_sessionClient.js', import.meta.url));

function child(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', `${here}${script}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Our library into dist/ (as installed), and the client script next to it as plain JS. */
function compileClient(): void {
  buildDist();
  const source = readFileSync(`${here}_sessionClient.ts`, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(new URL('../dist/bench/', import.meta.url), { recursive: true });
  writeFileSync(compiledClient, outputText);
}

function firstLine(proc: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    proc.once('exit', (code) => reject(new Error(`child exited with ${String(code)}: ${err}`)));
  });
}

async function withServer<T>(kind: Kind, body: (port: number) => Promise<T>): Promise<T> {
  const server = child('_sessionServer.ts', [kind]);
  try {
    const line = await firstLine(server);
    return await body(Number(line.replace('port ', '')));
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.stdin.end();
    await exited;
  }
}

async function runClient(kind: Kind, port: number, window: number, count: number, refill: string | undefined): Promise<ClientFigures> {
  const args = [compiledClient, kind, String(port), String(window), String(count), ...(kind === 'ours' && refill !== undefined ? [refill] : [])];
  const line = await firstLine(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  const r = JSON.parse(line) as { submits: number; elapsedMs: number; cpuUs: number; userUs: number; sysUs: number; peakRssKb: number; p50Us: number; p99Us: number };
  return {
    submitsPerSec: Math.round((r.submits / r.elapsedMs) * 1000),
    cpuUsPerSubmit: Math.round((r.cpuUs / r.submits) * 100) / 100,
    userUsPerSubmit: Math.round((r.userUs / r.submits) * 100) / 100,
    systemUsPerSubmit: Math.round((r.sysUs / r.submits) * 100) / 100,
    peakRssMiB: Math.round((r.peakRssKb / 1024) * 10) / 10,
    p50Us: r.p50Us,
    p99Us: r.p99Us,
  };
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  // The same number of submits for both clients (see _sessionClient.ts); window 1 is a round trip each.
  const scale = options.args.includes('--quick') ? 0.2 : 1;
  const counts: Record<number, number> = { 1: 30_000 * scale, 10: 150_000 * scale, 100: 200_000 * scale };
  const windows = [1, 10, 100];
  const refill = options.args.find((arg) => arg.startsWith('--refill-batch='))?.slice('--refill-batch='.length);
  compileClient();
  const results: Record<string, Record<string, Record<Kind, ClientFigures>>> = {};
  for (const server of ['ours', 'node'] as const) {
    results[server] = {};
    await withServer(server, async (port) => {
      for (const window of windows) {
        // Alternate who goes first per window so neither always meets a cold server.
        const order: Kind[] = window === 10 ? ['node', 'ours'] : ['ours', 'node'];
        const row = {} as Record<Kind, ClientFigures>;
        for (const client of order) row[client] = await runClient(client, port, window, counts[window]!, refill);
        results[server]![`w${window}`] = row;
        if (options.verbose) {
          const fmt = (f: ClientFigures): string =>
            `${f.submitsPerSec.toLocaleString('en-US').padStart(7)}/s ${String(f.cpuUsPerSubmit).padStart(5)} µs CPU (${f.userUsPerSubmit} user) ${String(f.peakRssMiB).padStart(5)} MiB p50/p99 ${f.p50Us}/${f.p99Us} µs`;
          process.stdout.write(`server ${server.padEnd(4)} window ${String(window).padStart(3)}  ours: ${fmt(row.ours)}   node-smpp: ${fmt(row.node)}\n`);
        }
      }
    });
  }
  const w100 = (server: Kind, client: Kind): ClientFigures => results[server]!['w100']![client];
  const at = (server: Kind, window: number): Record<Kind, ClientFigures> => results[server]![`w${window}`]!;
  const summary = {
    cpuPerSubmitOursOverNode_nodeServer_w1: ratio(at('node', 1).ours.cpuUsPerSubmit, at('node', 1).node.cpuUsPerSubmit),
    cpuPerSubmitOursOverNode_nodeServer_w10: ratio(at('node', 10).ours.cpuUsPerSubmit, at('node', 10).node.cpuUsPerSubmit),
    peakRssOursOverNode_nodeServer_w100: ratio(w100('node', 'ours').peakRssMiB, w100('node', 'node').peakRssMiB),
    cpuPerSubmitOursOverNode_sameServer_w100: ratio(w100('ours', 'ours').cpuUsPerSubmit, w100('ours', 'node').cpuUsPerSubmit),
    cpuPerSubmitOursOverNode_nodeServer_w100: ratio(w100('node', 'ours').cpuUsPerSubmit, w100('node', 'node').cpuUsPerSubmit),
    submitsOursWithSimOverNodeWithNodeServer_w100: ratio(w100('ours', 'ours').submitsPerSec, w100('node', 'node').submitsPerSec),
    peakRssOursOverNode_w100: ratio(w100('ours', 'ours').peakRssMiB, w100('ours', 'node').peakRssMiB),
    simulatorOverNodeServer_nodeClient_w100: ratio(w100('ours', 'node').submitsPerSec, w100('node', 'node').submitsPerSec),
  };
  if (options.verbose) {
    process.stdout.write(`client CPU/submit ours÷node-smpp (our sim, w100) ×${summary.cpuPerSubmitOursOverNode_sameServer_w100}; `
      + `(node-smpp server) ×${summary.cpuPerSubmitOursOverNode_nodeServer_w100}\n`);
    process.stdout.write(`ours+sim ÷ node-smpp+node-smpp server submits/s (w100) ×${summary.submitsOursWithSimOverNodeWithNodeServer_w100}; `
      + `peak RSS ours÷node ×${summary.peakRssOursOverNode_w100}; our sim ÷ node-smpp server (node-smpp client) ×${summary.simulatorOverNodeServer_nodeClient_w100}\n`);
  }
  return { submitsPerRun: counts, results, summary };
}
