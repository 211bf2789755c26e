/**
 * Where the bytes of each outbox state change go: the store (this checkout's code) on a file with
 * checkpoints off, so every commit's frames stay in the WAL; each change is run alone and the
 * frames it appended are read back (a frame is a 24-byte header, whose first word is the page
 * number, then one page) and named with the `dbstat` table (which table or index owns the page).
 * The steady state is a device a few days in: a few thousand delivered rows kept for `queue list`.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { openStore, type Store } from '../src/store/index.js';

interface StepFigures {
  /** Commits the step made (usually 1). */
  readonly commits: number;
  readonly frames: number;
  readonly walBytes: number;
  /** Frames per table or index ("page 1" is the header page: the file grew or the schema cookie moved). */
  readonly pages: Record<string, number>;
}

const frameHeader = 24;

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** Page numbers of the frames in `[from, to)` of the WAL, and how many of them end a commit. */
function framesBetween(path: string, from: number, to: number, pageSize: number): { pages: number[]; commits: number } {
  const frame = frameHeader + pageSize;
  const start = Math.max(32, from);
  const fd = openSync(`${path}-wal`, 'r');
  const header = Buffer.alloc(frameHeader);
  const pages: number[] = [];
  let commits = 0;
  try {
    for (let offset = start; offset + frame <= to; offset += frame) {
      readSync(fd, header, 0, frameHeader, offset);
      pages.push(header.readUInt32BE(0));
      if (header.readUInt32BE(4) !== 0) commits++;
    }
  } finally {
    closeSync(fd);
  }
  return { pages, commits };
}

function owners(store: Store): Map<number, string> {
  const rows = store.db.prepare<[], { name: string; pageno: number }>('SELECT name, pageno FROM dbstat').all();
  return new Map(rows.map((row) => [row.pageno, row.name]));
}

export function walAnatomy(path: string, log: (line: string) => void): Record<string, unknown> {
  let now = Date.now();
  const store = openStore({ path, recoverSending: true, outbox: { clock: { now: () => now }, kinds: { telemetry: { receiptRequired: true } } } });
  try {
    store.db.pragma('wal_autocheckpoint = 0');
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    let ref = 0;
    const reading = (n: number): string => JSON.stringify({ time: Math.floor(now / 1000), fields: { T: 21.5 + (n % 10) / 10, H: 40, B: 3.7 } });
    const cycle = (count: number): void => {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        now += 1000;
        const [entry] = store.outbox.enqueueToEach({ kind: 'telemetry', priority: 'normal', payload: reading(i) });
        if (entry?.id !== null && entry?.id !== undefined) ids.push(entry.id);
      }
      const built = store.outbox.buildMessage(ids, 'smpp', () => ({ destination: '+447700900000', payload: 'ESA1 B …', format: 'report-text' }));
      now += 500;
      const refs = [`m${++ref}`];
      store.outbox.submitted(built.messageId, refs);
      now += 1000;
      store.receiveReceipt({ link: 'smpp', sender: '+447700900000', ref: refs[0] ?? '', outcome: 'delivered', payload: `id:${refs[0] ?? ''} stat:DELIVRD` });
    };
    // A few days in: delivered rows kept, the tables' right-hand pages in their steady shape.
    for (let i = 0; i < 100; i++) cycle(40);
    store.db.pragma('wal_checkpoint(TRUNCATE)');

    const measure = (fn: () => void): StepFigures => {
      const from = walSize(path);
      fn();
      const to = walSize(path);
      const { pages, commits } = framesBetween(path, from, to, pageSize);
      const names = owners(store);
      const byOwner: Record<string, number> = {};
      for (const page of pages) {
        const name = page === 1 ? 'page 1' : (names.get(page) ?? 'free/other');
        byOwner[name] = (byOwner[name] ?? 0) + 1;
      }
      return { commits, frames: pages.length, walBytes: to - from, pages: byOwner };
    };
    const perMessage = 40;
    const enqueues: StepFigures[] = [];
    const ids: number[] = [];
    for (let i = 0; i < perMessage; i++) {
      enqueues.push(measure(() => {
        now += 1000;
        const [entry] = store.outbox.enqueueToEach({ kind: 'telemetry', priority: 'normal', payload: reading(i) });
        if (entry?.id !== null && entry?.id !== undefined) ids.push(entry.id);
      }));
    }
    let messageId = 0;
    const build = measure(() => {
      messageId = store.outbox.buildMessage(ids, 'smpp', () => ({ destination: '+447700900000', payload: 'ESA1 B …', format: 'report-text' })).messageId;
    });
    const refs = [`m${++ref}`];
    const submitted = measure(() => store.outbox.submitted(messageId, refs));
    const receipt = measure(() => {
      store.receiveReceipt({ link: 'smpp', sender: '+447700900000', ref: refs[0] ?? '', outcome: 'delivered', payload: `id:${refs[0] ?? ''} stat:DELIVRD` });
    });
    // Pruning, eight days on: the first message's 40 rows (and its refs) are past the 7-day keep.
    now += 8 * 86_400_000;
    const prune = measure(() => store.sweep());
    const sum = (steps: readonly StepFigures[]): StepFigures => {
      const pages: Record<string, number> = {};
      for (const step of steps) for (const [name, count] of Object.entries(step.pages)) pages[name] = (pages[name] ?? 0) + count;
      return { commits: steps.reduce((a, s) => a + s.commits, 0), frames: steps.reduce((a, s) => a + s.frames, 0), walBytes: steps.reduce((a, s) => a + s.walBytes, 0), pages };
    };
    const enqueueAll = sum(enqueues);
    const perEnqueue = { frames: enqueueAll.frames / perMessage, walBytes: Math.round(enqueueAll.walBytes / perMessage), pages: Object.fromEntries(Object.entries(enqueueAll.pages).map(([k, v]) => [k, v / perMessage])) };
    const steps = { enqueue: perEnqueue, build, submitted, receipt, prune: { ...prune, reportsPruned: 'all rows of 101 messages, 8 days old' } };
    log(`anatomy (page size ${pageSize}; one message of ${perMessage} readings; WAL frames = ${frameHeader} + ${pageSize} bytes):`);
    for (const [name, step] of Object.entries(steps)) {
      log(`  ${name.padEnd(9)} ${String(step.frames).padStart(5)} frames, ${String(step.walBytes).padStart(7)} B of WAL: ${Object.entries(step.pages).map(([k, v]) => `${k} ${Math.round(v * 100) / 100}`).join(', ')}`);
    }
    const drainBytes = build.walBytes + submitted.walBytes + receipt.walBytes;
    log(`  per reading: enqueue ${perEnqueue.walBytes} B + drain ${Math.round(drainBytes / perMessage)} B (build, submitted, receipt over ${perMessage} readings) of WAL; checkpoints then write each changed page to the database once`);
    return { pageSize, readingsPerMessage: perMessage, steps, walBytesPerReading: { enqueue: perEnqueue.walBytes, drain: Math.round(drainBytes / perMessage) } };
  } finally {
    store.close();
  }
}
