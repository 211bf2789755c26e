/**
 * The store's durability promise, seen from outside with strace on the real agent (issue 14):
 *  - `store.durability: full` (default), with the intake journal (default): the reading's record is
 *    written to agent.db.intake, opened O_DSYNC (durable when the write returns; O_DIRECT where the
 *    filesystem allows), before the 201 of `POST /reports` leaves the process, for every reading;
 *  - the same without the journal (`intakeJournal: false`): the WAL is fsynced before each 201;
 *  - `batched`: the 201 may leave first, but an fdatasync of the journal follows within `batchMs`.
 * In every mode a SIGKILL right after the last 201 loses no acknowledged reading: the next start
 * has them all, under the ids they were acknowledged with. And a message goes on the air (its
 * submit_sm leaves) only once its build is durable: its journal record written (O_DSYNC), and in
 * batched mode fdatasynced, since the build commits with the group later.
 * A missing strace fails the test with the fix (`apt-get install -y strace`); it never skips.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { account, collectSubmits, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

interface Call {
  readonly at: number;
  /**
   * sync: an fsync of the WAL or the journal; journal: a write of a journal record (build: one that
   * holds a built message); ack: a 201; submit: a submit_sm to the SMSC.
   */
  readonly kind: 'sync' | 'journal' | 'build' | 'ack' | 'submit';
}

/** strace's C escapes (`-x`: non-printable bytes as \xHH) of the call's buffer, or its first iovec's, as bytes. */
function bytesOf(line: string): Buffer {
  const quoted = /"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
  const named: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12 };
  const bytes: number[] = [];
  for (let i = 0; i < quoted.length; i++) {
    const char = quoted[i] ?? '';
    if (char !== '\\') {
      bytes.push(char.charCodeAt(0));
      continue;
    }
    const next = quoted[++i] ?? '';
    if (next === 'x') {
      bytes.push(parseInt(quoted.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(named[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes);
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
  const tracer = spawn('strace', ['-f', '-ttt', '-y', '-x', '-s', '48', '-e', 'trace=fsync,fdatasync,write,writev,pwrite64', '-e', 'signal=none', '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
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
        // A record is a 32-byte header, then its entries as JSON: a build's begin [{"m":.
        else if (/\s(write|pwrite64)\(\d+<[^>]*agent\.db\.intake>/.test(line)) calls.push({ at: time, kind: bytesOf(line).subarray(32, 38).toString() === '[{"m":' ? 'build' : 'journal' });
        else if (/\s(write|writev)\(\d+<(socket|UNIX)[^>]*>/.test(line) && bytesOf(line).toString('latin1').startsWith('HTTP/1.1 201')) calls.push({ at: time, kind: 'ack' });
        // An SMPP PDU header: command_length, then command_id 0x00000004 (submit_sm).
        else if (/\s(write|writev)\(\d+<(socket|TCP)[^>]*>/.test(line) && bytesOf(line).subarray(4, 8).equals(Buffer.from([0, 0, 0, 4]))) calls.push({ at: time, kind: 'submit' });
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

/** `sending`: readings go out at once (telemetry's delay 0), so builds and submit_sm are traced too. */
async function runAgent(durability: 'full' | 'batched', readings: number, journal = true, sending = false): Promise<Run> {
  requireStrace();
  const dir = mkdtempSync(join(tmpdir(), `esa-fsync-${durability}-`));
  const sim = await startSimulator();
  const submits = collectSubmits(sim);
  const api = join(dir, 'api.sock');
  const db = join(dir, 'agent.db');
  const config = writeAgentConfig(dir, [
    'device: { id: pi-fsync }',
    'location: { enabled: false }',
    'modem: { enabled: false }',
    'mqtt: { enabled: false }',
    // Telemetry waits to fill an SMS: nothing is sent (no other write commits the group) while the test looks.
    ...(sending ? ['reports: { kinds: { telemetry: { maxDelayS: 0 } } }'] : []),
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
    if (sending) await until(() => submits.length >= readings, 20_000, 'every reading submitted');
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

/**
 * One message per reading here (no re-sends), sent in the order built: the k-th submit_sm carries the
 * k-th build, whose journal record must be written (and with `synced`, fdatasynced) before it leaves.
 */
function assertEachSubmitAfterItsBuild(calls: Call[], messages: number, synced: boolean): void {
  const builds = calls.filter((call) => call.kind === 'build');
  const submits = calls.filter((call) => call.kind === 'submit');
  assert.equal(submits.length, messages, `strace saw every submit_sm (${submits.length})`);
  assert.equal(builds.length, messages, `strace saw every build's journal record (${builds.length})`);
  submits.forEach((submit, k) => {
    const build = builds[k]?.at ?? Infinity;
    assert.ok(build < submit.at, `submit_sm ${k + 1} at ${submit.at} left before its build was journaled (${build})`);
    if (synced) assert.ok(calls.some((call) => call.kind === 'sync' && call.at > build && call.at < submit.at), `submit_sm ${k + 1} at ${submit.at} left before its build's record (${build}) was fdatasynced`);
  });
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

  it('full: every submit_sm leaves after its build was written to the O_DSYNC journal (the build commits later, with the group)', { timeout: 120_000 }, async () => {
    assertEachSubmitAfterItsBuild((await runAgent('full', 12, true, true)).calls, 12, false);
  });

  it('batched: every submit_sm leaves after its build was journaled and fdatasynced, not within batchMs', { timeout: 120_000 }, async () => {
    assertEachSubmitAfterItsBuild((await runAgent('batched', 12, true, true)).calls, 12, true);
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
