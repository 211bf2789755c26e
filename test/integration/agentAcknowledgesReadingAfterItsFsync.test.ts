/**
 * The store's durability promise, seen from outside with strace on the real agent (issue 14):
 *  - `store.durability: full` (default), with the intake journal (default): the reading's record is
 *    written to agent.db.intake, opened O_DSYNC (durable when the write returns; O_DIRECT where the
 *    filesystem allows), before the 201 of `POST /reports` leaves the process, for every reading;
 *  - the same without the journal (`intakeJournal: false`): the WAL is fsynced before each 201;
 *  - `batched`: the 201 may leave first, but an fdatasync of the journal follows within `batchMs`.
 * In every mode a SIGKILL right after the last 201 loses no acknowledged reading: the next start
 * has them all, under the ids they were acknowledged with.
 * A missing strace fails the test with the fix (`apt-get install -y strace`); it never skips.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { account, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

interface Call {
  readonly at: number;
  /** sync: an fsync of the WAL or the journal; journal: a write of a journal record; ack: a 201. */
  readonly kind: 'sync' | 'journal' | 'ack';
}

/** O_DSYNC and O_DIRECT in /proc/<pid>/fdinfo's octal flags (asm-generic, as on x86-64 and arm64 Linux). */
const oDsync = 0o10000;
const oDirect = 0o40000;

/** The open flags of the agent's descriptor on `fileName`, from /proc. */
function openFlags(pid: number, fileName: string): number {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed while listing
    }
    if (target.endsWith(`/${fileName}`)) return parseInt(/flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? 'x', 8);
  }
  throw new Error(`the agent has no descriptor on ${fileName}`);
}

function requireStrace(): void {
  const found = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  assert.equal(found.status, 0, 'strace is needed for this test: apt-get install -y strace');
}

/** Traces every thread of `pid`: fsyncs of the WAL and the 201s written to sockets, with microsecond times. */
function trace(pid: number, out: string): { attached: Promise<void>; stop(): Promise<Call[]> } {
  const tracer = spawn('strace', ['-f', '-ttt', '-y', '-s', '16', '-e', 'trace=fsync,fdatasync,write,writev,pwrite64', '-e', 'signal=none', '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
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
        if (/\s(fsync|fdatasync)\(\d+<[^>]*agent\.db(-wal|\.intake)>\)\s+= 0/.test(line)) calls.push({ at: time, kind: 'sync' });
        // The call's start: strace may print it `<unfinished ...>` when another thread's call comes between; the
        // 201 is written by the same thread only after the O_DSYNC write has returned.
        else if (/\s(write|pwrite64)\(\d+<[^>]*agent\.db\.intake>/.test(line)) calls.push({ at: time, kind: 'journal' });
        else if (/\s(write|writev)\(\d+<(socket|UNIX)[^>]*>.*HTTP\/1\.1 201/.test(line)) calls.push({ at: time, kind: 'ack' });
      }
      return calls;
    },
  };
}

interface Run {
  readonly calls: Call[];
  readonly ids: number[];
  /** Ids in the file after the SIGKILL and one more start. */
  readonly stored: number[];
  /** The journal descriptor's open flags (undefined without the journal). */
  readonly journalFlags: number | undefined;
}

async function runAgent(durability: 'full' | 'batched', readings: number, journal = true): Promise<Run> {
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
    // Telemetry waits to fill an SMS: nothing is sent (no other write commits the group) while the test looks.
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
    `store: { path: "${db}", durability: ${durability}, batchMs: 300, intakeJournal: ${journal} }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: warn }',
  ]);
  const agent = new AgentProcess(config);
  const again = new AgentProcess(config);
  try {
    agent.start();
    await waitForApi(api, 30_000);
    const pid = agent.pid ?? 0;
    const journalFlags = journal ? openFlags(pid, 'agent.db.intake') : undefined;
    const tracer = trace(pid, join(dir, 'strace.log'));
    await tracer.attached;
    const ids: number[] = [];
    for (let n = 0; n < readings; n++) {
      const reply = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { n, T: 21.5 } });
      assert.equal(reply.status, 201, reply.text);
      ids.push((JSON.parse(reply.text) as { id: number }).id);
    }
    if (durability === 'batched') {
      // The fsync that covers the last reading: strace is stopped only after batchMs has surely passed.
      const lastAck = Date.now();
      await until(() => Date.now() - lastAck > 1500, 5000, 'the batch window to pass');
    }
    const calls = await tracer.stop();
    await agent.kill('SIGKILL');
    // The next start puts back whatever the killed process had not committed.
    again.start();
    await waitForApi(api, 30_000);
    await again.kill('SIGTERM');
    const file = new Database(db, { readonly: true });
    const stored = (file.prepare('SELECT id FROM reports ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
    file.close();
    return { calls, ids, stored, journalFlags };
  } finally {
    if (agent.running) await agent.kill('SIGKILL');
    if (again.running) await again.kill('SIGKILL');
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every 201 left after a durable step (`kinds`) that followed the previous 201. */
function assertEachAckAfter(calls: Call[], kinds: ReadonlyArray<Call['kind']>, what: string): void {
  const acks = calls.filter((call) => call.kind === 'ack');
  let previousAck = 0;
  for (const ack of acks) {
    const durable = calls.some((call) => kinds.includes(call.kind) && call.at > previousAck && call.at <= ack.at);
    assert.ok(durable, `a 201 at ${ack.at} left with no ${what} since the previous 201`);
    previousAck = ack.at;
  }
}

describe('an acknowledged reading and the fsync that makes it survive a power cut', () => {
  it('full (default): every 201 leaves after its record was written to the O_DSYNC intake journal; a SIGKILL loses none', { timeout: 120_000 }, async () => {
    const { calls, ids, stored, journalFlags } = await runAgent('full', 20);
    assert.equal(calls.filter((call) => call.kind === 'ack').length, 20, 'strace saw every 201');
    assert.ok(journalFlags !== undefined && (journalFlags & oDsync) !== 0, `the journal is opened O_DSYNC (flags ${journalFlags?.toString(8)})`);
    // ext4 (this machine, and a Pi's SD card) takes direct I/O; the fallback is only for filesystems that refuse it.
    assert.ok(journalFlags !== undefined && (journalFlags & oDirect) !== 0, `the journal is written with O_DIRECT (flags ${journalFlags?.toString(8)})`);
    assertEachAckAfter(calls, ['journal', 'sync'], 'journal write or fsync');
    assert.deepEqual(stored.filter((id) => ids.includes(id)), ids, 'every acknowledged id is in the file after SIGKILL and a start');
  });

  it('full without the journal: every 201 leaves after an fsync of the WAL', { timeout: 120_000 }, async () => {
    const { calls, ids, stored } = await runAgent('full', 12, false);
    assert.equal(calls.filter((call) => call.kind === 'ack').length, 12, 'strace saw every 201');
    assert.equal(calls.filter((call) => call.kind === 'journal').length, 0, 'no journal writes');
    assertEachAckAfter(calls, ['sync'], 'fsync of the WAL');
    assert.deepEqual(stored.filter((id) => ids.includes(id)), ids);
  });

  it('batched: the journal is fsynced within batchMs of each 201, and a SIGKILL after the last 201 loses nothing', { timeout: 120_000 }, async () => {
    const { calls, ids, stored, journalFlags } = await runAgent('batched', 20);
    const acks = calls.filter((call) => call.kind === 'ack');
    const syncs = calls.filter((call) => call.kind === 'sync');
    assert.equal(acks.length, 20, `strace saw every 201 (${acks.length})`);
    assert.ok(journalFlags !== undefined && (journalFlags & oDsync) === 0, 'batched: the journal is not O_DSYNC; its fdatasync comes within batchMs');
    // Fewer fsyncs than readings: batching is what this mode is for.
    assert.ok(syncs.length < acks.length, `${syncs.length} fsyncs for ${acks.length} readings`);
    for (const ack of acks) {
      // batchMs 300, with slack for a loaded machine's timer; what matters is that one comes, bounded.
      const next = syncs.find((sync) => sync.at >= ack.at);
      assert.ok(next !== undefined && next.at - ack.at < 1.3, `no fsync within the batch window after the 201 at ${ack.at}`);
    }
    assert.deepEqual(stored.filter((id) => ids.includes(id)), ids, 'every acknowledged id is in the file after SIGKILL and a start');
  });
});
