/**
 * What the inbox caps cost per insert (issue 13). Receipts for unknown ids are stored one transaction each, as
 * the agent does, into an inbox that is (a) below its caps, (b) at its row cap with receipts (every insert
 * removes the oldest), (c) at its row cap with 50,000 MO messages ahead of the receipts: the expendable
 * entries are found through the `inbox_expendable` index, and (d) the same with that index dropped, which is
 * what a plain `ORDER BY id` scan would cost. Then never-completed 60 KB parts at the partial caps.
 * `synchronous = NORMAL` keeps the disk's fsync per transaction out of the figures (the agent's default is FULL),
 * so they show the CPU and I/O the caps add. `n=N` sets the inserts timed per case (default 2,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store, type StoreOptions } from '../src/store/index.js';
import type { BenchFigures, BenchOptions } from './run.js';

const maxRows = 60_000;

function withStore<T>(options: Partial<StoreOptions>, body: (store: Store) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inbox-'));
  const store = openStore({ path: join(dir, 'agent.db'), synchronous: 'normal', ...options });
  try {
    return body(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function receipt(i: number): Parameters<Store['receiveReceipt']>[0] {
  return { link: 'smpp', sender: 'smsc', ref: `U${i}`, outcome: 'delivered', payload: `id:U${i} sub:001 dlvr:001 submit date:2612061000 done date:2612061000 stat:DELIVRD err:000 text:x` };
}

/** Inserts per second over `n` receipts numbered from `from`. */
function receiptRate(store: Store, from: number, n: number): number {
  const start = performance.now();
  for (let i = from; i < from + n; i++) store.receiveReceipt(receipt(i));
  return Math.round(n / ((performance.now() - start) / 1000));
}

/** Fills with receipts in one transaction (not timed). */
function fillReceipts(store: Store, from: number, count: number): void {
  store.db.transaction(() => {
    for (let i = from; i < from + count; i++) store.receiveReceipt(receipt(i));
  })();
}

function fillMessages(store: Store, count: number): void {
  const insert = store.db.transaction(() => {
    for (let i = 0; i < count; i++) store.inbox.addMessage({ link: 'smpp', sender: `+4477009${String(i % 1000).padStart(5, '0')}`, payload: `message ${i}` });
  });
  insert();
}

export function run(options: BenchOptions): Promise<BenchFigures> {
  const n = Number(options.args.find((arg) => arg.startsWith('n='))?.slice(2) ?? 2000);
  const caps = { caps: { maxRows, maxBytes: 2 ** 31 } };
  const figures: BenchFigures = {};
  figures['belowCapReceiptsPerS'] = withStore({ inbox: caps }, (store) => receiptRate(store, 0, n));
  figures['atCapReceiptsPerS'] = withStore({ inbox: caps }, (store) => {
    fillReceipts(store, 0, maxRows);
    return receiptRate(store, maxRows, n);
  });
  const behindMessages = (dropIndex: boolean): number => withStore({ inbox: caps }, (store) => {
    fillMessages(store, 50_000);
    fillReceipts(store, 0, maxRows - 50_000);
    if (dropIndex) store.db.exec('DROP INDEX inbox_expendable');
    return receiptRate(store, maxRows, n);
  });
  figures['atCapBehind50kMessagesPerS'] = behindMessages(false);
  figures['atCapBehind50kMessagesNoIndexPerS'] = behindMessages(true);
  figures['partsAtCapPerS'] = withStore({ inbox: { caps: { maxRows: 100_000, maxBytes: 4 * 2 ** 20 }, partialCaps: { maxMessages: 20, maxBytes: 2 ** 20, maxPerSender: 5, maxBytesPerSender: 400_000, timeoutMs: 86_400_000 } } }, (store) => {
    const payload = new Uint8Array(60_000).fill(0x5a);
    const parts = Math.max(200, Math.round(n / 10));
    const start = performance.now();
    for (let i = 0; i < parts; i++) {
      store.inbox.addMessage({ link: 'smpp', sender: `+44770090${String(i % 30).padStart(4, '0')}`, payload, concat: { ref: i % 65_536, total: 3, seq: 1 } });
    }
    return Math.round(parts / ((performance.now() - start) / 1000));
  });
  if (options.verbose) {
    console.log(`receipts/s below the cap: ${String(figures['belowCapReceiptsPerS'])}; at the cap (one removed per insert): ${String(figures['atCapReceiptsPerS'])}`);
    console.log(`at the cap behind 50,000 messages: ${String(figures['atCapBehind50kMessagesPerS'])}/s with the index, ${String(figures['atCapBehind50kMessagesNoIndexPerS'])}/s without`);
    console.log(`never-completed 60 KB parts at the partial caps (each pushes one out into the inbox): ${String(figures['partsAtCapPerS'])}/s`);
  }
  return Promise.resolve(figures);
}
