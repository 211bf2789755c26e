/**
 * Issue 7's proof with real processes: readings are packed into report messages by a child
 * process that is killed with SIGKILL at random moments and restarted. In the SMSC's log every
 * reading arrives, duplicates are whole messages only (same sequence number, same bytes), and the
 * centre's sequence check leaves exactly one copy of each reading.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { decodeReport, SequenceTracker } from '../../src/report/index.js';
import { Random } from '../helpers/random.js';

const worker = new URL('../fakes/batchedSendWorker.ts', import.meta.url).pathname;
const readings = 1500;

/** `arrived`: the reading a journal-mode worker enqueued at its start (its `n`). */
function run(db: string, log: string, killAfterMs: number | undefined, mode: 'commit' | 'journal'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; arrived: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, db, log, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The kill is timed from the moment the worker's router starts sending, so it lands mid-drain however slow the start.
    let timer: NodeJS.Timeout | undefined;
    let arrived: number | undefined;
    child.stdout.once('data', (chunk: Buffer) => {
      const n = Number(/started (\d+)/.exec(chunk.toString())?.[1]);
      if (Number.isSafeInteger(n)) arrived = n;
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stderr, arrived });
    });
  });
}

describe('batched report sending under SIGKILL', () => {
  it('loses no reading and duplicates only whole messages, which the sequence check removes', (t) => killAndCheck(t, 'commit', 424242));

  // The agent's store: a build is made durable by its journal record and commits with the group, so a
  // kill loses the group and the next start must bring each build back as sent (same seq, same bytes).
  it('with the intake journal, builds lost with the open group come back as sent: still no loss, whole duplicates only', (t) => killAndCheck(t, 'journal', 4242));
});

async function killAndCheck(t: { diagnostic(message: string): void }, mode: 'commit' | 'journal', seed: number): Promise<void> {
  {
    const dir = mkdtempSync(join(tmpdir(), 'esa-batch-kill-'));
    try {
      const db = join(dir, 'agent.db');
      const log = join(dir, 'smsc.log');
      const store = openStore({ path: db });
      store.outbox.enqueueMany(
        Array.from({ length: readings }, (_, i) => ({ kind: 'telemetry', priority: 'normal' as const, payload: JSON.stringify({ time: 1_800_000_000 + i, fields: { n: i, T: 20 + (i % 50) / 10 } }) })),
      );
      store.close();

      const rng = new Random(seed);
      let kills = 0;
      const arrivals: number[] = [];
      for (let round = 0; round < 12; round++) {
        const outcome = await run(db, log, rng.int(30, 250), mode);
        if (outcome.arrived !== undefined) arrivals.push(outcome.arrived);
        if (outcome.signal === 'SIGKILL') kills++;
        else assert.equal(outcome.code, 0, outcome.stderr);
        if (outcome.code === 0) break;
      }
      const final = await run(db, log, undefined, mode);
      assert.equal(final.code, 0, final.stderr);
      if (final.arrived !== undefined) arrivals.push(final.arrived);
      if (mode === 'journal') assert.ok(arrivals.length >= 4, 'each journal-mode start enqueued an urgent reading');
      assert.ok(kills >= 3, `only ${kills} kills landed; the test proves nothing without them`);

      assert.ok(existsSync(log));
      const sent = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { seq: number; payload: string });
      const bySeq = new Map<number, string>();
      for (const message of sent) {
        const earlier = bySeq.get(message.seq);
        if (earlier !== undefined) assert.equal(message.payload, earlier, `seq ${message.seq} re-sent with different content`);
        bySeq.set(message.seq, message.payload);
      }
      const centre = new SequenceTracker({ window: 100_000 });
      const seen = new Map<number, number>();
      for (const message of sent) {
        const decoded = decodeReport(message.payload);
        if (centre.accept(decoded.device, decoded.seq).kind === 'duplicate') continue;
        for (const reading of decoded.readings) {
          const n = Number(reading.fields['n']);
          seen.set(n, (seen.get(n) ?? 0) + 1);
        }
      }
      // A reading acknowledged just before a kill is in the journal, so it is never lost either.
      const missing = [...Array.from({ length: readings }, (_, i) => i), ...arrivals].filter((i) => !seen.has(i));
      const doubled = [...seen].filter(([, count]) => count > 1).map(([n]) => n);
      assert.deepEqual(missing, [], 'every reading reached the SMSC');
      assert.deepEqual(doubled, [], 'after the sequence check, every reading exactly once');
      t.diagnostic(`${kills} kills; ${sent.length} messages at the SMSC, ${sent.length - bySeq.size} of them whole re-sends`);
      assert.ok(sent.length > bySeq.size, 'some kills landed between a send and its acknowledgement');
      const check = openStore({ path: db });
      assert.equal(check.outbox.stats().byState.submitted.rows, readings + arrivals.length);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
