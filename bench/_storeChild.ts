/**
 * One measurement of bench/store.ts, run in its own process so RSS and /proc/self/io count only
 * that measurement. Prints one JSON object.
 *
 *   node --import tsx bench/_storeChild.ts TASK DB [N] [SYNC]
 *   TASK: fsync | single | grouped | burst | drain | fill | rss
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { EnqueueBatcher, openStore, type ReportInput, type Synchronous } from '../src/store/index.js';

const [task, db, countText = '0', syncText = 'full'] = process.argv.slice(2);
const count = Number(countText);
const synchronous = syncText as Synchronous;
if (db === undefined) throw new Error('usage: _storeChild TASK DB [N] [SYNC]');

/** A typical telemetry reading as the CLI would queue it (~60 bytes of JSON). */
function reading(i: number): ReportInput {
  return { kind: 'telemetry', priority: (['critical', 'high', 'normal', 'low'] as const)[i % 4]!, payload: `{"t":${(20 + (i % 100) / 10).toFixed(1)},"h":${40 + (i % 20)},"b":3.91,"i":${i}}` };
}

function writeBytes(): number {
  const match = /write_bytes: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return Number(match?.[1] ?? 0);
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no WAL yet
    }
  }
  return total;
}

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const result: Record<string, number> = {};
if (task === 'fsync') {
  // The disk's own limit: 4 KiB overwrite + fdatasync, as a WAL commit does. Varies a lot on VMs.
  const fd = openSync(db, 'w', 0o600);
  writeSync(fd, Buffer.alloc(4096 * 64));
  const block = Buffer.alloc(4096, 1);
  const seconds = timed(() => {
    for (let i = 0; i < count; i++) {
      writeSync(fd, block, 0, block.length, (i % 64) * 4096);
      fdatasyncSync(fd);
    }
  });
  closeSync(fd);
  result['perSec'] = Math.round(count / seconds);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
const store = openStore({ path: db, synchronous, recoverSending: true });
switch (task ?? '') {
  case 'single': {
    const io0 = writeBytes();
    const size0 = fileBytes(db);
    const seconds = timed(() => {
      for (let i = 0; i < count; i++) store.outbox.enqueue(reading(i));
    });
    result['perSec'] = Math.round(count / seconds);
    result['writeBytesPerReport'] = Math.round((writeBytes() - io0) / count);
    result['fileBytesPerReport'] = Math.round((fileBytes(db) - size0) / count);
    break;
  }
  case 'grouped': {
    // Single reports from 64 concurrent producers (the agent's HTTP/MQTT/GNSS ingest), each
    // awaiting its own durable commit; the batcher shares commits between them.
    const batcher = new EnqueueBatcher(store.outbox);
    const producers = 64;
    const io0 = writeBytes();
    const start = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: producers }, async () => {
        while (next < count) await batcher.enqueue(reading(next++));
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    batcher.close();
    result['perSec'] = Math.round(count / seconds);
    result['writeBytesPerReport'] = Math.round((writeBytes() - io0) / count);
    break;
  }
  case 'burst': {
    const batch = 1000;
    const io0 = writeBytes();
    const seconds = timed(() => {
      for (let done = 0; done < count; done += batch) store.outbox.enqueueMany(Array.from({ length: batch }, (_, i) => reading(done + i)));
    });
    result['perSec'] = Math.round(count / seconds);
    result['writeBytesPerReport'] = Math.round((writeBytes() - io0) / count);
    break;
  }
  case 'fill': {
    for (let done = 0; done < count; done += 5000) store.outbox.enqueueMany(Array.from({ length: Math.min(5000, count - done) }, (_, i) => reading(done + i)));
    result['queued'] = store.outbox.stats().byState.queued.rows;
    break;
  }
  case 'drain': {
    // Claim only (select + mark sending), in batches of 100: the drain's own cost.
    const claimSeconds = timed(() => {
      for (let claimed = 0; claimed < count; ) claimed += store.outbox.claim({ limit: 100, link: 'smpp' }).length;
    });
    result['claimPerSec'] = Math.round(count / claimSeconds);
    // The whole cycle as the router runs it: claim a window of 10 (one commit), then the 10
    // submit responses settled in one commit, then their 10 receipts in one commit.
    const cycles = Math.min(5000, count);
    store.db.prepare(`UPDATE reports SET state = 'queued' WHERE state = 'sending'`).run();
    const io0 = writeBytes();
    const cycleSeconds = timed(() => {
      for (let done = 0; done < cycles; ) {
        const window = store.outbox.claim({ limit: 10, link: 'smpp' });
        store.outbox.inTransaction(() => window.forEach(({ messageId }) => store.outbox.submitted(messageId, [`r${messageId}`])));
        store.outbox.inTransaction(() => window.forEach(({ messageId }) => store.outbox.receipt('smpp', `r${messageId}`, 'delivered')));
        done += window.length;
      }
    });
    result['cycleWriteBytesPerReport'] = Math.round((writeBytes() - io0) / cycles);
    result['cyclePerSec'] = Math.round(cycles / cycleSeconds);
    break;
  }
  case 'rss': {
    // What the agent does with a backlog: stats for MQTT, a sweep, and a drain in batches.
    for (let round = 0; round < 5; round++) {
      store.outbox.stats();
      for (const { messageId } of store.outbox.claim({ limit: 100, link: 'smpp' })) store.outbox.submitted(messageId, [`r${messageId}`]);
    }
    store.outbox.sweep();
    result['queued'] = store.outbox.stats().byState.queued.rows;
    const memory = process.memoryUsage();
    result['rssMiB'] = Math.round((memory.rss / 2 ** 20) * 10) / 10;
    result['maxRssMiB'] = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
    result['heapUsedMiB'] = Math.round((memory.heapUsed / 2 ** 20) * 10) / 10;
    break;
  }
  default:
    throw new Error(`unknown task ${task}`);
}
store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
