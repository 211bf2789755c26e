/**
 * `npm run bench -- sdcard [--minutes=N] [--durability=full|batched] [--batch-ms=N] [--group-s=N] [--keep-delivered-hours=N] [--dir=DIR] [--root=DIR] [--no-build] [--no-anatomy] [--json]`:
 * what the agent writes to its storage per reading, the way a device lives (issue 14, "The SD card").
 *
 * The agent process (compiled, as installed) runs against the SMSC simulator with delivery receipts
 * on; a client posts one telemetry reading a second to `POST /reports` for `--minutes` (default 10;
 * the recorded run must be ≥ 10). Readings are packed per their kind's policy (the default 900 s
 * delay: an SMS goes when it is full), submitted and receipted. Over the window:
 *  - `/proc/<pid>/io` write_bytes (pages the process dirtied: what reaches the card, checkpoints
 *    included) and wchar (bytes handed to write calls);
 *  - strace on the agent counts fsync/fdatasync and sums pwrite bytes per file (the database, its
 *    -wal and -shm), so the bytes are attributed;
 *  - the anatomy (bench/_walAnatomy.ts): each state change run alone on a file of the same code,
 *    with the WAL frames it appends and the tables and indexes those pages belong to.
 * `--root=DIR` runs another checkout's dist/ (built there) for a before/after in one session.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SmscSimulator } from '../src/sim/index.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { buildDist, getJson, round, sleep, startAgent } from './_agentProcess.js';
import { walAnatomy } from './_walAnatomy.js';

const account = { systemId: 'bench', password: 'bench-pw' };

interface StateJson {
  readonly smpp: { readonly state: string };
  readonly outbox: { readonly byState: Record<string, number> };
}

function option(args: readonly string[], name: string): string | undefined {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found?.slice(name.length + 3);
}

function procIo(pid: number): { writeBytes: number; wchar: number; cancelled: number } {
  const text = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (key: string): number => Number(new RegExp(`^${key}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { writeBytes: field('write_bytes'), wchar: field('wchar'), cancelled: field('cancelled_write_bytes') };
}

/**
 * What the checkpoint of the window's WAL costs, charged to the window: the agent checkpoints every
 * 4,000 WAL pages (~1,000 readings with the intake journal), so a 10-minute window may hold none.
 * This process checkpoints what the agent committed (PASSIVE: the agent keeps running) and counts
 * its own write_bytes: each changed database page written once, as the agent's checkpoint would.
 * Slightly pessimistic: frames from before the window are included, and over a longer interval the
 * same hot pages would be shared by more readings.
 */
function checkpointOwed(dbPath: string): { writeBytes: number; frames: number } {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const before = procIo(process.pid).writeBytes;
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    const writeBytes = procIo(process.pid).writeBytes - before;
    if (result === undefined || result.checkpointed < result.log) throw new Error(`the checkpoint did not finish: ${JSON.stringify(result)}`);
    return { writeBytes, frames: result.checkpointed };
  } finally {
    db.close();
  }
}

/** The filesystem the agent's files are on, and its mount options (lazytime changes what a write costs). */
function mountOf(dir: string): { mountPoint: string; type: string; options: string } {
  const path = realpathSync(dir);
  let best = { mountPoint: '/', type: '?', options: '?' };
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, mountPoint = '', type = '', opts = ''] = line.split(' ');
    const inside = path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
    if (inside && mountPoint.length >= best.mountPoint.length) best = { mountPoint, type, options: opts };
  }
  return best;
}

function postReading(socketPath: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/reports', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Traced {
  readonly syncs: { fsync: number; fdatasync: number };
  /** pwrite bytes per file suffix ('db', '-wal', '-shm', 'other'). */
  readonly pwriteBytes: Record<string, number>;
  readonly pwrites: Record<string, number>;
}

/** strace on every thread of the agent: fsync/fdatasync counted, pwrite bytes summed per file (-y names the file). */
function traceSyscalls(pid: number, out: string): { stop(): Promise<Traced> } {
  const tracer = spawn('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,pwrite64,pwritev,write', '-e', 'signal=none', '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  tracer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => tracer.once('exit', () => resolve()));
  return {
    async stop() {
      tracer.kill('SIGINT');
      await exited;
      const syncs = { fsync: 0, fdatasync: 0 };
      const pwriteBytes: Record<string, number> = {};
      const pwrites: Record<string, number> = {};
      let lines: string[];
      try {
        lines = readFileSync(out, 'utf8').split('\n');
      } catch {
        throw new Error(`strace wrote nothing: ${stderr}`);
      }
      for (const line of lines) {
        const call = /^\d+\s+(fsync|fdatasync|pwrite64|pwritev|write)\(\d+<([^>]*)>.*= (-?\d+)/.exec(line);
        if (call === null) continue;
        const [, name, file = '', result] = call;
        if (name === 'fsync' || name === 'fdatasync') {
          syncs[name] += 1;
          continue;
        }
        const kind = file.endsWith('-wal') ? '-wal' : file.endsWith('-shm') ? '-shm' : file.endsWith('.db') ? 'db' : file.startsWith('socket:') || file.startsWith('pipe:') ? '' : (file.split('/').pop() ?? 'other');
        if (kind === '') continue;
        pwriteBytes[kind] = (pwriteBytes[kind] ?? 0) + Math.max(0, Number(result));
        pwrites[kind] = (pwrites[kind] ?? 0) + 1;
      }
      return { syncs, pwriteBytes, pwrites };
    },
  };
}

/** Per reading, by file; SQLite's temp files (etilqs_*, each a fresh name) summed as one. */
function perReading(byFile: Record<string, number>, readings: number, digits: number): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const [file, value] of Object.entries(byFile)) {
    const key = file.startsWith('etilqs_') ? 'sqlite temp files' : file;
    merged[key] = (merged[key] ?? 0) + value;
  }
  return Object.fromEntries(Object.entries(merged).map(([file, value]) => [file, round(value / readings, digits)]));
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const minutes = Number(option(options.args, 'minutes') ?? 10);
  const durability = option(options.args, 'durability');
  const batchMs = option(options.args, 'batch-ms');
  const keepDeliveredHours = option(options.args, 'keep-delivered-hours');
  const root = option(options.args, 'root');
  const groupS = option(options.args, 'group-s');
  // The agent's default (routerSetup.ts storeDefaults): 10 s with full durability, 300 s with batched.
  const groupSeconds = groupS === undefined ? (durability === 'batched' ? 300 : 10) : Number(groupS);
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const log = (line: string): void => {
    if (options.verbose) process.stdout.write(`${line}\n`);
  };
  // --no-build: runs side by side share one dist/ (build it once first with `npm run build`).
  if (root === undefined && !options.args.includes('--no-build')) buildDist();
  // --dir: where the agent's files go, e.g. a filesystem mounted with lazytime (README "The SD card").
  const dir = mkdtempSync(join(option(options.args, 'dir') ?? tmpdir(), 'esa-bench-sd-'));
  const sim = new SmscSimulator({ accounts: [account], port: 0, receipts: { delayMs: 1000 } });
  await sim.start();
  let submits = 0;
  let receipts = 0;
  sim.on('accepted', () => submits++);
  sim.on('pdu', (pdu) => {
    if (pdu.command === 'deliver_sm_resp') receipts++;
  });
  const config = join(dir, 'config.yaml');
  const store = [`path: "${join(dir, 'agent.db')}"`, ...(durability === undefined ? [] : [`durability: ${durability}`]), ...(batchMs === undefined ? [] : [`batchMs: ${batchMs}`]),
    ...(keepDeliveredHours === undefined ? [] : [`keepDeliveredHours: ${keepDeliveredHours}`]), ...(groupS === undefined ? [] : [`groupCommitS: ${groupS}`])];
  writeFileSync(config, [
    'device: { id: bench-sd, alias: "B" }',
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=10", destination: "+447700900000" }`,
    'modem: { enabled: false }',
    'location: { enabled: false }',
    // The mirror writes nothing to the card (MQTT is in memory); left out so no broker is needed.
    'mqtt: { enabled: false }',
    // Telemetry as shipped (900 s delay: a message goes when full), with delivery receipts asked for.
    'reports: { kinds: { telemetry: { receipts: true } } }',
    `store: { ${store.join(', ')} }`,
    `api: { listen: "unix:${join(dir, 'api.sock')}" }`,
    'log: { level: warn }',
  ].join('\n'));
  const agent = await startAgent(config, 'compiled', join(dir, 'notify.sock'), root);
  const api = join(dir, 'api.sock');
  const traceFile = join(dir, 'strace.log');
  try {
    await agent.ready;
    for (const deadline = Date.now() + 10_000; (await getJson<StateJson>(api, '/state').catch(() => undefined))?.smpp.state !== 'bound'; await sleep(50)) {
      if (Date.now() > deadline) throw new Error('the agent did not bind');
    }
    const tracer = traceSyscalls(agent.pid, traceFile);
    await sleep(1000); // strace attached to every thread
    const before = procIo(agent.pid);
    const submitsBefore = submits;
    const receiptsBefore = receipts;
    const started = performance.now();
    const windowMs = minutes * 60_000;
    let posted = 0;
    let refused = 0;
    const latencies: number[] = [];
    for (let n = 0; performance.now() - started < windowMs; n++) {
      const body = JSON.stringify({ kind: 'telemetry', data: { T: round(20 + Math.sin(n / 60) * 3, 1), H: 40 + (n % 7), B: 3.7 } });
      const sent = performance.now();
      const status = await postReading(api, body);
      latencies.push(performance.now() - sent);
      if (status === 201) posted++;
      else refused++;
      // One a second on the clock, not one a second after the answer.
      await sleep(Math.max(0, started + (n + 1) * 1000 - performance.now()));
    }
    const seconds = (performance.now() - started) / 1000;
    // The window's last group is committed once its time is up (intakeGroup.ts): counted with the
    // readings that owe it, so a longer group is not flattered by a commit left outside the window.
    await sleep(groupSeconds * 1000 + 1000);
    const after = procIo(agent.pid);
    const owed = checkpointOwed(join(dir, 'agent.db'));
    const traced = await tracer.stop();
    const state = await getJson<StateJson>(api, '/state');
    const syncs = traced.syncs.fsync + traced.syncs.fdatasync;
    latencies.sort((a, b) => a - b);
    const figures = {
      minutes: round(seconds / 60, 2),
      durability: durability ?? 'default',
      batchMs: batchMs === undefined ? null : Number(batchMs),
      keepDeliveredHours: keepDeliveredHours === undefined ? 'default' : Number(keepDeliveredHours),
      groupCommitS: groupSeconds,
      filesystem: mountOf(dir),
      readings: posted,
      refused,
      submitsAccepted: submits - submitsBefore,
      receiptsAcknowledged: receipts - receiptsBefore,
      outboxAtEnd: state.outbox.byState,
      writeBytesPerReading: Math.round((after.writeBytes - before.writeBytes) / posted),
      /** The agent's write_bytes plus the checkpoint its window owes (checkpointOwed). */
      writeBytesPerReadingWithCheckpoint: Math.round((after.writeBytes - before.writeBytes + owed.writeBytes) / posted),
      checkpointOwed: { bytesPerReading: Math.round(owed.writeBytes / posted), walFrames: owed.frames },
      wcharPerReading: Math.round((after.wchar - before.wchar) / posted),
      // Dirty pages of files truncated or deleted before writeback (SQLite's temp files) never reach the card.
      cancelledWriteBytesPerReading: Math.round((after.cancelled - before.cancelled) / posted),
      syncsPerReading: round(syncs / posted, 2),
      syncs: traced.syncs,
      pwriteBytesPerReading: perReading(traced.pwriteBytes, posted, 0),
      pwritesPerReading: perReading(traced.pwrites, posted, 2),
      postLatencyMs: { median: round(latencies[Math.floor(latencies.length / 2)] ?? 0, 2), p99: round(latencies[Math.floor(latencies.length * 0.99)] ?? 0, 2) },
    };
    log(`${figures.readings} readings in ${figures.minutes} min (${figures.durability}${figures.batchMs === null ? '' : `, ${figures.batchMs} ms`}): ` +
      `${figures.writeBytesPerReading} B written/reading (write_bytes; ${figures.cancelledWriteBytesPerReading} B of it cancelled), ${figures.writeBytesPerReadingWithCheckpoint} B with the checkpoint owed, ${figures.wcharPerReading} B wchar/reading, ${figures.syncsPerReading} fsyncs/reading; ` +
      `${figures.submitsAccepted} SMS submitted, ${figures.receiptsAcknowledged} receipts; POST median ${figures.postLatencyMs.median} ms, p99 ${figures.postLatencyMs.p99} ms`);
    log(`  pwrite bytes/reading by file: ${JSON.stringify(figures.pwriteBytesPerReading)}; calls/reading: ${JSON.stringify(figures.pwritesPerReading)}; outbox at end: ${JSON.stringify(figures.outboxAtEnd)}`);
    const anatomy = root === undefined && !options.args.includes('--no-anatomy') ? walAnatomy(join(dir, 'anatomy.db'), log) : undefined;
    return { ...figures, ...(anatomy === undefined ? {} : { anatomy }), targets: { durableAtMost4KiB: 4096, batchedAtMost1KiB: 1024 } };
  } finally {
    await agent.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
