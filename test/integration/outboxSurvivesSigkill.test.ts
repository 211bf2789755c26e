/**
 * A real process enqueuing and draining is killed with SIGKILL at random points, many times.
 * Some kills land while the process is still opening or recovering.
 * After each restart: no acknowledged report is lost, nothing is left `sending`, and no report
 * is sent again after its delivery was recorded. Duplicates stay within one window per crash.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';

const worker = new URL('../fakes/outboxCrashWorker.ts', import.meta.url).pathname;
const windowSize = 10;
const kills = 24;

interface Run {
  readonly child: ChildProcess;
  readonly acknowledged: number[];
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(db: string, sink: string, mode: 'run' | 'finish'): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, db, sink, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged: number[] = [];
  let pending = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') markReady();
      else if (line.startsWith('E ')) acknowledged.push(Number(line.slice(2)));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, acknowledged, ready, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sinkLines(sink: string): Array<[string, number]> {
  return readFileSync(sink, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => [line.slice(0, 1), Number(line.slice(2))]);
}

describe('outbox under SIGKILL', () => {
  it(`loses nothing and re-sends nothing delivered across ${kills} random kills`, { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-crash-'));
    const db = join(dir, 'agent.db');
    const sink = join(dir, 'sink.log');
    const acknowledged = new Set<number>();
    let inFlightKills = 0;
    try {
      for (let round = 0; round < kills; round++) {
        const run = start(db, sink, 'run');
        if (round % 5 === 4) {
          // Sometimes while it is still starting: opening, migrating or recovering.
          await sleep(Math.random() * 400);
        } else {
          await Promise.race([run.ready, run.exited.then((e) => assert.fail(`worker died before ready: ${e.stderr}`))]);
          await sleep(30 + Math.random() * 300);
        }
        run.child.kill('SIGKILL');
        const exit = await run.exited;
        assert.equal(exit.signal, 'SIGKILL', exit.stderr);
        for (const id of run.acknowledged) acknowledged.add(id);

        // Inspect the file as the next process will find it (as a client: nothing recovered yet).
        const store = openStore({ path: db });
        try {
          if (store.outbox.stats().byState.sending.rows > 0) inFlightKills += 1;
          const missing = [...acknowledged].filter((id) => store.outbox.get(id) === undefined);
          assert.deepEqual(missing, [], `round ${round}: acknowledged reports lost`);
        } finally {
          store.close();
        }
      }

      const finish = start(db, sink, 'finish');
      const done = await finish.exited;
      assert.equal(done.code, 0, done.stderr);

      const store = openStore({ path: db });
      try {
        const stats = store.outbox.stats().byState;
        assert.equal(stats.queued.rows + stats.sending.rows + stats.submitted.rows, 0);
        for (const id of acknowledged) assert.equal(store.outbox.get(id)?.state, 'delivered', `report ${id}`);
        assert.equal(stats.delivered.rows >= acknowledged.size, true);
        const stuck = store.db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE state = 'sending'`).get() as { n: number };
        assert.equal(stuck.n, 0, 'every interrupted message was closed at recovery');
      } finally {
        store.close();
      }

      // Replay the link's log: nothing is sent after its delivery was recorded; duplicates are bounded.
      const sends = new Map<number, number>();
      const failures = new Map<number, number>();
      const delivered = new Set<number>();
      for (const [event, id] of sinkLines(sink)) {
        if (event === 'S') {
          assert.equal(delivered.has(id), false, `report ${id} was sent again after it was delivered`);
          sends.set(id, (sends.get(id) ?? 0) + 1);
        } else if (event === 'F') failures.set(id, (failures.get(id) ?? 0) + 1);
        else if (event === 'D') delivered.add(id);
      }
      for (const id of acknowledged) assert.ok(sends.has(id), `report ${id} never reached the link`);
      let duplicates = 0;
      for (const [id, count] of sends) duplicates += count - 1 - (failures.get(id) ?? 0);
      assert.ok(duplicates >= 0);
      assert.ok(duplicates <= kills * windowSize, `${duplicates} duplicate sends for ${kills} crashes of window ${windowSize}`);
      assert.ok(acknowledged.size > kills, `the worker made progress (${acknowledged.size} reports)`);
      process.stdout.write(
        `# ${kills} kills, ${acknowledged.size} reports, ${inFlightKills} kills with reports in flight, ${duplicates} duplicate sends\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
