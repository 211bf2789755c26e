/**
 * `npm run bench -- planner [--quick]`: the batch planner (`planBatch`) draining a backlog, as the
 * router does after an outage: every reading is due, the planner is given the first `lookahead`
 * queued readings, the readings it chooses leave the queue, and it plans again. Figures per encoding
 * and lookahead (40, 160, 500): readings planned per second of planner CPU, messages per second,
 * and how full the messages are (readings and parts per message), because a lookahead shorter than
 * what a message can hold sends more, emptier messages.
 *
 * The planner is not all a lookahead costs: the router reads that many queued rows from the outbox
 * (and parses their JSON) per message, so the same run also times `peekDue(lookahead)` on a file
 * holding 20,000 queued readings.
 *
 * The backlog is the cost benchmark's sensor set: telemetry (T, H, B) every minute, a location fix
 * every ten minutes, an alarm now and then; at most 4 parts, 8-bit UDH concatenation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBatch, reportPartCapacity, type PendingReading, type ReportEncoding } from '../src/report/index.js';
import { openStore } from '../src/store/index.js';
import { measure } from './_timing.js';
import type { BenchFigures, BenchOptions } from './run.js';

const lookaheads = [40, 160, 500] as const;
const maxParts = 4;
const capacity = { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }) };

function backlog(count: number, encoding: ReportEncoding): PendingReading<number>[] {
  const items: PendingReading<number>[] = [];
  const t0 = 1_763_700_000;
  let seed = 7;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  for (let minute = 0; items.length < count; minute++) {
    const time = t0 + minute * 60;
    const T = Math.round((21 + 3 * Math.sin(minute / 90) + noise() * 0.2) * 10) / 10;
    const H = Math.round(45 + 10 * Math.cos(minute / 120) + noise());
    const B = Math.round((4.1 - (minute % 2000) * 0.0004) * 100) / 100;
    items.push({ id: items.length, reading: { kind: 'telemetry', time, fields: { T, H, B } }, encoding, deadline: 0, urgent: false });
    if (minute % 10 === 0) {
      const lat = Math.round((51.5072 + (minute % 500) * 0.00011) * 1e5) / 1e5;
      const lon = Math.round((-0.1276 + (minute % 500) * 0.00007) * 1e5) / 1e5;
      items.push({ id: items.length, reading: { kind: 'location', time, fields: { lat, lon, sat: 7 + (minute % 3) } }, encoding, deadline: 0, urgent: false });
    }
    if (minute % 997 === 500) items.push({ id: items.length, reading: { kind: 'alarm', time, fields: { door: 'open' } }, encoding, deadline: 0, urgent: true });
  }
  return items;
}

interface DrainFigures {
  readonly readingsPerSec: number;
  readonly messagesPerSec: number;
  readonly readingsPerMessage: number;
  readonly partsPerMessage: number;
  readonly readings: number;
}

/** Drains `items` with planBatch over a window of `lookahead`, timing the planner calls only. */
function drain(items: readonly PendingReading<number>[], lookahead: number, budgetMs: number): DrainFigures {
  const sent = new Uint8Array(items.length);
  let head = 0;
  let planned = 0;
  let messages = 0;
  let parts = 0;
  let ns = 0n;
  let seq = 1;
  while (head < items.length && Number(ns) < budgetMs * 1e6) {
    const window: PendingReading<number>[] = [];
    for (let i = head; i < items.length && window.length < lookahead; i++) {
      const item = items[i];
      if (item !== undefined && sent[i] === 0) window.push(item);
    }
    const started = process.hrtime.bigint();
    const plan = planBatch(window, 1, { device: 'pi-0042', seq: seq++, maxParts, capacity });
    ns += process.hrtime.bigint() - started;
    if (plan.action !== 'send') throw new Error(`planner bench: expected a message, got ${plan.action}`);
    for (const id of plan.ids) sent[id] = 1;
    planned += plan.ids.length;
    messages++;
    parts += plan.parts;
    while (head < items.length && sent[head] === 1) head++;
  }
  const seconds = Number(ns) / 1e9;
  return {
    readingsPerSec: Math.round(planned / seconds),
    messagesPerSec: Math.round(messages / seconds),
    readingsPerMessage: Math.round((planned / messages) * 10) / 10,
    partsPerMessage: Math.round((parts / messages) * 100) / 100,
    readings: planned,
  };
}

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const quick = options.args.includes('--quick');
  const budgetMs = quick ? 300 : 2000;
  const figures: Record<string, DrainFigures> = {};
  for (const encoding of ['text', 'binary'] as const) {
    const items = backlog(quick ? 20_000 : 100_000, encoding);
    drain(items.slice(0, 5_000), 500, 200); // warm-up
    for (const lookahead of lookaheads) {
      const result = drain(items, lookahead, budgetMs);
      figures[`${encoding}.lookahead${lookahead}`] = result;
      if (options.verbose) {
        process.stdout.write(
          `${encoding.padEnd(6)} lookahead ${String(lookahead).padStart(3)}: ${result.readingsPerSec.toLocaleString('en')} readings/s, ` +
            `${result.messagesPerSec.toLocaleString('en')} messages/s, ${result.readingsPerMessage} readings and ${result.partsPerMessage} parts per message\n`,
        );
      }
    }
  }
  const reads = readCost(options.verbose);
  return await Promise.resolve({ ...figures, ...reads });
}

/** Time of one `peekDue(lookahead)` plus the JSON parse of each row, as the router does per message. */
function readCost(verbose: boolean): Record<string, { readonly usPerCall: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-planner-'));
  const store = openStore({ path: join(dir, 'agent.db'), synchronous: 'normal' });
  try {
    const items = backlog(20_000, 'text');
    for (let i = 0; i < items.length; i += 1000) {
      store.outbox.enqueueMany(
        items.slice(i, i + 1000).map((item) => ({ kind: item.reading.kind, priority: 'normal' as const, payload: JSON.stringify({ time: item.reading.time, fields: item.reading.fields }) })),
      );
    }
    const figures: Record<string, { readonly usPerCall: number }> = {};
    for (const lookahead of lookaheads) {
      const read = (): number => {
        let fields = 0;
        for (const report of store.outbox.peekDue({ limit: lookahead, link: 'smpp' })) {
          fields += Object.keys((JSON.parse(String(report.payload)) as { fields: object }).fields).length;
        }
        return fields;
      };
      const { nsPerOp } = measure(read, 500, 100);
      figures[`peekDue.lookahead${lookahead}`] = { usPerCall: Math.round(nsPerOp / 100) / 10 };
      if (verbose) process.stdout.write(`outbox peekDue(${lookahead}) + JSON.parse: ${(nsPerOp / 1000).toFixed(1)} µs per call\n`);
    }
    return figures;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
