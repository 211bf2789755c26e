/**
 * `npm run bench -- cost`: SMS parts needed for 1,000 readings of a typical sensor set
 * (temperature, humidity and battery every minute, a GNSS fix every 10 minutes, two alarms)
 * with a 15-minute maximum delay: one JSON text per reading (naive) against our text and binary
 * report formats packed by the batch planner. Every reading is decoded back and checked on time.
 */
import {
  decodeReport,
  reportPartCapacity,
  partsNeeded,
  planBatch,
  type PendingReading,
  type Reading,
  type ReportEncoding,
} from '../src/report/index.js';
import type { BenchFigures, BenchOptions } from './run.js';

const minute = 60_000;
const maxDelay = 15 * minute;
const start = Date.UTC(2026, 10, 21, 6, 0, 0);

interface Item {
  readonly id: number;
  readonly createdMs: number;
  readonly reading: Reading;
  readonly urgent: boolean;
}

/** 1,000 readings: per minute one telemetry reading, every tenth minute a location fix, two alarms. */
function workload(): Item[] {
  const items: Item[] = [];
  let seed = 42;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  for (let minuteIndex = 0; items.length < 1000; minuteIndex++) {
    const createdMs = start + minuteIndex * minute;
    const time = createdMs / 1000;
    const temperature = Math.round((21 + 3 * Math.sin(minuteIndex / 90) + noise() * 0.2) * 10) / 10;
    const humidity = Math.round(45 + 10 * Math.cos(minuteIndex / 120) + noise());
    const battery = Math.round((4.1 - minuteIndex * 0.0004) * 100) / 100;
    items.push({ id: items.length, createdMs, urgent: false, reading: { kind: 'telemetry', time, fields: { T: temperature, H: humidity, B: battery } } });
    if (minuteIndex % 10 === 0 && items.length < 1000) {
      const lat = Math.round((51.5072 + minuteIndex * 0.00011 + noise() * 0.00005) * 1e5) / 1e5;
      const lon = Math.round((-0.1276 + minuteIndex * 0.00007) * 1e5) / 1e5;
      items.push({ id: items.length, createdMs, urgent: false, reading: { kind: 'location', time, fields: { lat, lon, sat: 7 + (minuteIndex % 3) } } });
    }
    if ((minuteIndex === 200 || minuteIndex === 640) && items.length < 1000) {
      items.push({ id: items.length, createdMs, urgent: true, reading: { kind: 'alarm', time, fields: { door: 'open' } } });
    }
  }
  return items;
}

function naiveParts(items: readonly Item[]): number {
  // One SMS per reading: its JSON as a GSM-7 text (all ASCII here), 160 / 153 septets per part.
  return items.reduce((sum, item) => sum + partsNeeded(JSON.stringify({ kind: item.reading.kind, time: item.reading.time, ...item.reading.fields }).length, { single: 160, perPart: 153 }), 0);
}

interface Outcome {
  readonly parts: number;
  readonly messages: number;
  readonly decodedReadings: number;
  readonly late: number;
  readonly maxWaitMin: number;
}

function packed(items: readonly Item[], encoding: ReportEncoding, maxParts: number): Outcome {
  const capacity = { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }) };
  const queue: PendingReading<number>[] = [];
  const byId = new Map(items.map((item) => [item.id, item]));
  let next = 0;
  let seq = 0;
  let parts = 0;
  let decodedReadings = 0;
  let late = 0;
  let maxWait = 0;
  const end = (items.at(-1)?.createdMs ?? start) + maxDelay + minute;
  for (let now = start; now <= end; now += minute) {
    for (; next < items.length && (items[next]?.createdMs ?? Infinity) <= now; next++) {
      const item = items[next];
      if (item !== undefined) queue.push({ id: item.id, reading: item.reading, encoding, deadline: item.createdMs + maxDelay, urgent: item.urgent });
    }
    // The outbox order: urgent first, then oldest.
    queue.sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.deadline - b.deadline);
    for (;;) {
      const plan = planBatch(queue, now, { device: '42', seq, maxParts, capacity });
      if (plan.action !== 'send') break;
      seq++;
      parts += plan.parts;
      decodedReadings += decodeReport(plan.payload).readings.length;
      for (const id of plan.ids) {
        const item = byId.get(id);
        const index = queue.findIndex((pending) => pending.id === id);
        if (index >= 0) queue.splice(index, 1);
        if (item === undefined) continue;
        if (now > item.createdMs + maxDelay) late++;
        maxWait = Math.max(maxWait, now - item.createdMs);
      }
    }
  }
  return { parts, messages: seq, decodedReadings, late, maxWaitMin: maxWait / minute };
}

export function run(options: BenchOptions): Promise<BenchFigures> {
  const items = workload();
  const naive = naiveParts(items);
  const text = packed(items, 'text', 4);
  const binary = packed(items, 'binary', 4);
  const figures = {
    readings: items.length,
    maxDelayMin: maxDelay / minute,
    maxParts: 4,
    naiveParts: naive,
    text: { ...text, reduction: Math.round((naive / text.parts) * 10) / 10 },
    binary: { ...binary, reduction: Math.round((naive / binary.parts) * 10) / 10 },
  };
  if (options.verbose) {
    process.stdout.write(`readings: ${items.length}, max delay ${maxDelay / minute} min, max ${figures.maxParts} parts per message\n`);
    process.stdout.write(`naive (one JSON SMS per reading): ${naive} parts\n`);
    for (const [name, outcome] of [['text', figures.text], ['binary', figures.binary]] as const) {
      process.stdout.write(
        `${name.padEnd(6)}: ${outcome.parts} parts in ${outcome.messages} messages, ${outcome.reduction}x fewer than naive; ` +
          `${outcome.decodedReadings}/${items.length} decoded, ${outcome.late} late, longest wait ${outcome.maxWaitMin} min\n`,
      );
    }
  }
  return Promise.resolve(figures);
}
