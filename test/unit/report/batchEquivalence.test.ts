/**
 * The incremental batch planner against the planner it replaced, which encoded every candidate
 * message in full: over thousands of random reading streams they must give the same plan (same
 * readings, same bytes, same parts) or the same error. The old planner is kept below, as it was,
 * as the oracle; a second property checks each sizer's answer against the encoded length directly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeBinaryReport,
  encodeTextReport,
  partsNeeded,
  planBatch,
  reportPartCapacity,
  type BatchOptions,
  type BatchPlan,
  type FieldValue,
  type PartCapacity,
  type PendingReading,
  type Reading,
  type ReportEncoding,
  type ReportMessage,
} from '../../../src/report/index.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';
import { BinarySizer } from '../../../src/report/binarySizer.js';
import { messageRanks, type MessageSizer } from '../../../src/report/messageSizer.js';
import { TextSizer } from '../../../src/report/textSizer.js';

// ---- The oracle: planBatch as it was before the incremental sizers (src/report/batch.ts, c803c1f). ----

function oraclePlanBatch<Id>(pending: readonly PendingReading<Id>[], now: number, options: BatchOptions): BatchPlan<Id> {
  const first = pending[0];
  if (first === undefined) return { action: 'idle' };
  const compatible = pending.filter((item) => item.encoding === first.encoding);
  const isDue = (item: PendingReading<Id>): boolean => item.urgent || item.deadline <= now;
  const due = compatible.filter(isDue);
  const later = compatible.filter((item) => !isDue(item));
  const capacity = options.capacity[first.encoding];
  if (due.length === 0) {
    const full = fill([], later, options.maxParts, first.encoding, options, capacity);
    if (full.chosen.length > 0 && full.chosen.length < later.length) return send(full, first.encoding);
    return { action: 'wait', until: Math.min(...later.map((item) => item.deadline)) };
  }
  const withDue = fill([], due, options.maxParts, first.encoding, options, capacity);
  if (withDue.chosen.length === 0) {
    throw new AgentError(`report: reading ${String(due[0]?.id)} does not fit in ${options.maxParts} SMS parts`, ErrorCode.Report_TooLarge, {
      id: due[0]?.id,
      maxParts: options.maxParts,
    });
  }
  const toppedUp = fill(withDue.chosen, later, withDue.parts, first.encoding, options, capacity);
  return send(toppedUp, first.encoding);
}

interface Filled<Id> {
  readonly chosen: PendingReading<Id>[];
  readonly parts: number;
  readonly message?: ReportMessage;
  readonly payload?: string | Buffer;
}

function fill<Id>(
  start: readonly PendingReading<Id>[],
  candidates: readonly PendingReading<Id>[],
  maxParts: number,
  encoding: ReportEncoding,
  options: BatchOptions,
  capacity: PartCapacity,
): Filled<Id> {
  let best: Filled<Id> = start.length === 0 ? { chosen: [], parts: 0 } : measure([...start], encoding, options, capacity);
  for (const candidate of candidates) {
    const trial = measure([...best.chosen, candidate], encoding, options, capacity);
    if (trial.parts <= maxParts) best = trial;
  }
  return best;
}

function measure<Id>(chosen: PendingReading<Id>[], encoding: ReportEncoding, options: BatchOptions, capacity: PartCapacity): Filled<Id> {
  const message = oracleBuildMessage(options.device, options.seq, chosen.map((item) => item.reading));
  const payload = encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message);
  return { chosen, parts: partsNeeded(payload.length, capacity), message, payload };
}

function send<Id>(filled: Filled<Id>, encoding: ReportEncoding): BatchPlan<Id> {
  if (filled.message === undefined || filled.payload === undefined) return { action: 'idle' };
  return { action: 'send', ids: filled.chosen.map((item) => item.id), encoding, message: filled.message, payload: filled.payload, parts: filled.parts };
}

function oracleBuildMessage(device: string, seq: number, readings: readonly Reading[]): ReportMessage {
  const ordered = [...readings].sort((a, b) => a.time - b.time);
  return { version: 1, device, seq, baseTime: ordered[0]?.time ?? 0, readings: ordered };
}

// ---- Random reading streams ----

/** mulberry32: a small seeded generator, so a failure names the seed that reproduces it. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

const standardKinds = ['telemetry', 'location', 'alarm', 'reply'];
const customKinds = ['pump', 'door_2', 'constructor', 'tank_level', 'gnss', 'zz'];
const names = ['T', 'H', 'B', 'lat', 'lon', 'door', 'x1', 'n_2', 'speed', 'a_very_long_field_name_of_32_ch'];
const strings = ['open', 'closed', '', 'a b', 'say "hi"', '100%', '€ [x] {y} |z| ^~\\', 'Grüße', '😀 ok', '`tick`', 'x'.repeat(90), 'é'.repeat(40)];
const specialNumbers = [0, -0, 1, -1, 21.5, 3.91, -0.1276, 51.5072, Math.PI, 1 / 3, 1e20, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, 123456.789, 5e-324, 0.1 + 0.2];

function randomValue(random: Random, previous: FieldValue | undefined): FieldValue {
  if (typeof previous === 'number' && random.chance(0.6)) {
    // Small changes make delta forms worth it; sometimes a change of scale.
    const step = random.pick([0, 0.1, -0.1, 1, -1, 0.01, 0.5, 7, -300, 1e-7]);
    return Math.round((previous + step) * 1e6) / 1e6;
  }
  const roll = random.next();
  if (roll < 0.45) return random.int(-500, 500) / random.pick([1, 10, 100, 1000]);
  if (roll < 0.6) return random.pick(specialNumbers);
  if (roll < 0.8) return random.pick(strings);
  return random.chance(0.5);
}

interface StreamShape {
  readonly binaryShare: number;
  readonly invalidShare: number;
  readonly manyNames: boolean;
  readonly manyKinds: boolean;
}

function randomReading(random: Random, last: Map<string, Reading>, time: number, shape: StreamShape): Reading {
  const kindPool = shape.manyKinds ? Array.from({ length: 140 }, (_, i) => `k${i}`) : [...standardKinds, ...customKinds];
  const kind = random.chance(0.6) ? random.pick(standardKinds) : random.pick(kindPool);
  const before = last.get(kind);
  let fields: Record<string, FieldValue>;
  if (before !== undefined && random.chance(0.55)) {
    // A REPEAT candidate: the same keys in the same order, values moving a little.
    fields = {};
    for (const [name, value] of Object.entries(before.fields)) fields[name] = randomValue(random, value);
  } else {
    fields = {};
    const pool = shape.manyNames ? Array.from({ length: 200 }, (_, i) => `f${i}`) : names;
    const count = random.chance(0.05) ? 0 : random.int(1, shape.manyNames ? 6 : 4);
    for (let f = 0; f < count; f++) fields[random.pick(pool)] = randomValue(random, undefined);
  }
  let reading: Reading = { kind, time, fields };
  if (random.chance(shape.invalidShare)) reading = invalidate(random, reading);
  last.set(kind, reading);
  return reading;
}

function invalidate(random: Random, reading: Reading): Reading {
  switch (random.int(0, 6)) {
    case 0:
      return { ...reading, time: reading.time + 0.5 };
    case 1:
      return { ...reading, time: Number.NaN };
    case 2:
      return { ...reading, time: -reading.time - 1 };
    case 3:
      return { ...reading, kind: 'X' };
    case 4:
      return { ...reading, fields: { ...reading.fields, bad: Number.POSITIVE_INFINITY } };
    case 5:
      return { ...reading, fields: { ...reading.fields, '9lives': 1 } };
    default:
      return { ...reading, fields: { ...reading.fields, T: Number.NaN } };
  }
}

const splits: ReadonlyArray<{ split: 'udh8' | 'udh16' | 'tlv'; portIn: 'udh' | 'tlv' }> = [
  { split: 'udh8', portIn: 'udh' },
  { split: 'udh16', portIn: 'udh' },
  { split: 'tlv', portIn: 'udh' },
  { split: 'tlv', portIn: 'tlv' },
  { split: 'udh8', portIn: 'tlv' },
];

interface Case {
  readonly pending: PendingReading<number>[];
  readonly now: number;
  readonly options: BatchOptions;
}

function randomCase(seed: number): Case {
  const random = new Random(generator(seed));
  const shape: StreamShape = {
    binaryShare: random.pick([0, 0.1, 0.5, 0.9, 1]),
    invalidShare: random.chance(0.1) ? 0.02 : 0,
    manyNames: random.chance(0.04),
    manyKinds: random.chance(0.04),
  };
  const large = shape.manyNames || shape.manyKinds;
  const count = large ? random.int(100, 260) : random.chance(0.1) ? random.int(100, 200) : random.int(0, 70);
  const timeShape = random.pick(['rising', 'shuffled', 'falling', 'same', 'huge'] as const);
  let time = timeShape === 'huge' ? 2 ** 53 - 1 - random.int(0, 1e6) * 1000 : random.chance(0.05) ? random.int(0, 50) : 1_732_212_345 + random.int(0, 1e6);
  const now = 1_000_000;
  const last = new Map<string, Reading>();
  const pending: PendingReading<number>[] = [];
  for (let id = 0; id < count; id++) {
    const step = random.pick([0, 1, 9, 10, 60, 99, 100, 600, 3600, 86_400 * 400]);
    if (timeShape === 'rising') time += step;
    else if (timeShape === 'falling') time = Math.max(0, time - step);
    else if (timeShape === 'shuffled') time = Math.max(0, time + (random.chance(0.5) ? step : -step));
    else if (timeShape === 'huge') time = Math.max(0, time - random.int(0, 3) * step);
    const reading = randomReading(random, last, time, shape);
    const urgent = random.chance(0.1);
    const deadline = now + random.pick([-60_000, 0, 1, 60_000, 900_000]) + random.int(0, 1000);
    pending.push({ id, reading, encoding: random.chance(shape.binaryShare) ? 'binary' : 'text', deadline, urgent });
  }
  const { split, portIn } = random.pick(splits);
  const device = random.chance(0.01) ? 'bad device' : random.pick(['42', 'pi-7', 'A'.repeat(64), 'edge.node:01']);
  const options: BatchOptions = {
    device,
    seq: random.chance(0.2) ? 0xffff_ffff : random.int(0, 2 ** 32 - 1),
    maxParts: large ? random.int(4, 10) : random.int(1, 4),
    capacity: { text: reportPartCapacity('text', { split }), binary: reportPartCapacity('binary', { split, portIn }) },
  };
  return { pending, now, options };
}

type Outcome<Id> = { plan: BatchPlan<Id> } | { error: { name: string; code: unknown; message: string } };

function outcome<Id>(plan: () => BatchPlan<Id>): Outcome<Id> {
  try {
    return { plan: plan() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { error: { name: error.name, code: (error as Partial<AgentError>).code, message: error.message } };
  }
}

describe('planBatch: the incremental planner equals encoding every candidate message', () => {
  it('gives the same plan or the same error over 4,000 random reading streams', () => {
    const tally = { send: 0, wait: 0, idle: 0, error: 0, text: 0, binary: 0, multiPart: 0 };
    for (let seed = 1; seed <= 4000; seed++) {
      const { pending, now, options } = randomCase(seed);
      const expected = outcome(() => oraclePlanBatch(pending, now, options));
      const actual = outcome(() => planBatch(pending, now, options));
      assert.deepStrictEqual(actual, expected, `seed ${seed}`);
      if ('error' in expected) tally.error++;
      else {
        tally[expected.plan.action]++;
        if (expected.plan.action === 'send') {
          tally[expected.plan.encoding]++;
          if (expected.plan.parts > 1) tally.multiPart++;
        }
      }
    }
    // The streams must exercise every branch, or the comparison proves little.
    for (const [branch, count] of Object.entries(tally)) assert.ok(count >= 20, `only ${count} cases of ${branch}: ${JSON.stringify(tally)}`);
  });

  it('sizes every candidate message exactly as long as its encoding, in both encodings', () => {
    let checked = 0;
    let declined = 0;
    for (let seed = 10_001; seed <= 10_600; seed++) {
      const { pending, options } = randomCase(seed);
      for (const encoding of ['text', 'binary'] as const) {
        const readings = pending.map((item) => item.reading);
        const device = options.device === 'bad device' ? 'dev' : options.device;
        const ranks = messageRanks(readings, device, options.seq);
        const sizer: MessageSizer = encoding === 'text' ? new TextSizer(readings, device, options.seq) : new BinarySizer(readings, ranks, device, options.seq);
        const kept: Reading[] = [];
        const random = new Random(generator(seed));
        readings.forEach((reading, index) => {
          if ((ranks[index] ?? -1) < 0) return;
          const message = oracleBuildMessage(device, options.seq, [...kept, reading]);
          let length: number | undefined;
          try {
            length = (encoding === 'text' ? encodeTextReport(message) : encodeBinaryReport(message)).length;
          } catch {
            length = undefined; // more custom kinds than a message can number
          }
          const sized = sizer.unitsWith(index);
          if (sized === undefined) declined++;
          else {
            assert.equal(sized, length, `seed ${seed} ${encoding} candidate ${index}`);
            checked++;
          }
          // Keep most candidates, so messages grow large and candidates land between kept readings.
          if (length !== undefined && random.chance(0.8)) {
            sizer.add(index);
            kept.push(reading);
          }
        });
      }
    }
    assert.ok(checked > 20_000, `${checked} sizes checked`);
    assert.ok(declined > 0, 'some messages had more than 127 field names or 123 custom kinds');
  });
});
