/**
 * `npm run bench -- session [--quick]`: ESME submits/s over loopback at windows 1, 10 and 100.
 * Every client and server runs in its own child process so CPU time and peak RSS are per
 * client; both clients meet the same server in the same run, and each client also meets its
 * own kind of server (ours+our simulator vs node-smpp client+node-smpp server).
 *
 * Figures per (server, client, window): submits/s, client CPU µs per submit, client peak RSS.
 * `--quick` runs a fifth of the submits.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFigures, BenchOptions } from './run.js';
import { ratio } from './_timing.js';

type Kind = 'ours' | 'node';

interface ClientFigures {
  submitsPerSec: number;
  cpuUsPerSubmit: number;
  peakRssMiB: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));

function child(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', `${here}${script}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
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

async function runClient(kind: Kind, port: number, window: number, count: number): Promise<ClientFigures> {
  const line = await firstLine(child('_sessionClient.ts', [kind, String(port), String(window), String(count)]));
  const r = JSON.parse(line) as { submits: number; elapsedMs: number; cpuUs: number; maxRssKb: number };
  return {
    submitsPerSec: Math.round((r.submits / r.elapsedMs) * 1000),
    cpuUsPerSubmit: Math.round((r.cpuUs / r.submits) * 10) / 10,
    peakRssMiB: Math.round((r.maxRssKb / 1024) * 10) / 10,
  };
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  // The same number of submits for both clients (see _sessionClient.ts); window 1 is a round trip each.
  const scale = options.args.includes('--quick') ? 0.2 : 1;
  const counts: Record<number, number> = { 1: 30_000 * scale, 10: 150_000 * scale, 100: 200_000 * scale };
  const windows = [1, 10, 100];
  const results: Record<string, Record<string, Record<Kind, ClientFigures>>> = {};
  for (const server of ['ours', 'node'] as const) {
    results[server] = {};
    await withServer(server, async (port) => {
      for (const window of windows) {
        // Alternate who goes first per window so neither always meets a cold server.
        const order: Kind[] = window === 10 ? ['node', 'ours'] : ['ours', 'node'];
        const row = {} as Record<Kind, ClientFigures>;
        for (const client of order) row[client] = await runClient(client, port, window, counts[window]!);
        results[server]![`w${window}`] = row;
        if (options.verbose) {
          const fmt = (f: ClientFigures): string =>
            `${f.submitsPerSec.toLocaleString('en-US').padStart(7)} submits/s ${String(f.cpuUsPerSubmit).padStart(6)} µs CPU/submit ${String(f.peakRssMiB).padStart(6)} MiB`;
          process.stdout.write(`server ${server.padEnd(4)} window ${String(window).padStart(3)}  ours: ${fmt(row.ours)}   node-smpp: ${fmt(row.node)}\n`);
        }
      }
    });
  }
  const w100 = (server: Kind, client: Kind): ClientFigures => results[server]!['w100']![client];
  const summary = {
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
