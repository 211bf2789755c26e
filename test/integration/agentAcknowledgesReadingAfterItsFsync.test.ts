/**
 * The store's durability promise, seen from outside with strace on the real agent (issue 14):
 *  - `store.durability: full` (default): the WAL is fsynced (fdatasync/fsync on agent.db-wal)
 *    before the 201 of `POST /reports` leaves the process, for every reading;
 *  - `batched`: the 201 may leave first, but an fsync of the WAL follows within `batchMs`, and a
 *    SIGKILL right after the last 201 loses no acknowledged reading (the WAL write is in the kernel).
 * A missing strace fails the test with the fix (`apt-get install -y strace`); it never skips.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { account, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

interface Call {
  readonly at: number;
  readonly kind: 'sync' | 'ack';
}

function requireStrace(): void {
  const found = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  assert.equal(found.status, 0, 'strace is needed for this test: apt-get install -y strace');
}

/** Traces every thread of `pid`: fsyncs of the WAL and the 201s written to sockets, with microsecond times. */
function trace(pid: number, out: string): { attached: Promise<void>; stop(): Promise<Call[]> } {
  const tracer = spawn('strace', ['-f', '-ttt', '-y', '-s', '16', '-e', 'trace=fsync,fdatasync,write,writev', '-e', 'signal=none', '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const attached = new Promise<void>((resolve, reject) => {
    tracer.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('attached')) resolve();
    });
    tracer.once('exit', (code) => reject(new Error(`strace exited (${String(code)}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => tracer.once('exit', () => resolve()));
  return {
    attached,
    async stop() {
      tracer.kill('SIGINT');
      await exited;
      const calls: Call[] = [];
      for (const line of readFileSync(out, 'utf8').split('\n')) {
        const time = Number(/^\d+\s+(\d+\.\d+)/.exec(line)?.[1]);
        if (/\s(fsync|fdatasync)\(\d+<[^>]*agent\.db-wal>\)\s+= 0/.test(line)) calls.push({ at: time, kind: 'sync' });
        else if (/\s(write|writev)\(\d+<(socket|UNIX)[^>]*>.*HTTP\/1\.1 201/.test(line)) calls.push({ at: time, kind: 'ack' });
      }
      return calls;
    },
  };
}

async function runAgent(durability: 'full' | 'batched', readings: number): Promise<{ calls: Call[]; ids: number[]; stored: number[] }> {
  requireStrace();
  const dir = mkdtempSync(join(tmpdir(), `esa-fsync-${durability}-`));
  const sim = await startSimulator();
  const api = join(dir, 'api.sock');
  const db = join(dir, 'agent.db');
  const config = writeAgentConfig(dir, [
    'device: { id: pi-fsync }',
    'location: { enabled: false }',
    'modem: { enabled: false }',
    'mqtt: { enabled: false }',
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
    `store: { path: "${db}", durability: ${durability}, batchMs: 300 }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: warn }',
  ]);
  const agent = new AgentProcess(config);
  try {
    agent.start();
    await waitForApi(api, 30_000);
    const tracer = trace(agent.pid ?? 0, join(dir, 'strace.log'));
    await tracer.attached;
    const ids: number[] = [];
    for (let n = 0; n < readings; n++) {
      const reply = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { n, T: 21.5 } });
      assert.equal(reply.status, 201, reply.text);
      ids.push((JSON.parse(reply.text) as { id: number }).id);
    }
    let calls: Call[];
    if (durability === 'batched') {
      // The fsync that covers the last reading: strace is stopped only after batchMs has surely passed.
      const lastAck = Date.now();
      await until(() => Date.now() - lastAck > 1500, 5000, 'the batch window to pass');
      calls = await tracer.stop();
      await agent.kill('SIGKILL');
    } else {
      calls = await tracer.stop();
      await agent.kill('SIGKILL');
    }
    const file = new Database(db, { readonly: true });
    const stored = (file.prepare('SELECT id FROM reports ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
    file.close();
    return { calls, ids, stored };
  } finally {
    if (agent.running) await agent.kill('SIGKILL');
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('an acknowledged reading and the fsync that makes it survive a power cut', () => {
  it('full (default): every 201 leaves after an fsync of the WAL that followed the previous 201', { timeout: 120_000 }, async () => {
    const { calls, ids, stored } = await runAgent('full', 20);
    const acks = calls.filter((call) => call.kind === 'ack');
    assert.equal(acks.length, 20, `strace saw every 201 (${acks.length})`);
    let previousAck = 0;
    for (const ack of acks) {
      const synced = calls.some((call) => call.kind === 'sync' && call.at > previousAck && call.at <= ack.at);
      assert.ok(synced, `a 201 at ${ack.at} left with no fsync of the WAL since the previous 201`);
      previousAck = ack.at;
    }
    for (const id of ids) assert.ok(stored.includes(id), `acknowledged report ${id} is in the file after SIGKILL`);
  });

  it('batched: the WAL is fsynced within batchMs of each 201, and a SIGKILL after the last 201 loses nothing', { timeout: 120_000 }, async () => {
    const { calls, ids, stored } = await runAgent('batched', 20);
    const acks = calls.filter((call) => call.kind === 'ack');
    const syncs = calls.filter((call) => call.kind === 'sync');
    assert.equal(acks.length, 20, `strace saw every 201 (${acks.length})`);
    // Fewer fsyncs than readings: batching is what this mode is for.
    assert.ok(syncs.length < acks.length, `${syncs.length} fsyncs for ${acks.length} readings`);
    for (const ack of acks) {
      // batchMs 300, with slack for a loaded machine's timer; what matters is that one comes, bounded.
      const next = syncs.find((sync) => sync.at >= ack.at);
      assert.ok(next !== undefined && next.at - ack.at < 1.3, `no fsync of the WAL within the batch window after the 201 at ${ack.at}`);
    }
    for (const id of ids) assert.ok(stored.includes(id), `acknowledged report ${id} is in the file after SIGKILL`);
  });
});
